// Data access for users. Methods take ids and plain values; the pool rules still apply here.
import type { PoolClient } from 'pg';
import { pool, query } from '../../lib/db.js';

export interface User {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

export interface UserWithRoles extends User {
  roles: string[];
}

export class UserRepo {
  async findById(id: string): Promise<User | undefined> {
    const [row] = await query<User>('SELECT id, email, name, created_at FROM users WHERE id = $1', [id]);
    return row;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const { rows } = await pool.query<User>('SELECT id, email, name, created_at FROM users WHERE lower(email) = lower($1)', [email]);
    return rows[0];
  }

  async findWithRoles(id: string): Promise<UserWithRoles | undefined> {
    const client = await pool.connect(); // expect: pool-resource-leak
    const { rows } = await client.query<User>('SELECT id, email, name, created_at FROM users WHERE id = $1', [id]);
    if (rows.length === 0) return undefined;
    const roles = await client.query<{ role: string }>('SELECT role FROM user_roles WHERE user_id = $1', [id]);
    client.release();
    return { ...rows[0]!, roles: roles.rows.map((r) => r.role) };
  }

  async upsert(user: Pick<User, 'email' | 'name'>): Promise<User> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<User>(
        `INSERT INTO users (email, name) VALUES ($1, $2)
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name
         RETURNING id, email, name, created_at`,
        [user.email, user.name],
      );
      return rows[0]!;
    } finally {
      client.release();
    }
  }

  async deleteWithClient(client: PoolClient, id: string): Promise<number> {
    const result = await client.query('DELETE FROM users WHERE id = $1', [id]);
    return result.rowCount ?? 0;
  }

  /** Streams ids in pages; the cursor needs one client for the whole walk. */
  async *allIds(pageSize = 500): AsyncGenerator<string> {
    const client = await pool.connect();
    try {
      let after = '';
      for (;;) {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2', [after, pageSize]);
        if (rows.length === 0) return;
        for (const row of rows) yield row.id;
        after = rows[rows.length - 1]!.id;
      }
    } finally {
      client.release();
    }
  }
}

export const userRepo = new UserRepo();
