// pool-resource-leak (RULES.md §3.1): a pooled resource not given back on every path. Cases cover
// pg, mysql2, generic-pool, tarn, mongodb, user-defined pools and free lists, in request handlers
// (Express, Koa, Fastify, Hono, node:http) and plain functions, typed TypeScript and untyped code.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileFacts } from '../../server/src/core/fileFacts';
import { ProjectHost } from '../../server/src/core/projectHost';
import { pooledObjectNotReset } from '../../server/src/core/rules/pooledObjectNotReset';
import { poolResourceLeak } from '../../server/src/core/rules/poolResourceLeak';
import type { ReportDescriptor } from '../../server/src/core/ruleApi';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { DEFAULT_SETTINGS } from '../../server/src/core/types';
import { ruleTester } from '../support/ruleTester';

ruleTester("pool-resource-leak", {
  valid: [
    {
      name: "tarn: a pending acquire kept in a variable and awaited through .promise is not judged",
      untyped: true,
      fileName: "ready.js",
      code: `const { Pool } = require('tarn');

const pool = new Pool({ create: async () => ({}), destroy: async () => {}, min: 0, max: 2 });

async function checkDb(timeoutMs) {
  const pending = pool.acquire();
  const timer = setTimeout(() => pending.abort(), timeoutMs);
  let conn;
  try {
    conn = await pending.promise;
  } finally {
    clearTimeout(timer);
  }
  pool.release(conn);
}

module.exports = { checkDb };
`,
    },
    {
      name: "pg: handed to an object whose finish() releases it, released explicitly when the setup query fails",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

class Batch {
  constructor(private readonly conn: PoolClient) {}

  async finish(ok: boolean): Promise<void> {
    await this.conn.query(ok ? 'COMMIT' : 'ROLLBACK');
    this.conn.release();
  }
}

export async function startBatch(): Promise<Batch> {
  const conn = await pool.connect();
  const batch = new Batch(conn);
  try {
    await conn.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  } catch (error) {
    conn.release();
    throw error;
  }
  return batch;
}
`,
    },
    {
      name: "pg: handed to a class that stores it with this.f = param and releases it in close()",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

class Session {
  private readonly client: PoolClient;
  constructor(client: PoolClient) {
    this.client = client;
  }
  close(): void {
    this.client.release();
  }
}

export async function open(): Promise<Session> {
  const client = await pool.connect();
  const session = new Session(client);
  try {
    await client.query('SET search_path TO app');
  } catch (err) {
    client.release();
    throw err;
  }
  return session;
}
`,
    },
    {
      name: "pg: release in finally (Express)",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/users/:id', async (req, res) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
    if (rows.length === 0) return res.sendStatus(404);
    res.json(rows[0]);
  } finally {
    client.release();
  }
});
`,
    },
    {
      name: "pg: acquired inside try, optional release in finally",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function lockAccount(id: number): Promise<void> {
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('SELECT pg_advisory_lock($1)', [id]);
  } finally {
    client?.release();
  }
}
`,
    },
    {
      name: "pg: `if (client)` guard in finally",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function touch(id: number): Promise<void> {
  let client: PoolClient | null = null;
  try {
    client = await pool.connect();
    await client.query('UPDATE users SET seen_at = now() WHERE id = $1', [id]);
  } finally {
    if (client) client.release();
  }
}
`,
    },
    {
      name: "pg: the client is returned to the caller",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function checkout() {
  const client = await pool.connect();
  client.on('error', (error) => console.error('checked-out client failed', error));
  return client;
}
`,
    },
    {
      name: "pg: passed to a helper that releases it in finally",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

async function countAndRelease(client: PoolClient): Promise<number> {
  try {
    const { rows } = await client.query('SELECT count(*) AS n FROM users');
    return Number(rows[0].n);
  } finally {
    client.release();
  }
}

export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  return countAndRelease(client);
}
`,
    },
    {
      name: "pg: released on every branch with nothing that can reject in between",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function pick(flag: boolean) {
  const client = await pool.connect();
  if (flag) {
    client.release();
    return 'a';
  } else {
    client.release();
    return 'b';
  }
}
`,
    },
    {
      name: "pg: pool.query is not an acquisition",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/products', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM products');
  res.json(rows);
});
`,
    },
    {
      name: "pg: transaction helper with catch/rollback and finally",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function withTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
`,
    },
    {
      name: "pg: catch releases and rethrows, normal path releases",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function archive(id: number) {
  const client = await pool.connect();
  try {
    await client.query('UPDATE orders SET archived = true WHERE id = $1', [id]);
  } catch (error) {
    client.release();
    throw error;
  }
  client.release();
}
`,
    },
    {
      name: "mysql (JS, callbacks): released first thing in the query callback",
      fileName: "routes.js",
      code: `const express = require('express');
const mysql = require('mysql2');

const pool = mysql.createPool({ host: 'db', user: 'app' });
const router = express.Router();

router.get('/items', (req, res, next) => {
  pool.getConnection((err, conn) => {
    if (err) return next(err);
    conn.query('SELECT * FROM items', (queryError, rows) => {
      conn.release();
      if (queryError) return next(queryError);
      res.json(rows);
    });
  });
});

module.exports = router;
`,
    },
    {
      name: "pg (JS, callbacks): done() in the query callback",
      fileName: "server.js",
      untyped: true,
      code: `const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool();

http.createServer((req, res) => {
  pool.connect((err, client, done) => {
    if (err) {
      res.statusCode = 500;
      return res.end();
    }
    client.query('SELECT now()', (queryError, result) => {
      done();
      res.end(queryError ? 'error' : String(result.rows[0].now));
    });
  });
}).listen(3000);
`,
    },
    {
      name: "generic-pool: use() acquires and releases internally",
      code: `import genericPool from 'generic-pool';

const browsers = genericPool.createPool({ create: async () => ({ pages: 0 }), destroy: async () => {} }, { max: 4 });

export async function render(url: string) {
  return browsers.use(async (browser) => {
    browser.pages++;
    return url;
  });
}
`,
    },
    {
      name: "generic-pool: awaited release in finally",
      code: `import express from 'express';
import genericPool from 'generic-pool';

const app = express();
const workers = genericPool.createPool({ create: async () => ({ id: Math.random() }), destroy: async () => {} }, { max: 2 });

app.post('/jobs', async (req, res) => {
  const worker = await workers.acquire();
  try {
    res.json({ worker: worker.id, job: await runJob(req.body) });
  } finally {
    await workers.release(worker);
  }
});

async function runJob(body: unknown) {
  return body;
}
`,
    },
    {
      name: "tarn: release in finally",
      code: `import { Pool } from 'tarn';

const pool = new Pool({ create: () => ({ socket: 1 }), destroy: () => {}, min: 0, max: 5 });

export async function ping(): Promise<number> {
  const conn = await pool.acquire().promise;
  try {
    return await send(conn.socket);
  } finally {
    pool.release(conn);
  }
}

async function send(socket: number) {
  return socket;
}
`,
    },
    {
      name: "user-defined pool: given back in finally",
      code: `class Encoder {
  chunks: string[] = [];
  reset() {
    this.chunks.length = 0;
  }
}

class EncoderPool {
  private spare: Encoder[] = [];
  acquire(): Encoder {
    return this.spare.pop() ?? new Encoder();
  }
  release(encoder: Encoder): void {
    encoder.reset();
    this.spare.push(encoder);
  }
}

const encoders = new EncoderPool();

export async function encode(parts: string[]): Promise<string> {
  const encoder = encoders.acquire();
  try {
    for (const part of parts) encoder.chunks.push(await transform(part));
    return encoder.chunks.join('');
  } finally {
    encoders.release(encoder);
  }
}

async function transform(part: string) {
  return part.toUpperCase();
}
`,
    },
    {
      name: "free list: synchronous use, pushed back before returning",
      code: `const spare: Buffer[] = [];

export function checksum(text: string): string {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const written = buf.write(text);
  const sum = buf.subarray(0, written).reduce((a, b) => (a + b) % 65536, 0);
  buf.fill(0);
  spare.push(buf);
  return sum.toString(16);
}
`,
    },
    {
      name: "middleware stores the client on the request and releases it when the response finishes",
      code: `import type { NextFunction, Request, Response } from 'express';
import { Pool } from 'pg';

const pool = new Pool();

export async function attachDb(req: Request, res: Response, next: NextFunction) {
  const client = await pool.connect();
  res.locals.db = client;
  res.on('finish', () => client.release());
  next();
}
`,
    },
    {
      name: "stored in a field of a class that releases it",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export class UnitOfWork {
  private client: PoolClient | undefined;

  async begin() {
    const client = await pool.connect();
    this.client = client;
    await client.query('BEGIN');
  }

  async commit() {
    await this.client!.query('COMMIT');
    this.client!.release();
  }
}
`,
    },
    {
      name: "a class with get/put that takes arguments is not a pool",
      code: `class Cache {
  private entries: string[] = [];
  get(key: string) {
    return this.entries.pop() ?? key;
  }
  put(value: string) {
    this.entries.push(value);
  }
}

const cache = new Cache();

export function lookup(key: string) {
  const value = cache.get(key);
  return value.length;
}
`,
    },
    {
      name: "pg Client (not a pool) connected and ended",
      code: `import { Client } from 'pg';

export async function listen() {
  const client = new Client();
  await client.connect();
  await client.query('LISTEN jobs');
  await client.end();
}
`,
    },
    {
      name: "stream released when it ends",
      code: `import type { Request, Response } from 'express';
import { Pool } from 'pg';

const pool = new Pool();

export async function exportCsv(req: Request, res: Response) {
  const client = await pool.connect();
  const stream = client.query({ text: 'COPY users TO STDOUT' } as never) as unknown as NodeJS.ReadableStream;
  stream.on('end', () => client.release());
  stream.on('error', () => client.release());
  stream.pipe(res);
}
`,
    },
    {
      name: "Koa middleware: next() awaited in try/finally",
      code: `import Koa from 'koa';
import { Pool } from 'pg';

const pool = new Pool();
const app = new Koa();

app.use(async (ctx, next) => {
  const client = await pool.connect();
  ctx.state.db = client;
  try {
    await next();
  } finally {
    client.release();
  }
});
`,
    },
    {
      name: "a work queue (no fallback creation, fresh items pushed) is not a free list",
      code: `const queue: { id: number }[] = [];

export function enqueue(id: number) {
  queue.push({ id });
}

export async function drain() {
  const job = queue.shift();
  if (!job) return;
  await process(job.id);
}

async function process(id: number) {
  return id;
}
`,
    },
    {
      name: "untyped JS: handed to code we cannot see, never released here",
      fileName: "migrate.js",
      untyped: true,
      code: `const { pool } = require('./db');
const { runMigrations } = require('./migrations');

async function migrate() {
  const client = await pool.connect();
  await runMigrations(client);
}

module.exports = { migrate };
`,
    },
    {
      name: "loop: released before continue and at the end of each iteration",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function refresh(ids: number[]) {
  for (const id of ids) {
    const client = await pool.connect();
    try {
      if (id < 0) continue;
      await client.query('REFRESH MATERIALIZED VIEW CONCURRENTLY v WHERE id = $1', [id]);
    } finally {
      client.release();
    }
  }
}
`,
    },
    {
      name: "mysql2/promise: destroy on error, release otherwise",
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'db' });

export async function load(id: number) {
  const conn = await pool.getConnection();
  try {
    const [rows] = await conn.query('SELECT * FROM t WHERE id = ?', [id]);
    conn.release();
    return rows;
  } catch (error) {
    conn.destroy();
    throw error;
  }
}
`,
    },
    {
      name: "Fastify: fastify.pg (plugin decorator) released in finally",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/count', async (request, reply) => {
  const client = await (fastify as any).pg.connect();
  try {
    const { rows } = await client.query('SELECT count(*) FROM users');
    return rows[0];
  } finally {
    client.release();
  }
});
`,
    },
    {
      name: "mongodb (untyped): session ended in finally",
      fileName: "orders.js",
      untyped: true,
      code: `const { MongoClient } = require('mongodb');

