// Koa: a per-request deadline signal for downstream handlers, and a JSON-only guard.
import type { Context, Next } from 'koa';

/** Correct: Koa's next() resolves when downstream is done, so aborting in finally is safe. */
export async function deadline(ctx: Context, next: Next): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('deadline')), 20_000);
  ctx.state.signal = controller.signal;
  ctx.res.once('close', () => controller.abort());
  try {
    await next();
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Correct: every path sets a status or passes control on. */
export async function jsonOnly(ctx: Context, next: Next): Promise<void> {
  if (ctx.method !== 'GET' && !ctx.is('application/json')) {
    ctx.status = 415;
    return;
  }
  await next();
}

/** Correct: a route handler without next is not a middleware. */
export async function notFound(ctx: Context): Promise<void> {
  if (ctx.path.startsWith('/api/')) {
    ctx.status = 404;
    ctx.body = { error: 'not found' };
  }
}
