// Edge middleware: request timing, API keys and a naive KV rate limiter.
import { createMiddleware } from 'hono/factory';

// Bindings of the edge API (Cloudflare Workers, served through Hono).
export interface KVNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface R2Bucket {
  get(key: string): Promise<{ body: ReadableStream; httpMetadata?: { contentType?: string } } | null>;
  put(key: string, value: ArrayBuffer | string): Promise<unknown>;
}

export interface Env {
  SESSIONS: KVNamespace;
  IMAGES: R2Bucket;
  ORIGIN_URL: string;
  ANALYTICS_URL: string;
}

export const timing = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  const started = Date.now();
  await next();
  c.header('server-timing', `edge;dur=${Date.now() - started}`);
  c.executionCtx.waitUntil(
    fetch(c.env.ANALYTICS_URL, {
      method: 'POST',
      body: JSON.stringify({ path: c.req.path, status: c.res.status, ms: Date.now() - started }),
    }),
  );
});

export const rateLimit = (limit: number) =>
  createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const key = `rl:${c.req.header('cf-connecting-ip') ?? 'anon'}:${Math.floor(Date.now() / 60_000)}`;
    const used = Number((await c.env.SESSIONS.get(key)) ?? 0);
    if (used >= limit) return c.json({ error: 'rate limited' }, 429);
    c.env.SESSIONS.put(key, String(used + 1), { expirationTtl: 120 }); // expect: unawaited-background-work
    await next();
  });

export const apiKey = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  const key = c.req.header('x-api-key');
  if (!key) return c.json({ error: 'missing api key' }, 401);
  const known = await c.env.SESSIONS.get(`key:${key}`);
  if (!known) return c.json({ error: 'unknown api key' }, 403);
  c.header('x-api-key-owner', known);
  return next();
});
