// Access guards for the Koa storefront API.
import type { Context, Middleware, Next } from 'koa';
import { pool } from '../../lib/db.js';

interface Member {
  id: string;
  tier: 'basic' | 'gold';
  banned: boolean;
}

async function memberFor(token: string): Promise<Member | undefined> {
  const { rows } = await pool.query<Member>('SELECT id, tier, banned FROM members WHERE token = $1', [token]);
  return rows[0];
}

/** Wrong: a banned member gets neither a response nor the downstream handler. */
export function requireMember(): Middleware {
  return async (ctx: Context, next: Next) => {
    const token = ctx.get('authorization').replace(/^Bearer /, '');
    if (!token) {
      ctx.status = 401;
      return;
    }
    const member = await memberFor(token);
    if (!member) ctx.throw(401, 'unknown member');
    if (member.banned) {
      ctx.set('x-banned', '1');
      return; // expect: middleware-drops-request
    }
    ctx.state.member = member;
    await next();
  };
}

/** Wrong: non-gold members fall off the end of the function. */
export async function goldOnly(ctx: Context, next: Next): Promise<void> {
  const member = ctx.state.member as Member | undefined;
  if (member?.tier === 'gold') { // expect: middleware-drops-request
    await next();
  }
}

/** Correct: every path responds or passes control on. */
export async function maintenanceMode(ctx: Context, next: Next): Promise<void> {
  if (process.env.MAINTENANCE === '1' && !ctx.path.startsWith('/health')) {
    ctx.status = 503;
    ctx.body = { error: 'maintenance' };
    return;
  }
  await next();
}

/** Correct: the body is set on the short-circuit path. */
export async function etagShortCircuit(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.fresh) {
    ctx.status = 304;
    ctx.body = null;
  }
}
