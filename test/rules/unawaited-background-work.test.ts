// Rule tests for `unawaited-background-work` (RULES.md §2.1). Invalid cases pin the exact
// anchor, message and the full text after every fix; the tester also checks that each fix parses,
// removes its finding, adds no other finding or type error, keeps the user's code, and that
// fix-all is idempotent.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { analyse, ruleTester } from '../support/ruleTester';

ruleTester('unawaited-background-work', {
  valid: [
    {
      name: "a JSDoc return type that is not a promise (its type node has no parent chain) is read without crashing",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');
const app = express();

/**
 * @returns {void}
 */
function checkOrigin(req) {
  if (!req.headers.origin) throw new Error('bad origin');
}

app.get('/me', (req, res) => {
  checkOrigin(req);
  res.json({ ok: true });
});
`,
    },
    {
      name: "a stale JSDoc Promise return type on a visibly synchronous function is not believed",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');
const app = express();

/**
 * @param {import('express').Request} req
 * @returns {Promise<void>}
 */
function checkOrigin(req) {
  if (req.headers.origin !== 'https://example.com') {
    throw new Error('bad origin');
  }
}

app.get('/me', (req, res) => {
  checkOrigin(req);
  res.json({ ok: true });
});
app.listen(3000);
`,
    },
    {
      name: 'awaited, returned, and awaited later through a variable',
      code: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
app.post('/a', async (req, res) => {
  await sendMail('a@example.com');
  const receipt = sendMail('b@example.com');
  res.status(202).json({ queued: true });
  await receipt;
});
app.post('/b', (req, res) => sendMail('c@example.com').then(() => res.end()));
app.post('/c', (req, res) => {
  return sendMail('d@example.com');
});
`,
    },
    {
      name: 'promises collected in an array and awaited with Promise.all / allSettled / race',
      code: `import express from 'express';
const app = express();
async function notify(id: string): Promise<void> {}
app.post('/broadcast', async (req, res) => {
  const ids: string[] = req.body.ids;
  const pending: Promise<void>[] = [];
  for (const id of ids) pending.push(notify(id));
  await Promise.all(pending);
  const results = await Promise.allSettled(ids.map((id) => notify(id)));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000));
  await Promise.race([notify('first'), timeout]);
  res.json({ failed: results.filter((r) => r.status === 'rejected').length });
});
`,
    },
    {
      name: 'explicitly detached: void, .catch(f), .then(f, g), .catch(f).finally(g)',
      code: `import express from 'express';
const app = express();
async function track(event: string): Promise<void> {}
app.get('/', (req, res) => {
  void track('a');
  track('b').catch((error) => console.error(error));
  track('c').then(() => console.log('tracked'), (error) => console.error(error));
  track('d').catch(console.error).finally(() => console.log('done'));
  const detached = track('e').catch(() => undefined);
  res.send('ok');
});
`,
    },
    {
      name: 'values that are not promises: responses, logs, emitters, timers',
      code: `import express from 'express';
import { EventEmitter } from 'node:events';
const app = express();
const events = new EventEmitter();
app.get('/x', (req, res) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  res.on('close', () => clearTimeout(timer));
  events.emit('visited', req.path);
  console.log('visit', req.path);
  res.setHeader('x-powered-by', 'me');
  res.status(200).json({ ok: true });
});
`,
    },
    {
      name: 'synchronous callbacks passed to forEach, timers and listeners',
      code: `import express from 'express';
const app = express();
app.get('/x', (req, res) => {
  const tags: string[] = req.body.tags ?? [];
  tags.forEach((tag) => res.append('x-tag', tag));
  setImmediate(() => console.log('after'));
  process.nextTick(() => res.end());
  queueMicrotask(() => console.log('micro'));
  req.on('aborted', () => console.log('aborted'));
});
`,
    },
    {
      name: 'an async listener whose awaits are all inside try/catch handles its own failures',
      code: `import express from 'express';
const app = express();
const db = { async insert(table: string, row: object): Promise<void> {} };
app.use((req, res, next) => {
  const started = Date.now();
  res.on('finish', async () => {
    const elapsedMs = Date.now() - started;
    try {
      await db.insert('access_log', { path: req.path, elapsedMs });
    } catch (error) {
      console.error('access log failed', error);
    }
  });
  setTimeout(async () => {
    await db.insert('slow', { path: req.path }).catch((error) => console.error(error));
  }, 100);
  next();
});
`,
    },
    {
      name: 'an async callback with nothing to await does no background work',
      code: `import express from 'express';
const app = express();
app.get('/x', (req, res) => {
  res.on('finish', async () => {
    console.log('finished', res.statusCode);
  });
  res.end();
});
`,
    },
    {
      name: 'Fastify reply and what its methods return are not background work',
      code: `import Fastify from 'fastify';
const app = Fastify();
async function load(id: string) { return { id }; }
app.get('/a/:id', async (request, reply) => {
  reply.send(await load('a'));
});
app.get('/b', (request, reply) => {
  reply.code(200).send({ ok: true });
});
app.get('/c', async (request, reply) => {
  reply.header('cache-control', 'no-store').send('ok');
  return reply;
});
app.addHook('onRequest', (request, reply, done) => {
  done();
});
`,
    },
    {
      name: "Koa and Hono next() belongs to unawaited-next, not to this rule",
      code: `import Koa from 'koa';
import { Hono } from 'hono';
const koa = new Koa();
koa.use(async (ctx, next) => {
  next();
  ctx.set('x-started', String(Date.now()));
});
koa.use((ctx, next) => next().then(() => ctx.set('x-done', '1')));
const hono = new Hono();
hono.use(async (c, next) => {
  next();
});
`,
    },
    {
      name: 'Express middleware delegating to another middleware with next',
      code: `import express, { type RequestHandler } from 'express';
const app = express();
const authenticate: RequestHandler = async (req, res, next) => {
  next();
};
app.use('/admin', (req, res, next) => {
  authenticate(req, res, next);
});
`,
    },
    {
      name: 'Workers: work handed to ctx.waitUntil',
      fileName: 'worker.ts',
      code: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    ctx.waitUntil(fetch('https://analytics.example.com/hit', { method: 'POST', signal: request.signal }));
    const flush = fetch('https://logs.example.com', { method: 'POST', signal: request.signal });
    ctx.waitUntil(flush);
    return new Response('ok');
  },
};
`,
    },
    {
      name: 'Hono: work handed to c.executionCtx.waitUntil',
      code: `import { Hono } from 'hono';
const app = new Hono();
async function logVisit(path: string): Promise<void> {}
app.get('/', (c) => {
  c.executionCtx.waitUntil(logVisit(c.req.path));
  return c.text('hello');
});
`,
    },
    {
      name: 'Next.js: after() keeps the work alive after the response',
      fileName: 'route.ts',
      code: `import { after } from 'next/server';
async function logVisit(path: string): Promise<void> {}
export async function GET(request: Request) {
  after(() => logVisit(new URL(request.url).pathname));
  after(logVisit('/home'));
  return Response.json({ ok: true });
}
`,
    },
    {
      name: 'calls listed in safeCalls: name, obj.method and *.method',
      settings: { safeCalls: ['logEvent', 'metrics.flush', '*.publish'] },
      code: `import express from 'express';
const app = express();
async function logEvent(name: string): Promise<void> {}
const metrics = { async flush(): Promise<void> {} };
const bus = { async publish(topic: string): Promise<void> {} };
app.post('/x', (req, res) => {
  logEvent('x');
  metrics.flush();
  bus.publish('orders');
  setTimeout(() => logEvent('later'), 10);
  res.end();
});
`,
    },
    {
      name: 'module scope and start-up code are not request scopes',
      code: `import express from 'express';
const app = express();
async function connect(): Promise<void> {}
async function warmCache(): Promise<void> {}
connect();
warmCache().then(() => console.log('warm'));
async function main() {
  warmCache();
  app.listen(3000);
}
void main();
`,
    },
    {
      name: 'promise-returning code in functions that are not request scopes',
      code: `async function sendMail(to: string): Promise<void> {}
export class Scheduler {
  tick(): void {
    sendMail('cron@example.com');
  }
}
export function cleanup(ids: string[]) {
  ids.forEach(async (id) => sendMail(id));
}
`,
    },
    {
      name: 'a promise returned from an inner arrow, and a promise settled through its executor',
      code: `import express from 'express';
const app = express();
async function load(id: string) { return { id }; }
app.get('/many', async (req, res) => {
  const ids: string[] = req.body.ids;
  const items = await Promise.all(ids.map((id) => load(id)));
  const first = await new Promise((resolve, reject) => {
    load(ids[0]).then(resolve, reject);
  });
  res.json({ items, first });
});
`,
    },
    {
      name: 'awaited values used inline in responses (Express, Koa, Hono, Fastify)',
      code: `import express from 'express';
import Router from '@koa/router';
import { Hono } from 'hono';
import Fastify from 'fastify';
async function list(): Promise<string[]> { return []; }
const app = express();
app.get('/e', async (req, res) => {
  res.json(await list());
});
const router = new Router();
router.get('/k', async (ctx) => {
  ctx.body = await list();
});
const hono = new Hono();
hono.get('/h', async (c) => c.json(await list()));
const fastify = Fastify();
fastify.get('/f', async () => ({ items: await list() }));
`,
    },
    {
      name: 'a Promise-returning call stored and handed to another function',
      code: `import express from 'express';
const app = express();
async function charge(amount: number): Promise<string> { return 'ok'; }
function trackPromise(promise: Promise<unknown>): void {
  promise.catch((error) => console.error(error));
}
app.post('/pay', (req, res) => {
  const payment = charge(10);
  trackPromise(payment);
  trackPromise(charge(20));
  res.status(202).end();
});
`,
    },
    {
      name: 'Express 5 accepts returned promises from a non-async handler',
      code: `import express from 'express';
const app = express();
async function render(): Promise<string> { return '<p>hi</p>'; }
app.get('/', (req, res) => render().then((html) => { res.send(html); }));
`,
    },
    {
      name: 'node:http: awaited work and a pipeline with a callback',
      code: `import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
async function authorize(url: string | undefined): Promise<boolean> { return true; }
createServer(async (req, res) => {
  if (!(await authorize(req.url))) {
    res.statusCode = 403;
    res.end();
    return;
  }
  pipeline(createReadStream('index.html'), res, (error) => {
    if (error) console.error(error);
  });
});
`,
    },
    {
      name: 'an async IIFE with an error handler',
      code: `import express from 'express';
const app = express();
async function rebuild(): Promise<void> {}
app.post('/rebuild', (req, res) => {
  (async () => {
    await rebuild();
  })().catch((error) => console.error(error));
  res.status(202).end();
});
`,
    },
    {
      name: 'Express middleware returning a maybe-promise from a RequestHandler is not flagged (void | Promise)',
      code: `import express from 'express';
const app = express();
type Maybe = (req: express.Request) => void | Promise<void>;
const audit: Maybe = () => undefined;
app.use((req, res, next) => {
  audit(req);
  next();
});
`,
    },
    {
      name: 'plain JavaScript without types: calls that may or may not return promises stay quiet',
      fileName: 'app.js',
      untyped: true,
      code: `const express = require('express');
const db = require('./db');
const mailer = require('./mailer');
const app = express();

app.post('/signup', (req, res) => {
  db.query('INSERT INTO users (email) VALUES ($1)', [req.body.email]);
  mailer.send({ to: req.body.email }, (err) => {
    if (err) console.error(err);
  });
  res.status(201).send('ok');
});
`,
    },
    {
      name: 'plain JavaScript: awaited fs/promises and timers/promises',
      fileName: 'app.js',
      untyped: true,
      code: `const express = require('express');
const fs = require('fs/promises');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

app.get('/config', async (req, res) => {
  await sleep(10);
  const text = await fs.readFile('config.json', 'utf8');
  res.type('json').send(text);
});
`,
    },
    {
      name: 'a suppressed line is not reported',
      code: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
app.get('/x', (req, res) => {
  // context-pool-lint-disable-next-line unawaited-background-work
  sendMail('ops@example.com');
  res.send('ok');
});
`,
    },
    {
      name: 'a promise stored in an object that is returned',
      code: `import Router from '@koa/router';
const router = new Router();
async function exportReport(id: string): Promise<string> { return id; }
router.post('/reports', async (ctx) => {
  const job = exportReport('r1');
  ctx.state.pending = { job };
  ctx.status = 202;
});
`,
    },
    {
      name: 'forEach callback that returns no promise, and a .map that is awaited later',
      code: `import express from 'express';
const app = express();
async function save(id: string): Promise<void> {}
app.post('/bulk', async (req, res) => {
  const ids: string[] = req.body.ids;
  const seen = new Set<string>();
  ids.forEach((id) => {
    seen.add(id);
  });
  const saving = ids.map((id) => save(id));
  res.status(202).json({ count: seen.size });
  await Promise.all(saving);
});
`,
    },
    {
      name: 'mysql2 callback API: a Query object is not a promise',
      code: `import express from 'express';
import mysql from 'mysql2';
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
const app = express();
app.post('/visits', (req, res) => {
  pool.query('UPDATE counters SET visits = visits + 1', (error) => {
    if (error) console.error(error);
  });
  res.sendStatus(204);
});
`,
    },
    {
      name: 'pg in its callback form returns nothing: syntax leaves a package call given a callback to the types',
      code: `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const app = express();
app.post('/visits', (req, res) => {
  pool.query('UPDATE counters SET visits = visits + 1', (error) => {
    if (error) console.error(error);
  });
  res.sendStatus(204);
});
`,
    },
    {
      name: 'a declared type laid over an async function decides what calling it gives',
      code: `import express from 'express';
type Hook = (req: express.Request) => void | Promise<void>;
const audit: Hook = async () => {};
const hooks = { notify: (async () => {}) as unknown as () => void };
const app = express();
app.use((req, res, next) => {
  audit(req);
  hooks.notify();
  next();
});
`,
    },
    {
      name: 'a destructured name shadows a module-level async function',
      code: `import express from 'express';
async function send(to: string): Promise<void> {}
const deps = { send(to: string): void {} };
const app = express();
app.post('/invite', (req, res) => {
  const { send } = deps;
  send('a@example.com');
  res.end();
});
`,
    },
    {
      name: 'a value reached through a declared type: the declared type, not the initializer, says what calling it gives',
      code: `import express from 'express';
interface Service {
  run(): void;
}
class Impl implements Service {
  async run(): Promise<void> {}
}
const svc: Service = new Impl();
class Deps {
  hooks: Service = new Impl();
}
const deps = new Deps();
function make(): Service {
  return new Impl();
}
const app = express();
app.post('/run', (req, res) => {
  svc.run();
  deps.hooks.run();
  make().run();
  res.end();
});
`,
    },
    {
      name: 'return types that may or may not be a promise stay quiet',
      code: `import express from 'express';
function maybeFlush(): Promise<void> | void {}
type Later = Promise<void> | void;
function later(): Later {}
const app = express();
app.post('/flush', (req, res) => {
  maybeFlush();
  later();
  res.end();
});
`,
    },
  ],
  invalid: [
    {
      name: "a function its callers call for effect is not made async (they would leak the promise instead)",
      code: `import express, { type Request } from 'express';

const app = express();

async function recordAudit(entry: { action: string; ip: string | undefined }): Promise<void> {
  await fetch('https://audit.internal/entries', { method: 'POST', body: JSON.stringify(entry) });
}

function auditAction(req: Request, action: string): void {
  recordAudit({ action, ip: req.ip });
}

app.post('/flags/:name', (req, res) => {
  auditAction(req, 'flag.set');
  res.sendStatus(204);
});
`,
      errors: [
        {
          line: 10, column: 3, endLine: 10, endColumn: 39,
          fixes: [{ title: "Detach explicitly with an error handler", preferred: false, output: `import express, { type Request } from 'express';

const app = express();

async function recordAudit(entry: { action: string; ip: string | undefined }): Promise<void> {
  await fetch('https://audit.internal/entries', { method: 'POST', body: JSON.stringify(entry) });
}

function auditAction(req: Request, action: string): void {
  void recordAudit({ action, ip: req.ip }).catch((error) => console.error(error));
}

app.post('/flags/:name', (req, res) => {
  auditAction(req, 'flag.set');
  res.sendStatus(204);
});
` }],
        },
      ],
    },
  {
    name: "Express: a background mail in a synchronous handler",
    code: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
app.get('/x', (req, res) => {
  sendMail('ops@example.com');
  res.send('ok');
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 31,
        message: "The promise from sendMail() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
app.get('/x', async (req, res) => {
  await sendMail('ops@example.com');
  res.send('ok');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
app.get('/x', (req, res) => {
  void sendMail('ops@example.com').catch((error) => console.error(error));
  res.send('ok');
});
` },
        ],
      },
    ],
  },
  {
    name: "Express: async handler fires a welcome mail after answering",
    code: `import express from 'express';
import { randomUUID } from 'node:crypto';
const router = express.Router();
async function sendWelcomeMail(email: string, name: string): Promise<void> {}
router.post('/users', async (req, res) => {
  const user = { id: randomUUID(), email: String(req.body.email), name: String(req.body.name) };
  res.status(201).json(user);
  sendWelcomeMail(user.email, user.name);
});
`,
    errors: [
      {
        line: 8, column: 3, endLine: 8, endColumn: 42,
        message: "The promise from sendWelcomeMail() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
import { randomUUID } from 'node:crypto';
const router = express.Router();
async function sendWelcomeMail(email: string, name: string): Promise<void> {}
router.post('/users', async (req, res) => {
  const user = { id: randomUUID(), email: String(req.body.email), name: String(req.body.name) };
  res.status(201).json(user);
  await sendWelcomeMail(user.email, user.name);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
import { randomUUID } from 'node:crypto';
const router = express.Router();
async function sendWelcomeMail(email: string, name: string): Promise<void> {}
router.post('/users', async (req, res) => {
  const user = { id: randomUUID(), email: String(req.body.email), name: String(req.body.name) };
  res.status(201).json(user);
  void sendWelcomeMail(user.email, user.name).catch((error) => console.error(error));
});
` },
        ],
      },
    ],
  },
  {
    name: "Express: a named handler with a declared void return type",
    code: `import express, { type Request, type Response } from 'express';
const app = express();
async function recordAudit(action: string, userId: string): Promise<void> {}
function deleteAccount(req: Request, res: Response): void {
  recordAudit('delete', req.params.id);
  res.sendStatus(204);
}
app.delete('/accounts/:id', deleteAccount);
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 40,
        message: "The promise from recordAudit() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express, { type Request, type Response } from 'express';
const app = express();
async function recordAudit(action: string, userId: string): Promise<void> {}
async function deleteAccount(req: Request, res: Response): Promise<void> {
  await recordAudit('delete', req.params.id);
  res.sendStatus(204);
}
app.delete('/accounts/:id', deleteAccount);
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express, { type Request, type Response } from 'express';
const app = express();
async function recordAudit(action: string, userId: string): Promise<void> {}
function deleteAccount(req: Request, res: Response): void {
  void recordAudit('delete', req.params.id).catch((error) => console.error(error));
  res.sendStatus(204);
}
app.delete('/accounts/:id', deleteAccount);
` },
        ],
      },
    ],
  },
  {
    name: "Express middleware: audit logging before next()",
    code: `import express from 'express';
const app = express();
async function auditLog(method: string, path: string) {}
app.use((req, res, next) => {
  auditLog(req.method, req.path);
  next();
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 34,
        message: "The promise from auditLog() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function auditLog(method: string, path: string) {}
app.use(async (req, res, next) => {
  await auditLog(req.method, req.path);
  next();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function auditLog(method: string, path: string) {}
app.use((req, res, next) => {
  void auditLog(req.method, req.path).catch((error) => console.error(error));
  next();
});
` },
        ],
      },
    ],
  },
  {
    name: "a promise stored in a variable that is never awaited",
    code: `import express from 'express';
const app = express();
async function reindex(id: string): Promise<number> { return 1; }
app.put('/products/:id', async (req, res) => {
  const reindexing = reindex(req.params.id);
  res.json({ ok: true });
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 45,
        message: "The promise stored in 'reindexing' is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function reindex(id: string): Promise<number> { return 1; }
app.put('/products/:id', async (req, res) => {
  const reindexing = await reindex(req.params.id);
  res.json({ ok: true });
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function reindex(id: string): Promise<number> { return 1; }
app.put('/products/:id', async (req, res) => {
  const reindexing = reindex(req.params.id);
  void reindexing.catch((error) => console.error(error));
  res.json({ ok: true });
});
` },
        ],
      },
    ],
  },
  {
    name: "a promise stored with a declared Promise type: no await fix",
    code: `import express from 'express';
const app = express();
async function warmCache(key: string): Promise<void> {}
app.get('/report', async (req, res) => {
  const warming: Promise<void> = warmCache('report');
  res.json({ ok: true });
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 54,
        message: "The promise stored in 'warming' is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function warmCache(key: string): Promise<void> {}
app.get('/report', async (req, res) => {
  const warming: Promise<void> = warmCache('report');
  void warming.catch((error) => console.error(error));
  res.json({ ok: true });
});
` },
        ],
      },
    ],
  },
  {
    name: ".then() chain without return",
    code: `import express from 'express';
const app = express();
app.post('/webhook', async (req, res) => {
  fetch('https://hooks.example.com/relay', { method: 'POST', body: JSON.stringify(req.body) })
    .then((response) => console.log('relayed', response.status));
  res.sendStatus(202);
});
`,
    errors: [
      {
        line: 4, column: 3, endLine: 4, endColumn: 95,
        message: "The promise from fetch().then() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
app.post('/webhook', async (req, res) => {
  await fetch('https://hooks.example.com/relay', { method: 'POST', body: JSON.stringify(req.body) })
    .then((response) => console.log('relayed', response.status));
  res.sendStatus(202);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
app.post('/webhook', async (req, res) => {
  void fetch('https://hooks.example.com/relay', { method: 'POST', body: JSON.stringify(req.body) })
    .then((response) => console.log('relayed', response.status)).catch((error) => console.error(error));
  res.sendStatus(202);
});
` },
        ],
      },
    ],
  },
  {
    name: ".catch() followed by .then() is not detached",
    code: `import express from 'express';
const app = express();
async function notify(id: string): Promise<string> { return id; }
app.post('/orders/:id/ship', async (req, res) => {
  notify(req.params.id).catch(() => 'failed').then((status) => console.log(status));
  res.sendStatus(204);
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 85,
        message: "The promise from notify().catch().then() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function notify(id: string): Promise<string> { return id; }
app.post('/orders/:id/ship', async (req, res) => {
  await notify(req.params.id).catch(() => 'failed').then((status) => console.log(status));
  res.sendStatus(204);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function notify(id: string): Promise<string> { return id; }
app.post('/orders/:id/ship', async (req, res) => {
  void notify(req.params.id).catch(() => 'failed').then((status) => console.log(status)).catch((error) => console.error(error));
  res.sendStatus(204);
});
` },
        ],
      },
    ],
  },
  {
    name: "forEach with an async callback",
    // `xs.forEach(cb)` becomes `xs.map(cb)` inside Promise.all (RULES.md §2.1).
    mayRemove: ['forEach'],
    code: `import express from 'express';
const app = express();
async function saveItem(item: { sku: string }): Promise<void> {}
app.post('/cart', async (req, res) => {
  const items: { sku: string }[] = req.body.items;
  items.forEach(async (item) => {
    await saveItem(item);
  });
  res.sendStatus(201);
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 34,
        message: "forEach() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function saveItem(item: { sku: string }): Promise<void> {}
app.post('/cart', async (req, res) => {
  const items: { sku: string }[] = req.body.items;
  await Promise.all(items.map(async (item) => {
    await saveItem(item);
  }));
  res.sendStatus(201);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function saveItem(item: { sku: string }): Promise<void> {}
app.post('/cart', async (req, res) => {
  const items: { sku: string }[] = req.body.items;
  void Promise.all(items.map(async (item) => {
    await saveItem(item);
  })).catch((error) => console.error(error));
  res.sendStatus(201);
});
` },
        ],
      },
    ],
  },
  {
    name: "forEach over a Set: reported, but map is not available for a fix",
    code: `import express from 'express';
const app = express();
async function invalidate(tag: string): Promise<void> {}
app.post('/purge', (req, res) => {
  const tags = new Set<string>(['home', 'products']);
  tags.forEach(async (tag) => {
    await invalidate(tag);
  });
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 32,
        message: "forEach() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
      },
    ],
  },
  {
    name: "an array of promises from map() used as a statement",
    code: `import express from 'express';
const app = express();
async function resize(id: string): Promise<void> {}
app.post('/images/resize', async (req, res) => {
  const ids: string[] = req.body.ids;
  ids.map(async (id) => resize(id));
  res.sendStatus(202);
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 37,
        message: "The promises from ids.map() are never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function resize(id: string): Promise<void> {}
app.post('/images/resize', async (req, res) => {
  const ids: string[] = req.body.ids;
  await Promise.all(ids.map(async (id) => resize(id)));
  res.sendStatus(202);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function resize(id: string): Promise<void> {}
app.post('/images/resize', async (req, res) => {
  const ids: string[] = req.body.ids;
  void Promise.all(ids.map(async (id) => resize(id))).catch((error) => console.error(error));
  res.sendStatus(202);
});
` },
        ],
      },
    ],
  },
  {
    name: "setTimeout with an async callback",
    code: `import express from 'express';
const app = express();
async function expireSession(id: string): Promise<void> {}
app.post('/logout', (req, res) => {
  const id = String(req.query.session);
  setTimeout(async () => {
    await expireSession(id);
  }, 60_000);
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 27,
        message: "setTimeout() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function expireSession(id: string): Promise<void> {}
app.post('/logout', (req, res) => {
  const id = String(req.query.session);
  setTimeout(async () => {
    try {
      await expireSession(id);
    } catch (error) {
      console.error(error);
    }
  }, 60_000);
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "setImmediate with a promise-returning callback",
    code: `import express from 'express';
const app = express();
async function refreshStats(): Promise<void> {}
app.get('/stats', (req, res) => {
  setImmediate(() => refreshStats());
  res.json({});
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 38,
        message: "setImmediate() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function refreshStats(): Promise<void> {}
app.get('/stats', (req, res) => {
  setImmediate(() => void refreshStats().catch((error) => console.error(error)));
  res.json({});
});
` },
        ],
      },
    ],
  },
  {
    name: "res.on('finish') with an async listener (access log)",
    code: `import express from 'express';
const app = express();
const db = { async insert(table: string, row: object): Promise<void> {} };
app.use((req, res, next) => {
  const started = Date.now();
  res.on('finish', async () => {
    const elapsedMs = Date.now() - started;
    await db.insert('access_log', { path: req.path, status: res.statusCode, elapsedMs });
  });
  next();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 33,
        message: "res.on() does not wait for its async listener, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
const db = { async insert(table: string, row: object): Promise<void> {} };
app.use((req, res, next) => {
  const started = Date.now();
  res.on('finish', async () => {
    try {
      const elapsedMs = Date.now() - started;
      await db.insert('access_log', { path: req.path, status: res.statusCode, elapsedMs });
    } catch (error) {
      console.error(error);
    }
  });
  next();
});
` },
        ],
      },
    ],
  },
  {
    name: "a listener function declared elsewhere: reported without a fix",
    code: `import express from 'express';
const app = express();
const metrics = { async push(name: string): Promise<void> {} };
async function recordMetrics(): Promise<void> {
  await metrics.push('health');
}
app.get('/health', (req, res) => {
  res.once('close', recordMetrics);
  res.send('ok');
});
`,
    errors: [
      {
        line: 8, column: 3, endLine: 8, endColumn: 36,
        message: "res.once() does not wait for its async listener, so the work can outlive the request and a failure becomes an unhandled rejection.",
      },
    ],
  },
  {
    name: "Koa router handler",
    code: `import Router from '@koa/router';
const router = new Router();
async function sendWelcome(email: string): Promise<void> {}
router.post('/signup', async (ctx) => {
  ctx.status = 201;
  sendWelcome(String(ctx.query.email));
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 40,
        message: "The promise from sendWelcome() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import Router from '@koa/router';
const router = new Router();
async function sendWelcome(email: string): Promise<void> {}
router.post('/signup', async (ctx) => {
  ctx.status = 201;
  await sendWelcome(String(ctx.query.email));
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import Router from '@koa/router';
const router = new Router();
async function sendWelcome(email: string): Promise<void> {}
router.post('/signup', async (ctx) => {
  ctx.status = 201;
  void sendWelcome(String(ctx.query.email)).catch((error) => console.error(error));
});
` },
        ],
      },
    ],
  },
  {
    name: "Hono on Workers: waitUntil is offered",
    code: `import { Hono } from 'hono';
const app = new Hono();
async function logVisit(path: string): Promise<void> {}
app.get('/', async (c) => {
  logVisit(c.req.path);
  c.executionCtx.waitUntil(logVisit('/home'));
  return c.text('hello');
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 24,
        message: "The promise from logVisit() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import { Hono } from 'hono';
const app = new Hono();
async function logVisit(path: string): Promise<void> {}
app.get('/', async (c) => {
  await logVisit(c.req.path);
  c.executionCtx.waitUntil(logVisit('/home'));
  return c.text('hello');
});
` },
          { title: "Hand it to waitUntil", preferred: false, output: `import { Hono } from 'hono';
const app = new Hono();
async function logVisit(path: string): Promise<void> {}
app.get('/', async (c) => {
  c.executionCtx.waitUntil(logVisit(c.req.path));
  c.executionCtx.waitUntil(logVisit('/home'));
  return c.text('hello');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import { Hono } from 'hono';
const app = new Hono();
async function logVisit(path: string): Promise<void> {}
app.get('/', async (c) => {
  void logVisit(c.req.path).catch((error) => console.error(error));
  c.executionCtx.waitUntil(logVisit('/home'));
  return c.text('hello');
});
` },
        ],
      },
    ],
  },
  {
    name: "Cloudflare Workers fetch handler: waitUntil is offered",
    fileName: "worker.ts",
    code: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    fetch('https://analytics.example.com/hit', { method: 'POST', body: request.url });
    return new Response('ok');
  },
};
`,
    errors: [
      {
        line: 6, column: 5, endLine: 6, endColumn: 87,
        message: "The promise from fetch() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    await fetch('https://analytics.example.com/hit', { method: 'POST', body: request.url });
    return new Response('ok');
  },
};
` },
          { title: "Hand it to waitUntil", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    ctx.waitUntil(fetch('https://analytics.example.com/hit', { method: 'POST', body: request.url }));
    return new Response('ok');
  },
};
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    void fetch('https://analytics.example.com/hit', { method: 'POST', body: request.url }).catch((error) => console.error(error));
    return new Response('ok');
  },
};
` },
        ],
      },
    ],
  },
  {
    name: "Next.js route handler",
    fileName: "route.ts",
    code: `async function revalidateTag(tag: string): Promise<void> {}
