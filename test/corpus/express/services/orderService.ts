// Order business logic. Handlers call it with ids and plain values only, so it is not analysed as
// a request scope (fire-and-forget audit writes here are a design choice, not a finding); the
// pool rules apply everywhere, though.
import type { PoolClient } from 'pg';
import { pool, withTransaction } from '../../lib/db.js';
import { recordAudit } from '../../lib/audit.js';
import { logger } from '../../lib/logger.js';

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface Order {
  id: string;
  customer_id: string;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  total_cents: number;
}

export class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(`out of stock: ${sku}`);
  }
}

async function reserveLine(client: PoolClient, orderId: string, line: OrderLine): Promise<number> {
  const { rows } = await client.query<{ price_cents: number }>(
    'UPDATE products SET stock = stock - $2 WHERE sku = $1 AND stock >= $2 RETURNING price_cents',
    [line.sku, line.quantity],
  );
  if (rows.length === 0) throw new OutOfStockError(line.sku);
  await client.query('INSERT INTO order_lines (order_id, sku, quantity) VALUES ($1, $2, $3)', [orderId, line.sku, line.quantity]);
  return rows[0]!.price_cents * line.quantity;
}

export async function createOrder(customerId: string, lines: OrderLine[]): Promise<Order> {
  const order = await withTransaction(async (client) => {
    const { rows } = await client.query<Order>(
      "INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', 0) RETURNING *",
      [customerId],
    );
    const created = rows[0]!;
    let total = 0;
    for (const line of lines) total += await reserveLine(client, created.id, line);
    await client.query('UPDATE orders SET total_cents = $2 WHERE id = $1', [created.id, total]);
    return { ...created, total_cents: total };
  });
  recordAudit({ actor: customerId, action: 'order.create', target: order.id });
  return order;
}

export async function cancelOrder(orderId: string, actor: string): Promise<boolean> {
  const client = await pool.connect(); // expect: pool-resource-leak
  await client.query('BEGIN');
  const { rows } = await client.query<Order>('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
  const order = rows[0];
  if (!order || order.status === 'shipped') {
    await client.query('ROLLBACK');
    client.release();
    return false;
  }
  await client.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [orderId]);
  await client.query('UPDATE products p SET stock = stock + l.quantity FROM order_lines l WHERE l.order_id = $1 AND l.sku = p.sku', [orderId]);
  await client.query('COMMIT');
  client.release();
  recordAudit({ actor, action: 'order.cancel', target: orderId }).catch((err) => logger.warn('audit failed', err));
  return true;
}

export async function markPaid(orderId: string, paymentId: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("UPDATE orders SET status = 'paid' WHERE id = $1", [orderId]);
    await client.query('INSERT INTO payments (order_id, provider_ref) VALUES ($1, $2)', [orderId, paymentId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function loadOrder(orderId: string): Promise<Order | undefined> {
  const { rows } = await pool.query<Order>('SELECT * FROM orders WHERE id = $1', [orderId]);
  return rows[0];
}

export async function notifyWarehouse(orderId: string): Promise<void> {
  await pool.query("SELECT pg_notify('warehouse', $1)", [orderId]);
}
