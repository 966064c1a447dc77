// NestJS providers: metrics flushing, a feature-flag refresher and a request-scoped audit context.
import { Inject, Injectable, Scope, type OnModuleDestroy } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import type { Request } from 'express';
import { pool } from '../lib/db.js';
import { logger } from '../lib/logger.js';

@Injectable()
export class MetricsService {
  private readonly counters = new Map<string, number>();

  // Wrong: started in the constructor, never stoppable.
  constructor() {
    setInterval(() => this.flush(), 10_000); // expect: factory-timer-leak
  }

  increment(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  private flush(): void {
    if (this.counters.size === 0) return;
    logger.info('metrics', Object.fromEntries(this.counters));
    this.counters.clear();
  }
}

@Injectable()
export class FeatureFlags implements OnModuleDestroy {
  private flags = new Map<string, boolean>();
  private readonly refresher: ReturnType<typeof setInterval>;

  // Correct: cleared on module destroy.
  constructor() {
    this.refresher = setInterval(() => {
      this.reload().catch((err) => logger.warn('flag reload failed', { err: String(err) }));
    }, 30_000);
  }

  onModuleDestroy(): void {
    clearInterval(this.refresher);
  }

  enabled(flag: string): boolean {
    return this.flags.get(flag) ?? false;
  }

  private async reload(): Promise<void> {
    const { rows } = await pool.query<{ name: string; on: boolean }>('SELECT name, on FROM feature_flags');
    this.flags = new Map(rows.map((r) => [r.name, r.on]));
  }
}

@Injectable()
export class CurrencyRates {
  private rates: Record<string, number> = {};

  // Correct: unref'd, so it never keeps the process alive.
  constructor() {
    const timer = setInterval(() => {
      pool.query<{ code: string; rate: number }>('SELECT code, rate FROM fx_rates').then(
        ({ rows }) => { this.rates = Object.fromEntries(rows.map((r) => [r.code, r.rate])); },
        (err) => logger.warn('fx refresh failed', { err: String(err) }),
      );
    }, 3_600_000);
    timer.unref();
  }

  convert(cents: number, code: string): number {
    return Math.round(cents * (this.rates[code] ?? 1));
  }
}

/** Correct: a request-scoped provider may keep request data in its fields. */
@Injectable({ scope: Scope.REQUEST })
export class AuditContext {
  readonly actor: string;
  readonly path: string;

  constructor(@Inject(REQUEST) request: Request) {
    this.actor = String(request.headers['x-user-id'] ?? 'anonymous');
    this.path = request.originalUrl;
  }
}