export async function POST(request: Request) {
  const body = await request.json();
  revalidateTag(String(body.tag));
  return Response.json({ revalidated: true });
}
`,
    errors: [
      {
        line: 4, column: 3, endLine: 4, endColumn: 35,
        message: "The promise from revalidateTag() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `async function revalidateTag(tag: string): Promise<void> {}
export async function POST(request: Request) {
  const body = await request.json();
  await revalidateTag(String(body.tag));
  return Response.json({ revalidated: true });
}
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `async function revalidateTag(tag: string): Promise<void> {}
export async function POST(request: Request) {
  const body = await request.json();
  void revalidateTag(String(body.tag)).catch((error) => console.error(error));
  return Response.json({ revalidated: true });
}
` },
        ],
      },
    ],
  },
  {
    name: "Fastify hook that takes done must stay synchronous: no await fix",
    code: `import Fastify from 'fastify';
const app = Fastify();
async function audit(id: string): Promise<void> {}
app.addHook('onRequest', (request, reply, done) => {
  audit(request.id);
  done();
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 21,
        message: "The promise from audit() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import Fastify from 'fastify';
const app = Fastify();
async function audit(id: string): Promise<void> {}
app.addHook('onRequest', (request, reply, done) => {
  void audit(request.id).catch((error) => console.error(error));
  done();
});
` },
        ],
      },
    ],
  },
  {
    name: "Fastify route: the background call is reported, reply.send() is not",
    code: `import Fastify from 'fastify';
const app = Fastify();
async function trackView(url: string): Promise<void> {}
app.get('/articles/:id', async (request, reply) => {
  trackView(request.url);
  reply.code(200).send({ id: 1 });
  return reply;
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 26,
        message: "The promise from trackView() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import Fastify from 'fastify';
const app = Fastify();
async function trackView(url: string): Promise<void> {}
app.get('/articles/:id', async (request, reply) => {
  await trackView(request.url);
  reply.code(200).send({ id: 1 });
  return reply;
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import Fastify from 'fastify';
const app = Fastify();
async function trackView(url: string): Promise<void> {}
app.get('/articles/:id', async (request, reply) => {
  void trackView(request.url).catch((error) => console.error(error));
  reply.code(200).send({ id: 1 });
  return reply;
});
` },
        ],
      },
    ],
  },
  {
    name: "inside a .then() callback: the callback is made async",
    code: `import express from 'express';
const app = express();
async function loadOrder(id: string) { return { id, total: 10 }; }
async function archive(id: string): Promise<void> {}
app.get('/orders/:id', (req, res) => {
  loadOrder(req.params.id).then((order) => {
    archive(order.id);
    res.json(order);
  }, (error) => res.status(500).json({ error: String(error) }));
});
`,
    errors: [
      {
        line: 7, column: 5, endLine: 7, endColumn: 23,
        message: "The promise from archive() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function loadOrder(id: string) { return { id, total: 10 }; }
async function archive(id: string): Promise<void> {}
app.get('/orders/:id', (req, res) => {
  loadOrder(req.params.id).then(async (order) => {
    await archive(order.id);
    res.json(order);
  }, (error) => res.status(500).json({ error: String(error) }));
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function loadOrder(id: string) { return { id, total: 10 }; }
async function archive(id: string): Promise<void> {}
app.get('/orders/:id', (req, res) => {
  loadOrder(req.params.id).then((order) => {
    void archive(order.id).catch((error) => console.error(error));
    res.json(order);
  }, (error) => res.status(500).json({ error: String(error) }));
});
` },
        ],
      },
    ],
  },
  {
    name: "inside a Promise executor: only detaching is safe",
    code: `import express from 'express';
const app = express();
async function flush(): Promise<void> {}
app.get('/drain', async (req, res) => {
  await new Promise<void>((resolve) => {
    flush();
    res.once('close', () => resolve());
  });
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 5, endLine: 6, endColumn: 13,
        message: "The promise from flush() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function flush(): Promise<void> {}
app.get('/drain', async (req, res) => {
  await new Promise<void>((resolve) => {
    void flush().catch((error) => console.error(error));
    res.once('close', () => resolve());
  });
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "a conditional background call",
    code: `import express from 'express';
const app = express();
async function sendReceipt(email: string): Promise<void> {}
app.post('/checkout', async (req, res) => {
  const email: string | undefined = req.body.email;
  email && sendReceipt(email);
  if (req.body.copy) sendReceipt('copies@example.com');
  res.sendStatus(201);
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 31,
        message: "The promise from sendReceipt() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function sendReceipt(email: string): Promise<void> {}
app.post('/checkout', async (req, res) => {
  const email: string | undefined = req.body.email;
  await (email && sendReceipt(email));
  if (req.body.copy) sendReceipt('copies@example.com');
  res.sendStatus(201);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function sendReceipt(email: string): Promise<void> {}
app.post('/checkout', async (req, res) => {
  const email: string | undefined = req.body.email;
  void Promise.resolve(email && sendReceipt(email)).catch((error) => console.error(error));
  if (req.body.copy) sendReceipt('copies@example.com');
  res.sendStatus(201);
});
` },
        ],
      },
      {
        line: 7, column: 22, endLine: 7, endColumn: 56,
        message: "The promise from sendReceipt() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function sendReceipt(email: string): Promise<void> {}
app.post('/checkout', async (req, res) => {
  const email: string | undefined = req.body.email;
  email && sendReceipt(email);
  if (req.body.copy) await sendReceipt('copies@example.com');
  res.sendStatus(201);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function sendReceipt(email: string): Promise<void> {}
app.post('/checkout', async (req, res) => {
  const email: string | undefined = req.body.email;
  email && sendReceipt(email);
  if (req.body.copy) void sendReceipt('copies@example.com').catch((error) => console.error(error));
  res.sendStatus(201);
});
` },
        ],
      },
    ],
  },
  {
    name: "tagged template queries, thenables without catch, IIFEs, Promise.all",
    code: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 36,
        message: "The promise from sql`...` is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  await sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  void sql\`UPDATE visits SET n = n + 1\`.catch((error) => console.error(error));
  cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
        ],
      },
      {
        line: 7, column: 3, endLine: 7, endColumn: 53,
        message: "The promise from cache.set() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  await cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  void Promise.resolve(cache.set('last-visit', new Date().toISOString())).catch((error) => console.error(error));
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
        ],
      },
      {
        line: 8, column: 3, endLine: 8, endColumn: 17,
        message: "The promise from this immediately invoked async function is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  await (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  void (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })().catch((error) => console.error(error));
  Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
        ],
      },
      {
        line: 11, column: 3, endLine: 11, endColumn: 47,
        message: "The promise from Promise.all() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  await Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]);
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
declare const cache: { set(key: string, value: string): PromiseLike<void> };
app.post('/visits', async (req, res) => {
  sql\`UPDATE visits SET n = n + 1\`;
  cache.set('last-visit', new Date().toISOString());
  (async () => {
    await sql\`DELETE FROM visits WHERE n > 1000\`;
  })();
  void Promise.all([sql\`SELECT 1\`, sql\`SELECT 2\`]).catch((error) => console.error(error));
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "node:http server (JavaScript, untyped)",
    fileName: "server.js",
    untyped: true,
    code: `const http = require('node:http');
const fs = require('node:fs/promises');

http.createServer((req, res) => {
  fs.appendFile('requests.log', req.url + '\\n');
  res.end('ok');
}).listen(3000);
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 49,
        message: "The promise from fs.appendFile() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const http = require('node:http');
const fs = require('node:fs/promises');

http.createServer(async (req, res) => {
  await fs.appendFile('requests.log', req.url + '\\n');
  res.end('ok');
}).listen(3000);
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const http = require('node:http');
const fs = require('node:fs/promises');

http.createServer((req, res) => {
  void fs.appendFile('requests.log', req.url + '\\n').catch((error) => console.error(error));
  res.end('ok');
}).listen(3000);
` },
        ],
      },
    ],
  },
  {
    name: "Express in plain JavaScript with no types: async functions, new Promise, timers/promises",
    fileName: "app.js",
    untyped: true,
    code: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', function (req, res) {
  sendSlackAlert(req.body.text);
  sleep(100).then(() => console.log('cooled down'));
  new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
`,
    errors: [
      {
        line: 10, column: 3, endLine: 10, endColumn: 33,
        message: "The promise from sendSlackAlert() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', async function (req, res) {
  await sendSlackAlert(req.body.text);
  sleep(100).then(() => console.log('cooled down'));
  new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', function (req, res) {
  void sendSlackAlert(req.body.text).catch((error) => console.error(error));
  sleep(100).then(() => console.log('cooled down'));
  new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
` },
        ],
      },
      {
        line: 11, column: 3, endLine: 11, endColumn: 53,
        message: "The promise from sleep().then() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', async function (req, res) {
  sendSlackAlert(req.body.text);
  await sleep(100).then(() => console.log('cooled down'));
  new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', function (req, res) {
  sendSlackAlert(req.body.text);
  void sleep(100).then(() => console.log('cooled down')).catch((error) => console.error(error));
  new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
` },
        ],
      },
      {
        line: 12, column: 3, endLine: 12, endColumn: 47,
        message: "The promise from new Promise() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', async function (req, res) {
  sendSlackAlert(req.body.text);
  sleep(100).then(() => console.log('cooled down'));
  await new Promise((resolve) => resolve(req.body));
  res.status(202).send('queued');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const express = require('express');
const { setTimeout: sleep } = require('timers/promises');
const app = express();

async function sendSlackAlert(text) {
  await fetch('https://hooks.slack.com/x', { method: 'POST', body: JSON.stringify({ text }) });
}

app.post('/alerts', function (req, res) {
  sendSlackAlert(req.body.text);
  sleep(100).then(() => console.log('cooled down'));
  void new Promise((resolve) => resolve(req.body)).catch((error) => console.error(error));
  res.status(202).send('queued');
});
` },
        ],
      },
    ],
  },
  {
    name: "Koa middleware in JavaScript, recognised by its parameter shape",
    fileName: "middleware.js",
    untyped: true,
    code: `async function persistSession(session) {}

module.exports = async function session(ctx, next) {
  await next();
  persistSession(ctx.session);
};
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 31,
        message: "The promise from persistSession() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `async function persistSession(session) {}

module.exports = async function session(ctx, next) {
  await next();
  await persistSession(ctx.session);
};
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `async function persistSession(session) {}

module.exports = async function session(ctx, next) {
  await next();
  void persistSession(ctx.session).catch((error) => console.error(error));
};
` },
        ],
      },
    ],
  },
  {
    name: "tab-indented file with CRLF line endings",
    code: "import express from 'express';\r\nconst app = express();\r\nasync function ping(): Promise<void> {}\r\napp.get('/', (req, res) => {\r\n\tres.on('finish', async () => {\r\n\t\tawait ping();\r\n\t});\r\n\tres.end();\r\n});\r\n",
    errors: [
      {
        line: 5, column: 2, endLine: 5, endColumn: 32,
        message: "res.on() does not wait for its async listener, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: "import express from 'express';\r\nconst app = express();\r\nasync function ping(): Promise<void> {}\r\napp.get('/', (req, res) => {\r\n\tres.on('finish', async () => {\r\n\t\ttry {\r\n\t\t\tawait ping();\r\n\t\t} catch (error) {\r\n\t\t\tconsole.error(error);\r\n\t\t}\r\n\t});\r\n\tres.end();\r\n});\r\n" },
        ],
      },
    ],
  },
  {
    name: "two background calls in one handler are fixed together",
    code: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
async function bumpCounter(): Promise<void> {}
app.post('/contact', (req, res) => {
  sendMail('sales@example.com');
  bumpCounter();
  res.redirect('/thanks');
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 33,
        message: "The promise from sendMail() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
async function bumpCounter(): Promise<void> {}
app.post('/contact', async (req, res) => {
  await sendMail('sales@example.com');
  bumpCounter();
  res.redirect('/thanks');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
async function bumpCounter(): Promise<void> {}
app.post('/contact', (req, res) => {
  void sendMail('sales@example.com').catch((error) => console.error(error));
  bumpCounter();
  res.redirect('/thanks');
});
` },
        ],
      },
      {
        line: 7, column: 3, endLine: 7, endColumn: 17,
        message: "The promise from bumpCounter() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
async function bumpCounter(): Promise<void> {}
app.post('/contact', async (req, res) => {
  sendMail('sales@example.com');
  await bumpCounter();
  res.redirect('/thanks');
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function sendMail(to: string): Promise<void> {}
async function bumpCounter(): Promise<void> {}
app.post('/contact', (req, res) => {
  sendMail('sales@example.com');
  void bumpCounter().catch((error) => console.error(error));
  res.redirect('/thanks');
});
` },
        ],
      },
    ],
  },
  {
    name: "error middleware reporting to an external service",
    code: `import express, { type NextFunction, type Request, type Response } from 'express';
const app = express();
async function reportError(error: unknown): Promise<void> {}
app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  reportError(err);
  res.status(500).json({ error: 'internal error' });
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 20,
        message: "The promise from reportError() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express, { type NextFunction, type Request, type Response } from 'express';
const app = express();
async function reportError(error: unknown): Promise<void> {}
app.use(async (err: Error, req: Request, res: Response, next: NextFunction) => {
  await reportError(err);
  res.status(500).json({ error: 'internal error' });
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express, { type NextFunction, type Request, type Response } from 'express';
const app = express();
async function reportError(error: unknown): Promise<void> {}
app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  void reportError(err).catch((error) => console.error(error));
  res.status(500).json({ error: 'internal error' });
});
` },
        ],
      },
    ],
  },
  {
    name: "queueMicrotask and process.nextTick with async callbacks",
    code: `import express from 'express';
const app = express();
async function warm(key: string): Promise<void> {}
app.get('/warm', (req, res) => {
  queueMicrotask(async () => { await warm('a'); });
  process.nextTick(async () => warm('b'));
  res.end();
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 52,
        message: "queueMicrotask() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function warm(key: string): Promise<void> {}
app.get('/warm', (req, res) => {
  queueMicrotask(async () => { try { await warm('a'); } catch (error) { console.error(error); } });
  process.nextTick(async () => warm('b'));
  res.end();
});
` },
        ],
      },
      {
        line: 6, column: 3, endLine: 6, endColumn: 43,
        message: "process.nextTick() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function warm(key: string): Promise<void> {}
app.get('/warm', (req, res) => {
  queueMicrotask(async () => { await warm('a'); });
  process.nextTick(async () => warm('b').catch((error) => console.error(error)));
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "optional chaining on a client that may be missing",
    code: `import express from 'express';
const app = express();
declare const queue: { add(job: string): Promise<void> } | undefined;
app.post('/jobs', async (req, res) => {
  queue?.add('resize');
  res.sendStatus(202);
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 24,
        message: "The promise from queue.add() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
declare const queue: { add(job: string): Promise<void> } | undefined;
app.post('/jobs', async (req, res) => {
  await queue?.add('resize');
  res.sendStatus(202);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
declare const queue: { add(job: string): Promise<void> } | undefined;
app.post('/jobs', async (req, res) => {
  void queue?.add('resize').catch((error) => console.error(error));
  res.sendStatus(202);
});
` },
        ],
      },
    ],
  },
  {
    name: "safeCalls covers some calls but not others",
    settings: {"safeCalls":["analytics.track"]},
    code: `import express from 'express';
const app = express();
const analytics = { async track(event: string): Promise<void> {}, async flush(): Promise<void> {} };
app.get('/', async (req, res) => {
  analytics.track('home');
  analytics.flush();
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 21,
        message: "The promise from analytics.flush() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
const analytics = { async track(event: string): Promise<void> {}, async flush(): Promise<void> {} };
app.get('/', async (req, res) => {
  analytics.track('home');
  await analytics.flush();
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
const analytics = { async track(event: string): Promise<void> {}, async flush(): Promise<void> {} };
app.get('/', async (req, res) => {
  analytics.track('home');
  void analytics.flush().catch((error) => console.error(error));
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "a handler typed as RequestHandler",
    code: `import express, { type RequestHandler } from 'express';
const app = express();
async function touchSession(id: string): Promise<void> {}
const showProfile: RequestHandler = (req, res) => {
  touchSession(String(req.headers['x-session-id']));
  res.json({ name: 'Ada' });
};
app.get('/me', showProfile);
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 53,
        message: "The promise from touchSession() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express, { type RequestHandler } from 'express';
const app = express();
async function touchSession(id: string): Promise<void> {}
const showProfile: RequestHandler = async (req, res) => {
  await touchSession(String(req.headers['x-session-id']));
  res.json({ name: 'Ada' });
};
app.get('/me', showProfile);
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express, { type RequestHandler } from 'express';
const app = express();
async function touchSession(id: string): Promise<void> {}
const showProfile: RequestHandler = (req, res) => {
  void touchSession(String(req.headers['x-session-id'])).catch((error) => console.error(error));
  res.json({ name: 'Ada' });
};
app.get('/me', showProfile);
` },
        ],
      },
    ],
  },
  {
    name: ".finally() alone does not handle a failure",
    code: `import express from 'express';
const app = express();
async function releaseLock(key: string): Promise<void> {}
app.post('/unlock', async (req, res) => {
  releaseLock('orders').finally(() => console.log('released'));
  res.end();
});
`,
    errors: [
      {
        line: 5, column: 3, endLine: 5, endColumn: 64,
        message: "The promise from releaseLock().finally() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function releaseLock(key: string): Promise<void> {}
app.post('/unlock', async (req, res) => {
  await releaseLock('orders').finally(() => console.log('released'));
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function releaseLock(key: string): Promise<void> {}
app.post('/unlock', async (req, res) => {
  void releaseLock('orders').finally(() => console.log('released')).catch((error) => console.error(error));
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: "an array of upload promises kept in a variable that is never used",
    code: `import express from 'express';
const app = express();
async function upload(name: string): Promise<string> { return name; }
app.post('/files', async (req, res) => {
  const names: string[] = req.body.names;
  const uploads = names.map((name) => upload(name));
  res.sendStatus(202);
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 53,
        message: "The promises stored in 'uploads' are never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
async function upload(name: string): Promise<string> { return name; }
app.post('/files', async (req, res) => {
  const names: string[] = req.body.names;
  const uploads = await Promise.all(names.map((name) => upload(name)));
  res.sendStatus(202);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
async function upload(name: string): Promise<string> { return name; }
app.post('/files', async (req, res) => {
  const names: string[] = req.body.names;
  const uploads = names.map((name) => upload(name));
  void Promise.all(uploads).catch((error) => console.error(error));
  res.sendStatus(202);
});
` },
        ],
      },
    ],
  },
  {
    name: "Workers: a stored promise and a forEach can be handed to waitUntil",
    // `xs.forEach(cb)` becomes `xs.map(cb)` inside Promise.all (RULES.md §2.1).
    mayRemove: ['forEach'],
    fileName: "worker.ts",
    code: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    const urls = ['/a', '/b'];
    urls.forEach(async (url) => {
      await purge(url);
    });
    return new Response('ok');
  },
};
`,
    errors: [
      {
        line: 7, column: 5, endLine: 7, endColumn: 34,
        message: "The promise stored in 'logged' is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = await purge('/log');
    const urls = ['/a', '/b'];
    urls.forEach(async (url) => {
      await purge(url);
    });
    return new Response('ok');
  },
};
` },
          { title: "Hand it to waitUntil", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    ctx.waitUntil(logged);
    const urls = ['/a', '/b'];
    urls.forEach(async (url) => {
      await purge(url);
    });
    return new Response('ok');
  },
};
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    void logged.catch((error) => console.error(error));
    const urls = ['/a', '/b'];
    urls.forEach(async (url) => {
      await purge(url);
    });
    return new Response('ok');
  },
};
` },
        ],
      },
      {
        line: 9, column: 5, endLine: 9, endColumn: 34,
        message: "forEach() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    const urls = ['/a', '/b'];
    await Promise.all(urls.map(async (url) => {
      await purge(url);
    }));
    return new Response('ok');
  },
};
` },
          { title: "Hand it to waitUntil", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    const urls = ['/a', '/b'];
    ctx.waitUntil(Promise.all(urls.map(async (url) => {
      await purge(url);
    })));
    return new Response('ok');
  },
};
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
async function purge(url: string): Promise<void> {}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    const logged = purge('/log');
    const urls = ['/a', '/b'];
    void Promise.all(urls.map(async (url) => {
      await purge(url);
    })).catch((error) => console.error(error));
    return new Response('ok');
  },
};
` },
        ],
      },
    ],
  },
  {
    name: "Fastify plugin route in JavaScript with fs.promises",
    fileName: "routes.js",
    untyped: true,
    code: `const fs = require('fs');
const Fastify = require('fastify');
const app = Fastify();

app.register(async function routes(instance, opts) {
  instance.post('/upload', async (request, reply) => {
    fs.promises.writeFile('last-upload.json', JSON.stringify(request.body));
    return { ok: true };
  });
});
`,
    errors: [
      {
        line: 7, column: 5, endLine: 7, endColumn: 77,
        message: "The promise from fs.promises.writeFile() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const fs = require('fs');
const Fastify = require('fastify');
const app = Fastify();

app.register(async function routes(instance, opts) {
  instance.post('/upload', async (request, reply) => {
    await fs.promises.writeFile('last-upload.json', JSON.stringify(request.body));
    return { ok: true };
  });
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const fs = require('fs');
const Fastify = require('fastify');
const app = Fastify();

app.register(async function routes(instance, opts) {
  instance.post('/upload', async (request, reply) => {
    void fs.promises.writeFile('last-upload.json', JSON.stringify(request.body)).catch((error) => console.error(error));
    return { ok: true };
  });
});
` },
        ],
      },
    ],
  },
  {
    name: "Express router in JavaScript: an async forEach over request data",
    // `xs.forEach(cb)` becomes `xs.map(cb)` inside Promise.all (RULES.md §2.1).
    mayRemove: ['forEach'],
    fileName: "orders.js",
    untyped: true,
    code: `const express = require('express');
const router = express.Router();

async function reserveStock(sku, quantity) {}

router.post('/orders', (req, res) => {
  req.body.lines.forEach(async (line) => {
    await reserveStock(line.sku, line.quantity);
  });
  res.status(201).json({ ok: true });
});

module.exports = router;
`,
    errors: [
      {
        line: 7, column: 3, endLine: 7, endColumn: 43,
        message: "forEach() does not wait for its async callback, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `const express = require('express');
const router = express.Router();

async function reserveStock(sku, quantity) {}

router.post('/orders', async (req, res) => {
  await Promise.all(req.body.lines.map(async (line) => {
    await reserveStock(line.sku, line.quantity);
  }));
  res.status(201).json({ ok: true });
});

module.exports = router;
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `const express = require('express');
const router = express.Router();

async function reserveStock(sku, quantity) {}

router.post('/orders', (req, res) => {
  void Promise.all(req.body.lines.map(async (line) => {
    await reserveStock(line.sku, line.quantity);
  })).catch((error) => console.error(error));
  res.status(201).json({ ok: true });
});

module.exports = router;
` },
        ],
      },
    ],
  },
  {
    name: "objects hung off res.locals are not the response: their promises are still checked",
    code: `import express from 'express';
const app = express();
interface Session {
  save(): Promise<void>;
}
app.post('/preferences', (req, res) => {
  res.status(200);
  (res.locals.session as Session).save();
  res.json({ saved: true });
});
`,
    errors: [
      {
        line: 8, column: 3, endLine: 8, endColumn: 42,
        message: "The promise from res.locals.session.save() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
const app = express();
interface Session {
  save(): Promise<void>;
}
app.post('/preferences', async (req, res) => {
  res.status(200);
  await (res.locals.session as Session).save();
  res.json({ saved: true });
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
const app = express();
interface Session {
  save(): Promise<void>;
}
app.post('/preferences', (req, res) => {
  res.status(200);
  void (res.locals.session as Session).save().catch((error) => console.error(error));
  res.json({ saved: true });
});
` },
        ],
      },
    ],
  },
  {
    name: "pg: an audit insert nobody waits for, and mysql2/promise",
    code: `import express from 'express';
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
const pool = new Pool();
const analytics = mysql.createPool({ uri: process.env.ANALYTICS_URL });
const app = express();
app.delete('/posts/:id', async (req, res) => {
  await pool.query('DELETE FROM posts WHERE id = $1', [req.params.id]);
  pool.query('INSERT INTO audit (action, target) VALUES ($1, $2)', ['delete', req.params.id]);
  analytics.execute('UPDATE counters SET deletes = deletes + 1');
  res.sendStatus(204);
});
`,
    errors: [
      {
        line: 9, column: 3, endLine: 9, endColumn: 95,
        message: "The promise from pool.query() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
const pool = new Pool();
const analytics = mysql.createPool({ uri: process.env.ANALYTICS_URL });
const app = express();
app.delete('/posts/:id', async (req, res) => {
  await pool.query('DELETE FROM posts WHERE id = $1', [req.params.id]);
  await pool.query('INSERT INTO audit (action, target) VALUES ($1, $2)', ['delete', req.params.id]);
  analytics.execute('UPDATE counters SET deletes = deletes + 1');
  res.sendStatus(204);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
const pool = new Pool();
const analytics = mysql.createPool({ uri: process.env.ANALYTICS_URL });
const app = express();
app.delete('/posts/:id', async (req, res) => {
  await pool.query('DELETE FROM posts WHERE id = $1', [req.params.id]);
  void pool.query('INSERT INTO audit (action, target) VALUES ($1, $2)', ['delete', req.params.id]).catch((error) => console.error(error));
  analytics.execute('UPDATE counters SET deletes = deletes + 1');
  res.sendStatus(204);
});
` },
        ],
      },
      {
        line: 10, column: 3, endLine: 10, endColumn: 66,
        message: "The promise from analytics.execute() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
const pool = new Pool();
const analytics = mysql.createPool({ uri: process.env.ANALYTICS_URL });
const app = express();
app.delete('/posts/:id', async (req, res) => {
  await pool.query('DELETE FROM posts WHERE id = $1', [req.params.id]);
  pool.query('INSERT INTO audit (action, target) VALUES ($1, $2)', ['delete', req.params.id]);
  await analytics.execute('UPDATE counters SET deletes = deletes + 1');
  res.sendStatus(204);
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
import { Pool } from 'pg';
import mysql from 'mysql2/promise';
const pool = new Pool();
const analytics = mysql.createPool({ uri: process.env.ANALYTICS_URL });
const app = express();
app.delete('/posts/:id', async (req, res) => {
  await pool.query('DELETE FROM posts WHERE id = $1', [req.params.id]);
  pool.query('INSERT INTO audit (action, target) VALUES ($1, $2)', ['delete', req.params.id]);
  void analytics.execute('UPDATE counters SET deletes = deletes + 1').catch((error) => console.error(error));
  res.sendStatus(204);
});
` },
        ],
      },
    ],
  },
  {
    name: "an element taken from an array may be a promise: syntax leaves it to the types",
    code: `import express from 'express';
async function step(n: number): Promise<void> {}
const app = express();
app.post('/steps', async (req, res) => {
  const steps = [1, 2, 3];
  const chain = steps.reduce((p, n) => p.then(() => step(n)), Promise.resolve());
  res.end();
});
`,
    errors: [
      {
        line: 6, column: 3, endLine: 6, endColumn: 82,
        message: "The promise stored in 'chain' is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
        fixes: [
          { title: "Await the background work", preferred: true, output: `import express from 'express';
async function step(n: number): Promise<void> {}
const app = express();
app.post('/steps', async (req, res) => {
  const steps = [1, 2, 3];
  const chain = await steps.reduce((p, n) => p.then(() => step(n)), Promise.resolve());
  res.end();
});
` },
          { title: "Detach explicitly with an error handler", preferred: false, output: `import express from 'express';
async function step(n: number): Promise<void> {}
const app = express();
app.post('/steps', async (req, res) => {
  const steps = [1, 2, 3];
  const chain = steps.reduce((p, n) => p.then(() => step(n)), Promise.resolve());
  void chain.catch((error) => console.error(error));
  res.end();
});
` },
        ],
      },
    ],
  },
  ],
});

// The rule answers the benchmark's questions from syntax: a handler like the generated ones must
// not build the type checker for this rule (RULES.md §2.1; the checker is only the fallback).
describe('unawaited-background-work without the type checker', () => {
  it('decides calls to known packages, built-ins and project functions from syntax', () => {
    const code = `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
class Scratch {
  items: string[] = [];
  summary(): string {
    return this.items.join(', ');
  }
  reset(): void {
    this.items.length = 0;
  }
}
class ScratchPool {
  private readonly free: Scratch[] = [];
  acquire(): Scratch {
    return this.free.pop() ?? new Scratch();
  }
  release(scratch: Scratch): void {
    this.free.push(scratch);
  }
}
const scratchPool = new ScratchPool();
async function audit(event: string, id: number): Promise<void> {
  await pool.query('INSERT INTO audit (event, id) VALUES ($1, $2)', [event, id]);
}
function parseId(raw: unknown): number | undefined {
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
const app = express();
app.get('/items/:id', async (req, res) => {
  const id = parseId(req.params.id);
  const limit = Math.min(Number(req.query.limit ?? 10), 100);
  const requestAbort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) requestAbort.abort();
  });
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
  const scratch = scratchPool.acquire();
  scratch.items.push('a');
  const summary = scratch.summary();
  scratch.reset();
  scratchPool.release(scratch);
  audit('viewed', id ?? 0);
  const pending = audit('listed', limit);
  res.json({ id, limit, summary });
});
`;
    const checker = Object.getOwnPropertyDescriptor(TypeInfo.prototype, 'checker')!;
    const askedFrom: string[] = [];
    Object.defineProperty(TypeInfo.prototype, 'checker', {
      configurable: true,
      get(this: TypeInfo) {
        const stack = new Error().stack ?? '';
        if (stack.includes('unawaitedBackgroundWork')) askedFrom.push(stack.split('\n').slice(2, 4).join(' < '));
        return checker.get!.call(this);
      },
    });
    try {
      const run = analyse('unawaited-background-work', { code });
      try {
        assert.deepEqual(
          run.findings.map((f) => f.message),
          [
            "The promise from audit() is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
            "The promise stored in 'pending' is never awaited, so the work can outlive the request and a failure becomes an unhandled rejection.",
          ],
        );
        assert.deepEqual(run.findings.map((f) => f.fixes.map((x) => x.title)), [
          ['Await the background work', 'Detach explicitly with an error handler'],
          ['Await the background work', 'Detach explicitly with an error handler'],
        ]);
      } finally {
        run.dispose();
      }
    } finally {
      Object.defineProperty(TypeInfo.prototype, 'checker', checker);
    }
    assert.deepEqual(askedFrom, [], 'the rule asked the type checker');
  });
});

// ----- NestJS and @grpc/grpc-js request scopes (RULES.md §1 table) ----------------------------------

ruleTester('unawaited-background-work', {
  valid: [
  {
    name: "Nest controller awaiting the injected service",
    code: `import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class AuditService {
  async record(event: string, payload: unknown): Promise<void> {
    await fetch('https://audit.example.com/', { method: 'POST', body: JSON.stringify({ event, payload }) });
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly audit: AuditService) {}

  @Post()
  async create(@Body() body: { sku: string }) {
    await this.audit.record('order.created', body);
    return { ok: true };
  }
}
`,
  },
  {
    name: "Nest interceptor handing the promise to an Observable it returns",
    code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';

async function warmCache(path: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, path));
}

@Injectable()
export class WarmInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(warmCache(context.getHandler().name)).pipe(switchMap(() => next.handle()));
  }
}
`,
  },
  {
    name: "Nest: onModuleInit and service methods are not request scopes",
    code: `import { Injectable, OnModuleInit } from '@nestjs/common';

async function load(name: string): Promise<string> {
  return name;
}

@Injectable()
export class CatalogService implements OnModuleInit {
  onModuleInit() {
    load('catalog');
  }
  refreshLater() {
    load('catalog');
  }
}
`,
  },
  {
    name: "Nest middleware in plain JavaScript awaiting its work (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const { Injectable } = require('@nestjs/common');

async function logRequest(url) {
  await new Promise((resolve) => setTimeout(resolve, 10, url));
}

@Injectable()
class LoggerMiddleware {
  async use(req, res, next) {
    await logRequest(req.url);
    next();
  }
}
module.exports = { LoggerMiddleware };
`,
  },
  {
    name: "gRPC method that awaits before calling back, and one that detaches explicitly",
    code: `import * as grpc from '@grpc/grpc-js';

async function saveGreeting(name: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, name));
}

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  async sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    await saveGreeting(call.request.name);
    callback(null, { message: \`hello \${call.request.name}\` });
  },
  sayBye(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    saveGreeting(call.request.name).catch((error) => console.error(error));
    callback(null, { message: 'bye' });
  },
});
`,
  },
  {
    name: "gRPC client call site: its callback is not a request scope",
    code: `import * as grpc from '@grpc/grpc-js';

async function remember(message: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, message));
}

declare const client: grpc.Client & { sayHello(req: object, cb: (err: grpc.ServiceError | null, res?: { message: string }) => void): void };

client.sayHello({ name: 'x' }, (err, response) => {
  if (response) remember(response.message);
});
`,
  },
  {
    name: "gRPC in plain JavaScript, detached with void (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const grpc = require('@grpc/grpc-js');

async function bumpCounter(id) {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

function getItem(call, callback) {
  void bumpCounter(call.request.id);
  callback(null, { id: call.request.id });
}

const server = new grpc.Server();
server.addService(proto.Items.service, { getItem });
`,
  },
  ],
  invalid: [
  {
    name: "Nest controller: an injected service call left running",
    code: `import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class AuditService {
  async record(event: string, payload: unknown): Promise<void> {
    await fetch('https://audit.example.com/', { method: 'POST', body: JSON.stringify({ event, payload }) });
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly audit: AuditService) {}

  @Post()
  create(@Body() body: { sku: string }) {
    this.audit.record('order.created', body);
    return { ok: true };
  }
}
`,
    errors: [
      {
        line: 16,
        column: 5,
        endLine: 16,
        endColumn: 46,
        fixes: [
          { title: "Await the background work", preferred: true, output: `import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class AuditService {
  async record(event: string, payload: unknown): Promise<void> {
    await fetch('https://audit.example.com/', { method: 'POST', body: JSON.stringify({ event, payload }) });
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly audit: AuditService) {}

  @Post()
  async create(@Body() body: { sku: string }) {
    await this.audit.record('order.created', body);
    return { ok: true };
  }
}
` },
          { title: "Detach explicitly with an error handler", output: `import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class AuditService {
  async record(event: string, payload: unknown): Promise<void> {
    await fetch('https://audit.example.com/', { method: 'POST', body: JSON.stringify({ event, payload }) });
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly audit: AuditService) {}

  @Post()
  create(@Body() body: { sku: string }) {
    void this.audit.record('order.created', body).catch((error) => console.error(error));
    return { ok: true };
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest interceptor: making intercept async keeps to the NestInterceptor contract",
    code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

async function warmCache(path: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, path));
}

@Injectable()
export class WarmInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    warmCache(context.getHandler().name);
    return next.handle();
  }
}
`,
    errors: [
      {
        line: 11,
        column: 5,
        endLine: 11,
        endColumn: 42,
        fixes: [
          { title: "Await the background work", preferred: true, output: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

async function warmCache(path: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, path));
}

@Injectable()
export class WarmInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    await warmCache(context.getHandler().name);
    return next.handle();
  }
}
` },
          { title: "Detach explicitly with an error handler", output: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

async function warmCache(path: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, path));
}

