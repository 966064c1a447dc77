import { Pool, type PoolClient } from 'pg';

// One pool per process: request handlers borrow clients from it and must give them back.
export const pool = new Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://shop:shop@localhost:5432/shop',
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  idleTimeoutMillis: 30_000,
});

pool.on('error', (error) => {
  // An idle client lost its connection (database restart, network blip); the pool replaces it.
  console.error('idle database client failed', error);
});

/** Runs `work` in one transaction on one client; any error rolls the transaction back. */
export async function withTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
