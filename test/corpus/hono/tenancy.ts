// Hono middleware for the multi-tenant edge API.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createMiddleware } from 'hono/factory';
import type { Context, Next } from 'hono';

interface Tenant {
  id: string;
  region: string;
}

const tenantAls = new AsyncLocalStorage<Tenant>();
const activeContexts = new Set<Context>();
const debugContexts = new Set<Context>();
const hitsByTenant: Record<string, number> = {};
let requestsServed = 0;

export const currentTenant = () => tenantAls.getStore();

/** Wrong: the tenant store leaks past this request. */
export const tenantFromHeader = createMiddleware(async (c, next) => {
  const tenant = { id: c.req.header('x-tenant') ?? 'public', region: c.req.header('x-region') ?? 'eu' };
  tenantAls.enterWith(tenant); // expect: als-enter-with
  await next();
});

/** Correct: run() around the rest of the chain. */
export const tenantScoped = createMiddleware(async (c, next) => {
  const tenant = { id: c.req.header('x-tenant') ?? 'public', region: c.req.header('x-region') ?? 'eu' };
  await tenantAls.run(tenant, () => next());
});

/** Wrong: next() is neither awaited nor returned. */
export const countRequests = createMiddleware(async (c, next) => {
  requestsServed++;
  c.header('x-served', String(requestsServed));
  next(); // expect: unawaited-next
});

/** Wrong: every context ever seen is kept, for a debug endpoint. */
export async function trackContext(c: Context, next: Next): Promise<void> {
  debugContexts.add(c); // expect: request-object-escapes, unbounded-request-store
  await next();
}

/** Correct: the entry is removed when the request is done. */
export async function trackActive(c: Context, next: Next): Promise<void> {
  activeContexts.add(c);
  try {
    await next();
  } finally {
    activeContexts.delete(c);
  }
}

/** Counting per tenant: the keys are request data and nothing ever removes them. */
export async function tenantHits(c: Context, next: Next): Promise<void> {
  const id = c.req.header('x-tenant') ?? 'public';
  hitsByTenant[id] = (hitsByTenant[id] ?? 0) + 1; // expect: unbounded-request-store
  await next();
}

/** Wrong: a request without a region is neither answered nor passed on. */
export const requireRegion = createMiddleware(async (c, next) => {
  const region = c.req.header('x-region');
  if (!region) {
    c.status(400);
    return; // expect: middleware-drops-request
  }
  await next();
});

export const debugSnapshot = () => ({ active: activeContexts.size, debug: debugContexts.size, hitsByTenant, requestsServed });
