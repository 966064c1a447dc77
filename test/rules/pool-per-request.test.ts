// pool-per-request (RULES.md §3.4): a pool, or a client meant to be shared, created inside a request
// scope. Cases cover pg, mysql2, redis, ioredis, generic-pool, knex, Prisma and mongodb in Express,
// Koa, Fastify, Hono and Next.js route handlers, typed and untyped.
import { ruleTester } from '../support/ruleTester';

ruleTester('pool-per-request', {
  valid: [
    {
      name: 'the pool is created once, at module scope',
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ max: 10 });
const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.query.id]);
  res.json(rows);
});
`,
    },
    {
      name: 'a dedicated pg LISTEN client closed in a finally block',
      code: `import express from 'express';
import { Client } from 'pg';

const app = express();

app.get('/notify', async (req, res) => {
  const client = new Client();
  await client.connect();
  try {
    await client.query('LISTEN orders');
    res.sendStatus(204);
  } finally {
    await client.end();
  }
});
`,
    },
    {
      name: 'a redis subscriber closed when the request ends',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const { createClient } = require('redis');

const app = express();

app.get('/events', async (req, res) => {
  const subscriber = createClient();
  req.on('close', () => subscriber.quit());
  await subscriber.connect();
  await subscriber.subscribe('news', (message) => res.write(\`data: \${message}\\n\\n\`));
});
`,
    },
    {
      name: 'a lazily created module-level pool is created once',
      code: `import Koa from 'koa';
import { Pool } from 'pg';

const app = new Koa();
let pool: Pool | undefined;

app.use(async (ctx) => {
  pool ??= new Pool();
  const { rows } = await pool.query('SELECT 1');
  ctx.body = rows;
});
`,
    },
    {
      name: 'created at start-up in a factory, not in a request scope',
      code: `import Fastify from 'fastify';
import { Pool } from 'pg';

export function build() {
  const fastify = Fastify();
  const pool = new Pool();
  fastify.get('/', async () => (await pool.query('SELECT 1')).rows);
  return fastify;
}
`,
    },
    {
      name: 'a project class named Pool is not a library pool',
      code: `import express from 'express';

class Pool {
  query(sql: string): string {
    return sql;
  }
}

const app = express();
app.get('/', (req, res) => {
  const pool = new Pool();
  res.send(pool.query('SELECT 1'));
});
`,
    },
    {
      name: 'Hono (untyped): ioredis client quit on every path',
      untyped: true,
      fileName: 'handler.js',
      code: `import { Hono } from 'hono';
import Redis from 'ioredis';

const app = new Hono();

app.get('/count', async (c) => {
  const redis = new Redis();
  try {
    return c.json({ n: await redis.incr('n') });
  } finally {
    redis.disconnect();
  }
});
`,
    },
    {
      name: 'one pool per tenant kept in a module-level map',
      code: `import express from 'express';
import { Pool } from 'pg';

const app = express();
const pools = new Map<string, Pool>();

app.get('/t/:tenant', async (req, res) => {
  const tenant = req.params.tenant;
  if (!pools.has(tenant)) pools.set(tenant, new Pool({ database: tenant }));
  const { rows } = await pools.get(tenant)!.query('SELECT 1');
  res.json(rows);
});
`,
    },
  ],
  invalid: [
  {
    name: "Express: a pg Pool per request (moved after the imports)",
    code: `import express from 'express';
import { Pool, Client } from 'pg';

const app = express();

app.get('/orders', async (req, res) => {
  const pool = new Pool({ max: 5 });
  const { rows } = await pool.query('SELECT * FROM orders');
  res.json(rows);
});

app.get('/listen', async (req, res) => {
  const client = new Client();
  await client.connect();
  try {
    await client.query('LISTEN orders');
  } finally {
    await client.end();
  }
  res.end();
});

app.get('/leak', async (req, res) => {
  const client = new Client({ user: String(req.query.user) });
  await client.connect();
  const r = await client.query('SELECT 1');
  await client.end();
  res.json(r.rows);
});
`,
    errors: [
      { line: 7, column: 16, endLine: 7, endColumn: 36, message: "`new Pool()` creates a new pg pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `import express from 'express';
import { Pool, Client } from 'pg';

const pool = new Pool({ max: 5 });

const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders');
  res.json(rows);
});

app.get('/listen', async (req, res) => {
  const client = new Client();
  await client.connect();
  try {
    await client.query('LISTEN orders');
  } finally {
    await client.end();
  }
  res.end();
});

app.get('/leak', async (req, res) => {
  const client = new Client({ user: String(req.query.user) });
  await client.connect();
  const r = await client.query('SELECT 1');
  await client.end();
  res.json(r.rows);
});
` },
      ] },
      { line: 24, column: 18, endLine: 24, endColumn: 62, message: "`new Client()` opens a new pg client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections." },
    ],
  },
  {
    name: "Express (JS, untyped): mysql2 createPool with a module-level config declared after the imports",
    untyped: true,
    fileName: "handler.js",
    code: `const express = require('express');
const mysql = require('mysql2/promise');

const app = express();
const config = { host: 'db', user: 'app' };

// Lists the products.
app.get('/products', async (req, res) => {
  const db = mysql.createPool({
    ...config,
    connectionLimit: 4,
  });
  const [rows] = await db.query('SELECT * FROM products');
  res.json(rows);
});
`,
    errors: [
      { line: 9, column: 14, endLine: 12, endColumn: 5, message: "`mysql.createPool()` creates a new mysql2 pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `const express = require('express');
const mysql = require('mysql2/promise');

const app = express();
const config = { host: 'db', user: 'app' };

const db = mysql.createPool({
  ...config,
  connectionLimit: 4,
});

// Lists the products.
app.get('/products', async (req, res) => {
  const [rows] = await db.query('SELECT * FROM products');
  res.json(rows);
});
` },
      ] },
    ],
  },
  {
    name: "Koa: ioredis client per request, closed only on the happy path",
    code: `import Koa from 'koa';
import Redis from 'ioredis';

const app = new Koa();

app.use(async (ctx) => {
  const redis = new Redis(process.env.REDIS_URL ?? '');
  const hits = await redis.incr(\`hits:\${ctx.path}\`);
  await redis.quit();
  ctx.body = { hits };
});
`,
    errors: [
      { line: 7, column: 17, endLine: 7, endColumn: 55, message: "`new Redis()` opens a new ioredis client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections." },
    ],
  },
  {
    name: "Koa (JS, untyped): redis createClient that the handler quits is not moved",
    untyped: true,
    fileName: "handler.js",
    code: `const Koa = require('koa');
const { createClient } = require('redis');

const app = new Koa();

app.use(async (ctx, next) => {
  const cache = createClient({ url: process.env.REDIS_URL });
  await cache.connect();
  ctx.state.cached = await cache.get(ctx.path);
  await next();
  await cache.quit();
});
`,
    errors: [
      { line: 7, column: 17, endLine: 7, endColumn: 61, message: "`createClient()` opens a new redis client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections." },
    ],
  },
  {
    name: "Fastify: generic-pool per request built from the request (no fix)",
    code: `import Fastify from 'fastify';
import { createPool } from 'generic-pool';

const fastify = Fastify();

fastify.post('/render', async (request, reply) => {
  const { size } = request.body as { size: number };
  const buffers = createPool({ create: async () => Buffer.alloc(size), destroy: async () => {} }, { max: 2 });
  const buf = await buffers.acquire();
  try {
    return reply.send(buf.length);
  } finally {
    await buffers.release(buf);
  }
});
`,
    errors: [
      { line: 8, column: 19, endLine: 8, endColumn: 110, message: "`createPool()` creates a new generic-pool pool on every request, so nothing it pools is ever reused by another request and every request pays for creating its resources again." },
    ],
  },
  {
    name: "Fastify (JS, untyped): knex per request",
    untyped: true,
    fileName: "handler.js",
    code: `const Fastify = require('fastify');
const knex = require('knex');

const fastify = Fastify();

fastify.get('/users', async (request, reply) => {
  const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
  const users = await db('users').select('*');
  return reply.send(users);
});
`,
    errors: [
      { line: 7, column: 14, endLine: 7, endColumn: 74, message: "`knex()` creates a new knex pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `const Fastify = require('fastify');
const knex = require('knex');

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });

const fastify = Fastify();

fastify.get('/users', async (request, reply) => {
  const users = await db('users').select('*');
  return reply.send(users);
});
` },
      ] },
    ],
  },
  {
    name: "Hono: PrismaClient per request",
    code: `import { Hono } from 'hono';
import { PrismaClient } from '@prisma/client';

const app = new Hono();

app.get('/posts', async (c) => {
  const prisma = new PrismaClient();
  const posts = await prisma.post.findMany();
  return c.json(posts);
});
`,
    errors: [
      { line: 7, column: 18, endLine: 7, endColumn: 36, message: "`new PrismaClient()` opens a new Prisma client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `import { Hono } from 'hono';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

const app = new Hono();

app.get('/posts', async (c) => {
  const posts = await prisma.post.findMany();
  return c.json(posts);
});
` },
      ] },
    ],
  },
  {
    name: "Next.js route handler: MongoClient per request",
    fileName: "route.ts",
    code: `import { MongoClient } from 'mongodb';

export async function GET(request: Request) {
  const client = new MongoClient(process.env.MONGO_URL ?? '');
  const db = client.db('shop');
  const items = await db.collection('items').find({ q: new URL(request.url).searchParams.get('q') }).toArray();
  return Response.json(items);
}
`,
    errors: [
      { line: 4, column: 18, endLine: 4, endColumn: 62, message: "`new MongoClient()` opens a new mongodb client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `import { MongoClient } from 'mongodb';

const client = new MongoClient(process.env.MONGO_URL ?? '');

export async function GET(request: Request) {
  const db = client.db('shop');
  const items = await db.collection('items').find({ q: new URL(request.url).searchParams.get('q') }).toArray();
  return Response.json(items);
}
` },
      ] },
    ],
  },
  {
    name: "NestJS: a pg Pool per call in a controller method, its line comment moving with it",
    code: `import { Controller, Get, Param } from '@nestjs/common';
import pg from 'pg';

@Controller('invoices')
export class InvoicesController {
  @Get(':id/archive')
  async archive(@Param('id') id: string): Promise<unknown> {
    const archive = new pg.Pool({ connectionString: process.env.ARCHIVE_URL }); // the archive database
    const { rows } = await archive.query('SELECT * FROM archived_invoices WHERE id = $1', [id]);
    return rows[0] ?? null;
  }
}
`,
    errors: [
      { line: 8, column: 21, endLine: 8, endColumn: 79, message: "`new pg.Pool()` creates a new pg pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `import { Controller, Get, Param } from '@nestjs/common';
import pg from 'pg';

const archive = new pg.Pool({ connectionString: process.env.ARCHIVE_URL }); // the archive database

@Controller('invoices')
export class InvoicesController {
  @Get(':id/archive')
  async archive(@Param('id') id: string): Promise<unknown> {
    const { rows } = await archive.query('SELECT * FROM archived_invoices WHERE id = $1', [id]);
    return rows[0] ?? null;
  }
}
` },
      ] },
    ],
  },
  {
    name: "gRPC (JS, untyped): a pg Pool per call in a service method with a trailing comment",
    untyped: true,
    fileName: 'handler.js',
    code: `const grpc = require('@grpc/grpc-js');
const pg = require('pg');

const history = {
  list(call, callback) {
    const replica = new pg.Pool({ connectionString: process.env.REPLICA_URL }); /* read replica */
    replica.query('SELECT * FROM stock_history WHERE sku = $1', [call.request.sku]).then(
      ({ rows }) => callback(null, { rows }),
      (err) => callback({ code: grpc.status.UNAVAILABLE, message: String(err) }),
    );
  },
};

const server = new grpc.Server();
server.addService(definition.History.service, history);
`,
    errors: [
      { line: 6, column: 21, endLine: 6, endColumn: 79, message: "`new pg.Pool()` creates a new pg pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.", fixes: [
        { title: "Move the pool to module scope", output: `const grpc = require('@grpc/grpc-js');
const pg = require('pg');

const replica = new pg.Pool({ connectionString: process.env.REPLICA_URL }); /* read replica */

const history = {
  list(call, callback) {
    replica.query('SELECT * FROM stock_history WHERE sku = $1', [call.request.sku]).then(
      ({ rows }) => callback(null, { rows }),
      (err) => callback({ code: grpc.status.UNAVAILABLE, message: String(err) }),
    );
  },
};

const server = new grpc.Server();
server.addService(definition.History.service, history);
` },
      ] },
    ],
  },
  {
    name: "Express: not moved when module scope would capture a global of the same name (no fix)",
    code: `import express from 'express';
import Redis from 'ioredis';

const app = express();

app.post('/lock', async (req, res) => {
  const name = new Redis(process.env.REDIS_URL ?? '');
  await name.set('lock', '1');
  res.end();
});

export function windowName(): unknown {
  return (globalThis as { name?: unknown }).name ?? name;
}
`,
    errors: [
      { line: 7, column: 16, endLine: 7, endColumn: 54, message: "`new Redis()` opens a new ioredis client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections." },
    ],
  },
  ],
});
