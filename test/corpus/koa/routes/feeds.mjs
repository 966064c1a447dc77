// Public RSS/JSON feeds, rendered with pooled template renderers (ESM).
import Router from '@koa/router';
import genericPool from 'generic-pool';
import { pool } from '../../lib/db.js';

export const feedsRouter = new Router({ prefix: '/feeds' });

const renderers = genericPool.createPool(
  {
    create: async () => ({ buffer: [], render(items) { this.buffer.length = 0; for (const i of items) this.buffer.push(`<item>${i.title}</item>`); return this.buffer; } }),
    destroy: async () => {},
  },
  { max: 4 },
);

let latest = [];
let refreshedAt = 0;

async function refreshLatest() {
  const { rows } = await pool.query('SELECT id, title FROM posts ORDER BY published_at DESC LIMIT 50');
  latest = rows;
  refreshedAt = Date.now();
}

// Wrong: a module that registers routes starts a timer that nothing can stop.
setInterval(() => { // expect: factory-timer-leak
  refreshLatest().catch(() => {});
}, 30_000);

feedsRouter.get('/latest.json', (ctx) => {
  ctx.body = { refreshedAt, items: latest };
});

// Wrong: the rendered lines are the renderer's own buffer, sent after it went back to the pool.
feedsRouter.get('/latest.rss', async (ctx) => {
  const renderer = await renderers.acquire();
  let lines;
  try {
    renderer.render(latest);
    lines = renderer.buffer;
  } finally {
    await renderers.release(renderer);
  }
  ctx.type = 'application/rss+xml';
  ctx.body = `<rss><channel>${lines.join('')}</channel></rss>`; // expect: pooled-object-used-after-release
});

// Correct: the lines are copied before the renderer goes back.
feedsRouter.get('/latest.atom', async (ctx) => {
  const renderer = await renderers.acquire();
  let lines;
  try {
    renderer.render(latest);
    lines = [...renderer.buffer];
  } finally {
    await renderers.release(renderer);
  }
  ctx.type = 'application/atom+xml';
  ctx.body = `<feed>${lines.join('')}</feed>`;
});
