// Applies pending SQL migrations at deploy time. Start-up code, not a request scope.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pool } from '../lib/db.js';
import { logger } from '../lib/logger.js';

const DIR = path.resolve(process.env.MIGRATIONS_DIR ?? 'migrations');

async function applied(): Promise<Set<string>> {
  await pool.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, at timestamptz DEFAULT now())');
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations');
  return new Set(rows.map((r) => r.name));
}

async function withMigrationLock(fn: () => Promise<void>): Promise<void> {
  const client = await pool.connect(); // expect: pool-resource-leak
  await client.query('SELECT pg_advisory_lock(7243)');
  try {
    await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(7243)').catch(() => undefined);
    client.release();
  }
}

async function migrate(): Promise<void> {
  const done = await applied();
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = await readFile(path.join(DIR, file), 'utf8');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      await client.query('COMMIT');
      logger.info('migration applied', { file });
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
}

withMigrationLock(migrate)
  .then(() => pool.end())
  .catch((err) => {
    logger.error('migration failed', err);
    process.exitCode = 1;
    pool.end();
  });