@Injectable()
export class WarmInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    void warmCache(context.getHandler().name).catch((error) => console.error(error));
    return next.handle();
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest guard: a promise assigned and never awaited",
    code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

async function touchSession(id: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

@Injectable()
export class SessionGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const id = context.switchToHttp().getRequest().headers['x-session'];
    const touched = touchSession(id);
    return typeof id === 'string';
  }
}
`,
    errors: [
      {
        line: 11,
        column: 5,
        endLine: 11,
        endColumn: 38,
        fixes: [
          { title: "Await the background work", preferred: true, output: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

async function touchSession(id: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

@Injectable()
export class SessionGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const id = context.switchToHttp().getRequest().headers['x-session'];
    const touched = await touchSession(id);
    return typeof id === 'string';
  }
}
` },
          { title: "Detach explicitly with an error handler", output: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

async function touchSession(id: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

@Injectable()
export class SessionGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const id = context.switchToHttp().getRequest().headers['x-session'];
    const touched = touchSession(id);
    void touched.catch((error) => console.error(error));
    return typeof id === 'string';
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest middleware in plain JavaScript (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const { Injectable } = require('@nestjs/common');

async function logRequest(url) {
  await new Promise((resolve) => setTimeout(resolve, 10, url));
}

@Injectable()
class LoggerMiddleware {
  use(req, res, next) {
    logRequest(req.url);
    next();
  }
}
module.exports = { LoggerMiddleware };
`,
    errors: [
      {
        line: 10,
        column: 5,
        endLine: 10,
        endColumn: 25,
        fixes: [
          { title: "Await the background work", preferred: true, output: `const { Injectable } = require('@nestjs/common');

async function logRequest(url) {
  await new Promise((resolve) => setTimeout(resolve, 10, url));
}

@Injectable()
class LoggerMiddleware {
  async use(req, res, next) {
    await logRequest(req.url);
    next();
  }
}
module.exports = { LoggerMiddleware };
` },
          { title: "Detach explicitly with an error handler", output: `const { Injectable } = require('@nestjs/common');

async function logRequest(url) {
  await new Promise((resolve) => setTimeout(resolve, 10, url));
}

@Injectable()
class LoggerMiddleware {
  use(req, res, next) {
    void logRequest(req.url).catch((error) => console.error(error));
    next();
  }
}
module.exports = { LoggerMiddleware };
` },
        ],
      },
    ],
  },
  {
    name: "gRPC unary method: a save left running while the callback answers",
    code: `import * as grpc from '@grpc/grpc-js';

async function saveGreeting(name: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, name));
}

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    saveGreeting(call.request.name);
    callback(null, { message: \`hello \${call.request.name}\` });
  },
});
`,
    errors: [
      {
        line: 12,
        column: 5,
        endLine: 12,
        endColumn: 37,
        fixes: [
          { title: "Await the background work", preferred: true, output: `import * as grpc from '@grpc/grpc-js';

async function saveGreeting(name: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, name));
}

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  async sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    await saveGreeting(call.request.name);
    callback(null, { message: \`hello \${call.request.name}\` });
  },
});
` },
          { title: "Detach explicitly with an error handler", output: `import * as grpc from '@grpc/grpc-js';

async function saveGreeting(name: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, name));
}

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    void saveGreeting(call.request.name).catch((error) => console.error(error));
    callback(null, { message: \`hello \${call.request.name}\` });
  },
});
` },
        ],
      },
    ],
  },
  {
    name: "gRPC server-streaming: async listener on the call",
    code: `import type { ServerDuplexStream } from '@grpc/grpc-js';

async function store(message: { text: string }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, message));
}

export function chat(call: ServerDuplexStream<{ text: string }, { text: string }>) {
  call.on('data', async (message: { text: string }) => {
    await store(message);
    call.write(message);
  });
  call.on('end', () => call.end());
}
`,
    errors: [
      {
        line: 8,
        column: 3,
        endLine: 8,
        endColumn: 57,
        fixes: [
          { title: "Detach explicitly with an error handler", output: `import type { ServerDuplexStream } from '@grpc/grpc-js';

async function store(message: { text: string }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10, message));
}

export function chat(call: ServerDuplexStream<{ text: string }, { text: string }>) {
  call.on('data', async (message: { text: string }) => {
    try {
      await store(message);
      call.write(message);
    } catch (error) {
      console.error(error);
    }
  });
  call.on('end', () => call.end());
}
` },
        ],
      },
    ],
  },
  {
    name: "gRPC in plain JavaScript (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const grpc = require('@grpc/grpc-js');

async function bumpCounter(id) {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

function getItem(call, callback) {
  bumpCounter(call.request.id).then(() => console.log('bumped'));
  callback(null, { id: call.request.id });
}

const server = new grpc.Server();
server.addService(proto.Items.service, { getItem });
`,
    errors: [
      {
        line: 8,
        column: 3,
        endLine: 8,
        endColumn: 66,
        fixes: [
          { title: "Await the background work", preferred: true, output: `const grpc = require('@grpc/grpc-js');

async function bumpCounter(id) {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

async function getItem(call, callback) {
  await bumpCounter(call.request.id).then(() => console.log('bumped'));
  callback(null, { id: call.request.id });
}

const server = new grpc.Server();
server.addService(proto.Items.service, { getItem });
` },
          { title: "Detach explicitly with an error handler", output: `const grpc = require('@grpc/grpc-js');

async function bumpCounter(id) {
  await new Promise((resolve) => setTimeout(resolve, 10, id));
}

function getItem(call, callback) {
  void bumpCounter(call.request.id).then(() => console.log('bumped')).catch((error) => console.error(error));
  callback(null, { id: call.request.id });
}

const server = new grpc.Server();
server.addService(proto.Items.service, { getItem });
` },
        ],
      },
    ],
  },
  ],
});
