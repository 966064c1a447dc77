// A unit of work owns one pooled client until it is committed or rolled back.
import type { PoolClient } from 'pg';
import { pool } from './db.js';

export class UnitOfWork {
  private done = false;

  private constructor(private readonly client: PoolClient) {}

  static async begin(): Promise<UnitOfWork> {
    const client = await pool.connect();
    const uow = new UnitOfWork(client);
    try {
      await client.query('BEGIN');
    } catch (err) {
      client.release();
      throw err;
    }
    return uow;
  }

  query<T extends Record<string, unknown>>(text: string, params: unknown[] = []) {
    return this.client.query<T>(text, params);
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.client.query('COMMIT');
    } finally {
      this.client.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.client.query('ROLLBACK');
    } finally {
      this.client.release();
    }
  }
}

/** Runs the statements on `client`, then always releases it. */
export async function runAndRelease(client: PoolClient, statements: [string, unknown[]][]): Promise<number> {
  try {
    let affected = 0;
    for (const [text, params] of statements) affected += (await client.query(text, params)).rowCount ?? 0;
    return affected;
  } finally {
    client.release();
  }
}
