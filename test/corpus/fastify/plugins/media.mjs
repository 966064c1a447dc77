// Thumbnails and media proxying (ESM plugin).
import { createHash } from 'node:crypto';

/** Scratch buffers for thumbnail encoding; release() zeroes them. */
class ScratchPool {
  constructor(size) {
    this.size = size;
    this.free = [];
  }

  acquire() {
    return this.free.pop() ?? Buffer.alloc(this.size);
  }

  release(buf) {
    buf.fill(0);
    this.free.push(buf);
  }
}

const scratch = new ScratchPool(256 * 1024);
const etags = new Map();
const thumbnails = new Map();
const MAX_THUMBNAILS = 2_000;

function encodeThumbnail(source, target) {
  return source.copy(target, 0, 0, Math.min(source.length, target.length));
}

export async function mediaPlugin(fastify) {
  // Wrong: the thumbnail is a view into a scratch buffer that is reused by the next request.
  fastify.post('/thumbnails', async (request, reply) => {
    const buf = scratch.acquire();
    const written = encodeThumbnail(request.body, buf);
    const thumb = buf.subarray(0, written);
    scratch.release(buf);
    reply.header('content-type', 'image/webp');
    return thumb; // expect: pooled-object-used-after-release
  });

  // Correct: copied before the buffer goes back; the cache is bounded by a size check.
  fastify.post('/thumbnails/cached', async (request, reply) => {
    const key = createHash('sha1').update(request.body).digest('hex');
    const hit = thumbnails.get(key);
    if (hit) return reply.header('content-type', 'image/webp').send(hit);
    const buf = scratch.acquire();
    let thumb;
    try {
      thumb = Buffer.from(buf.subarray(0, encodeThumbnail(request.body, buf)));
    } finally {
      scratch.release(buf);
    }
    if (thumbnails.size < MAX_THUMBNAILS) thumbnails.set(key, thumb);
    reply.header('content-type', 'image/webp');
    return thumb;
  });

  // Wrong: an ETag per URL ever proxied, never evicted; and a timeout-only signal.
  fastify.get('/proxy', async (request, reply) => {
    const url = String(request.query.url);
    const upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) }); // expect: detached-root-signal
    const etag = upstream.headers.get('etag');
    if (etag) etags.set(url, etag); // expect: unbounded-request-store
    reply.header('content-type', upstream.headers.get('content-type') ?? 'application/octet-stream');
    return Buffer.from(await upstream.arrayBuffer());
  });
}
