// Koa middleware: request context for logs, timing, and the current locale.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Next } from 'koa';
import { logger } from '../../lib/logger.js';

interface RequestContext {
  requestId: string;
  locale: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

// The locale of "the request being served". Read by the formatter below.
let activeLocale = 'en';

export function formatPrice(cents: number, currency: string): string {
  return new Intl.NumberFormat(activeLocale, { style: 'currency', currency }).format(cents / 100);
}

/** Wrong: enterWith leaks the store into whatever continues from here. */
export async function contextMiddleware(ctx: Context, next: Next): Promise<void> {
  const store = { requestId: String(ctx.get('x-request-id') || ctx.state.id), locale: ctx.acceptsLanguages('en', 'de', 'fr') || 'en' };
  requestContext.enterWith(store); // expect: als-enter-with
  await next();
}

/** Correct: run() scopes the store to the rest of the chain. */
export async function scopedContext(ctx: Context, next: Next): Promise<void> {
  const store = { requestId: String(ctx.get('x-request-id') || ctx.state.id), locale: ctx.acceptsLanguages('en', 'de', 'fr') || 'en' };
  await requestContext.run(store, () => next());
}

/** Wrong: the locale is request data stored in a module variable read by another function. */
export async function localeMiddleware(ctx: Context, next: Next): Promise<void> {
  activeLocale = ctx.query.lang ? String(ctx.query.lang) : 'en'; // expect: request-state-in-module-variable
  await next();
}

/** Wrong: timing "after" code runs before downstream has finished. */
export async function timing(ctx: Context, next: Next): Promise<void> {
  const started = Date.now();
  next(); // expect: unawaited-next
  ctx.set('x-response-time', `${Date.now() - started}ms`);
}

/** Correct: returning next() hands the promise to Koa. */
export function poweredBy(ctx: Context, next: Next): Promise<void> {
  ctx.set('x-powered-by', 'shop');
  return next();
}

/** Wrong: errors from downstream escape this handler entirely. */
export async function errorBoundary(ctx: Context, next: Next): Promise<void> {
  try {
    next(); // expect: unawaited-next
  } catch (err) {
    logger.error('request failed', { err: String(err) });
    ctx.status = 500;
    ctx.body = { error: 'internal error' };
  }
}