const mongo = new MongoClient(process.env.MONGO_URL);

async function transfer(from, to, amount) {
  const session = mongo.startSession();
  try {
    await session.withTransaction(async () => {
      await mongo.db('bank').collection('accounts').updateOne({ _id: from }, { $inc: { balance: -amount } }, { session });
      await mongo.db('bank').collection('accounts').updateOne({ _id: to }, { $inc: { balance: amount } }, { session });
    });
  } finally {
    await session.endSession();
  }
}

module.exports = { transfer };
`,
    },
    {
      name: "promise chain: release in the continuation",
      fileName: "chain.js",
      code: `const { Pool } = require('pg');

const pool = new Pool();

function count() {
  return pool.connect().then((client) =>
    client.query('SELECT count(*) FROM t').then((result) => {
      client.release();
      return result.rows[0].count;
    }),
  );
}

module.exports = { count };
`,
    },
    {
      name: "mariadb (untyped JS): released in finally",
      fileName: "report.js",
      untyped: true,
      code: `const mariadb = require('mariadb');

const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });

async function report(req, res) {
  let conn;
  try {
    conn = await pool.getConnection();
    const rows = await conn.query('SELECT * FROM sales');
    res.json(rows);
  } finally {
    if (conn) conn.release();
  }
}

module.exports = { report };
`,
    },
    {
      name: "Express router get/put are not pool methods",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
export const router = express.Router();

router.get('/a', async (req, res) => {
  res.json((await pool.query('SELECT 1')).rows);
});
router.put('/a', async (req, res) => {
  res.sendStatus(204);
});
`,
    },
    {
      name: "connect().catch(next) with a guard, then try/finally",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/a', async (req, res, next) => {
  const client = await pool.connect().catch(next);
  if (!client) return;
  try {
    res.json((await client.query('SELECT 1')).rows);
  } finally {
    client.release();
  }
});
`,
    },
    {
      name: "release handed to a stream as a bound method",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/export', async (req, res) => {
  const client = await pool.connect();
  const stream = client.query('COPY t TO STDOUT' as never) as unknown as NodeJS.ReadableStream;
  stream.on('end', client.release.bind(client));
  stream.pipe(res);
});
`,
    },
    {
      name: "released inside a Promise executor callback",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function now(): Promise<unknown> {
  const client = await pool.connect();
  return new Promise((resolve) => {
    client.query('SELECT now()', (error: Error, result: unknown) => {
      client.release();
      resolve(error ?? result);
    });
  });
}
`,
    },
    {
      name: "async generator with finally",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function* users() {
  const client = await pool.connect();
  try {
    yield* (await client.query('SELECT * FROM users')).rows;
  } finally {
    client.release();
  }
}
`,
    },
    {
      name: "returned together with its release function",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function lease() {
  const client = await pool.connect();
  return { client, done: () => client.release() };
}
`,
    },
    {
      name: "pg docs callback style with a release parameter",
      fileName: "docs.js",
      untyped: true,
      code: `const { Pool } = require('pg');

const pool = new Pool();

function printNow() {
  pool.connect((err, client, release) => {
    if (err) {
      return console.error('Error acquiring client', err.stack);
    }
    client.query('SELECT NOW()', (queryError, result) => {
      release();
      if (queryError) {
        return console.error('Error executing query', queryError.stack);
      }
      console.log(result.rows);
    });
  });
}

module.exports = { printNow };
`,
    },
    {
      name: "errors passed to next(), release after the try",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/x', async (req, res, next) => {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT 1');
    res.json(result.rows);
  } catch (error) {
    next(error);
  }
  client.release();
});
`,
    },
  ],
  invalid: [
    {
      name: "handed to the caller on the normal path: no finally (it would release what the caller gets)",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

/** A client tagged for pg_stat_activity; the caller releases it. */
export async function connectTagged(tag: string): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query("SET application_name = '" + tag.replace(/'/g, '') + "'");
  return client;
}
`,
      errors: [{ line: 7, column: 24, endLine: 7, endColumn: 38, fixes: [] }],
    },
    {
      name: "pg: an await in finally before the release may reject and skip it",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function withLock(id: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [id]);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [id]);
    client.release();
  }
}
`,
      errors: [
        {
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 10 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              output: `import { Pool } from 'pg';

const pool = new Pool();

export async function withLock(id: number): Promise<void> {
  const client = await pool.connect();
  try {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [id]);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [id]);
    }
  } finally {
    client.release();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg: acquiring into the variable again inside try/finally leaks the first client",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function reconnect(): Promise<void> {
  let client = await pool.connect();
  try {
    const { rowCount } = await client.query('SELECT 1');
    if (!rowCount) client = await pool.connect();
    await client.query('SELECT 2');
  } finally {
    client.release();
  }
}
`,
      errors: [
        {
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 36,
          message: "`client` from `pool.connect()` is not released when the variable is overwritten at line 9, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "pg in Express: an await between acquire and release may reject",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/users/:id', async (req, res) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
  client.release();
  res.json(rows[0]);
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 9 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/users/:id', async (req, res) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
    res.json(rows[0]);
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg in Express: early 404 return skips the release",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/orders/:id', async (req, res) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  if (rows.length === 0) {
    return res.status(404).json({ error: 'not found' });
  }
  client.release();
  res.json(rows[0]);
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the function returns at line 11, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/orders/:id', async (req, res) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
    if (rows.length === 0) {
      return res.status(404).json({ error: 'not found' });
    }
    res.json(rows[0]);
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg transaction: fix rolls back in catch before releasing",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function createOrder(userId: number, skus: string[]): Promise<number | undefined> {
  const client = await pool.connect();
  await client.query('BEGIN');
  for (const sku of skus) {
    const taken = await client.query('UPDATE products SET stock = stock - 1 WHERE sku = $1 AND stock > 0', [sku]);
    if (taken.rowCount === 0) {
      await client.query('ROLLBACK');
      client.release();
      return undefined;
    }
  }
  const { rows } = await client.query('INSERT INTO orders (user_id) VALUES ($1) RETURNING id', [userId]);
  await audit(client, rows[0].id);
  await client.query('COMMIT');
  client.release();
  return rows[0].id;
}

async function audit(client: PoolClient, orderId: number): Promise<void> {
  await client.query('INSERT INTO audit (order_id) VALUES ($1)', [orderId]);
}
`,
      errors: [
        {
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 7 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function createOrder(userId: number, skus: string[]): Promise<number | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const sku of skus) {
      const taken = await client.query('UPDATE products SET stock = stock - 1 WHERE sku = $1 AND stock > 0', [sku]);
      if (taken.rowCount === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
    }
    const { rows } = await client.query('INSERT INTO orders (user_id) VALUES ($1) RETURNING id', [userId]);
    await audit(client, rows[0].id);
    await client.query('COMMIT');
    return rows[0].id;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}

async function audit(client: PoolClient, orderId: number): Promise<void> {
  await client.query('INSERT INTO audit (order_id) VALUES ($1)', [orderId]);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg: catch rolls back and rethrows without releasing",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function transfer(from: number, to: number, amount: number) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  client.release();
}
`,
      errors: [
        {
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the error thrown at line 14 leaves the function, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool } from 'pg';

const pool = new Pool();

export async function transfer(from: number, to: number, amount: number) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg: never released",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/health', async (_req, res) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT 1 AS ok');
  res.json(rows[0]);
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is never released, so every call keeps a connection checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/health', async (_req, res) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT 1 AS ok');
    res.json(rows[0]);
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "pg: connection taken and dropped",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function warmUp() {
  await pool.connect();
}
`,
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 23,
          message: "What `pool.connect()` hands out is never released, so every call keeps a connection checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "loop: continue skips the release",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function reindex(tables: string[]) {
  for (const table of tables) {
    const client = await pool.connect();
    if (table.startsWith('tmp_')) continue;
    await client.query(\`REINDEX TABLE \${table}\`);
    client.release();
  }
}
`,
      errors: [
        {
          line: 7,
          column: 26,
          endLine: 7,
          endColumn: 40,
          message: "`client` from `pool.connect()` is not released when the loop comes round and acquires again, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool } from 'pg';

const pool = new Pool();

export async function reindex(tables: string[]) {
  for (const table of tables) {
    const client = await pool.connect();
    try {
      if (table.startsWith('tmp_')) continue;
      await client.query(\`REINDEX TABLE \${table}\`);
    } finally {
      client.release();
    }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "mysql2/promise: thrown error skips the release",
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'db', user: 'app' });

export async function findUser(id: number) {
  const conn = await pool.getConnection();
  const [rows] = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
  const users = rows as { id: number }[];
  if (users.length === 0) throw new Error('no such user');
  conn.release();
  return users[0];
}
`,
      errors: [
        {
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 42,
          message: "`conn` from `pool.getConnection()` is not released when the error thrown at line 9 leaves the function, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'db', user: 'app' });

export async function findUser(id: number) {
  const conn = await pool.getConnection();
  try {
    const [rows] = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
    const users = rows as { id: number }[];
    if (users.length === 0) throw new Error('no such user');
    return users[0];
  } finally {
    conn.release();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "mysql (JS, callbacks): the query callback returns early without releasing",
      fileName: "routes.js",
      code: `const express = require('express');
const mysql = require('mysql2');

const pool = mysql.createPool({ host: 'db', user: 'app' });
const router = express.Router();

router.get('/items', (req, res, next) => {
  pool.getConnection((err, conn) => {
    if (err) return next(err);
    conn.query('SELECT * FROM items', (queryError, rows) => {
      if (queryError) return next(queryError);
      conn.release();
      res.json(rows);
    });
  });
});

module.exports = router;
`,
      errors: [
        {
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 21,
          message: "`conn` from `pool.getConnection()` is not released when the callback returns at line 11, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "generic-pool: release is awaited in the finally",
      code: `import express from 'express';
import genericPool from 'generic-pool';

const app = express();
const renderers = genericPool.createPool({ create: async () => ({ busy: false }), destroy: async () => {} }, { max: 2 });

app.get('/pdf', async (req, res) => {
  const renderer = await renderers.acquire();
  const pdf = await renderPdf(renderer, String(req.query.url));
  await renderers.release(renderer);
  res.type('pdf').send(pdf);
});

async function renderPdf(renderer: { busy: boolean }, url: string) {
  return Buffer.from(url + String(renderer.busy));
}
`,
      errors: [
        {
          line: 8,
          column: 26,
          endLine: 8,
          endColumn: 45,
          message: "`renderer` from `renderers.acquire()` is not released when the await at line 9 rejects, so each time that happens a pooled resource stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import express from 'express';
import genericPool from 'generic-pool';

const app = express();
const renderers = genericPool.createPool({ create: async () => ({ busy: false }), destroy: async () => {} }, { max: 2 });

app.get('/pdf', async (req, res) => {
  const renderer = await renderers.acquire();
  try {
    const pdf = await renderPdf(renderer, String(req.query.url));
    res.type('pdf').send(pdf);
  } finally {
    await renderers.release(renderer);
  }
});

async function renderPdf(renderer: { busy: boolean }, url: string) {
  return Buffer.from(url + String(renderer.busy));
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "tarn: acquired through .promise",
      code: `import { Pool } from 'tarn';

const pool = new Pool({ create: () => ({ socket: 1 }), destroy: () => {}, min: 0, max: 5 });

export async function ping(): Promise<number> {
  const conn = await pool.acquire().promise;
  const latency = await send(conn.socket);
  pool.release(conn);
  return latency;
}

async function send(socket: number) {
  return socket;
}
`,
      errors: [
        {
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 36,
          message: "`conn` from `pool.acquire()` is not released when the await at line 7 rejects, so each time that happens a pooled resource stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool } from 'tarn';

const pool = new Pool({ create: () => ({ socket: 1 }), destroy: () => {}, min: 0, max: 5 });

export async function ping(): Promise<number> {
  const conn = await pool.acquire().promise;
  try {
    const latency = await send(conn.socket);
    return latency;
  } finally {
    pool.release(conn);
  }
}

async function send(socket: number) {
  return socket;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "user-defined pool: early return skips the give-back",
      code: `class Digest {
  update(_part: string) {
    return this;
  }
  hex() {
    return '00';
  }
}

class DigestPool {
  private free: Digest[] = [];
  acquire(): Digest {
    return this.free.pop() ?? new Digest();
  }
  release(digest: Digest): void {
    this.free.push(digest);
  }
}

const digests = new DigestPool();

export function fingerprint(parts: string[]): string {
  const digest = digests.acquire();
  if (parts.length === 0) return '';
  for (const part of parts) digest.update(part);
  const hex = digest.hex();
  digests.release(digest);
  return hex;
}
`,
      errors: [
        {
          line: 23,
          column: 18,
          endLine: 23,
          endColumn: 35,
          message: "`digest` from `digests.acquire()` is not given back to the pool when the function returns at line 24, so each time that happens the pool loses an object and has to allocate a new one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `class Digest {
  update(_part: string) {
    return this;
  }
  hex() {
    return '00';
  }
}

class DigestPool {
  private free: Digest[] = [];
  acquire(): Digest {
    return this.free.pop() ?? new Digest();
  }
  release(digest: Digest): void {
    this.free.push(digest);
  }
}

const digests = new DigestPool();

export function fingerprint(parts: string[]): string {
  const digest = digests.acquire();
  try {
    if (parts.length === 0) return '';
    for (const part of parts) digest.update(part);
    const hex = digest.hex();
    return hex;
  } finally {
    digests.release(digest);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "free list: an await that rejects skips the push back (reset moves into finally)",
      code: `const spare: Buffer[] = [];

export async function digestFile(read: () => Promise<string>): Promise<string> {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const text = await read();
  buf.write(text);
  const hex = buf.toString('hex', 0, 8);
  buf.fill(0);
  spare.push(buf);
  return hex;
}
`,
      errors: [
        {
          line: 4,
          column: 15,
          endLine: 4,
          endColumn: 26,
          message: "`buf` from `spare.pop()` is not given back to the pool when the await at line 5 rejects, so each time that happens the pool loses an object and has to allocate a new one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `const spare: Buffer[] = [];

export async function digestFile(read: () => Promise<string>): Promise<string> {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  try {
    const text = await read();
    buf.write(text);
    const hex = buf.toString('hex', 0, 8);
    return hex;
  } finally {
    buf.fill(0);
    spare.push(buf);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Koa: early return when the body is missing",
      code: `import Koa from 'koa';
import { Pool } from 'pg';

const pool = new Pool();
const app = new Koa();

app.use(async (ctx) => {
  const client = await pool.connect();
  const name = ctx.query.name;
  if (typeof name !== 'string') {
    ctx.status = 400;
    return;
  }
  const { rows } = await client.query('SELECT * FROM users WHERE name = $1', [name]);
  client.release();
  ctx.body = rows;
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the function returns at line 12, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import Koa from 'koa';
import { Pool } from 'pg';

const pool = new Pool();
const app = new Koa();

app.use(async (ctx) => {
  const client = await pool.connect();
  try {
    const name = ctx.query.name;
    if (typeof name !== 'string') {
      ctx.status = 400;
      return;
    }
    const { rows } = await client.query('SELECT * FROM users WHERE name = $1', [name]);
    ctx.body = rows;
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: thrown 404 skips the release",
      code: `import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool();
const fastify = Fastify();

fastify.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT * FROM things WHERE id = $1', [request.params.id]);
  if (rows.length === 0) {
    throw new Error('not found');
  }
  client.release();
  return reply.send(rows[0]);
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the error thrown at line 11 leaves the function, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool();
const fastify = Fastify();

fastify.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM things WHERE id = $1', [request.params.id]);
    if (rows.length === 0) {
      throw new Error('not found');
    }
    return reply.send(rows[0]);
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: released only on the happy path",
      code: `import { Hono } from 'hono';
import { Pool } from 'pg';

const pool = new Pool();
const app = new Hono();

app.get('/stats', async (c) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT count(*) FROM events');
  client.release();
  return c.json(rows[0]);
});
`,
      errors: [
        {
          line: 8,
          column: 24,
          endLine: 8,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 9 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Hono } from 'hono';
import { Pool } from 'pg';

const pool = new Pool();
const app = new Hono();

app.get('/stats', async (c) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT count(*) FROM events');
    return c.json(rows[0]);
  } finally {
    client.release();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "node:http with pg callbacks: error path in the query callback never calls done()",
      fileName: "server.js",
      untyped: true,
      code: `const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool();

http.createServer((req, res) => {
  pool.connect((err, client, done) => {
    if (err) {
      res.statusCode = 500;
      return res.end();
    }
    client.query('SELECT now()', (queryError, result) => {
      if (queryError) {
        res.statusCode = 500;
        return res.end();
      }
      done();
      res.end(String(result.rows[0].now));
    });
  });
}).listen(3000);
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 15,
          message: "`client` from `pool.connect()` is not released when the callback returns at line 15, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "plain function, TS without node_modules",
      untyped: true,
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  const result = await client.query('SELECT count(*) AS n FROM users');
  client.release();
  return Number(result.rows[0].n);
}
`,
      errors: [
        {
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 7 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool } from 'pg';

const pool = new Pool();

export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT count(*) AS n FROM users');
    return Number(result.rows[0].n);
  } finally {
    client.release();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped JS: pool imported from another module, judged by its name",
      fileName: "users.js",
      untyped: true,
      code: `const { pool } = require('./db');

async function rename(id, name) {
  const client = await pool.connect();
  await client.query('UPDATE users SET name = $1 WHERE id = $2', [name, id]);
  client.release();
}

module.exports = { rename };
`,
      errors: [
        {
          line: 4,
          column: 24,
          endLine: 4,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 5 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `const { pool } = require('./db');

async function rename(id, name) {
  const client = await pool.connect();
  try {
    await client.query('UPDATE users SET name = $1 WHERE id = $2', [name, id]);
  } finally {
    client.release();
  }
}

module.exports = { rename };
`,
            },
          ],
        },
      ],
    },
    {
      name: "the variable is overwritten while still held (no fix)",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function twice() {
  let client = await pool.connect();
  client.query('SELECT 1');
  client = await pool.connect();
  try {
    await client.query('SELECT 2');
  } finally {
    client.release();
  }
}
`,
      errors: [
        {
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 36,
          message: "`client` from `pool.connect()` is not released when the variable is overwritten at line 8, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "mongodb (untyped JS): session not ended when the transaction throws",
      fileName: "bank.js",
      untyped: true,
      code: `const { MongoClient } = require('mongodb');

const mongo = new MongoClient(process.env.MONGO_URL);

async function transfer(from, to, amount) {
  const session = mongo.startSession();
  await session.withTransaction(async () => {
    await mongo.db('bank').collection('accounts').updateOne({ _id: from }, { $inc: { balance: -amount } }, { session });
    await mongo.db('bank').collection('accounts').updateOne({ _id: to }, { $inc: { balance: amount } }, { session });
  });
  await session.endSession();
}

module.exports = { transfer };
`,
      errors: [
        {
          line: 6,
          column: 19,
          endLine: 6,
          endColumn: 39,
          message: "`session` from `mongo.startSession()` is not released when the await at line 7 rejects, so each time that happens a server session stays open until it times out, and sessions pile up on the server.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `const { MongoClient } = require('mongodb');

const mongo = new MongoClient(process.env.MONGO_URL);

async function transfer(from, to, amount) {
  const session = mongo.startSession();
  try {
    await session.withTransaction(async () => {
      await mongo.db('bank').collection('accounts').updateOne({ _id: from }, { $inc: { balance: -amount } }, { session });
      await mongo.db('bank').collection('accounts').updateOne({ _id: to }, { $inc: { balance: amount } }, { session });
    });
  } finally {
    await session.endSession();
  }
}

module.exports = { transfer };
`,
            },
          ],
        },
      ],
    },
    {
      name: "class with a pool field from its constructor parameter",
      code: `import type { Pool } from 'pg';

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  async find(id: number) {
    const client = await this.pool.connect();
    const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
    client.release();
    return rows[0];
  }
}
`,
      errors: [
        {
          line: 7,
          column: 26,
          endLine: 7,
          endColumn: 45,
          message: "`client` from `this.pool.connect()` is not released when the await at line 8 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import type { Pool } from 'pg';

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  async find(id: number) {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [id]);
      return rows[0];
    } finally {
      client.release();
    }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a local helper uses the client but does not release it",
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

async function loadSettings(client: PoolClient) {
  const { rows } = await client.query('SELECT * FROM settings');
  return rows;
}

export async function settings() {
  const client = await pool.connect();
  const rows = await loadSettings(client);
  client.release();
  return rows;
}
`,
      errors: [
        {
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 38,
          message: "`client` from `pool.connect()` is not released when the await at line 12 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

async function loadSettings(client: PoolClient) {
  const { rows } = await client.query('SELECT * FROM settings');
  return rows;
}

export async function settings() {
  const client = await pool.connect();
  try {
    const rows = await loadSettings(client);
    return rows;
  } finally {
    client.release();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "CRLF file with tab indentation keeps its style",
      code: "import { Pool } from 'pg';\r\n\r\nconst pool = new Pool();\r\n\r\nexport async function count() {\r\n\tconst client = await pool.connect();\r\n\tconst result = await client.query(`\r\n  SELECT count(*)\r\n  FROM users`);\r\n\tclient.release();\r\n\treturn result.rows[0].count;\r\n}\r\n",
      errors: [
        {
          line: 6,
          column: 23,
          endLine: 6,
          endColumn: 37,
          message: "`client` from `pool.connect()` is not released when the await at line 7 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: "import { Pool } from 'pg';\r\n\r\nconst pool = new Pool();\r\n\r\nexport async function count() {\r\n\tconst client = await pool.connect();\r\n\ttry {\r\n\t\tconst result = await client.query(`\r\n  SELECT count(*)\r\n  FROM users`);\r\n\t\treturn result.rows[0].count;\r\n\t} finally {\r\n\t\tclient.release();\r\n\t}\r\n}\r\n",
            },
          ],
        },
      ],
    },
    {
      name: "mariadb (untyped JS): an await between acquire and release may reject",
      fileName: "sales.js",
      untyped: true,
      code: `const mariadb = require('mariadb');

const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });

async function sales(req, res) {
  const conn = await pool.getConnection();
  const rows = await conn.query('SELECT * FROM sales');
  conn.release();
  res.json(rows);
}

module.exports = { sales };
`,
      errors: [
        {
          line: 6,
          column: 22,
          endLine: 6,
          endColumn: 42,
          message: "`conn` from `pool.getConnection()` is not released when the await at line 7 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `const mariadb = require('mariadb');

const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });

async function sales(req, res) {
  const conn = await pool.getConnection();
  try {
    const rows = await conn.query('SELECT * FROM sales');
    res.json(rows);
  } finally {
    conn.release();
  }
}

module.exports = { sales };
`,
            },
          ],
        },
      ],
    },
    {
      name: "user-defined pool: the reset before the give-back moves into the finally with it",
      code: `class Calculator {
  lines: number[] = [];
  add(cents: number) {
    this.lines.push(cents);
  }
  total() {
    return this.lines.reduce((a, b) => a + b, 0);
  }
  reset() {
    this.lines.length = 0;
  }
}

class CalculatorPool {
  private idle: Calculator[] = [];
  acquire(): Calculator {
    return this.idle.pop() ?? new Calculator();
  }
  release(calculator: Calculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new CalculatorPool();

export async function quote(prices: () => Promise<number[]>): Promise<number> {
  const calc = calculators.acquire();
  for (const cents of await prices()) calc.add(cents);
  const total = calc.total();
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
      errors: [
        {
          line: 27,
          column: 16,
          endLine: 27,
          endColumn: 37,
          message: "`calc` from `calculators.acquire()` is not given back to the pool when the await at line 28 rejects, so each time that happens the pool loses an object and has to allocate a new one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `class Calculator {
  lines: number[] = [];
  add(cents: number) {
    this.lines.push(cents);
  }
  total() {
    return this.lines.reduce((a, b) => a + b, 0);
  }
  reset() {
    this.lines.length = 0;
  }
}

class CalculatorPool {
  private idle: Calculator[] = [];
  acquire(): Calculator {
    return this.idle.pop() ?? new Calculator();
  }
  release(calculator: Calculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new CalculatorPool();

export async function quote(prices: () => Promise<number[]>): Promise<number> {
  const calc = calculators.acquire();
  try {
    for (const cents of await prices()) calc.add(cents);
    const total = calc.total();
    return total;
  } finally {
    calc.reset();
    calculators.release(calc);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "promise chain: the continuation never releases",
      fileName: "chain.js",
      code: `const { Pool } = require('pg');

const pool = new Pool();

function count() {
  return pool.connect().then((client) => {
    return client.query('SELECT count(*) FROM t').then((result) => result.rows[0].count);
  });
}

module.exports = { count };
`,
      errors: [
        {
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 24,
          message: "`client` from `pool.connect()` is never released, so every call keeps a connection checked out until the pool is exhausted and requests hang waiting for one.",
        },
      ],
    },
    {
      name: "two acquisitions: only the leaking one is reported",
      code: `import express from 'express';
import { Pool } from 'pg';

const reads = new Pool();
const writes = new Pool();
export const router = express.Router();

router.post('/copy', async (req, res) => {
  const source = await reads.connect();
  try {
    const { rows } = await source.query('SELECT * FROM drafts');
    const target = await writes.connect();
    await target.query('INSERT INTO posts SELECT * FROM json_populate_recordset(null::posts, $1)', [JSON.stringify(rows)]);
    target.release();
    res.sendStatus(201);
  } finally {
    source.release();
  }
});
`,
      errors: [
        {
          line: 12,
          column: 26,
          endLine: 12,
          endColumn: 42,
          message: "`target` from `writes.connect()` is not released when the await at line 13 rejects, so each time that happens a connection stays checked out until the pool is exhausted and requests hang waiting for one.",
          fixes: [
            {
              title: "Release in a finally block",
              preferred: true,
              output: `import express from 'express';
import { Pool } from 'pg';

const reads = new Pool();
const writes = new Pool();
export const router = express.Router();

router.post('/copy', async (req, res) => {
  const source = await reads.connect();
  try {
    const { rows } = await source.query('SELECT * FROM drafts');
    const target = await writes.connect();
    try {
      await target.query('INSERT INTO posts SELECT * FROM json_populate_recordset(null::posts, $1)', [JSON.stringify(rows)]);
    } finally {
      target.release();
    }
    res.sendStatus(201);
  } finally {
    source.release();
  }
});
`,
            },
          ],
        },
      ],
    },
  ],
});

// Pools met through imports of project files are recognised from syntax (`syntax/values.ts`): a
// project like the benchmark's never makes the analysis build a type checker.
const host = new ProjectHost(path.resolve(__dirname, '..', 'fixtures', 'virtual'));
let project = 0;

const SHARED_FILES: Record<string, string> = {
  'db.ts': `import { Pool } from 'pg';\nexport const pool = new Pool({ max: 5 });\n`,
  'renderers.ts': `import { createPool } from 'generic-pool';
export class Renderer {
  rendered = 0;
  async render(view: string): Promise<string> { this.rendered += 1; return view; }
  reset(): void { this.rendered = 0; }
}
export const renderers = createPool({ create: async () => new Renderer(), destroy: async () => {} }, { max: 2 });
`,
  'scratchPool.ts': `export class Scratch {
  items: string[] = [];
  reset(): void { this.items.length = 0; }
}
export class ScratchPool {
  private readonly free: Scratch[] = [];
  acquire(): Scratch { return this.free.pop() ?? new Scratch(); }
  release(scratch: Scratch): void { this.free.push(scratch); }
}
export const scratchPool = new ScratchPool();
`,
  'cache.ts': `export class Cache {
  private readonly entries = new Map<string, string>();
  get(): string | undefined { return this.entries.get('last'); }
  put(value: string): void { this.entries.set('last', value); }
}
export const cache = new Cache();
`,
  'drafts.ts': `export class Draft {
  owner = '';
  currency = 'EUR';
  readonly lines: string[] = [];
}
export class DraftPool {
  private readonly spare: Draft[] = [];
  obtain(): Draft { return this.spare.pop() ?? new Draft(); }
  recycle(draft: Draft): void { this.spare.push(draft); }
}
export class TablePool {
  private readonly tables: Map<string, number>[] = [];
  borrow(): Map<string, number> { return this.tables.shift() ?? new Map<string, number>(); }
  giveBack(table: Map<string, number>): void { table.clear(); this.tables.push(table); }
}
export const drafts = new DraftPool();
export const tables = new TablePool();
`,
  'sftp.ts': `import { Pool } from 'tarn';
export class Conn {
  cwd = '/';
  private open = true;
  isOpen(): boolean { return this.open; }
  close(): void { this.open = false; }
}
export const sftpPool = new Pool<Conn>({
  create: async () => new Conn(),
  destroy: (conn) => conn.close(),
  validate: (conn) => conn.isOpen(),
  min: 0,
  max: 3,
});
`,
};

/** Pool findings (`rule line`) of `handler.ts` among `files`; the type checker must never be built. */
function poolFindings(handler: string): string[] {
  const dir = path.join(host.rootDir, `pools${project++}`);
  const files = { ...SHARED_FILES, 'handler.ts': handler };
  for (const [name, text] of Object.entries(files)) host.setText(path.join(dir, name), text);
  try {
    const sourceFile = host.getSourceFile(path.join(dir, 'handler.ts'))!;
    let asked = false;
    // (TypeInfo swallows a failing checker, so the question is recorded, not only thrown.)
    const types = new TypeInfo(() => {
      asked = true;
      throw new Error('the type checker was asked for');
    });
    const facts = new FileFacts(sourceFile, types, DEFAULT_SETTINGS, host);
    const out: string[] = [];
    for (const rule of [poolResourceLeak, pooledObjectNotReset]) {
      rule.check({
        sourceFile,
        fileName: sourceFile.fileName,
        text: sourceFile.text,
        settings: DEFAULT_SETTINGS,
        facts,
        types,
        report: (d: ReportDescriptor) => out.push(`${rule.id} ${sourceFile.getLineAndCharacterOfPosition(d.node!.getStart(sourceFile)).line + 1}`),
      });
    }
    assert.equal(asked, false, 'the type checker was asked for');
    return out;
  } finally {
    for (const name of Object.keys(files)) host.remove(path.join(dir, name));
  }
}

describe('pools of other project files, from syntax alone', () => {
  it('finds leaks of a pg pool, a generic-pool pool and a pool class imported from project files', () => {
    assert.deepEqual(
      poolFindings(`import { pool } from './db';
import { renderers } from './renderers';
import { scratchPool } from './scratchPool';

export async function save(name: string) {
  const client = await pool.connect();
  await client.query('INSERT INTO t (name) VALUES ($1)', [name]);
  client.release();
}

export async function render(view: string) {
  const renderer = await renderers.acquire();
  const html = await renderer.render(view);
  await renderers.release(renderer);
  return html;
}

export async function summary(names: string[]) {
  const scratch = scratchPool.acquire();
  for (const name of names) scratch.items.push(name);
  const text = scratch.items.join(', ');
  scratchPool.release(scratch);
  await Promise.resolve();
  return text;
}
`),
      // The renderer's own use counter (`this.rendered += 1`) is not left-over request state.
      ['pool-resource-leak 6', 'pool-resource-leak 12', 'pooled-object-not-reset 22'],
    );
  });

  it('reports nothing for the same pools released in finally and reset before being given back', () => {
    assert.deepEqual(
      poolFindings(`import { pool } from './db';
import { renderers } from './renderers';
import { scratchPool } from './scratchPool';

export async function save(name: string) {
  const client = await pool.connect();
  try {
    await client.query('INSERT INTO t (name) VALUES ($1)', [name]);
  } finally {
    client.release();
  }
}

export async function render(view: string) {
  const renderer = await renderers.acquire();
  try {
    return await renderer.render(view);
  } finally {
    renderer.reset();
    await renderers.release(renderer);
  }
}

export function summary(names: string[]) {
  const scratch = scratchPool.acquire();
  for (const name of names) scratch.items.push(name);
  const text = scratch.items.join(', ');
  scratch.reset();
  scratchPool.release(scratch);
  return text;
}
`),
      [],
    );
  });

  it('finds pools of imported classes taken with obtain/borrow only (no acquire in the file)', () => {
    assert.deepEqual(
      poolFindings(`import { drafts, tables } from './drafts';

export function quote(owner: string, currency: string) {
  const draft = drafts.obtain();
  draft.owner = owner;
  draft.currency = currency;
  const size = draft.lines.length;
  draft.owner = '';
  drafts.recycle(draft);
  return size;
}

export async function match(skus: string[]) {
  const table = tables.borrow();
  for (const sku of skus) table.set(sku, 1);
  const answer = await fetch('http://promotions.internal/match', { method: 'POST', body: JSON.stringify(Object.fromEntries(table)) });
  tables.giveBack(table);
  return answer.json();
}
`),
      ['pool-resource-leak 14', 'pooled-object-not-reset 9'],
    );
  });

  it('reports nothing for imported obtain/borrow pools reset and given back in finally', () => {
    assert.deepEqual(
      poolFindings(`import { drafts, tables } from './drafts';

export function quote(owner: string, currency: string) {
  const draft = drafts.obtain();
  draft.owner = owner;
  draft.currency = currency;
  const size = draft.lines.length;
  draft.owner = '';
  draft.currency = 'EUR';
  drafts.recycle(draft);
  return size;
}

export async function match(skus: string[]) {
  const table = tables.borrow();
  try {
    for (const sku of skus) table.set(sku, 1);
    const answer = await fetch('http://promotions.internal/match', { method: 'POST', body: JSON.stringify(Object.fromEntries(table)) });
    return await answer.json();
  } finally {
    tables.giveBack(table);
  }
}
`),
      [],
    );
  });

  it('knows the factory of a tarn pool created in another module (validate does not reset)', () => {
    assert.deepEqual(
      poolFindings(`import { sftpPool } from './sftp';

export async function list(dir: string) {
  const conn = await sftpPool.acquire().promise;
  try {
    conn.cwd = dir;
    return [conn.cwd];
  } finally {
    sftpPool.release(conn);
  }
}

export async function root() {
  const conn = await sftpPool.acquire().promise;
  try {
    conn.cwd = '/tmp';
    return [conn.cwd];
  } finally {
    conn.cwd = '/';
    sftpPool.release(conn);
  }
}
`),
      ['pooled-object-not-reset 9'],
    );
  });

  it('a class that keeps the client but never releases it does not take it over', () => {
    assert.deepEqual(
      poolFindings(`import { pool } from './db';
import type { PoolClient } from 'pg';

class Audit {
  constructor(private readonly client: PoolClient) {}
  log(text: string) { return this.client.query('INSERT INTO audit (text) VALUES ($1)', [text]); }
}

export async function begin() {
  const client = await pool.connect();
  const audit = new Audit(client);
  try {
    await client.query('BEGIN');
  } catch (err) {
    client.release();
    throw err;
  }
  return audit;
}
`),
      ['pool-resource-leak 10'],
    );
  });

  it('does not take an imported class with get/put methods for a pool', () => {
    assert.deepEqual(
      poolFindings(`import { cache } from './cache';
import { pool } from './db';

export async function remember(value: string) {
  const last = cache.get();
  const client = await pool.connect();
  try {
    await client.query('INSERT INTO seen (last, value) VALUES ($1, $2)', [last, value]);
  } finally {
    client.release();
  }
  cache.put(value);
}
`),
      [],
    );
  });
});
