import type { NextFunction, Request, Response } from 'express';
import { findSession, findUserById, type User } from '../../db/usersRepo';

declare global {
  namespace Express {
    interface Request {
      user?: User;
    }
  }
}

/** Resolves the bearer token to a user, or answers 401. */
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  const header = req.get('authorization');
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  if (!token) {
    res.status(401).json({ error: 'missing bearer token' });
    return;
  }
  const session = await findSession(token);
  if (!session || session.expiresAt.getTime() < Date.now()) {
    res.status(401).json({ error: 'session expired' });
    return;
  }
  const user = await findUserById(session.userId);
  if (!user) {
    res.status(401).json({ error: 'unknown user' });
    return;
  }
  req.user = user;
  next();
}

/** The authenticated user; routes mounted behind `authenticate` always have one. */
export function requireUser(req: Request): User {
  if (!req.user) throw new Error('authenticate must run before this route');
  return req.user;
}
