// /orders: checkout, payment, tracking, notes and bulk cancellation.
import express from 'express';
import { setInterval as every } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { pool } from '../../lib/db.js';
import { signalFor, withDeadline } from '../../lib/requestSignal.js';
import { postJson } from '../../lib/httpClient.js';
import { logger } from '../../lib/logger.js';
import { cachedProduct, refreshProduct } from '../../lib/catalogCache.js';
import { cancelOrder, createOrder, loadOrder, markPaid, notifyWarehouse, type OrderLine } from '../services/orderService.js';
import { HttpError } from '../middleware/errorHandler.js';

export const ordersRouter = express.Router();

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'http://payments.internal';
const CARRIER_URL = process.env.CARRIER_URL ?? 'https://api.carrier.example.com';
const MODERATION_URL = process.env.MODERATION_URL ?? 'http://moderation.internal/check';

function parseLines(body: unknown): OrderLine[] {
  if (!Array.isArray((body as { lines?: unknown }).lines)) throw new HttpError(400, 'lines must be an array');
  return ((body as { lines: { sku: unknown; quantity: unknown }[] }).lines).map((l) => ({
    sku: String(l.sku),
    quantity: Math.max(1, Number(l.quantity) || 1),
  }));
}

async function publishEvent(topic: string, payload: Record<string, unknown>): Promise<void> {
  await pool.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2)', [topic, JSON.stringify(payload)]);
}

ordersRouter.post('/', async (req: Request, res: Response) => {
  const lines = parseLines(req.body);
  const order = await createOrder(String(res.locals.userId), lines);
  for (const line of lines) {
    if (!cachedProduct(line.sku)) void refreshProduct(line.sku);
  }
  res.status(201).json(order);
});

ordersRouter.get('/:id', async (req, res) => {
  const order = await loadOrder(req.params.id);
  if (!order) throw new HttpError(404, 'order not found');
  res.json(order);
});

ordersRouter.post('/:id/pay', async (req, res) => {
  const order = await loadOrder(req.params.id);
  if (!order) throw new HttpError(404, 'order not found');
  if (order.status !== 'pending') throw new HttpError(409, `order is ${order.status}`);
  const signal = withDeadline(signalFor(res), 10_000);
  const payment = await postJson<{ id: string; state: string }>(
    `${PAYMENTS_URL}/charges`,
    { orderId: order.id, amount: order.total_cents, token: (req.body as { token?: string }).token },
    signal,
  );
  if (payment.state !== 'succeeded') throw new HttpError(402, 'payment declined');
  await markPaid(order.id, payment.id);
  notifyWarehouse(order.id); // expect: unawaited-background-work
  publishEvent('order.paid', { orderId: order.id, paymentId: payment.id }).then(() => logger.debug('order.paid published')); // expect: unawaited-background-work
  res.json({ status: 'paid' });
});

ordersRouter.get('/:id/tracking', async (req, res) => {
  const signal = signalFor(res);
  const order = await loadOrder(req.params.id);
  if (!order) throw new HttpError(404, 'order not found');
  const [carrier, history] = await Promise.all([
    fetch(`${CARRIER_URL}/shipments?ref=${order.id}`, { signal, headers: { 'x-api-key': process.env.CARRIER_KEY ?? '' } }),
    pool.query('SELECT status, at FROM order_events WHERE order_id = $1 ORDER BY at', [order.id]),
  ]);
  res.json({ carrier: await carrier.json(), history: history.rows });
});

ordersRouter.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const offset = Number(req.query.offset ?? 0);
  const customer = String(res.locals.userId);
  const page = pool.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3', [customer, limit, offset]);
  const count = pool.query<{ n: string }>('SELECT count(*) AS n FROM orders WHERE customer_id = $1', [customer]);
  const [rows, total] = await Promise.all([page, count]);
  res.json({ items: rows.rows, total: Number(total.rows[0]?.n ?? 0) });
});

ordersRouter
  .route('/:id/notes')
  .get(async (req, res) => {
    const { rows } = await pool.query('SELECT body, author, at FROM order_notes WHERE order_id = $1', [req.params.id]);
    res.json(rows);
  })
  .post(async (req, res) => {
    const text = String((req.body as { body?: string }).body ?? '');
    const verdict = await fetch(MODERATION_URL, { // expect: missing-cancellation-signal
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
    if (!verdict.ok) throw new HttpError(422, 'note rejected by moderation');
    await pool.query('INSERT INTO order_notes (order_id, body, author) VALUES ($1, $2, $3)', [req.params.id, text, res.locals.userId]);
    res.sendStatus(201);
  });

ordersRouter.post('/bulk-cancel', async (req, res) => {
  const ids = (req.body as { ids?: string[] }).ids ?? [];
  const cancelled: string[] = [];
  for (const id of ids) {
    const client = await pool.connect(); // expect: pool-resource-leak
    const { rowCount } = await client.query("SELECT 1 FROM orders WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED", [id]);
    if (!rowCount) continue;
    await client.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [id]);
    client.release();
    cancelled.push(id);
  }
  res.json({ cancelled });
});

ordersRouter.post('/:id/cancel', async (req, res) => {
  const ok = await cancelOrder(req.params.id, String(res.locals.userId));
  res.status(ok ? 200 : 409).json({ cancelled: ok });
});

ordersRouter.post('/:id/refund', async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ total_cents: number }>("SELECT total_cents FROM orders WHERE id = $1 AND status = 'paid' FOR UPDATE", [req.params.id]);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      res.sendStatus(409);
      return;
    }
    await client.query("UPDATE orders SET status = 'refunding' WHERE id = $1", [req.params.id]);
    await client.query('COMMIT');
    res.status(202).json({ refunding: rows[0]!.total_cents });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
});

ordersRouter.get('/:id/events', async (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`event: hello\ndata: ${JSON.stringify({ order: req.params.id })}\n\n`);
  for await (const _ of every(15_000)) { // expect: missing-cancellation-signal
    if (res.writableEnded) break;
    const order = await loadOrder(req.params.id);
    res.write(`data: ${JSON.stringify({ status: order?.status ?? 'gone' })}\n\n`);
  }
});
