// Nightly digest e-mails. A background job started by the worker process: not a request scope,
// so fire-and-forget work and signal-less fetches are not findings here. Pool rules still apply.
import { pool } from '../lib/db.js';
import { sendMail } from '../lib/mailer.js';
import { logger } from '../lib/logger.js';
import { chunkBuffers } from '../pools/bufferPool.js';

interface DigestRow {
  user_id: string;
  email: string;
  orders: number;
  spent_cents: number;
}

async function fetchHeadline(): Promise<string> {
  const answer = await fetch(process.env.HEADLINE_URL ?? 'https://cms.example.com/headline');
  return answer.ok ? answer.text() : '';
}

export async function runDigest(day: string): Promise<number> {
  const headline = await fetchHeadline();
  const client = await pool.connect(); // expect: pool-resource-leak
  const { rows } = await client.query<DigestRow>(
    `SELECT u.id AS user_id, u.email, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS spent_cents
       FROM users u LEFT JOIN orders o ON o.customer_id = u.id AND o.created_at::date = $1
      GROUP BY u.id, u.email`,
    [day],
  );
  client.release();
  let sent = 0;
  for (const row of rows) {
    if (row.orders === 0) continue;
    sendMail(row.email, `Your day: ${row.orders} orders`, `<p>${headline}</p>`).catch((err) => logger.warn('digest mail failed', err));
    sent++;
  }
  return sent;
}

export async function archiveDigest(day: string): Promise<void> {
  const { rows } = await pool.query<{ line: string }>('SELECT line FROM digest_log WHERE day = $1', [day]);
  const buf = chunkBuffers.acquire();
  let offset = 0;
  for (const row of rows) offset += buf.write(row.line + '\n', offset);
  const body = buf.toString('utf8', 0, offset);
  chunkBuffers.release(buf); // expect: pooled-object-not-reset
  await pool.query('INSERT INTO digest_archive (day, body) VALUES ($1, $2)', [day, body]);
}

export function scheduleDigest(): NodeJS.Timeout {
  const timer = setInterval(async () => {
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const sent = await runDigest(day);
    logger.info('digest sent', { day, sent });
    archiveDigest(day);
  }, 86_400_000);
  timer.unref();
  return timer;
}
