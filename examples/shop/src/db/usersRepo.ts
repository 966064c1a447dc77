import { randomBytes } from 'node:crypto';
import { pool } from './pool';

export interface User {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
}

const SESSION_DAYS = 14;

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash };
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const { rows } = await pool.query<UserRow>(
    'SELECT id, email, name, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  return rows[0] && toUser(rows[0]);
}

export async function findUserById(id: number): Promise<User | undefined> {
  const { rows } = await pool.query<UserRow>('SELECT id, email, name, password_hash FROM users WHERE id = $1', [id]);
  return rows[0] && toUser(rows[0]);
}

export async function createUser(user: Omit<User, 'id'>): Promise<User> {
  const { rows } = await pool.query<UserRow>(
    'INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id, email, name, password_hash',
    [user.email, user.name, user.passwordHash],
  );
  return toUser(rows[0]);
}

export async function recordLogin(userId: number): Promise<void> {
  await pool.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
}

export async function createSession(userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await pool.query(
    `INSERT INTO sessions (token, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
    [token, userId, SESSION_DAYS],
  );
  return token;
}

export async function findSession(token: string): Promise<{ userId: number; expiresAt: Date } | undefined> {
  const { rows } = await pool.query<{ user_id: number; expires_at: Date }>(
    'SELECT user_id, expires_at FROM sessions WHERE token = $1',
    [token],
  );
  return rows[0] && { userId: rows[0].user_id, expiresAt: rows[0].expires_at };
}
