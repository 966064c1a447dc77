// Worker that resizes images on the fly and caches the result at the edge.
interface Env {
  IMAGES_ORIGIN: string;
  RESIZER_URL: string;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const original = await fetch(`${env.IMAGES_ORIGIN}${url.pathname}`, { signal: request.signal });
    if (!original.ok) return new Response('not found', { status: 404 });

    // Wrong: the resize keeps going when the client has gone; the controller is a root.
    const resize = new AbortController(); // expect: detached-root-signal
    const resized = await fetch(env.RESIZER_URL, { method: 'POST', body: original.body, signal: resize.signal });

    // Correct: the cache warm-up is meant to outlive the request, so it has no request signal.
    ctx.waitUntil(fetch(`${env.IMAGES_ORIGIN}/warm${url.pathname}`, { method: 'POST', signal: AbortSignal.timeout(30_000) }));

    return new Response(resized.body, { headers: { 'content-type': resized.headers.get('content-type') ?? 'image/webp' } });
  },
};
