// Login sessions: the controller keeps "who is logged in" for the admin presence widget.
import type { NextFunction, Request, Response } from 'express';
import { pool } from '../../lib/db.js';
import { rememberLogin, touchPresence } from '../services/presence.js';

interface UserRow {
  id: string;
  email: string;
  role: string;
}

let lastLoginEmail = '';
let loginCount = 0;

export async function login(req: Request, res: Response): Promise<void> {
  const { rows } = await pool.query<UserRow>('SELECT id, email, role FROM users WHERE email = $1', [req.body.email]);
  const user = rows[0];
  if (!user) {
    res.sendStatus(401);
    return;
  }
  loginCount++;
  lastLoginEmail = req.body.email; // expect: request-state-in-module-variable
  rememberLogin(req, user.id);
  res.json({ id: user.id, role: user.role });
}

export function presence(req: Request, res: Response, next: NextFunction): void {
  touchPresence(req);
  next();
}

export function loginStats(_req: Request, res: Response): void {
  res.json({ loginCount, lastLoginEmail });
}
