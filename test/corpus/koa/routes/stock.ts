// Stock levels: live updates over SSE and reservations with a hard deadline.
import Router from '@koa/router';
import { PassThrough } from 'node:stream';
import Redis from 'ioredis';
import { pool } from '../../lib/db.js';

export const stockRouter = new Router({ prefix: '/stock' });

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

async function stockLevel(sku: string): Promise<number> {
  const { rows } = await pool.query<{ qty: number }>('SELECT qty FROM stock WHERE sku = $1', [sku]);
  return rows[0]?.qty ?? 0;
}

// Wrong: the poller keeps running (and querying) after the client disconnects.
stockRouter.get('/:sku/live', (ctx) => {
  const stream = new PassThrough();
  ctx.type = 'text/event-stream';
  ctx.body = stream;
  const sku = ctx.params.sku!;
  setInterval(() => { // expect: timer-without-cleanup
    stockLevel(sku)
      .then((qty) => stream.write(`data: ${qty}\n\n`))
      .catch(() => stream.end());
  }, 1_000);
});

// Correct: cleared when the response closes.
stockRouter.get('/:sku/watch', (ctx) => {
  const stream = new PassThrough();
  ctx.type = 'text/event-stream';
  ctx.body = stream;
  const sku = ctx.params.sku!;
  const poll = setInterval(() => {
    stockLevel(sku)
      .then((qty) => stream.write(`data: ${qty}\n\n`))
      .catch(() => stream.end());
  }, 1_000);
  ctx.res.once('close', () => clearInterval(poll));
});

// Wrong: a Redis connection per request, never closed.
stockRouter.post('/:sku/reserve', async (ctx) => {
  const locks = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379'); // expect: pool-per-request
  const ok = await locks.set(`lock:${ctx.params.sku}`, '1', 'PX', 5_000, 'NX');
  if (!ok) {
    ctx.status = 409;
    return;
  }
  ctx.body = { reserved: await stockLevel(ctx.params.sku!) };
});

// Correct: a dedicated subscriber, quit on every path.
stockRouter.get('/:sku/next-change', async (ctx) => {
  const subscriber = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  try {
    await subscriber.subscribe(`stock:${ctx.params.sku}`);
    const qty = await new Promise<string>((resolve) => subscriber.once('message', (_channel: string, message: string) => resolve(message)));
    ctx.body = { qty: Number(qty) };
  } finally {
    await subscriber.quit();
  }
});

// Correct: the shared connection.
stockRouter.get('/:sku', async (ctx) => {
  const cached = await redis.get(`stock:${ctx.params.sku}`);
  ctx.body = { qty: cached === null ? await stockLevel(ctx.params.sku!) : Number(cached) };
});
