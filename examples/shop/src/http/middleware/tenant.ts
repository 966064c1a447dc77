import type { NextFunction, Request, Response } from 'express';

// Which tenants have been active, for the admin dashboard.
const lastSeenByTenant = new Map<string, Date>();

// The tenant of "the" request, for repositories that build schema names.
let currentTenant: string | undefined;

/** Reads the tenant header; every later middleware and repository sees the tenant. */
export function resolveTenant(req: Request, res: Response, next: NextFunction): void {
  const tenant = String(req.get('x-tenant') ?? 'public');
  if (!/^[a-z0-9_]{1,32}$/.test(tenant)) {
    res.status(400).json({ error: 'invalid tenant' });
    return;
  }
  currentTenant = tenant;
  lastSeenByTenant.set(tenant, new Date());
  res.setHeader('x-tenant', tenant);
  next();
}

/** The schema the current request's queries run in. */
export function tenantSchema(): string {
  return `tenant_${currentTenant ?? 'public'}`;
}

export function activeTenants(): string[] {
  return [...lastSeenByTenant.keys()].sort();
}
