// The false-positive guards of issue 3 / RULES.md, checked against EVERY rule at once: correct code
// that looks like a bug to a careless rule. Each case is realistic, typed against the real
// framework packages (or plain JavaScript), and must produce no finding of any rule.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, ignoreReason } from '../server/src/core';
import { analyse, type ValidCase } from './support/ruleTester';

const GUARDS: (ValidCase & { name: string })[] = [
  {
    name: 'Fastify reply methods return thenables that must not be awaited',
    code: `import Fastify from 'fastify';

const app = Fastify();

app.get('/health', async (request, reply) => {
  reply.header('cache-control', 'no-store');
  reply.code(200).send({ ok: true, id: request.id });
  return reply;
});

app.get('/legacy', (request, reply) => {
  reply.status(204).send();
});
`,
  },
  {
    name: 'calls listed in contextPoolLint.safeCalls need no awaiting',
    settings: { safeCalls: ['audit.record', '*.emitMetric'] },
    code: `import express from 'express';

const audit = { record: async (what: string) => { void what; } };
const telemetry = { emitMetric: async (name: string) => { void name; } };
const app = express();

app.post('/orders', (req, res) => {
  audit.record('order ' + req.ip);
  telemetry.emitMetric('orders.created');
  res.status(201).end();
});
`,
  },
  {
    name: 'Express 5 handlers may return promises',
    code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/users/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
  res.json(rows[0] ?? null);
});
`,
  },
  {
    name: 'a pooled resource handed out to the caller is the caller’s to release',
    code: `import { Pool, type PoolClient } from 'pg';

const pool = new Pool();

export async function checkout(): Promise<PoolClient> {
  const client = await pool.connect();
  client.on('error', (error) => console.error('idle client error', error));
  return client;
}

export async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await checkout();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
`,
  },
  {
    name: 'a pool that resets objects on give-back',
    code: `export class BufferPool {
  private readonly free: Buffer[] = [];

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.alloc(64 * 1024);
  }

  release(buffer: Buffer): void {
    buffer.fill(0);
    this.free.push(buffer);
  }
}

const buffers = new BufferPool();

export function checksum(data: Uint8Array): number {
  const scratch = buffers.acquire();
  scratch.set(data.subarray(0, scratch.length));
  let sum = 0;
  for (const byte of scratch) sum = (sum + byte) % 65521;
  buffers.release(scratch);
  return sum;
}
`,
  },
  {
    name: 'bounded caches: lru-cache, and a Map with a size check before insert',
    code: `import express from 'express';
import { LRUCache } from 'lru-cache';

const profiles = new LRUCache<string, object>({ max: 500 });
const recent = new Map<string, number>();
const MAX_RECENT = 1000;
const app = express();

app.get('/profiles/:id', (req, res) => {
  const id = String(req.params.id);
  profiles.set(id, { id });
  if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value!);
  recent.set(id, Date.now());
  res.json(profiles.get(id));
});
`,
  },
  {
    name: 'AsyncLocalStorage.run scopes the store to the request',
    code: `import { AsyncLocalStorage } from 'node:async_hooks';
import express from 'express';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();
const app = express();

app.use((req, res, next) => {
  requestContext.run({ requestId: String(req.headers['x-request-id'] ?? '') }, () => next());
});
`,
  },
  {
    name: 'timers cleared when the response closes, the call is cancelled or the signal aborts',
    code: `import express from 'express';

const app = express();

app.get('/events', (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const heartbeat = setInterval(() => res.write(': ping\\n\\n'), 15_000);
  res.on('close', () => clearInterval(heartbeat));
});

app.get('/slow', async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const deadline = setTimeout(() => controller.abort(), 5_000);
  try {
    const upstream = await fetch('https://inventory.internal/slow', { signal: controller.signal });
    res.json(await upstream.json());
  } finally {
    clearTimeout(deadline);
  }
});
`,
  },
  {
    name: 'gRPC stream timers cleared on cancelled',
    untyped: true,
    fileName: 'prices.js',
    code: `const grpc = require('@grpc/grpc-js');

function watchPrices(call) {
  const ticker = setInterval(() => call.write({ price: Math.random() }), 1000);
  call.on('cancelled', () => clearInterval(ticker));
  call.on('end', () => {
    clearInterval(ticker);
    call.end();
  });
}

function start(server, definition) {
  server.addService(definition, { watchPrices });
  return grpc;
}

module.exports = { start };
`,
  },
  {
    name: 'start-up code is not a request scope',
    code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
let ready = false;

async function warmUp(): Promise<void> {
  await pool.query('SELECT 1');
  ready = true;
}

warmUp();
const refresh = setInterval(() => void pool.query('SELECT 1'), 60_000);
refresh.unref();

app.get('/ready', (req, res) => {
  res.status(ready ? 200 : 503).end();
});

app.listen(3000, () => {
  fetch('https://registry.internal/announce', { method: 'POST' }).catch(() => {});
});
`,
  },
  {
    name: 'a dedicated client closed on every path is not a per-request pool',
    code: `import express from 'express';
import { Client } from 'pg';

const app = express();

app.post('/notify', async (req, res) => {
  const listener = new Client();
  await listener.connect();
  try {
    await listener.query('NOTIFY jobs');
  } finally {
    await listener.end();
  }
  res.status(202).end();
});
`,
  },
  {
    name: 'counters in module variables are not request state',
    untyped: true,
    fileName: 'metrics.js',
    code: `const express = require('express');

let served = 0;
const app = express();

app.get('/hello', (req, res) => {
  served += 1;
  res.send('hello ' + served);
});

module.exports = app;
`,
  },
  {
    name: 'Koa middleware that awaits next and Hono middleware that returns it',
    code: `import Koa from 'koa';
import { Hono } from 'hono';

const koa = new Koa();
koa.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  ctx.set('x-response-time', String(Date.now() - started));
});

const hono = new Hono();
hono.use('*', (c, next) => {
  c.header('x-powered-by', 'hono');
  return next();
});
`,
  },
];

describe('false-positive guards (every rule)', () => {
  for (const guard of GUARDS) {
    it(guard.name, () => {
      const { all } = analyse(undefined, guard);
      assert.deepEqual(
        all.map((f) => `${f.rule} ${f.startLc.line + 1}:${f.startLc.character + 1} ${f.message}`),
        [],
      );
    });
  }

  it('test files and declaration files are not analysed', () => {
    const root = path.resolve('/project');
    for (const file of ['src/orders.test.ts', 'src/__tests__/orders.ts', 'src/orders.spec.js']) {
      assert.equal(ignoreReason(path.join(root, file), root, DEFAULT_SETTINGS), 'test file', file);
    }
    assert.equal(ignoreReason(path.join(root, 'types/express.d.ts'), root, DEFAULT_SETTINGS), 'declaration file');
    assert.equal(ignoreReason(path.join(root, 'src/orders.test.ts'), root, { ...DEFAULT_SETTINGS, includeTests: true }), undefined);
  });
});
