// Catalogue API on Koa + @koa/router, backed by MySQL (mysql2/promise).
import Router from '@koa/router';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { signalFor } from '../../lib/requestSignal.js';
import { backoff, jitter } from '../../lib/httpClient.js';
import { logger } from '../../lib/logger.js';
import { drafts, lookups } from '../../pools/cartPool.js';

const db = mysql.createPool({ uri: process.env.CATALOG_DB_URL, connectionLimit: 10 });
const SEARCH_URL = process.env.SEARCH_URL ?? 'http://search.internal';
const RECO_URL = process.env.RECO_URL ?? 'http://reco.internal';

interface ProductRow extends RowDataPacket {
  id: number;
  sku: string;
  title: string;
  price: string;
}

export const catalogRouter = new Router({ prefix: '/catalog' });

catalogRouter.get('/products/:sku', async (ctx) => {
  const [rows] = await db.query<ProductRow[]>('SELECT id, sku, title, price FROM products WHERE sku = ?', [ctx.params.sku]);
  if (rows.length === 0) ctx.throw(404, 'unknown product');
  ctx.body = rows[0];
});

catalogRouter.get('/search', async (ctx) => {
  const signal = signalFor(ctx.res);
  const q = String(ctx.query.q ?? '');
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await fetch(`${SEARCH_URL}/q?text=${encodeURIComponent(q)}`, { signal });
      ctx.body = await answer.json();
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
      logger.warn('search retry', { attempt });
      await backoff(attempt, signal);
    }
  }
});

catalogRouter.get('/products/:sku/recommendations', async (ctx) => {
  const signal = signalFor(ctx.res);
  await jitter(signal);
  const answer = await fetch(`${RECO_URL}/for/${ctx.params.sku}`, { signal, headers: { 'x-country': ctx.state.country } });
  ctx.body = answer.ok ? await answer.json() : [];
});

catalogRouter.put('/products/:sku/price', async (ctx) => {
  const { price } = ctx.request.body as { price: number };
  const conn = await db.getConnection(); // expect: pool-resource-leak
  await conn.beginTransaction();
  try {
    const [rows] = await conn.query<ProductRow[]>('SELECT id, price FROM products WHERE sku = ? FOR UPDATE', [ctx.params.sku]);
    if (rows.length === 0) {
      await conn.rollback();
      ctx.status = 404;
      return;
    }
    await conn.query('INSERT INTO price_history (product_id, old_price, new_price) VALUES (?, ?, ?)', [rows[0]!.id, rows[0]!.price, price]);
    await conn.query('UPDATE products SET price = ? WHERE id = ?', [price, rows[0]!.id]);
    await conn.commit();
    ctx.status = 204;
  } catch (err) {
    await conn.rollback();
    throw err;
  }
  conn.release();
});

catalogRouter.post('/products/bulk-stock', async (ctx) => {
  const updates = ctx.request.body as { sku: string; stock: number }[];
  const conn = await db.getConnection();
  try {
    await conn.beginTransaction();
    for (const u of updates) {
      await conn.execute('UPDATE products SET stock = ? WHERE sku = ?', [u.stock, u.sku]);
    }
    await conn.commit();
    ctx.body = { updated: updates.length };
  } catch (err) {
    await conn.rollback();
    throw err;
  } finally {
    conn.release();
  }
});

catalogRouter.delete('/products/:sku', async (ctx) => {
  await db.execute('UPDATE products SET active = 0 WHERE sku = ?', [ctx.params.sku]);
  db.execute('DELETE FROM search_queue WHERE sku = ?', [ctx.params.sku]); // expect: unawaited-background-work
  ctx.status = 204;
});

catalogRouter.get('/bundles/:id/price', async (ctx) => {
  const [items] = await db.query<ProductRow[]>(
    'SELECT p.id, p.sku, p.title, p.price FROM bundle_items b JOIN products p ON p.id = b.product_id WHERE b.bundle_id = ?',
    [ctx.params.id],
  );
  const prices = lookups.borrow();
  const draft = drafts.obtain();
  draft.currency = String(ctx.query.currency ?? 'EUR');
  for (const item of items) {
    prices.set(item.sku, Math.round(Number(item.price) * 100));
    draft.lines.push({ sku: item.sku, quantity: 1, unitCents: prices.get(item.sku) ?? 0 });
  }
  draft.adjustments.set('bundle', -Math.round(draft.total() * 0.15));
  ctx.body = { bundle: ctx.params.id, total: draft.total(), currency: draft.currency };
  lookups.giveBack(prices);
  drafts.recycle(draft); // expect: pooled-object-not-reset
});
