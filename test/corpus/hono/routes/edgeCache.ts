// Edge caching middleware and a purge endpoint.
import { Hono, type Context, type Next } from 'hono';

type Bindings = { ORIGIN_URL: string; PURGE_TOKEN: string };

export const edge = new Hono<{ Bindings: Bindings }>();

/** Wrong: the cache header is set before downstream produced the response. */
edge.use('/assets/*', async (c, next) => {
  next(); // expect: unawaited-next
  c.header('cache-control', 'public, max-age=86400');
});

/** Correct: returning next() lets Hono wait for it. */
edge.use('/api/*', (c, next) => {
  c.header('vary', 'authorization');
  return next();
});

/** Wrong: a plain function middleware that drops the promise of next(). */
export function securityHeaders(c: Context, next: Next): void {
  c.header('x-frame-options', 'DENY');
  next(); // expect: unawaited-next
}

edge.use('*', async (c, next) => {
  await next();
  c.header('x-edge', '1');
});

// Wrong: the purge call gets a root controller of its own.
edge.post('/purge', async (c) => {
  if (c.req.header('authorization') !== `Bearer ${c.env.PURGE_TOKEN}`) return c.text('forbidden', 403);
  const purge = new AbortController(); // expect: detached-root-signal
  setTimeout(() => purge.abort(), 5_000); // expect: timer-without-cleanup
  const res = await fetch(`${c.env.ORIGIN_URL}/purge`, { method: 'POST', signal: purge.signal });
  return c.json({ purged: res.ok });
});

// Correct: the request's own signal.
edge.get('/origin/*', async (c) => {
  const res = await fetch(`${c.env.ORIGIN_URL}${c.req.path.replace('/origin', '')}`, { signal: c.req.raw.signal });
  return new Response(res.body, res);
});
