// Cookie sessions stored in Postgres.
import type { Context, Next } from 'koa';
import { randomUUID } from 'node:crypto';
import { pool } from '../../lib/db.js';

interface SessionData {
  userId?: string;
  cart: string[];
  updatedAt: number;
}

async function loadSession(id: string): Promise<SessionData> {
  const { rows } = await pool.query<{ data: SessionData }>('SELECT data FROM sessions WHERE id = $1', [id]);
  return rows[0]?.data ?? { cart: [], updatedAt: Date.now() };
}

async function saveSession(id: string, data: SessionData): Promise<void> {
  await pool.query(
    'INSERT INTO sessions (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data',
    [id, JSON.stringify({ ...data, updatedAt: Date.now() })],
  );
}

export function session() {
  return async (ctx: Context, next: Next) => {
    let id = ctx.cookies.get('sid');
    if (!id) {
      id = randomUUID();
      ctx.cookies.set('sid', id, { httpOnly: true, sameSite: 'lax' });
    }
    const data = await loadSession(id);
    ctx.state.session = data;
    const before = JSON.stringify(data);
    await next();
    if (JSON.stringify(ctx.state.session) !== before) {
      saveSession(id, ctx.state.session); // expect: unawaited-background-work
    }
  };
}

/** Read-only variant for static routes: passes straight on. */
export function sessionPeek() {
  return (ctx: Context, next: Next) => {
    ctx.state.sid = ctx.cookies.get('sid');
    return next();
  };
}
