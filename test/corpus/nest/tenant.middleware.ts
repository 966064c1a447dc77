// NestJS middleware: tenant resolution and request context for the billing service.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export interface BillingContext {
  tenantId: string;
  requestId: string;
}

export const billingContext = new AsyncLocalStorage<BillingContext>();

@Injectable()
export class TenantMiddleware implements NestMiddleware {
  private lastTenant = '';
  private handled = 0;

  use(req: Request, res: Response, next: NextFunction): void {
    const tenantId = req.headers['x-tenant-id'];
    if (typeof tenantId !== 'string' || tenantId.length === 0) {
      res.status(400).json({ message: 'x-tenant-id header is required' });
      return;
    }
    this.handled++;
    this.lastTenant = tenantId; // expect: request-state-in-module-variable
    billingContext.enterWith({ tenantId, requestId: String(req.headers['x-request-id']) }); // expect: als-enter-with
    next();
  }

  stats(): { handled: number; lastTenant: string } {
    return { handled: this.handled, lastTenant: this.lastTenant };
  }
}

@Injectable()
export class ScopedContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const store = { tenantId: String(req.headers['x-tenant-id']), requestId: String(req.headers['x-request-id']) };
    billingContext.run(store, () => next());
  }
}

@Injectable()
export class MaintenanceMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (process.env.BILLING_READ_ONLY === '1' && req.method !== 'GET') {
      res.setHeader('retry-after', '120');
      return; // expect: middleware-drops-request
    }
    next();
  }
}

@Injectable()
export class InternalOnlyMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (req.ip === '127.0.0.1' || req.ip?.startsWith('10.')) {
      next();
      return;
    }
    res.sendStatus(403);
  }
}
