// pooled-object-used-after-release (RULES.md §3.3): a pooled object, or an alias of its memory,
// used after it was given back, or escaping before it is. Cases cover pg, mysql2, generic-pool,
// tarn, user-defined pools and free lists of Buffers, in Express, Koa and Fastify handlers, plain
// functions and helpers handed a pooled connection, typed TypeScript and untyped JavaScript.
import { ruleTester } from '../support/ruleTester';

ruleTester('pooled-object-used-after-release', {
  valid: [
    {
      name: "pg: rows destructured from client.query() are the query's own value, not an alias of the client",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/users', async (req, res) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT id, name FROM users');
    client.release();
    res.json(rows);
  } catch (err) {
    client.release();
    throw err;
  }
});
`,
    },
    {
      name: 'pg: the result read after a release in finally belongs to the caller',
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function count(): Promise<number> {
  const client = await pool.connect();
  let result;
  try {
    result = await client.query('SELECT count(*)::int AS n FROM users');
  } finally {
    client.release();
  }
  return result.rows[0].n;
}
`,
    },
    {
      name: 'free list: a copy and a primitive read before the give-back',
      code: `const spare: Buffer[] = [];

export function encode(text: string): { copy: Buffer; size: number } {
  const buf = spare.pop() ?? Buffer.alloc(64);
  const n = buf.write(text);
  const copy = Buffer.from(buf.subarray(0, n));
  const size = buf.length;
  buf.fill(0);
  spare.push(buf);
  return { copy, size };
}
`,
    },
    {
      name: 'free list in a loop: the variable is taken again before it is used',
      code: `const spare: Buffer[] = [];

export function hashAll(items: string[]): number {
  let total = 0;
  for (const item of items) {
    let buf = spare.pop() ?? Buffer.alloc(64);
    total += buf.write(item);
    buf.fill(0);
    spare.push(buf);
    buf = spare.pop() ?? Buffer.alloc(64);
    total += buf.write(item.toUpperCase());
    buf.fill(0);
    spare.push(buf);
  }
  return total;
}
`,
    },
    {
      name: 'a promise using the buffer is awaited before the buffer goes back',
      code: `const spare: Buffer[] = [];

async function upload(body: Buffer): Promise<void> {
  await fetch('https://storage.example.com/blobs', { method: 'PUT', body });
}

export async function store(text: string): Promise<void> {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  try {
    const n = buf.write(text);
    const pending = upload(buf.subarray(0, n));
    await pending;
  } finally {
    buf.fill(0);
    spare.push(buf);
  }
}
`,
    },
    {
      name: 'pg: released on an early return, used only on the other path',
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function find(id: string | undefined) {
  const client = await pool.connect();
  if (!id) {
    client.release();
    return null;
  }
  try {
    return await client.query('SELECT * FROM items WHERE id = $1', [id]);
  } finally {
    client.release();
  }
}
`,
    },
    {
      name: 'a null check and a reset of the variable after the release are not uses',
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function ping(): Promise<void> {
  let client: PoolClient | null = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
  if (client) client = null;
}
`,
    },
    {
      name: 'Array#slice copies: the copy survives the give-back',
      code: `const arrays: number[][] = [];

export function firstTen(values: number[]): number[] {
  const list = arrays.pop() ?? [];
  for (const v of values) list.push(v);
  const copy = list.slice(0, 10);
  list.length = 0;
  arrays.push(list);
  return copy;
}
`,
    },
    {
      name: 'returning the client hands it on: no give-back follows',
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function checkout(): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query("SET application_name = 'worker'");
  return client;
}
`,
    },
    {
      name: 'a synchronous callback (map) runs before the give-back',
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function ids(): Promise<number[]> {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT id FROM t');
    return result.rows.map((row) => row.id + client.processID * 0);
  } finally {
    client.release();
  }
}
`,
    },
    {
      name: "untyped JS: the connection's result used after release",
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const mysql = require('mysql2/promise');

const db = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = express();

app.get('/ok', async (req, res) => {
  const conn = await db.getConnection();
  try {
    const [rows] = await conn.query('SELECT 1 AS ok');
    conn.release();
    res.json(rows);
  } catch (err) {
    conn.release();
    throw err;
  }
});
`,
    },
    {
      name: 'untyped JS: a listener that gives the client back itself is not a use after release',
      untyped: true,
      fileName: 'handler.js',
      code: `const { Pool } = require('pg');
const pool = new Pool();

async function stream(res) {
  const client = await pool.connect();
  res.on('close', () => client.release());
  await client.query('SELECT 1');
}

module.exports = { stream };
`,
    },
    {
      name: 'untyped JS, user pool: a primitive read before the give-back is returned',
      untyped: true,
      fileName: 'handler.js',
      code: `class BufferPool {
  constructor() {
    this.free = [];
  }
  acquire() {
    return this.free.pop() || Buffer.alloc(256);
  }
  release(buf) {
    buf.fill(0);
    this.free.push(buf);
  }
}

const buffers = new BufferPool();

function length(text) {
  const buf = buffers.acquire();
  const n = buf.write(text);
  const s = buf.toString('utf8', 0, n);
  buffers.release(buf);
  return s;
}

module.exports = { length };
`,
    },
    {
      name: 'assignment alias: the variable is given a copy before the give-back',
      code: `import { createPool } from 'generic-pool';

const renderers = createPool({ create: async () => ({ lines: [] as string[] }), destroy: async () => {} }, { max: 4 });

export async function render(items: string[]): Promise<string> {
  const renderer = await renderers.acquire();
  let lines: string[];
  try {
    renderer.lines.length = 0;
    for (const item of items) renderer.lines.push(\`<li>\${item}</li>\`);
    lines = renderer.lines;
    lines = [...lines];
  } finally {
    await renderers.release(renderer);
  }
  return lines.join('');
}
`,
    },
    {
      name: 'untyped JS: an array copied by assignment inside try survives the finally that gives the object back',
      untyped: true,
      fileName: 'handler.js',
      code: `import Koa from 'koa';
import genericPool from 'generic-pool';

const renderers = genericPool.createPool({ create: async () => ({ buffer: [] }), destroy: async () => {} }, { max: 4 });
const app = new Koa();

app.use(async (ctx) => {
  const renderer = await renderers.acquire();
  let lines;
  try {
    renderer.buffer.push('<li>a</li>');
    lines = [...renderer.buffer];
  } finally {
    renderer.buffer.length = 0;
    await renderers.release(renderer);
  }
  ctx.body = \`<ul>\${lines.join('')}</ul>\`;
});
`,
    },
    {
      name: 'pg helpers: a PoolClient parameter released in finally or on an early return, never used after',
      code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

async function markPaid(client: PoolClient, orderId: string): Promise<number> {
  let result;
  try {
    result = await client.query('UPDATE orders SET paid = true WHERE id = $1', [orderId]);
  } finally {
    client.release();
  }
  return result.rowCount ?? 0;
}

async function archive(client: PoolClient, orderId: string): Promise<void> {
  if (!orderId) {
    client.release();
    return;
  }
  try {
    await client.query('UPDATE orders SET archived = true WHERE id = $1', [orderId]);
  } finally {
    client.release();
  }
}

export async function pay(orderId: string): Promise<number> {
  await archive(await pool.connect(), orderId);
  return markPaid(await pool.connect(), orderId);
}
`,
    },
    {
      name: 'a parameter ended with end() that is not a pooled connection (express Response) is not followed',
      code: `import type { Response } from 'express';

export function finish(res: Response, body: string): void {
  res.end(body);
  res.setHeader('x-late', '1');
}
`,
    },
    {
      name: 'untyped JS: a parameter released with nothing saying it holds a pooled connection is not followed',
      untyped: true,
      fileName: 'handler.js',
      code: `async function closeAndLog(conn) {
  conn.release();
  console.log('closed', conn.threadId);
}

module.exports = { closeAndLog };
`,
    },
  ],
  invalid: [
    {
      name: "comments at the end of the release's line and of the last use's line: the release moves with its comment",
      code: `const spare: Buffer[] = [];

export function checksum(data: string): number {
  const buf = spare.pop() ?? Buffer.alloc(1024);
  buf.fill(0);
  const n = buf.write(data);
  spare.push(buf); // back to the free list
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum + buf[i]) % 65521; // adler-ish
  return sum;
}
`,
      errors: [
        {
          line: 9, column: 44, endLine: 9, endColumn: 47,
          fixes: [{ title: "Move the release after the last use", output: `const spare: Buffer[] = [];

export function checksum(data: string): number {
  const buf = spare.pop() ?? Buffer.alloc(1024);
  buf.fill(0);
  const n = buf.write(data);
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum + buf[i]) % 65521; // adler-ish
  spare.push(buf); // back to the free list
  return sum;
}
` }],
        },
      ],
    },
    {
      name: "pg (Express): the client queried after client.release(); the release moves after the last use",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.post('/orders/:id/seen', async (req, res) => {
  const client = await pool.connect();
  const result = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  client.release();
  await client.query('UPDATE orders SET seen_at = now() WHERE id = $1', [req.params.id]);
  res.json(result.rows);
});
`,
      errors: [
        {
          line: 11, column: 9, endLine: 11, endColumn: 15,
          message: "`client` is used after it was given back to the pool at line 10, when another caller may already hold it and run its own queries on it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.post('/orders/:id/seen', async (req, res) => {
  const client = await pool.connect();
  const result = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  await client.query('UPDATE orders SET seen_at = now() WHERE id = $1', [req.params.id]);
  client.release();
  res.json(result.rows);
});
` },
          ],
        },
      ],
    },
    {
      name: "mysql2 (Koa): a property of the released connection read while building the response",
      code: `import Koa from 'koa';
import mysql from 'mysql2/promise';

const db = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = new Koa();

app.use(async (ctx) => {
  const conn = await db.getConnection();
  const [rows] = await conn.query('SELECT id, name FROM products');
  conn.release();
  ctx.body = { rows, servedBy: conn.threadId };
});
`,
      errors: [
        {
          line: 11, column: 32, endLine: 11, endColumn: 36,
          message: "`conn` is used after it was given back to the pool at line 10, when another caller may already hold it and run its own queries on it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `import Koa from 'koa';
import mysql from 'mysql2/promise';

const db = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = new Koa();

app.use(async (ctx) => {
  const conn = await db.getConnection();
  const [rows] = await conn.query('SELECT id, name FROM products');
  ctx.body = { rows, servedBy: conn.threadId };
  conn.release();
});
` },
          ],
        },
      ],
    },
    {
      name: "tarn (Fastify): the borrowed object changed after pool.release(item)",
      code: `import Fastify from 'fastify';
import { Pool } from 'tarn';

interface Scratch {
  totals: number[];
}

const scratch = new Pool<Scratch>({ create: () => ({ totals: [] }), destroy: () => {}, min: 0, max: 8 });
const fastify = Fastify();

fastify.get('/sum', async (request, reply) => {
  const item = await scratch.acquire().promise;
  const sum = item.totals.reduce((a, b) => a + b, 0);
  scratch.release(item);
  item.totals.length = 0;
  return { sum };
});
`,
      errors: [
        {
          line: 15, column: 3, endLine: 15, endColumn: 7,
          message: "`item` is used after it was given back to the pool at line 14, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `import Fastify from 'fastify';
import { Pool } from 'tarn';

interface Scratch {
  totals: number[];
}

const scratch = new Pool<Scratch>({ create: () => ({ totals: [] }), destroy: () => {}, min: 0, max: 8 });
const fastify = Fastify();

fastify.get('/sum', async (request, reply) => {
  const item = await scratch.acquire().promise;
  const sum = item.totals.reduce((a, b) => a + b, 0);
  item.totals.length = 0;
  scratch.release(item);
  return { sum };
});
` },
          ],
        },
      ],
    },
    {
      name: "generic-pool (plain function): an array read from the pooled object returned after the give-back",
      code: `import { createPool } from 'generic-pool';

class Tokenizer {
  tokens: string[] = [];
  run(text: string): void {
    this.tokens = text.split(/\\s+/);
  }
}

const tokenizers = createPool({ create: async () => new Tokenizer(), destroy: async () => {} }, { max: 4 });

export async function tokenize(text: string): Promise<string[]> {
  const tokenizer = await tokenizers.acquire();
  tokenizer.run(text);
  const tokens = tokenizer.tokens;
  await tokenizers.release(tokenizer);
  return tokens;
}
`,
      errors: [
        {
          line: 17, column: 10, endLine: 17, endColumn: 16,
          message: "`tokens`, which still points into `tokenizer`, is used after `tokenizer` was given back to the pool at line 16, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `import { createPool } from 'generic-pool';

class Tokenizer {
  tokens: string[] = [];
  run(text: string): void {
    this.tokens = text.split(/\\s+/);
  }
}

const tokenizers = createPool({ create: async () => new Tokenizer(), destroy: async () => {} }, { max: 4 });

export async function tokenize(text: string): Promise<string[]> {
  const tokenizer = await tokenizers.acquire();
  tokenizer.run(text);
  const tokens = [...tokenizer.tokens];
  await tokenizers.release(tokenizer);
  return tokens;
}
` },
          ],
        },
      ],
    },
    {
      name: "free list of Buffers: a subarray view returned from a try whose finally gives the buffer back",
      code: `const spare: Buffer[] = [];

export function frame(payload: string): Buffer {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  try {
    const length = buf.write(payload, 4);
    buf.writeUInt32BE(length, 0);
    return buf.subarray(0, length + 4);
  } finally {
    buf.fill(0);
    spare.push(buf);
  }
}
`,
      errors: [
        {
          line: 8, column: 12, endLine: 8, endColumn: 39,
          message: "`buf.subarray(0, length + 4)` is returned but `buf` goes back to the pool at line 11 before the caller uses it, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `const spare: Buffer[] = [];

export function frame(payload: string): Buffer {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  try {
    const length = buf.write(payload, 4);
    buf.writeUInt32BE(length, 0);
    return Buffer.from(buf.subarray(0, length + 4));
  } finally {
    buf.fill(0);
    spare.push(buf);
  }
}
` },
          ],
        },
      ],
    },
    {
      name: "user-defined pool class: a view made before the give-back and used after it",
      code: `class ByteBufferPool {
  private readonly idle: Buffer[] = [];

  acquire(): Buffer {
    return this.idle.pop() ?? Buffer.alloc(1024);
  }

  release(buf: Buffer): void {
    buf.fill(0);
    this.idle.push(buf);
  }
}

const buffers = new ByteBufferPool();

export function checksum(text: string): string {
  const buf = buffers.acquire();
  const n = buf.write(text);
  const view = buf.subarray(0, n);
  buffers.release(buf);
  return view.toString('hex');
}
`,
      errors: [
        {
          line: 21, column: 10, endLine: 21, endColumn: 14,
          message: "`view`, which still points into `buf`, is used after `buf` was given back to the pool at line 20, when another caller may already have taken it from the pool and be overwriting it.",
        },
      ],
    },
    {
      name: "pg (Express): the client given back twice, in the try and again in finally",
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.delete('/sessions/:id', async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query('DELETE FROM sessions WHERE id = $1', [req.params.id]);
    client.release();
    res.sendStatus(204);
  } finally {
    client.release();
  }
});
`,
      errors: [
        {
          line: 14, column: 5, endLine: 14, endColumn: 11,
          message: "`client` is given back to the pool a second time (it already was at line 11), so the pool can hand the same object to two callers at once.",
        },
      ],
    },
    {
      name: "escapes before the give-back: a listener, a store into a module array and a timer capture",
      code: `import express from 'express';
import { Pool, type PoolClient } from 'pg';

const pool = new Pool();
const app = express();
const lastClients: PoolClient[] = [];

app.get('/report', async (req, res) => {
  const client = await pool.connect();
  try {
    client.on('notice', (notice) => console.log(client.processID, notice.message));
    lastClients.push(client);
    setTimeout(() => void client.query('SELECT pg_sleep(0)'), 1000);
    const { rows } = await client.query('SELECT * FROM report');
    res.json(rows);
  } finally {
    client.release();
  }
});
`,
      errors: [
        {
          line: 11, column: 49, endLine: 11, endColumn: 55,
          message: "This callback uses `client`, but `client` goes back to the pool at line 17 before the callback can run, when another caller may already hold it and run its own queries on it.",
        },
        {
          line: 12, column: 22, endLine: 12, endColumn: 28,
          message: "`client` is stored here and outlives the give-back of `client` to the pool at line 17, so whoever reads it later gets an object another caller may be using.",
        },
        {
          line: 13, column: 27, endLine: 13, endColumn: 33,
          message: "This callback uses `client`, but `client` goes back to the pool at line 17 before the callback can run, when another caller may already hold it and run its own queries on it.",
        },
      ],
    },
    {
      name: "free list: a promise using the buffer is not awaited before the buffer goes back",
      code: `const spare: Buffer[] = [];

async function upload(body: Buffer): Promise<void> {
  await fetch('https://storage.example.com/blobs', { method: 'PUT', body });
}

export async function store(text: string): Promise<void> {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const n = buf.write(text);
  const pending = upload(buf.subarray(0, n));
  spare.push(buf);
  await pending;
}
`,
      errors: [
        {
          line: 10, column: 26, endLine: 10, endColumn: 44,
          message: "`buf.subarray(0, n)` is passed to work that is not awaited before `buf` goes back to the pool at line 11, so that work can run after the give-back, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `const spare: Buffer[] = [];

async function upload(body: Buffer): Promise<void> {
  await fetch('https://storage.example.com/blobs', { method: 'PUT', body });
}

export async function store(text: string): Promise<void> {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const n = buf.write(text);
  const pending = upload(Buffer.from(buf.subarray(0, n)));
  spare.push(buf);
  await pending;
}
` },
          ],
        },
      ],
    },
    {
      name: "untyped JS, pg callback style: the client queried after done()",
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.get('/stats', (req, res) => {
  pool.connect((err, client, done) => {
    if (err) return res.sendStatus(500);
    client.query('SELECT count(*) FROM visits', (queryError, result) => {
      done();
      client.query('UPDATE counters SET reads = reads + 1');
      res.json(result.rows);
    });
  });
});
`,
      errors: [
        {
          line: 12, column: 7, endLine: 12, endColumn: 13,
          message: "`client` is used after it was given back to the pool at line 11, when another caller may already hold it and run its own queries on it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.get('/stats', (req, res) => {
  pool.connect((err, client, done) => {
    if (err) return res.sendStatus(500);
    client.query('SELECT count(*) FROM visits', (queryError, result) => {
      client.query('UPDATE counters SET reads = reads + 1');
      done();
      res.json(result.rows);
    });
  });
});
` },
          ],
        },
      ],
    },
    {
      name: "untyped JS, free list of Buffers: a view written to a socket, then the buffer pushed back",
      untyped: true,
      fileName: 'handler.js',
      code: `const spare = [];

function send(socket, text) {
  const buf = spare.pop() || Buffer.alloc(256);
  const n = buf.write(text);
  socket.write(buf.subarray(0, n));
  spare.push(buf);
}

module.exports = { send };
`,
      errors: [
        {
          line: 6, column: 16, endLine: 6, endColumn: 34,
          message: "`buf.subarray(0, n)` is handed to a stream write that keeps it until it is flushed, but `buf` goes back to the pool at line 7, so the bytes sent can be overwritten by the next borrower.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `const spare = [];

function send(socket, text) {
  const buf = spare.pop() || Buffer.alloc(256);
  const n = buf.write(text);
  socket.write(Buffer.from(buf.subarray(0, n)));
  spare.push(buf);
}

module.exports = { send };
` },
          ],
        },
      ],
    },
    {
      name: "untyped JS, Koa + mysql2: the connection used after release",
      untyped: true,
      fileName: 'handler.js',
      code: `const Koa = require('koa');
const mysql = require('mysql2/promise');

const db = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = new Koa();

app.use(async (ctx) => {
  const conn = await db.getConnection();
  const [rows] = await conn.query('SELECT 1 AS ok');
  conn.release();
  await conn.query('DO 1');
  ctx.body = rows;
});
`,
      errors: [
        {
          line: 11, column: 9, endLine: 11, endColumn: 13,
          message: "`conn` is used after it was given back to the pool at line 10, when another caller may already hold it and run its own queries on it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `const Koa = require('koa');
const mysql = require('mysql2/promise');

const db = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = new Koa();

app.use(async (ctx) => {
  const conn = await db.getConnection();
  const [rows] = await conn.query('SELECT 1 AS ok');
  await conn.query('DO 1');
  conn.release();
  ctx.body = rows;
});
` },
          ],
        },
      ],
    },
    {
      name: "untyped JS, user pool: a helper that gives back its parameter and then reads it",
      untyped: true,
      fileName: 'handler.js',
      code: `class BufferPool {
  constructor() {
    this.free = [];
  }
  acquire() {
    return this.free.pop() || Buffer.alloc(256);
  }
  release(buf) {
    this.free.push(buf);
  }
}

const buffers = new BufferPool();

function finish(buf, sink) {
  buffers.release(buf);
  sink.push(buf.toString('utf8'));
}

module.exports = { finish };
`,
      errors: [
        {
          line: 17, column: 13, endLine: 17, endColumn: 16,
          message: "`buf` is used after it was given back to the pool at line 16, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Move the release after the last use", preferred: true, output: `class BufferPool {
  constructor() {
    this.free = [];
  }
  acquire() {
    return this.free.pop() || Buffer.alloc(256);
  }
  release(buf) {
    this.free.push(buf);
  }
}

const buffers = new BufferPool();

function finish(buf, sink) {
  sink.push(buf.toString('utf8'));
  buffers.release(buf);
}

module.exports = { finish };
` },
          ],
        },
      ],
    },
    {
      name: "Fastify + generic-pool: an object stored on the request outlives the give-back",
      code: `import Fastify from 'fastify';
import { createPool } from 'generic-pool';

const renderers = createPool({ create: async () => ({ html: [] as string[] }), destroy: async () => {} }, { max: 2 });
const fastify = Fastify();

fastify.get('/page', async (request, reply) => {
  const renderer = await renderers.acquire();
  renderer.html.push('<h1>hi</h1>');
  (request as unknown as { parts: string[] }).parts = renderer.html;
  await renderers.release(renderer);
  return 'ok';
});
`,
      errors: [
        {
          line: 10, column: 55, endLine: 10, endColumn: 68,
          message: "`renderer.html` is stored here and outlives the give-back of `renderer` to the pool at line 11, so whoever reads it later gets an object another caller may be using.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `import Fastify from 'fastify';
import { createPool } from 'generic-pool';

const renderers = createPool({ create: async () => ({ html: [] as string[] }), destroy: async () => {} }, { max: 2 });
const fastify = Fastify();

fastify.get('/page', async (request, reply) => {
  const renderer = await renderers.acquire();
  renderer.html.push('<h1>hi</h1>');
  (request as unknown as { parts: string[] }).parts = [...renderer.html];
  await renderers.release(renderer);
  return 'ok';
});
` },
          ],
        },
      ],
    },
    {
      name: "Koa + generic-pool, untyped JS: an alias made by assignment inside try, used after the finally that gives the object back",
      untyped: true,
      fileName: 'handler.js',
      code: `import Koa from 'koa';
import genericPool from 'generic-pool';

const renderers = genericPool.createPool(
  {
    create: async () => ({ buffer: [], render(items) { this.buffer.length = 0; for (const i of items) this.buffer.push(\`<li>\${i}</li>\`); } }),
    destroy: async () => {},
  },
  { max: 4 },
);
const app = new Koa();

app.use(async (ctx) => {
  const renderer = await renderers.acquire();
  let lines;
  try {
    renderer.render(['a', 'b']);
    lines = renderer.buffer;
  } finally {
    await renderers.release(renderer);
  }
  ctx.body = \`<ul>\${lines.join('')}</ul>\`;
});
`,
      errors: [
        {
          line: 22, column: 21, endLine: 22, endColumn: 26,
          message: "`lines`, which still points into `renderer`, is used after `renderer` was given back to the pool at line 20, when another caller may already have taken it from the pool and be overwriting it.",
        },
      ],
    },
    {
      name: "generic-pool (Express helper): an alias made by assignment inside try, returned after the finally; the copy goes where it is made",
      code: `import express from 'express';
import { createPool } from 'generic-pool';

class Tokenizer {
  tokens: string[] = [];
  run(text: string): void {
    this.tokens = text.split(/\\s+/);
  }
}

const tokenizers = createPool({ create: async () => new Tokenizer(), destroy: async () => {} }, { max: 4 });
const app = express();

async function tokenize(text: string): Promise<string[]> {
  const tokenizer = await tokenizers.acquire();
  let tokens: string[];
  try {
    tokenizer.run(text);
    tokens = tokenizer.tokens;
  } finally {
    await tokenizers.release(tokenizer);
  }
  return tokens;
}

app.post('/tokens', async (req, res) => {
  res.json(await tokenize(String(req.body.text)));
});
`,
      errors: [
        {
          line: 23, column: 10, endLine: 23, endColumn: 16,
          message: "`tokens`, which still points into `tokenizer`, is used after `tokenizer` was given back to the pool at line 21, when another caller may already have taken it from the pool and be overwriting it.",
          fixes: [
          { title: "Copy the value before releasing", preferred: true, output: `import express from 'express';
import { createPool } from 'generic-pool';

class Tokenizer {
  tokens: string[] = [];
  run(text: string): void {
    this.tokens = text.split(/\\s+/);
  }
}

const tokenizers = createPool({ create: async () => new Tokenizer(), destroy: async () => {} }, { max: 4 });
const app = express();

async function tokenize(text: string): Promise<string[]> {
  const tokenizer = await tokenizers.acquire();
  let tokens: string[];
  try {
    tokenizer.run(text);
    tokens = [...tokenizer.tokens];
  } finally {
    await tokenizers.release(tokenizer);
  }
  return tokens;
}

app.post('/tokens', async (req, res) => {
  res.json(await tokenize(String(req.body.text)));
});
` },
          ],
        },
      ],
    },
    {
      name: "pg (Fastify): a helper given a PoolClient releases it in finally, then queries it again",
      code: `import Fastify from 'fastify';
import { Pool, type PoolClient } from 'pg';

const pool = new Pool();
const fastify = Fastify();

async function markPaid(client: PoolClient, orderId: string): Promise<void> {
  try {
    await client.query('UPDATE orders SET paid = true WHERE id = $1', [orderId]);
  } finally {
    client.release();
  }
  await client.query('INSERT INTO order_events (order_id, kind) VALUES ($1, $2)', [orderId, 'paid']);
}

fastify.post<{ Params: { id: string } }>('/orders/:id/paid', async (request) => {
  const client = await pool.connect();
  await markPaid(client, request.params.id);
  return { ok: true };
});
`,
      errors: [
        {
          line: 13, column: 9, endLine: 13, endColumn: 15,
          message: "`client` is used after it was given back to the pool at line 11, when another caller may already hold it and run its own queries on it.",
        },
      ],
    },
    {
      name: "untyped JS, Express + mysql2: a helper in the same file receives the acquired connection, releases it in finally and uses it again",
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const mysql = require('mysql2/promise');

const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = express();

async function saveOrder(conn, order) {
  try {
    await conn.query('INSERT INTO orders SET ?', [order]);
  } finally {
    conn.release();
  }
  const [rows] = await conn.query('SELECT LAST_INSERT_ID() AS id');
  return rows[0].id;
}

app.post('/orders', async (req, res) => {
  const conn = await pool.getConnection();
  const id = await saveOrder(conn, req.body);
  res.json({ id });
});
`,
      errors: [
        {
          line: 13, column: 24, endLine: 13, endColumn: 28,
          message: "`conn` is used after it was given back to the pool at line 11, when another caller may already hold it and run its own queries on it.",
        },
      ],
    },
    {
      name: "pg: a parameter typed through a project alias of PoolClient (types decide), used after release",
      code: `import type { PoolClient } from 'pg';

type Db = PoolClient;

export async function touch(db: Db, id: string): Promise<void> {
  db.release();
  await db.query('UPDATE sessions SET seen_at = now() WHERE id = $1', [id]);
}
`,
      errors: [
        {
          line: 7, column: 9, endLine: 7, endColumn: 11,
          message: "`db` is used after it was given back to the pool at line 6, when another caller may already hold it and run its own queries on it.",
        },
      ],
    },
  ],
});
