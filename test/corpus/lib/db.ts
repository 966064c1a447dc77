// The shared Postgres pool and the small helpers every service uses. Everything at module scope
// here is start-up code.
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { logger } from './logger.js';

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_MAX ?? 10),
  idleTimeoutMillis: 30_000,
});

pool.on('error', (err) => {
  logger.error('idle postgres client failed', { err: err.message });
});

export async function query<T extends QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const result = await pool.query<T>(text, params);
  return result.rows;
}

/** Runs `fn` in a transaction on a dedicated client; the client always goes back to the pool. */
export async function withTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** A client for callers that need session state (LISTEN, temp tables). The caller releases it. */
export function connectClient(): Promise<PoolClient> {
  return pool.connect();
}

/** Same, tagged for pg_stat_activity. */
export async function connectTagged(tag: string): Promise<PoolClient> {
  const client = await pool.connect(); // expect: pool-resource-leak
  await client.query(`SET application_name = '${tag.replace(/'/g, '')}'`);
  return client;
}

export async function ping(): Promise<boolean> {
  const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
  return rows[0]?.ok === 1;
}
