import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { fetchSupplierEta, publishStockEvent } from './warehouse';

interface StockRow {
  sku: string;
  on_hand: number;
  reserved: number;
}

interface ReservationBody {
  orderId: number;
  items: { sku: string; quantity: number }[];
}

const ETA_ATTEMPTS = 3;

// Reused between requests: bulk reservations from the warehouse carry thousands of lines.
const quantityMaps: Map<string, number>[] = [];

/** One line per SKU: clients may send the same SKU on several lines. */
function totalsBySku(items: ReservationBody['items']): [string, number][] {
  const totals = quantityMaps.pop() ?? new Map<string, number>();
  for (const item of items) totals.set(item.sku, (totals.get(item.sku) ?? 0) + item.quantity);
  const lines = [...totals];
  quantityMaps.push(totals);
  return lines;
}

export const stockRoutes: FastifyPluginAsync<{ db: Pool }> = async (app, { db }) => {
  app.get<{ Params: { sku: string } }>('/stock/:sku', async (request, reply) => {
    const { rows } = await db.query<StockRow>('SELECT sku, on_hand, reserved FROM stock WHERE sku = $1', [
      request.params.sku,
    ]);
    const [row] = rows;
    if (!row) return reply.code(404).send({ error: 'unknown sku' });
    return { sku: row.sku, available: row.on_hand - row.reserved };
  });

  app.post<{ Body: ReservationBody }>('/reservations', async (request, reply) => {
    const { orderId, items } = request.body;
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      for (const [sku, quantity] of totalsBySku(items)) {
        const reserved = await client.query(
          'UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND on_hand - reserved >= $2',
          [sku, quantity],
        );
        if (reserved.rowCount === 0) {
          await client.query('ROLLBACK');
          return reply.code(409).send({ error: `not enough stock for ${sku}` });
        }
        await client.query('INSERT INTO reservation_items (order_id, sku, quantity) VALUES ($1, $2, $3)', [
          orderId,
          sku,
          quantity,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    publishStockEvent({ type: 'reserved', orderId, items });
    return reply.code(201).send({ orderId, reserved: items.length });
  });

  app.delete<{ Params: { orderId: string } }>('/reservations/:orderId', async (request, reply) => {
    const orderId = Number(request.params.orderId);
    const client = await db.connect();
    const { rows } = await client.query<{ sku: string; quantity: number }>(
      'SELECT sku, quantity FROM reservation_items WHERE order_id = $1',
      [orderId],
    );
    if (rows.length === 0) {
      client.release();
      return reply.code(404).send({ error: 'no reservation for this order' });
    }
    await client.query('BEGIN');
    for (const row of rows) {
      await client.query('UPDATE stock SET reserved = reserved - $2 WHERE sku = $1', [row.sku, row.quantity]);
    }
    await client.query('DELETE FROM reservation_items WHERE order_id = $1', [orderId]);
    await client.query('COMMIT');
    client.release();
    const requestAbort = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) requestAbort.abort();
    });
    await publishStockEvent({ type: 'released', orderId, items: rows }, requestAbort.signal);
    return reply.code(204).send();
  });

  app.get<{ Params: { sku: string } }>('/stock/:sku/eta', async (request, reply) => {
    // The supplier API is flaky: retry with backoff, but stop as soon as the caller gives up.
    const requestAbort = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) requestAbort.abort();
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const eta = await fetchSupplierEta(request.params.sku, requestAbort.signal);
        return { sku: request.params.sku, eta };
      } catch (error) {
        if (attempt === ETA_ATTEMPTS || requestAbort.signal.aborted) throw error;
        await sleep(200 * 2 ** attempt);
      }
    }
  });
};
