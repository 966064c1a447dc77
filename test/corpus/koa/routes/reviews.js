// Product reviews on @koa/router (CommonJS JavaScript), stored in MariaDB.
'use strict';

const Router = require('@koa/router');
const mariadb = require('mariadb');

const reviewsPool = mariadb.createPool({
  host: process.env.REVIEWS_DB_HOST || 'localhost',
  user: 'reviews',
  password: process.env.REVIEWS_DB_PASSWORD,
  database: 'reviews',
  connectionLimit: 5,
});

const reviewsRouter = new Router({ prefix: '/reviews' });
const SPAM_API = process.env.SPAM_API || 'https://spam-check.example.com/v1/score';

async function spamScore(text) {
  const answer = await fetch(SPAM_API, { method: 'POST', body: text });
  return (await answer.json()).score;
}

reviewsRouter.get('/:sku', async (ctx) => {
  const conn = await reviewsPool.getConnection(); // expect: pool-resource-leak
  const rows = await conn.query('SELECT author, stars, body FROM reviews WHERE sku = ? ORDER BY created DESC LIMIT 50', [ctx.params.sku]);
  conn.release();
  ctx.body = rows;
});

reviewsRouter.post('/:sku', async (ctx) => {
  const { stars, body } = ctx.request.body;
  const score = await spamScore(String(body));
  if (score > 0.8) {
    ctx.status = 422;
    return;
  }
  const conn = await reviewsPool.getConnection();
  try {
    await conn.query('INSERT INTO reviews (sku, author, stars, body) VALUES (?, ?, ?, ?)', [ctx.params.sku, ctx.state.user, stars, body]);
    ctx.status = 201;
  } finally {
    conn.release();
  }
});

reviewsRouter.get('/:sku/summary', async (ctx) => {
  const rows = await reviewsPool.query('SELECT AVG(stars) AS avg, COUNT(*) AS n FROM reviews WHERE sku = ?', [ctx.params.sku]);
  ctx.body = rows[0];
});

reviewsRouter.post('/:sku/flag/:id', async (ctx) => {
  const conn = await reviewsPool.getConnection();
  const flagged = await conn
    .query('UPDATE reviews SET flagged = 1 WHERE id = ? AND sku = ?', [ctx.params.id, ctx.params.sku])
    .finally(() => conn.release());
  ctx.status = flagged.affectedRows ? 204 : 404;
});

module.exports = { reviewsRouter };
