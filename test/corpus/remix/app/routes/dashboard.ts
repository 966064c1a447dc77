// Remix route module: /dashboard
import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { pool, withClient } from '../lib/db.server';

const STATUS_URL = process.env.STATUS_URL ?? 'https://status.example.com/api/summary.json';

async function loadStatus(signal: AbortSignal): Promise<string> {
  const answer = await fetch(STATUS_URL, { signal });
  return ((await answer.json()) as { status: { indicator: string } }).status.indicator;
}

async function trackView(userId: string): Promise<void> {
  await pool.query('INSERT INTO dashboard_views (user_id, at) VALUES ($1, now())', [userId]);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = request.headers.get('x-user-id') ?? 'anonymous';
  const [status, totals] = await Promise.all([
    loadStatus(request.signal),
    withClient(async (client) => {
      await client.query("SET LOCAL statement_timeout = '2s'");
      const { rows } = await client.query('SELECT status, count(*) AS n FROM orders GROUP BY status');
      return rows;
    }),
  ]);
  void trackView(userId);
  return json({ status, totals });
}
