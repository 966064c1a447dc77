// Cloudflare Worker: caching reverse proxy in front of the storefront, with access logging to R2.
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

interface Env {
  ORIGIN: string;
  LOG_ENDPOINT: string;
  LOGS: { put(key: string, value: string): Promise<unknown> };
}

const CACHEABLE = /\.(css|js|png|jpg|webp|svg|woff2)$/;

async function writeAccessLog(env: Env, request: Request, status: number): Promise<void> {
  const line = JSON.stringify({ url: request.url, status, at: Date.now(), ua: request.headers.get('user-agent') });
  await env.LOGS.put(`access/${Date.now()}-${crypto.randomUUID()}`, line);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const originUrl = `${env.ORIGIN}${url.pathname}${url.search}`;
    const cache = (globalThis as unknown as { caches: { default: Cache } }).caches.default;

    if (request.method === 'GET' && CACHEABLE.test(url.pathname)) {
      const hit = await cache.match(request);
      if (hit) {
        ctx.waitUntil(writeAccessLog(env, request, hit.status));
        return hit;
      }
      const answer = await fetch(originUrl, { headers: request.headers, signal: request.signal });
      if (answer.ok) ctx.waitUntil(cache.put(request, answer.clone()));
      writeAccessLog(env, request, answer.status).then(
        () => undefined,
        (err) => console.warn('access log failed', err),
      ).finally(() => undefined);
      return answer;
    }

    if (url.pathname === '/__purge') {
      const answer = await fetch(`${env.ORIGIN}/__purge`, { method: 'POST' }); // expect: missing-cancellation-signal
      await cache.delete(new Request(originUrl));
      return new Response(null, { status: answer.ok ? 204 : 502 });
    }

    const answer = await fetch(originUrl, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    writeAccessLog(env, request, answer.status); // expect: unawaited-background-work
    return answer;
  },
};

interface Cache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}
