// Correlation ids and bearer-token authentication against the identity service.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pool } from '../../lib/db.js';
import { signalFor } from '../../lib/requestSignal.js';
import { logger } from '../../lib/logger.js';

export function requestId(header = 'x-request-id'): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(header);
    const id = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader(header, id);
    next();
  };
}

const AUTH_URL = process.env.AUTH_URL ?? 'http://identity.internal';

interface Introspection {
  active: boolean;
  sub: string;
  roles: string[];
}

async function touchSession(token: string): Promise<void> {
  await pool.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = md5($1)', [token]);
}

export function requireAuth(opts: { role: string }): RequestHandler {
  return async (req, res, next) => {
    const token = req.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (!token) {
      res.status(401).json({ error: 'missing bearer token' });
      return;
    }
    const answer = await fetch(`${AUTH_URL}/oauth/introspect`, { // expect: missing-cancellation-signal
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    const info = (await answer.json()) as Introspection;
    if (!info.active || !info.roles.includes(opts.role)) {
      res.status(403).json({ error: 'forbidden' });
      return;
    }
    res.locals.userId = info.sub;
    res.locals.roles = info.roles;
    touchSession(token); // expect: unawaited-background-work
    next();
  };
}

/** Same check for the admin console, which keeps its sessions in the database. */
export async function requireAdmin(req: Request, res: Response, next: NextFunction): Promise<void> {
  const sessionId = req.get('x-session-id');
  if (!sessionId) {
    res.sendStatus(401);
    return;
  }
  const signal = signalFor(res);
  const answer = await fetch(`${AUTH_URL}/admin/sessions/${encodeURIComponent(sessionId)}`, { signal });
  if (answer.status !== 200) {
    res.sendStatus(403);
    return;
  }
  touchSession(sessionId).catch((err) => logger.warn('could not touch admin session', err));
  next();
}
