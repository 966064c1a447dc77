import type { PoolClient } from 'pg';
import { pool, withTransaction } from './pool';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export type OrderStatus = 'pending' | 'paid' | 'cancelled';

export interface Order {
  id: number;
  userId: number;
  status: OrderStatus;
  totalCents: number;
  createdAt: Date;
  lines: OrderLine[];
}

interface OrderRow {
  id: number;
  user_id: number;
  status: OrderStatus;
  total_cents: number;
  created_at: Date;
}

export interface OrderEvent {
  kind: string;
  at: Date;
}

export async function listOrders(userId: number): Promise<Omit<Order, 'lines'>[]> {
  const { rows } = await pool.query<OrderRow>(
    'SELECT id, user_id, status, total_cents, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50',
    [userId],
  );
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    status: row.status,
    totalCents: row.total_cents,
    createdAt: row.created_at,
  }));
}

export async function findOrder(userId: number, orderId: number): Promise<Order | undefined> {
  const { rows } = await pool.query<OrderRow>(
    'SELECT id, user_id, status, total_cents, created_at FROM orders WHERE id = $1 AND user_id = $2',
    [orderId, userId],
  );
  const [row] = rows;
  if (!row) return undefined;
  const lines = await pool.query<{ sku: string; quantity: number; unit_price_cents: number }>(
    'SELECT sku, quantity, unit_price_cents FROM order_lines WHERE order_id = $1 ORDER BY sku',
    [orderId],
  );
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    totalCents: row.total_cents,
    createdAt: row.created_at,
    lines: lines.rows.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPriceCents: line.unit_price_cents })),
  };
}

export async function listOrderEvents(orderId: number): Promise<OrderEvent[]> {
  const { rows } = await pool.query<{ kind: string; at: Date }>(
    'SELECT kind, at FROM order_events WHERE order_id = $1 ORDER BY at',
    [orderId],
  );
  return rows;
}

/**
 * Takes the stock for every line and records the order, all or nothing. Returns undefined when
 * any line is out of stock.
 */
export async function createOrder(userId: number, lines: OrderLine[], totalCents: number): Promise<Order | undefined> {
  const client = await pool.connect();
  await client.query('BEGIN');
  for (const line of lines) {
    const taken = await client.query(
      'UPDATE products SET stock = stock - $2 WHERE sku = $1 AND stock >= $2',
      [line.sku, line.quantity],
    );
    if (taken.rowCount === 0) {
      await client.query('ROLLBACK');
      return undefined;
    }
  }
  const { rows } = await client.query<{ id: number; created_at: Date }>(
    `INSERT INTO orders (user_id, status, total_cents) VALUES ($1, 'pending', $2) RETURNING id, created_at`,
    [userId, totalCents],
  );
  const [inserted] = rows;
  await insertLines(client, inserted.id, lines);
  await client.query('COMMIT');
  client.release();
  return { id: inserted.id, userId, status: 'pending', totalCents, createdAt: inserted.created_at, lines };
}

async function insertLines(client: PoolClient, orderId: number, lines: readonly OrderLine[]): Promise<void> {
  for (const line of lines) {
    await client.query(
      'INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)',
      [orderId, line.sku, line.quantity, line.unitPriceCents],
    );
  }
}

export async function markPaid(orderId: number, chargeId: string): Promise<void> {
  await pool.query(`UPDATE orders SET status = 'paid', charge_id = $2 WHERE id = $1`, [orderId, chargeId]);
}

/** Cancels a pending order and puts its stock back; false when the order can't be cancelled. */
export async function cancelOrder(userId: number, orderId: number): Promise<boolean> {
  return withTransaction(async (client) => {
    const { rows } = await client.query<{ status: OrderStatus }>(
      'SELECT status FROM orders WHERE id = $1 AND user_id = $2 FOR UPDATE',
      [orderId, userId],
    );
    if (rows[0]?.status !== 'pending') return false;
    await client.query(
      'UPDATE products p SET stock = p.stock + l.quantity FROM order_lines l WHERE l.order_id = $1 AND p.sku = l.sku',
      [orderId],
    );
    await client.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [orderId]);
    await client.query(`INSERT INTO order_events (order_id, kind) VALUES ($1, 'cancelled')`, [orderId]);
    return true;
  });
}
