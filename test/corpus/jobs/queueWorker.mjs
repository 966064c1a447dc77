// Outbox relay worker (ESM JavaScript): drains the outbox table into the message broker.
// Runs outside any request. `jobs` below is a work queue, not a pool of reusable objects.
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const BROKER_URL = process.env.BROKER_URL ?? 'http://broker.internal/publish';
const jobs = [];
let stopping = false;

export function enqueue(job) {
  jobs.push(job);
}

async function publish(row) {
  const answer = await fetch(BROKER_URL, { method: 'POST', body: JSON.stringify(row) });
  if (!answer.ok) throw new Error(`broker answered ${answer.status}`);
}

async function drainOnce() {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT id, topic, payload FROM outbox ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED');
    for (const row of rows) {
      await publish(row);
      await client.query('DELETE FROM outbox WHERE id = $1', [row.id]);
    }
    await client.query('COMMIT');
    return rows.length;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

async function processLocalJobs() {
  while (jobs.length > 0) {
    const job = jobs.shift();
    await publish(job);
  }
}

async function markDead(id, reason) {
  const client = await pool.connect(); // expect: pool-resource-leak
  await client.query('UPDATE outbox SET dead = true, reason = $2 WHERE id = $1', [id, reason]);
  client.release();
}

export async function run() {
  process.once('SIGTERM', () => {
    stopping = true;
  });
  while (!stopping) {
    try {
      const n = await drainOnce();
      await processLocalJobs();
      if (n === 0) await sleep(1_000);
    } catch (err) {
      console.error('outbox relay failed', err);
      markDead(null, String(err));
      await sleep(5_000);
    }
  }
  await pool.end();
}

run();
