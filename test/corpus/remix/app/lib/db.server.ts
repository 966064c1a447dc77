// Remix server-only database access.
import pg from 'pg';
import type { PoolClient } from 'pg';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

export interface InvoiceRow {
  id: string;
  number: string;
  customer_id: string;
  total_cents: number;
  status: string;
}

export async function getInvoice(id: string): Promise<InvoiceRow | undefined> {
  const { rows } = await pool.query<InvoiceRow>('SELECT * FROM invoices WHERE id = $1', [id]);
  return rows[0];
}

export async function lockInvoice(client: PoolClient, id: string): Promise<InvoiceRow | undefined> {
  const { rows } = await client.query<InvoiceRow>('SELECT * FROM invoices WHERE id = $1 FOR UPDATE', [id]);
  return rows[0];
}

/** Lends a client to `work` and always gives it back. */
export async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
