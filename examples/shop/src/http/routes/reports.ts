import { Router } from 'express';
import { Pool } from 'pg';
import { pool } from '../../db/pool';
import { BufferPool } from '../../lib/bufferPool';

export const reportsRouter = Router();

const csvBuffers = new BufferPool(256 * 1024);

interface SalesRow {
  day: string;
  orders: number;
  revenue_cents: number;
}

/** Writes the rows as CSV into `buffer`; returns the number of bytes written. */
function writeCsv(buffer: Buffer, rows: SalesRow[]): number {
  let offset = buffer.write('day,orders,revenue_cents\n');
  for (const row of rows) offset += buffer.write(`${row.day},${row.orders},${row.revenue_cents}\n`, offset);
  return offset;
}

/** Daily sales from the reporting replica. */
reportsRouter.get('/sales', async (req, res) => {
  const replica = new Pool({ connectionString: process.env.REPORTING_DATABASE_URL, max: 2 });
  const { rows } = await replica.query<SalesRow>(
    'SELECT day::text, orders, revenue_cents FROM daily_sales ORDER BY day DESC LIMIT 90',
  );
  res.json(rows);
});

/** The same report as a CSV download, rendered into a pooled buffer. */
reportsRouter.get('/sales.csv', async (_req, res) => {
  const { rows } = await pool.query<SalesRow>('SELECT day::text, orders, revenue_cents FROM daily_sales ORDER BY day DESC LIMIT 90');
  const buffer = csvBuffers.acquire();
  const length = writeCsv(buffer, rows);
  csvBuffers.release(buffer);
  res.type('text/csv').send(buffer.subarray(0, length));
});
