// Rule tests for missing-cancellation-signal (RULES.md §2.2): calls that accept an AbortSignal made in
// a request scope (or in a helper that receives a signal) without one, and the fix that passes the
// request's signal where each API takes its options.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/core';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { analyse, ruleTester, type InvalidCase, type ValidCase } from '../support/ruleTester';

const RULE = 'missing-cancellation-signal';
const FIX = "Pass the request's cancellation signal";

/** The same text with Windows newlines. */
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

const valid: (string | ValidCase)[] = [
  // Calls that already pass a signal, in any form.
  `import express from 'express';
const app = express();
app.get('/a', async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const r = await fetch('https://a.example.com', { signal: controller.signal });
  res.json(await r.json());
});
`,
  {
    name: 'options passed as a variable count as passing a signal',
    code: `import express from 'express';
const app = express();
const init: RequestInit = { headers: { accept: 'application/json' } };
app.get('/b', async (req, res) => {
  const r = await fetch('https://b.example.com', init);
  res.json(await r.json());
});
`,
  },
  {
    name: 'a spread in the options may carry the signal',
    code: `import express from 'express';
const app = express();
const defaults = { headers: { accept: 'application/json' } };
app.post('/c', async (req, res) => {
  const r = await fetch('https://c.example.com', { ...defaults, method: 'POST', body: JSON.stringify(req.body) });
  res.status(r.status).end();
});
`,
  },
  {
    name: 'a fresh timeout signal is detached-root-signal\'s concern, not this rule\'s',
    code: `import express from 'express';
const app = express();
app.get('/d', async (req, res) => {
  const r = await fetch('https://d.example.com', { signal: AbortSignal.timeout(5_000) });
  res.json(await r.json());
});
`,
  },
  {
    name: 'a signal some middleware put on the request passes',
    code: `import express from 'express';
const app = express();
app.get('/e', async (req, res) => {
  const r = await fetch('https://e.example.com', { signal: (req as any).signal });
  res.json(await r.json());
});
`,
  },
  {
    name: 'Hono with the native signal',
    code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/f', async (c) => {
  const r = await fetch('https://f.example.com', { signal: c.req.raw.signal });
  return c.json(await r.json());
});
`,
  },
  {
    name: 'Next.js route handler with request.signal',
    fileName: 'route.ts',
    code: `export async function GET(request: Request) {
  const r = await fetch('https://g.example.com', { signal: request.signal, cache: 'no-store' });
  return Response.json(await r.json());
}
`,
  },
  {
    name: 'a Worker forwarding the incoming Request passes its signal along',
    code: `export default {
  async fetch(request: Request): Promise<Response> {
    return fetch(request);
  },
};
`,
  },
  {
    name: 'a new Request built with the signal',
    fileName: 'route.ts',
    code: `export async function POST(request: Request) {
  const upstream = new Request('https://h.example.com', { method: 'POST', body: await request.text(), signal: request.signal });
  return fetch(upstream);
}
`,
  },
  {
    name: 'node APIs with their signal in place',
    code: `import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFile } from 'node:fs/promises';
import { exec } from 'node:child_process';
const app = express();
app.get('/i', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await sleep(100, undefined, { signal: requestAbort.signal });
  const text = await readFile('./i.txt', { encoding: 'utf8', signal: requestAbort.signal });
  exec('date', { signal: requestAbort.signal }, () => res.send(text));
});
`,
  },
  {
    name: 'axios, got, AWS SDK and OpenAI calls that pass a signal',
    code: `import express from 'express';
import axios from 'axios';
import got from 'got';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import OpenAI from 'openai';
const s3 = new S3Client({});
const openai = new OpenAI();
const app = express();
app.post('/j', async (req, res) => {
  const controller = new AbortController();
  req.on('close', () => controller.abort());
  const { signal } = controller;
  await axios.post('https://j.example.com', req.body, { signal });
  await got.post('https://j2.example.com', { json: req.body, signal });
  await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }), { abortSignal: signal });
  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }, { signal });
  res.end();
});
`,
  },
  {
    name: 'axios config passed as a variable',
    fileName: 'routes.js',
    untyped: true,
    code: `const express = require('express');
const axios = require('axios');
const app = express();
app.get('/k', async (req, res) => {
  const config = { timeout: 2000 };
  const { data } = await axios.get('https://k.example.com', config);
  res.json(data);
});
`,
  },
  // Not in a request scope.
  {
    name: 'fetch at module scope (start-up code)',
    code: `import express from 'express';
const flags = await (await fetch('https://flags.example.com/all')).json();
const app = express();
app.get('/l', (req, res) => { res.json(flags); });
app.listen(3000, async () => {
  await fetch('https://registry.example.com/register', { method: 'POST' });
});
`,
  },
  {
    name: 'a plain function with no signal parameter, called with an id',
    code: `import express from 'express';
const app = express();
async function loadUser(id: string) {
  const r = await fetch(\`https://users.example.com/\${id}\`);
  return r.json();
}
app.get('/m/:id', async (req, res) => {
  res.json(await loadUser(req.params.id));
});
`,
  },
  {
    name: 'work started by a middleware factory runs once, not per request',
    code: `import type { NextFunction, Request, Response } from 'express';
export function withFlags() {
  const flags = fetch('https://flags.example.com/all').then((r) => r.json());
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.flags = await flags;
    next();
  };
}
`,
  },
  {
    name: 'a recurring refresh outside any handler',
    code: `let rates: unknown = {};
setInterval(async () => {
  rates = await (await fetch('https://rates.example.com/latest')).json();
}, 60_000);
export const currentRates = () => rates;
`,
  },
  // Work meant to outlive the request.
  {
    name: 'handed to the Worker keep-alive',
    code: `export default {
  async fetch(request: Request, env: unknown, ctx: { waitUntil(p: Promise<unknown>): void }) {
    ctx.waitUntil(fetch('https://analytics.example.com/hit', { method: 'POST', body: request.url }));
    return new Response('ok');
  },
};
`,
  },
  {
    name: 'handed to Hono\'s executionCtx.waitUntil',
    code: `import { Hono } from 'hono';
const app = new Hono();
app.post('/n', async (c) => {
  c.executionCtx.waitUntil(fetch('https://audit.example.com', { method: 'POST', body: c.req.path }));
  return c.text('queued');
});
`,
  },
  {
    name: 'stored in a const, then handed to Hono\'s executionCtx.waitUntil',
    code: `import { Hono } from 'hono';
const app = new Hono();
app.post('/n2', async (c) => {
  const events = await c.req.json();
  const forward = fetch('https://audit.example.com/events', { method: 'POST', body: JSON.stringify(events) });
  c.executionCtx.waitUntil(forward);
  return c.json({ accepted: true }, 202);
});
`,
  },
  {
    name: 'stored in a const, then handed to Next.js after()',
    fileName: 'route.ts',
    code: `import { after } from 'next/server';
export async function POST(request: Request) {
  const body = await request.text();
  const audit = fetch('https://audit.example.com', { method: 'POST', body });
  after(audit);
  return Response.json({ ok: true });
}
`,
  },
  {
    name: 'stored in a const whose initializer ends in .catch() is explicitly detached',
    code: `import express from 'express';
const app = express();
app.post('/o2', (req, res) => {
  const p = fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify(req.body) }).catch((err) => console.error(err));
  res.sendStatus(202);
});
`,
  },
  {
    name: 'stored in a const, then voided',
    code: `import express from 'express';
const app = express();
app.post('/o3', (req, res) => {
  const f = fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify(req.body) });
  void f;
  res.sendStatus(202);
});
`,
  },
  {
    name: 'Next.js after()',
    fileName: 'route.ts',
    code: `import { after } from 'next/server';
export async function POST(request: Request) {
  const body = await request.json();
  after(async () => {
    await fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify(body) });
  });
  return Response.json({ ok: true });
}
`,
  },
  {
    name: 'explicitly detached with void',
    code: `import express from 'express';
const app = express();
app.post('/o', (req, res) => {
  void fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify(req.body) });
  res.sendStatus(202);
});
`,
  },
  {
    name: 'explicitly detached with a .catch() chain',
    code: `import express from 'express';
const app = express();
app.post('/p', (req, res) => {
  fetch('https://audit.example.com', { method: 'POST' }).then((r) => r.text()).catch((err) => console.error(err));
  res.sendStatus(202);
});
`,
  },
  {
    name: 'started when the response has finished',
    code: `import express from 'express';
const app = express();
app.use((req, res, next) => {
  const started = Date.now();
  res.on('finish', () => {
    fetch('https://metrics.example.com/timing', { method: 'POST', body: String(Date.now() - started) });
  });
  next();
});
`,
  },
  {
    name: 'Fastify onResponse hook runs after the response',
    code: `import Fastify from 'fastify';
const app = Fastify();
app.addHook('onResponse', async (request, reply) => {
  await fetch('https://metrics.example.com/hit', { method: 'POST', body: request.url });
});
`,
  },
  {
    name: 'Fastify hook with done whose chain ends in .catch(done) is explicitly detached',
    code: `import Fastify from 'fastify';
const app = Fastify();
app.addHook('preHandler', (request, reply, done) => {
  fetch('https://flags.example.com/flags')
    .then((r) => r.json())
    .then((flags) => { (request as any).flags = flags; done(); })
    .catch(done);
});
`,
  },
  {
    name: 'a promise cached for every request must not take one client\'s signal',
    code: `import express from 'express';
const app = express();
let configPromise: Promise<unknown> | undefined;
const inflight = new Map<string, Promise<Response>>();
app.get('/config', async (req, res) => {
  configPromise ??= fetch('https://config.example.com/app.json').then((r) => r.json());
  const key = String(req.query.sku);
  if (!inflight.has(key)) inflight.set(key, fetch(\`https://stock.example.com/\${key}\`));
  res.json({ config: await configPromise, stock: await (await inflight.get(key)!).json() });
});
`,
  },
  {
    name: 'a stream piped into the response is torn down with it',
    code: `import express from 'express';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
const app = express();
app.get('/export.csv.gz', async (req, res) => {
  res.type('application/gzip');
  await pipeline(fs.createReadStream('./export.csv'), createGzip(), res);
});
`,
  },
  // Calls that do not accept a signal.
  {
    name: 'the global setTimeout and setInterval',
    code: `import express from 'express';
const app = express();
app.get('/q', (req, res) => {
  const timer = setTimeout(() => res.status(504).end(), 5_000);
  res.on('close', () => clearTimeout(timer));
  res.json({ ok: true });
});
`,
  },
  {
    name: 'synchronous fs and child_process calls',
    code: `import express from 'express';
import fs from 'node:fs';
import { execSync } from 'node:child_process';
const app = express();
app.get('/r', (req, res) => {
  const text = fs.readFileSync('./r.txt', 'utf8');
  const sha = execSync('git rev-parse HEAD').toString();
  res.json({ text, sha });
});
`,
  },
  {
    name: 'fs/promises calls without a signal option, and res.sendFile',
    code: `import express from 'express';
import { readdir, stat } from 'node:fs/promises';
const app = express();
app.get('/s', async (req, res) => {
  const files = await readdir('./public');
  const info = await stat('./public');
  res.sendFile('./public/index.html', { root: process.cwd() });
  void files; void info;
});
`,
  },
  {
    name: 'pg pool queries',
    code: `import express from 'express';
import pg from 'pg';
const pool = new pg.Pool();
const app = express();
app.get('/t/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM t WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});
`,
  },
  {
    name: 'instance once/on and addEventListener are not signal-accepting APIs',
    code: `import express from 'express';
import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
const app = express();
app.get('/u', (req, res) => {
  const target = new EventTarget();
  target.addEventListener('ping', () => {}, { once: true });
  bus.once('ready', () => res.end());
});
`,
  },
  {
    name: 'waiting on the request\'s own objects ends with the request anyway',
    code: `import express from 'express';
import { once } from 'node:events';
const app = express();
app.post('/upload', async (req, res) => {
  req.resume();
  await once(req, 'end');
  res.sendStatus(204);
});
`,
  },
  {
    name: 'a local function that happens to be called fetch',
    code: `import express from 'express';
const cache = new Map<string, string>();
function fetch(key: string) { return cache.get(key); }
const app = express();
app.get('/v/:key', (req, res) => {
  res.send(fetch(req.params.key) ?? '');
});
`,
  },
  {
    name: 'a POSIX signal handler is not an AbortSignal helper',
    fileName: 'server.js',
    untyped: true,
    code: `process.on('SIGTERM', async (signal) => {
  await fetch('https://registry.example.com/deregister', { method: 'POST' });
  console.log('stopping on', signal);
  process.exit(0);
});
`,
  },
  {
    name: 'a helper that passes its signal on',
    code: `export async function getJson(url: string, signal?: AbortSignal) {
  const res = await fetch(url, { signal });
  return res.json();
}
`,
  },
  {
    name: 'a helper parameter typed as a process signal name',
    code: `export async function announce(signal: NodeJS.Signals) {
  await fetch('https://status.example.com/shutdown', { method: 'POST', body: signal });
}
`,
  },
  {
    name: 'plain JavaScript with options as a variable',
    fileName: 'proxy.js',
    untyped: true,
    code: `const express = require('express');
const app = express();
app.get('/w', async (req, res) => {
  const options = { headers: { 'x-request-id': req.get('x-request-id') } };
  const upstream = await fetch('https://w.example.com', options);
  res.status(upstream.status).send(await upstream.text());
});
`,
  },
  {
    name: 'suppressed with a disable comment',
    code: `import express from 'express';
const app = express();
app.get('/x', async (req, res) => {
  // context-pool-lint-disable-next-line missing-cancellation-signal
  const r = await fetch('https://x.example.com');
  res.send(await r.text());
});
`,
  },
  {
    name: 'turned off in settings',
    settings: { rules: { 'missing-cancellation-signal': 'off' } },
    code: `import express from 'express';
const app = express();
app.get('/y', async (req, res) => {
  res.send(await (await fetch('https://y.example.com')).text());
});
`,
  },
  {
    name: 'a Koa handler passing a linked controller\'s signal through a local',
    code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx) => {
  const ac = new AbortController();
  ctx.req.on('close', () => ac.abort());
  const signal = ac.signal;
  ctx.body = await (await fetch('https://z.example.com', { signal })).json();
});
`,
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'Express: fetch with no options gets a linked controller declared at the top of the handler',
    code: `import express from 'express';

const app = express();

app.get('/users/:id/avatar', async (req, res) => {
  // Avatars live on the CDN.
  const upstream = await fetch(\`https://cdn.example.com/avatars/\${req.params.id}\`);
  res.type(upstream.headers.get('content-type') ?? 'image/png');
  res.send(Buffer.from(await upstream.arrayBuffer()));
});
`,
    errors: [
      {
        line: 7, column: 26, endLine: 7, endColumn: 31,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/users/:id/avatar', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  // Avatars live on the CDN.
  const upstream = await fetch(\`https://cdn.example.com/avatars/\${req.params.id}\`, { signal: requestAbort.signal });
  res.type(upstream.headers.get('content-type') ?? 'image/png');
  res.send(Buffer.from(await upstream.arrayBuffer()));
});
` },
        ],
      },
    ],
  },
  {
    name: 'Express: merges into a multi-line options object',
    code: `import express from 'express';

const app = express();
app.use(express.json());

app.post('/orders', async (req, res) => {
  const response = await fetch('https://payments.example.com/charges', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
  });
  res.status(response.status).json(await response.json());
});
`,
    errors: [
      {
        line: 7, column: 26, endLine: 7, endColumn: 31,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();
app.use(express.json());

app.post('/orders', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const response = await fetch('https://payments.example.com/charges', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
    signal: requestAbort.signal,
  });
  res.status(response.status).json(await response.json());
});
` },
        ],
      },
    ],
  },
  {
    name: 'Express router: options object without a trailing comma, and a comment after the last property',
    code: `import { Router } from 'express';

export const router = Router();

router.put('/profile', async (req, res) => {
  const saved = await fetch('https://profiles.example.com/v1/profile', {
    method: 'PUT',
    body: JSON.stringify(req.body) // the client's JSON as is
  });
  res.sendStatus(saved.ok ? 204 : 502);
});
`,
    errors: [
      {
        line: 6, column: 23, endLine: 6, endColumn: 28,
        fixes: [
          { title: FIX, output: `import { Router } from 'express';

export const router = Router();

router.put('/profile', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const saved = await fetch('https://profiles.example.com/v1/profile', {
    method: 'PUT',
    body: JSON.stringify(req.body), // the client's JSON as is
    signal: requestAbort.signal
  });
  res.sendStatus(saved.ok ? 204 : 502);
});
` },
        ],
      },
    ],
  },
  {
    name: 'stored in a const and handed to waitUntil but also awaited: the request waits on it',
    code: `import { Hono } from 'hono';
const app = new Hono();
app.post('/events', async (c) => {
  const forward = fetch('https://audit.example.com/events', { method: 'POST' });
  c.executionCtx.waitUntil(forward);
  const answer = await forward;
  return c.json({ status: answer.status });
});
`,
    errors: [
      {
        line: 4, column: 19, endLine: 4, endColumn: 24,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';
const app = new Hono();
app.post('/events', async (c) => {
  const forward = fetch('https://audit.example.com/events', { method: 'POST', signal: c.req.raw.signal });
  c.executionCtx.waitUntil(forward);
  const answer = await forward;
  return c.json({ status: answer.status });
});
` },
        ],
      },
    ],
  },
  {
    name: 'Hono: uses the native signal c.req.raw.signal',
    code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/weather/:city', async (c) => {
  const res = await fetch(\`https://weather.example.com/v1/\${c.req.param('city')}\`, { headers: { accept: 'application/json' } });
  return c.json(await res.json());
});

export default app;
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/weather/:city', async (c) => {
  const res = await fetch(\`https://weather.example.com/v1/\${c.req.param('city')}\`, { headers: { accept: 'application/json' }, signal: c.req.raw.signal });
  return c.json(await res.json());
});

export default app;
` },
        ],
      },
    ],
  },
  {
    name: 'Next.js route handler: uses request.signal',
    fileName: 'route.ts',
    code: `export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const res = await fetch(\`https://search.example.com/?q=\${searchParams.get('q')}\`);
  return Response.json(await res.json());
}
`,
    errors: [
      {
        line: 3, column: 21, endLine: 3, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const res = await fetch(\`https://search.example.com/?q=\${searchParams.get('q')}\`, { signal: request.signal });
  return Response.json(await res.json());
}
` },
        ],
      },
    ],
  },
  {
    name: 'Next.js route handler without a parameter: adds request',
    fileName: 'route.ts',
    code: `export async function GET() {
  const res = await fetch('https://api.example.com/status', { cache: 'no-store' });
  return Response.json(await res.json());
}
`,
    errors: [
      {
        line: 2, column: 21, endLine: 2, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function GET(request: Request) {
  const res = await fetch('https://api.example.com/status', { cache: 'no-store', signal: request.signal });
  return Response.json(await res.json());
}
` },
        ],
      },
    ],
  },
  {
    name: 'Cloudflare Worker: proxies with request.signal; work handed to waitUntil is left alone',
    code: `interface Env { ORIGIN: string }

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(fetch('https://logs.example.com/hit', { method: 'POST', body: request.url }));
    const origin = await fetch(\`\${env.ORIGIN}\${new URL(request.url).pathname}\`);
    return new Response(origin.body, origin);
  },
};

interface ExecutionContext { waitUntil(promise: Promise<unknown>): void }
`,
    errors: [
      {
        line: 6, column: 26, endLine: 6, endColumn: 31,
        fixes: [
          { title: FIX, output: `interface Env { ORIGIN: string }

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(fetch('https://logs.example.com/hit', { method: 'POST', body: request.url }));
    const origin = await fetch(\`\${env.ORIGIN}\${new URL(request.url).pathname}\`, { signal: request.signal });
    return new Response(origin.body, origin);
  },
};

interface ExecutionContext { waitUntil(promise: Promise<unknown>): void }
` },
        ],
      },
    ],
  },
  {
    name: 'Koa: derives the signal from ctx.res',
    code: `import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();

router.get('/rates', async (ctx) => {
  const res = await fetch('https://rates.example.com/latest');
  ctx.body = await res.json();
});

app.use(router.routes());
`,
    errors: [
      {
        line: 8, column: 21, endLine: 8, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();

router.get('/rates', async (ctx) => {
  const requestAbort = new AbortController();
  ctx.res.once('close', () => { if (!ctx.res.writableFinished) requestAbort.abort(); });
  const res = await fetch('https://rates.example.com/latest', { signal: requestAbort.signal });
  ctx.body = await res.json();
});

app.use(router.routes());
` },
        ],
      },
    ],
  },
  {
    name: 'Fastify: derives the signal from reply.raw',
    code: `import Fastify from 'fastify';

const app = Fastify({ logger: true });

app.get('/quote', async (request, reply) => {
  const res = await fetch('https://quotes.example.com/random');
  reply.header('cache-control', 'no-store');
  return res.json();
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Fastify from 'fastify';

const app = Fastify({ logger: true });

app.get('/quote', async (request, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const res = await fetch('https://quotes.example.com/random', { signal: requestAbort.signal });
  reply.header('cache-control', 'no-store');
  return res.json();
});
` },
        ],
      },
    ],
  },
  {
    name: 'Fastify handler without reply: adds the parameter',
    code: `import Fastify from 'fastify';

const app = Fastify();

app.get('/health/deps', async (request) => {
  const res = await fetch('https://deps.example.com/health');
  return { upstream: res.ok };
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Fastify from 'fastify';

const app = Fastify();

app.get('/health/deps', async (request, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const res = await fetch('https://deps.example.com/health', { signal: requestAbort.signal });
  return { upstream: res.ok };
});
` },
        ],
      },
    ],
  },
  {
    name: 'node:http createServer',
    code: `import http from 'node:http';

const server = http.createServer(async (req, res) => {
  const upstream = await fetch('http://localhost:8080' + req.url);
  res.writeHead(upstream.status);
  res.end(await upstream.text());
});

server.listen(3000);
`,
    errors: [
      {
        line: 4, column: 26, endLine: 4, endColumn: 31,
        fixes: [
          { title: FIX, output: `import http from 'node:http';

const server = http.createServer(async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const upstream = await fetch('http://localhost:8080' + req.url, { signal: requestAbort.signal });
  res.writeHead(upstream.status);
  res.end(await upstream.text());
});

server.listen(3000);
` },
        ],
      },
    ],
  },
  {
    name: 'timers/promises setTimeout: value filled with undefined',
    code: `import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';

const app = express();

app.get('/slow', async (req, res) => {
  await sleep(250);
  res.send('done');
});
`,
    errors: [
      {
        line: 7, column: 9, endLine: 7, endColumn: 14,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';

const app = express();

app.get('/slow', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await sleep(250, undefined, { signal: requestAbort.signal });
  res.send('done');
});
` },
        ],
      },
    ],
  },
  {
    name: 'fs/promises readFile with a string encoding becomes { encoding, signal } (CommonJS, untyped)',
    fileName: 'invoices.js',
    untyped: true,
    code: `'use strict';
const path = require('node:path');
const { readFile } = require('node:fs/promises');
const express = require('express');

const router = express.Router();

router.get('/:id', async (req, res) => {
  const template = await readFile(path.join(__dirname, 'invoice.html'), 'utf8');
  res.type('html').send(template.replace('{{id}}', String(req.params.id)));
});

module.exports = router;
`,
    errors: [
      {
        line: 9, column: 26, endLine: 9, endColumn: 34,
        fixes: [
          { title: FIX, output: `'use strict';
const path = require('node:path');
const { readFile } = require('node:fs/promises');
const express = require('express');

const router = express.Router();

router.get('/:id', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const template = await readFile(path.join(__dirname, 'invoice.html'), { encoding: 'utf8', signal: requestAbort.signal });
  res.type('html').send(template.replace('{{id}}', String(req.params.id)));
});

module.exports = router;
` },
        ],
      },
    ],
  },
  {
    name: 'child_process exec: options go before the trailing callback',
    code: `import express from 'express';
import { exec } from 'node:child_process';

const app = express();

app.post('/thumbnails/:id', (req, res) => {
  exec(\`convert uploads/\${Number(req.params.id)}.png -resize 128 thumbs/\${Number(req.params.id)}.png\`, (error) => {
    if (error) res.status(500).send(error.message);
    else res.sendStatus(201);
  });
});
`,
    errors: [
      {
        line: 7, column: 3, endLine: 7, endColumn: 7,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { exec } from 'node:child_process';

const app = express();

app.post('/thumbnails/:id', (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  exec(\`convert uploads/\${Number(req.params.id)}.png -resize 128 thumbs/\${Number(req.params.id)}.png\`, { signal: requestAbort.signal }, (error) => {
    if (error) res.status(500).send(error.message);
    else res.sendStatus(201);
  });
});
` },
        ],
      },
    ],
  },
  {
    name: 'promisified execFile',
    code: `import express from 'express';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const app = express();

app.get('/version', async (req, res) => {
  const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD']);
  res.json({ commit: stdout.trim() });
});
`,
    errors: [
      {
        line: 9, column: 28, endLine: 9, endColumn: 41,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const app = express();

app.get('/version', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD'], { signal: requestAbort.signal });
  res.json({ commit: stdout.trim() });
});
` },
        ],
      },
    ],
  },
  {
    name: 'events.once on a long-lived emitter',
    code: `import express from 'express';
import { EventEmitter, once } from 'node:events';

export const jobs = new EventEmitter();
const app = express();

app.get('/jobs/:id/wait', async (req, res) => {
  const [result] = await once(jobs, \`done:\${req.params.id}\`);
  res.json(result);
});
`,
    errors: [
      {
        line: 8, column: 26, endLine: 8, endColumn: 30,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { EventEmitter, once } from 'node:events';

export const jobs = new EventEmitter();
const app = express();

app.get('/jobs/:id/wait', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const [result] = await once(jobs, \`done:\${req.params.id}\`, { signal: requestAbort.signal });
  res.json(result);
});
` },
        ],
      },
    ],
  },
  {
    name: 'axios.get and axios.post (untyped package)',
    code: `import express from 'express';
import axios from 'axios';

const app = express();

app.get('/github/:user', async (req, res) => {
  const { data } = await axios.get(\`https://api.github.com/users/\${req.params.user}\`);
  await axios.post('https://audit.example.com/events', { user: req.params.user });
  res.json(data);
});
`,
    errors: [
      {
        line: 7, column: 26, endLine: 7, endColumn: 35,
        fixes: [
          { title: FIX, output: `import express from 'express';
import axios from 'axios';

const app = express();

app.get('/github/:user', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const { data } = await axios.get(\`https://api.github.com/users/\${req.params.user}\`, { signal: requestAbort.signal });
  await axios.post('https://audit.example.com/events', { user: req.params.user });
  res.json(data);
});
` },
        ],
      },
      {
        line: 8, column: 9, endLine: 8, endColumn: 19,
        fixes: [
          { title: FIX, output: `import express from 'express';
import axios from 'axios';

const app = express();

app.get('/github/:user', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const { data } = await axios.get(\`https://api.github.com/users/\${req.params.user}\`);
  await axios.post('https://audit.example.com/events', { user: req.params.user }, { signal: requestAbort.signal });
  res.json(data);
});
` },
        ],
      },
    ],
  },
  {
    name: 'axios instance from axios.create(), config merged',
    code: `import express from 'express';
import axios from 'axios';

const billing = axios.create({ baseURL: 'https://billing.example.com' });
const app = express();

app.get('/invoices', async (req, res) => {
  const { data } = await billing.get('/invoices', { params: { customer: req.query.customer } });
  res.json(data);
});
`,
    errors: [
      {
        line: 8, column: 26, endLine: 8, endColumn: 37,
        fixes: [
          { title: FIX, output: `import express from 'express';
import axios from 'axios';

const billing = axios.create({ baseURL: 'https://billing.example.com' });
const app = express();

app.get('/invoices', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const { data } = await billing.get('/invoices', { params: { customer: req.query.customer }, signal: requestAbort.signal });
  res.json(data);
});
` },
        ],
      },
    ],
  },
  {
    name: 'got in plain JavaScript',
    fileName: 'routes.js',
    untyped: true,
    code: `const express = require('express');
const got = require('got');

const app = express();

app.get('/ip', async (req, res) => {
  const body = await got('https://api.ipify.org?format=json').json();
  res.json(body);
});
`,
    errors: [
      {
        line: 7, column: 22, endLine: 7, endColumn: 25,
        fixes: [
          { title: FIX, output: `const express = require('express');
const got = require('got');

const app = express();

app.get('/ip', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const body = await got('https://api.ipify.org?format=json', { signal: requestAbort.signal }).json();
  res.json(body);
});
` },
        ],
      },
    ],
  },
  {
    name: 'ky.post merges into the options',
    code: `import { Hono } from 'hono';
import ky from 'ky';

const app = new Hono();

app.post('/subscribe', async (c) => {
  const { email } = await c.req.json();
  await ky.post('https://newsletter.example.com/subscribers', { json: { email } });
  return c.body(null, 204);
});
`,
    errors: [
      {
        line: 8, column: 9, endLine: 8, endColumn: 16,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';
import ky from 'ky';

const app = new Hono();

app.post('/subscribe', async (c) => {
  const { email } = await c.req.json();
  await ky.post('https://newsletter.example.com/subscribers', { json: { email }, signal: c.req.raw.signal });
  return c.body(null, 204);
});
` },
        ],
      },
    ],
  },
  {
    name: 'undici request (typed)',
    code: `import Fastify from 'fastify';
import { request } from 'undici';

const app = Fastify();

app.get('/upstream', async (req, reply) => {
  const { body } = await request('https://upstream.example.com/data');
  return body.json();
});
`,
    errors: [
      {
        line: 7, column: 26, endLine: 7, endColumn: 33,
        fixes: [
          { title: FIX, output: `import Fastify from 'fastify';
import { request } from 'undici';

const app = Fastify();

app.get('/upstream', async (req, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const { body } = await request('https://upstream.example.com/data', { signal: requestAbort.signal });
  return body.json();
});
` },
        ],
      },
    ],
  },
  {
    name: 'AWS SDK v3 client.send takes abortSignal',
    code: `import express from 'express';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({ region: 'eu-west-1' });
const app = express();

app.get('/files/:key', async (req, res) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: req.params.key }));
  res.type(object.ContentType ?? 'application/octet-stream');
  res.send(await object.Body?.transformToByteArray());
});
`,
    errors: [
      {
        line: 8, column: 24, endLine: 8, endColumn: 31,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({ region: 'eu-west-1' });
const app = express();

app.get('/files/:key', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: req.params.key }), { abortSignal: requestAbort.signal });
  res.type(object.ContentType ?? 'application/octet-stream');
  res.send(await object.Body?.transformToByteArray());
});
` },
        ],
      },
    ],
  },
  {
    name: 'OpenAI SDK: request options after the body',
    code: `import { Hono } from 'hono';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = new Hono();

app.post('/summarise', async (c) => {
  const { text } = await c.req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: \`Summarise: \${text}\` }],
  });
  return c.json({ summary: completion.choices[0].message.content });
});
`,
    errors: [
      {
        line: 9, column: 28, endLine: 9, endColumn: 58,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = new Hono();

app.post('/summarise', async (c) => {
  const { text } = await c.req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: \`Summarise: \${text}\` }],
  }, { signal: c.req.raw.signal });
  return c.json({ summary: completion.choices[0].message.content });
});
` },
        ],
      },
    ],
  },
  {
    name: 'reuses a controller already linked to the response closing',
    code: `import express from 'express';

const app = express();

app.post('/checkout', async (req, res) => {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const quote = await fetch('https://tax.example.com/quote', { method: 'POST', body: JSON.stringify(req.body), signal: controller.signal });
  const charge = await fetch('https://payments.example.com/charge', { method: 'POST', body: await quote.text() });
  res.json(await charge.json());
});
`,
    errors: [
      {
        line: 9, column: 24, endLine: 9, endColumn: 29,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.post('/checkout', async (req, res) => {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const quote = await fetch('https://tax.example.com/quote', { method: 'POST', body: JSON.stringify(req.body), signal: controller.signal });
  const charge = await fetch('https://payments.example.com/charge', { method: 'POST', body: await quote.text(), signal: controller.signal });
  res.json(await charge.json());
});
` },
        ],
      },
    ],
  },
  {
    name: 'reuses a local variable holding the native signal',
    code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/feed', async (c) => {
  const signal = c.req.raw.signal;
  const [posts, ads] = await Promise.all([
    fetch('https://posts.example.com/latest', { signal }),
    fetch('https://ads.example.com/slots'),
  ]);
  return c.json({ posts: await posts.json(), ads: await ads.json() });
});
`,
    errors: [
      {
        line: 9, column: 5, endLine: 9, endColumn: 10,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/feed', async (c) => {
  const signal = c.req.raw.signal;
  const [posts, ads] = await Promise.all([
    fetch('https://posts.example.com/latest', { signal }),
    fetch('https://ads.example.com/slots', { signal }),
  ]);
  return c.json({ posts: await posts.json(), ads: await ads.json() });
});
` },
        ],
      },
    ],
  },
  {
    name: 'reuses AbortSignal.any over the request signal',
    fileName: 'route.ts',
    code: `export async function POST(request: Request) {
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(5_000)]);
  const body = await request.json();
  const res = await fetch('https://search.example.com/index', { method: 'POST', body: JSON.stringify(body) });
  return new Response(null, { status: res.ok ? 204 : 502 });
}
`,
    errors: [
      {
        line: 4, column: 21, endLine: 4, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function POST(request: Request) {
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(5_000)]);
  const body = await request.json();
  const res = await fetch('https://search.example.com/index', { method: 'POST', body: JSON.stringify(body), signal });
  return new Response(null, { status: res.ok ? 204 : 502 });
}
` },
        ],
      },
    ],
  },
  {
    name: 'a helper with a signal parameter that does not pass it on',
    code: `export async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(\`\${url} answered \${res.status}\`);
  return res.json();
}
`,
    errors: [
      {
        line: 2, column: 21, endLine: 2, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) throw new Error(\`\${url} answered \${res.status}\`);
  return res.json();
}
` },
        ],
      },
    ],
  },
  {
    name: 'a helper the handler hands its signal to (related information points at the handler)',
    code: `import express from 'express';

const app = express();

async function loadProfile(id: string, s: AbortSignal) {
  const res = await fetch(\`https://profiles.example.com/\${id}\`);
  return res.json();
}

app.get('/me', async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  res.json(await loadProfile(String(req.query.id), controller.signal));
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

async function loadProfile(id: string, s: AbortSignal) {
  const res = await fetch(\`https://profiles.example.com/\${id}\`, { signal: s });
  return res.json();
}

app.get('/me', async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  res.json(await loadProfile(String(req.query.id), controller.signal));
});
` },
        ],
      },
    ],
  },
  {
    name: 'helper with options destructured { signal }',
    fileName: 'client.js',
    untyped: true,
    code: `export async function search(query, { signal } = {}) {
  const res = await fetch('https://search.example.com/?q=' + encodeURIComponent(query));
  return res.json();
}
`,
    errors: [
      {
        line: 2, column: 21, endLine: 2, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function search(query, { signal } = {}) {
  const res = await fetch('https://search.example.com/?q=' + encodeURIComponent(query), { signal });
  return res.json();
}
` },
        ],
      },
    ],
  },
  {
    name: 'a local already named requestAbort: the controller gets a fresh name',
    code: `import express from 'express';

const app = express();

app.get('/report', async (req, res) => {
  const requestAbort = req.query.abort === '1';
  const data = await fetch('https://reports.example.com/daily');
  res.json({ requestAbort, data: await data.json() });
});
`,
    errors: [
      {
        line: 7, column: 22, endLine: 7, endColumn: 27,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/report', async (req, res) => {
  const requestAbort2 = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort2.abort(); });
  const requestAbort = req.query.abort === '1';
  const data = await fetch('https://reports.example.com/daily', { signal: requestAbort2.signal });
  res.json({ requestAbort, data: await data.json() });
});
` },
        ],
      },
    ],
  },
  {
    name: 'expression-bodied arrow becomes a block that returns it',
    code: `import express from 'express';

const app = express();

app.get('/proxy', (req, res) => fetch('https://upstream.example.com/data').then((r) => r.json()).then((d) => res.json(d)));
`,
    errors: [
      {
        line: 5, column: 33, endLine: 5, endColumn: 38,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/proxy', (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  return fetch('https://upstream.example.com/data', { signal: requestAbort.signal }).then((r) => r.json()).then((d) => res.json(d));
});
` },
        ],
      },
    ],
  },
  {
    name: 'one-line handler body',
    code: `import express from 'express';

const app = express();

app.get('/ping-upstream', async (req, res) => { const r = await fetch('https://upstream.example.com/ping'); res.sendStatus(r.status); });
`,
    errors: [
      {
        line: 5, column: 65, endLine: 5, endColumn: 70,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/ping-upstream', async (req, res) => { const requestAbort = new AbortController(); res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); }); const r = await fetch('https://upstream.example.com/ping', { signal: requestAbort.signal }); res.sendStatus(r.status); });
` },
        ],
      },
    ],
  },
  {
    name: 'calls inside callbacks created in the handler',
    code: `import express from 'express';

const app = express();

app.post('/batch', async (req, res) => {
  const ids: string[] = req.body.ids;
  const results = await Promise.all(ids.map(async (id) => {
    const r = await fetch(\`https://items.example.com/\${id}\`);
    return r.json();
  }));
  res.json(results);
});
`,
    errors: [
      {
        line: 8, column: 21, endLine: 8, endColumn: 26,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.post('/batch', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const ids: string[] = req.body.ids;
  const results = await Promise.all(ids.map(async (id) => {
    const r = await fetch(\`https://items.example.com/\${id}\`, { signal: requestAbort.signal });
    return r.json();
  }));
  res.json(results);
});
` },
        ],
      },
    ],
  },
  {
    name: 'Fastify async hook',
    code: `import Fastify from 'fastify';

const app = Fastify();

app.addHook('preHandler', async (request, reply) => {
  const res = await fetch('https://flags.example.com/flags');
  (request as any).flags = await res.json();
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Fastify from 'fastify';

const app = Fastify();

app.addHook('preHandler', async (request, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const res = await fetch('https://flags.example.com/flags', { signal: requestAbort.signal });
  (request as any).flags = await res.json();
});
` },
        ],
      },
    ],
  },
  {
    name: 'Remix loader',
    fileName: 'app/routes/products.tsx',
    code: `export async function loader({ request }: { request: Request }) {
  const url = new URL(request.url);
  const res = await fetch(\`https://catalog.example.com/products?page=\${url.searchParams.get('page') ?? 1}\`);
  return Response.json(await res.json());
}
`,
    errors: [
      {
        line: 3, column: 21, endLine: 3, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function loader({ request }: { request: Request }) {
  const url = new URL(request.url);
  const res = await fetch(\`https://catalog.example.com/products?page=\${url.searchParams.get('page') ?? 1}\`, { signal: request.signal });
  return Response.json(await res.json());
}
` },
        ],
      },
    ],
  },
  {
    name: 'Express middleware with next',
    code: `import type { NextFunction, Request, Response } from 'express';

export async function loadTenant(req: Request, res: Response, next: NextFunction) {
  const response = await fetch(\`https://tenants.example.com/\${req.hostname}\`);
  if (!response.ok) {
    res.status(404).end();
    return;
  }
  res.locals.tenant = await response.json();
  next();
}
`,
    errors: [
      {
        line: 4, column: 26, endLine: 4, endColumn: 31,
        fixes: [
          { title: FIX, output: `import type { NextFunction, Request, Response } from 'express';

export async function loadTenant(req: Request, res: Response, next: NextFunction) {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const response = await fetch(\`https://tenants.example.com/\${req.hostname}\`, { signal: requestAbort.signal });
  if (!response.ok) {
    res.status(404).end();
    return;
  }
  res.locals.tenant = await response.json();
  next();
}
` },
        ],
      },
    ],
  },
  {
    name: 'https.get with a callback (typed overloads)',
    code: `import https from 'node:https';
import express from 'express';

const app = express();

app.get('/status', (req, res) => {
  https.get('https://status.example.com/summary.json', (upstream) => {
    upstream.pipe(res);
  });
});
`,
    errors: [
      {
        line: 7, column: 3, endLine: 7, endColumn: 12,
        fixes: [
          { title: FIX, output: `import https from 'node:https';
import express from 'express';

const app = express();

app.get('/status', (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  https.get('https://status.example.com/summary.json', { signal: requestAbort.signal }, (upstream) => {
    upstream.pipe(res);
  });
});
` },
        ],
      },
    ],
  },
  {
    name: 'fs.readFile callback form',
    code: `import fs from 'node:fs';
import express from 'express';

const app = express();

app.get('/terms', (req, res) => {
  fs.readFile('./terms.md', 'utf8', (err, text) => {
    if (err) res.sendStatus(500);
    else res.type('text/markdown').send(text);
  });
});
`,
    errors: [
      {
        line: 7, column: 3, endLine: 7, endColumn: 14,
        fixes: [
          { title: FIX, output: `import fs from 'node:fs';
import express from 'express';

const app = express();

app.get('/terms', (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  fs.readFile('./terms.md', { encoding: 'utf8', signal: requestAbort.signal }, (err, text) => {
    if (err) res.sendStatus(500);
    else res.type('text/markdown').send(text);
  });
});
` },
        ],
      },
    ],
  },
  {
    name: 'TypeScript without node_modules',
    untyped: true,
    code: `import express from 'express';
import { readFile } from 'node:fs/promises';

const app = express();

app.get('/config', async (req, res) => {
  const raw = await readFile('./config.json');
  res.type('json').send(raw);
});
`,
    errors: [
      {
        line: 7, column: 21, endLine: 7, endColumn: 29,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { readFile } from 'node:fs/promises';

const app = express();

app.get('/config', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const raw = await readFile('./config.json', { signal: requestAbort.signal });
  res.type('json').send(raw);
});
` },
        ],
      },
    ],
  },
  {
    name: 'Hono in plain JavaScript',
    fileName: 'app.js',
    untyped: true,
    code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/geo', async (c) => {
  const res = await fetch('https://geo.example.com/lookup?ip=' + c.req.header('x-forwarded-for'));
  return c.json(await res.json());
});

export default app;
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/geo', async (c) => {
  const res = await fetch('https://geo.example.com/lookup?ip=' + c.req.header('x-forwarded-for'), { signal: c.req.raw.signal });
  return c.json(await res.json());
});

export default app;
` },
        ],
      },
    ],
  },
  {
    name: 'helpers two calls deep from the handler',
    code: `import express from 'express';

const app = express();

async function fetchJson(url: string, signal: AbortSignal) {
  const res = await fetch(url, { signal });
  return res.json();
}

async function loadCart(id: string, cancel: AbortSignal) {
  const prices = await fetch(\`https://prices.example.com/carts/\${id}\`);
  return { prices: await prices.json(), items: await fetchJson(\`https://carts.example.com/\${id}\`, cancel) };
}

async function loadPage(id: string, cancel: AbortSignal) {
  return { cart: await loadCart(id, cancel) };
}

app.get('/cart/:id', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.json(await loadPage(req.params.id, requestAbort.signal));
});
`,
    errors: [
      {
        line: 11, column: 24, endLine: 11, endColumn: 29,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

async function fetchJson(url: string, signal: AbortSignal) {
  const res = await fetch(url, { signal });
  return res.json();
}

async function loadCart(id: string, cancel: AbortSignal) {
  const prices = await fetch(\`https://prices.example.com/carts/\${id}\`, { signal: cancel });
  return { prices: await prices.json(), items: await fetchJson(\`https://carts.example.com/\${id}\`, cancel) };
}

async function loadPage(id: string, cancel: AbortSignal) {
  return { cart: await loadCart(id, cancel) };
}

app.get('/cart/:id', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.json(await loadPage(req.params.id, requestAbort.signal));
});
` },
        ],
      },
    ],
  },
  {
    name: 'helper with an options parameter typed { signal?: AbortSignal }',
    code: `export async function fetchOrder(id: number, options?: { signal?: AbortSignal; retries?: number }) {
  const res = await fetch(\`https://orders.example.com/\${id}\`);
  return res.json();
}
`,
    errors: [
      {
        line: 2, column: 21, endLine: 2, endColumn: 26,
        fixes: [
          { title: FIX, output: `export async function fetchOrder(id: number, options?: { signal?: AbortSignal; retries?: number }) {
  const res = await fetch(\`https://orders.example.com/\${id}\`, { signal: options?.signal });
  return res.json();
}
` },
        ],
      },
    ],
  },
  {
    name: 'explicit undefined options are replaced',
    code: `import express from 'express';

const app = express();

app.get('/x', async (req, res) => {
  const r = await fetch('https://example.com/x', undefined);
  res.send(await r.text());
});
`,
    errors: [
      {
        line: 6, column: 19, endLine: 6, endColumn: 24,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/x', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const r = await fetch('https://example.com/x', { signal: requestAbort.signal });
  res.send(await r.text());
});
` },
        ],
      },
    ],
  },
  {
    name: 'two handlers each declare their own controller',
    code: `import express from 'express';

const app = express();

app.get('/a', async (req, res) => {
  res.json(await (await fetch('https://a.example.com')).json());
});

app.get('/b', async (request, response) => {
  response.json(await (await fetch('https://b.example.com')).json());
});
`,
    errors: [
      {
        line: 6, column: 25, endLine: 6, endColumn: 30,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/a', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.json(await (await fetch('https://a.example.com', { signal: requestAbort.signal })).json());
});

app.get('/b', async (request, response) => {
  response.json(await (await fetch('https://b.example.com')).json());
});
` },
        ],
      },
      {
        line: 10, column: 30, endLine: 10, endColumn: 35,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/a', async (req, res) => {
  res.json(await (await fetch('https://a.example.com')).json());
});

app.get('/b', async (request, response) => {
  const requestAbort = new AbortController();
  response.once('close', () => { if (!response.writableFinished) requestAbort.abort(); });
  response.json(await (await fetch('https://b.example.com', { signal: requestAbort.signal })).json());
});
` },
        ],
      },
    ],
  },
  {
    name: 'server-sent events with timers/promises setInterval',
    code: `import express from 'express';
import { setInterval as every } from 'node:timers/promises';

const app = express();

app.get('/events', async (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for await (const _ of every(1000)) {
    res.write(\`data: \${Date.now()}\\n\\n\`);
  }
});
`,
    errors: [
      {
        line: 8, column: 25, endLine: 8, endColumn: 30,
        fixes: [
          { title: FIX, output: `import express from 'express';
import { setInterval as every } from 'node:timers/promises';

const app = express();

app.get('/events', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for await (const _ of every(1000, undefined, { signal: requestAbort.signal })) {
    res.write(\`data: \${Date.now()}\\n\\n\`);
  }
});
` },
        ],
      },
    ],
  },
  {
    name: 'Koa middleware with next',
    code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  const res = await fetch(\`https://sessions.example.com/\${ctx.cookies.get('sid')}\`);
  ctx.state.session = await res.json();
  await next();
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  const requestAbort = new AbortController();
  ctx.res.once('close', () => { if (!ctx.res.writableFinished) requestAbort.abort(); });
  const res = await fetch(\`https://sessions.example.com/\${ctx.cookies.get('sid')}\`, { signal: requestAbort.signal });
  ctx.state.session = await res.json();
  await next();
});
` },
        ],
      },
    ],
  },
  {
    name: 'globalThis.fetch',
    code: `import express from 'express';

const app = express();

app.get('/x', async (req, res) => {
  const r = await globalThis.fetch('https://example.com/x');
  res.send(await r.text());
});
`,
    errors: [
      {
        line: 6, column: 19, endLine: 6, endColumn: 35,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.get('/x', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const r = await globalThis.fetch('https://example.com/x', { signal: requestAbort.signal });
  res.send(await r.text());
});
` },
        ],
      },
    ],
  },
  {
    name: 'Express error middleware',
    code: `import express from 'express';

const app = express();

app.use(async (err: Error, req: express.Request, res: express.Response, next: express.NextFunction) => {
  await fetch('https://errors.example.com/report', { method: 'POST', body: err.stack });
  res.status(500).json({ error: 'internal' });
});
`,
    errors: [
      {
        line: 6, column: 9, endLine: 6, endColumn: 14,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

app.use(async (err: Error, req: express.Request, res: express.Response, next: express.NextFunction) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await fetch('https://errors.example.com/report', { method: 'POST', body: err.stack, signal: requestAbort.signal });
  res.status(500).json({ error: 'internal' });
});
` },
        ],
      },
    ],
  },

  {
    name: 'fs.createReadStream piped with .pipe(): the file stays open when the client leaves',
    code: `import express from 'express';
import fs from 'node:fs';

const app = express();

app.get('/download/:name', (req, res) => {
  res.attachment(req.params.name);
  fs.createReadStream(\`./files/\${req.params.name}\`).pipe(res);
});
`,
    errors: [
      {
        line: 8, column: 3, endLine: 8, endColumn: 22,
        fixes: [
          { title: FIX, output: `import express from 'express';
import fs from 'node:fs';

const app = express();

app.get('/download/:name', (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.attachment(req.params.name);
  fs.createReadStream(\`./files/\${req.params.name}\`, { signal: requestAbort.signal }).pipe(res);
});
` },
        ],
      },
    ],
  },
  {
    name: 'a local fetch wrapper whose options type has a signal',
    code: `import express from 'express';

const API = 'https://api.example.com';
async function api(path: string, init?: RequestInit) {
  return fetch(API + path, init);
}

const app = express();

app.get('/orders', async (req, res) => {
  const r = await api('/orders');
  res.json(await r.json());
});
`,
    errors: [
      {
        line: 11, column: 19, endLine: 11, endColumn: 22,
        fixes: [
          { title: FIX, output: `import express from 'express';

const API = 'https://api.example.com';
async function api(path: string, init?: RequestInit) {
  return fetch(API + path, init);
}

const app = express();

app.get('/orders', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const r = await api('/orders', { signal: requestAbort.signal });
  res.json(await r.json());
});
` },
        ],
      },
    ],
  },

  {
    name: 'project functions syntax cannot rule out are left to the types: a union, a context, an overload',
    code: `import express from 'express';

type Getter = (path: string, options: { signal?: AbortSignal }) => Promise<Response>;
const getJson: Getter = async (path, extra) => fetch(path, extra);
function load(path: string): Promise<Response>;
function load(path: string, init: RequestInit): Promise<Response>;
async function load(path: string, init?: any) {
  return fetch(path, init);
}
async function send(path: string, init: RequestInit | undefined) {
  return fetch(path, init);
}

const app = express();

app.get('/report', async (req, res) => {
  await getJson('/a', {});
  await load('/b');
  await send('/c', undefined);
  res.end();
});
`,
    errors: [
      {
        line: 17, column: 9, endLine: 17, endColumn: 16,
        fixes: [
          { title: FIX, output: `import express from 'express';

type Getter = (path: string, options: { signal?: AbortSignal }) => Promise<Response>;
const getJson: Getter = async (path, extra) => fetch(path, extra);
function load(path: string): Promise<Response>;
function load(path: string, init: RequestInit): Promise<Response>;
async function load(path: string, init?: any) {
  return fetch(path, init);
}
async function send(path: string, init: RequestInit | undefined) {
  return fetch(path, init);
}

const app = express();

app.get('/report', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await getJson('/a', { signal: requestAbort.signal });
  await load('/b');
  await send('/c', undefined);
  res.end();
});
` },
        ],
      },
      {
        line: 18, column: 9, endLine: 18, endColumn: 13,
        fixes: [
          { title: FIX, output: `import express from 'express';

type Getter = (path: string, options: { signal?: AbortSignal }) => Promise<Response>;
const getJson: Getter = async (path, extra) => fetch(path, extra);
function load(path: string): Promise<Response>;
function load(path: string, init: RequestInit): Promise<Response>;
async function load(path: string, init?: any) {
  return fetch(path, init);
}
async function send(path: string, init: RequestInit | undefined) {
  return fetch(path, init);
}

const app = express();

app.get('/report', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await getJson('/a', {});
  await load('/b', { signal: requestAbort.signal });
  await send('/c', undefined);
  res.end();
});
` },
        ],
      },
      {
        line: 19, column: 9, endLine: 19, endColumn: 13,
        fixes: [
          { title: FIX, output: `import express from 'express';

type Getter = (path: string, options: { signal?: AbortSignal }) => Promise<Response>;
const getJson: Getter = async (path, extra) => fetch(path, extra);
function load(path: string): Promise<Response>;
function load(path: string, init: RequestInit): Promise<Response>;
async function load(path: string, init?: any) {
  return fetch(path, init);
}
async function send(path: string, init: RequestInit | undefined) {
  return fetch(path, init);
}

const app = express();

app.get('/report', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  await getJson('/a', {});
  await load('/b');
  await send('/c', { signal: requestAbort.signal });
  res.end();
});
` },
        ],
      },
    ],
  },
  {
    name: 'a helper the handler passes req and res to is analysed as part of the request',
    code: `import express from 'express';

const app = express();

async function proxy(req: express.Request, res: express.Response, target: string) {
  const upstream = await fetch(target + req.url, { headers: { 'x-forwarded-for': req.ip ?? '' } });
  res.status(upstream.status).send(await upstream.text());
}

app.get('/api/*path', (req, res) => proxy(req, res, 'https://api.internal'));
app.get('/legacy/*path', (req, res) => proxy(req, res, 'https://legacy.internal'));
`,
    errors: [
      {
        line: 6, column: 26, endLine: 6, endColumn: 31,
        fixes: [
          { title: FIX, output: `import express from 'express';

const app = express();

async function proxy(req: express.Request, res: express.Response, target: string) {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const upstream = await fetch(target + req.url, { headers: { 'x-forwarded-for': req.ip ?? '' }, signal: requestAbort.signal });
  res.status(upstream.status).send(await upstream.text());
}

app.get('/api/*path', (req, res) => proxy(req, res, 'https://api.internal'));
app.get('/legacy/*path', (req, res) => proxy(req, res, 'https://legacy.internal'));
` },
        ],
      },
    ],
  },
  {
    name: 'a helper given only req: reported, but no signal to derive, so no fix',
    fileName: 'users.js',
    untyped: true,
    code: `const express = require('express');

const router = express.Router();

async function currentUser(req) {
  const res = await fetch('https://auth.example.com/me', { headers: { authorization: req.get('authorization') } });
  return res.json();
}

router.get('/me', async (req, res) => {
  res.json(await currentUser(req));
});

module.exports = router;
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
      },
    ],
  },
  {
    name: 'a Hono helper given the context uses its native signal',
    code: `import { Hono, type Context } from 'hono';

const app = new Hono();

async function loadWeather(c: Context, city: string) {
  const res = await fetch(\`https://weather.example.com/\${city}\`);
  return res.json();
}

app.get('/weather/:city', async (c) => c.json(await loadWeather(c, c.req.param('city'))));
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import { Hono, type Context } from 'hono';

const app = new Hono();

async function loadWeather(c: Context, city: string) {
  const res = await fetch(\`https://weather.example.com/\${city}\`, { signal: c.req.raw.signal });
  return res.json();
}

app.get('/weather/:city', async (c) => c.json(await loadWeather(c, c.req.param('city'))));
` },
        ],
      },
    ],
  },

  {
    name: 'Fastify arrow with a bare parameter: parentheses are added with reply',
    fileName: 'routes.js',
    untyped: true,
    code: `import Fastify from 'fastify';

const app = Fastify();

app.get('/uptime', async request => {
  const res = await fetch('https://uptime.example.com/' + request.hostname);
  return res.json();
});
`,
    errors: [
      {
        line: 6, column: 21, endLine: 6, endColumn: 26,
        fixes: [
          { title: FIX, output: `import Fastify from 'fastify';

const app = Fastify();

app.get('/uptime', async (request, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const res = await fetch('https://uptime.example.com/' + request.hostname, { signal: requestAbort.signal });
  return res.json();
});
` },
        ],
      },
    ],
  },

  {
    name: 'CRLF newlines and tab indentation are kept',
    code: crlf(`import express from 'express';

const app = express();

app.get('/time', async (req, res) => {
	const r = await fetch('https://time.example.com/now', {
		method: 'GET',
	});
	res.send(await r.text());
});
`),
    errors: [
      {
        line: 6, column: 18, endLine: 6, endColumn: 23,
        fixes: [
          { title: FIX, output: crlf(`import express from 'express';

const app = express();

app.get('/time', async (req, res) => {
	const requestAbort = new AbortController();
	res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
	const r = await fetch('https://time.example.com/now', {
		method: 'GET',
		signal: requestAbort.signal,
	});
	res.send(await r.text());
});
`) },
        ],
      },
    ],
  },
];

ruleTester(RULE, { valid, invalid });

describe(`${RULE}: fixes across one handler`, () => {
  const code = `import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';

const app = express();

app.get('/dashboard', async (req, res) => {
  const user = await fetch('https://users.example.com/me');
  await sleep(50);
  const orders = await fetch('https://orders.example.com/recent', { headers: { accept: 'application/json' } });
  res.json({ user: await user.json(), orders: await orders.json() });
});

app.get('/other', async (req, res) => {
  res.send(await (await fetch('https://other.example.com')).text());
});
`;

  it('every fix in one handler makes the same declaration edit', () => {
    const run = analyse(RULE, { code });
    try {
      const dashboard = run.findings.filter((f) => f.startLc.line < 11);
      assert.equal(dashboard.length, 3);
      const declarations = dashboard.map((f) => JSON.stringify(f.fixes[0].edits.find((e) => e.newText.includes('new AbortController()'))));
      assert.equal(new Set(declarations).size, 1, declarations.join('\n'));
    } finally {
      run.dispose();
    }
  });

  it('fix-all declares one controller per handler and passes it to every call', () => {
    const run = analyse(RULE, { code });
    try {
      const { text, remaining } = run.analyzer.fixAll(run.fileName, run.settings);
      assert.equal(
        text,
        `import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';

const app = express();

app.get('/dashboard', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const user = await fetch('https://users.example.com/me', { signal: requestAbort.signal });
  await sleep(50, undefined, { signal: requestAbort.signal });
  const orders = await fetch('https://orders.example.com/recent', { headers: { accept: 'application/json' }, signal: requestAbort.signal });
  res.json({ user: await user.json(), orders: await orders.json() });
});

app.get('/other', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.send(await (await fetch('https://other.example.com', { signal: requestAbort.signal })).text());
});
`,
      );
      assert.deepEqual(remaining.findings.filter((f) => f.rule === RULE), []);
    } finally {
      run.dispose();
    }
  });
});

describe(`${RULE}: explanations`, () => {
  it('says what outlives what, and points at the handler', () => {
    const run = analyse(RULE, {
      code: `import express from 'express';
const app = express();
app.get('/a', async (req, res) => {
  res.send(await (await fetch('https://a.example.com')).text());
});
`,
    });
    try {
      const [finding] = run.findings;
      assert.equal(
        finding.message,
        "fetch() runs without the request's cancellation signal, so it outlives a client that disconnects and keeps tying up connections and work for a response nobody will read.",
      );
      assert.deepEqual(
        finding.related.map((r) => [r.startLc.line + 1, r.startLc.character + 1, r.message]),
        [[3, 22, 'the request handler (registered with .get()) whose signal this call should get']],
      );
    } finally {
      run.dispose();
    }
  });

  it('in a helper, names the signal it receives and every handler that reaches it', () => {
    const run = analyse(RULE, {
      code: `import express from 'express';
const app = express();

async function loadCart(id: string, cancel: AbortSignal) {
  return (await fetch(\`https://carts.example.com/\${id}\`)).json();
}

app.get('/cart/:id', async (req, res) => {
  const ac = new AbortController();
  res.once('close', () => ac.abort());
  res.json(await loadCart(req.params.id, ac.signal));
});

app.get('/checkout/:id', async (req, res) => {
  res.json(await loadCart(req.params.id, AbortSignal.timeout(1000)));
});
`,
    });
    try {
      assert.equal(run.findings.length, 1);
      const [finding] = run.findings;
      assert.match(finding.message, /^fetch\(\) does not get the signal this function receives \(cancel\), so it outlives a cancelled request/);
      assert.deepEqual(
        finding.related.map((r) => [r.startLc.line + 1, r.message]),
        [
          [4, 'the signal this function receives'],
          [8, 'reached from this request handler (registered with .get())'],
          [14, 'reached from this request handler (registered with .get())'],
        ],
      );
    } finally {
      run.dispose();
    }
  });
});

describe(`${RULE}: syntax first`, () => {
  /** Runs only this rule, counting the times anything asks the type checker. */
  function checkerAsks(code: string): { asks: number; findings: string[] } {
    const descriptor = Object.getOwnPropertyDescriptor(TypeInfo.prototype, 'checker')!;
    let asks = 0;
    Object.defineProperty(TypeInfo.prototype, 'checker', {
      configurable: true,
      get() {
        asks++;
        return descriptor.get!.call(this);
      },
    });
    const others = Object.fromEntries(RULES.filter((r) => r.id !== RULE).map((r) => [r.id, 'off' as const]));
    try {
      const run = analyse(RULE, { code, settings: { rules: others } });
      run.dispose();
      return { asks, findings: run.findings.map((f) => f.message.split(' ')[0]) };
    } finally {
      Object.defineProperty(TypeInfo.prototype, 'checker', descriptor);
    }
  }

  it('decides pool, built-in and project calls without the type checker', () => {
    const { asks, findings } = checkerAsks(`import express from 'express';
import { Pool } from 'pg';
import { createPool } from 'generic-pool';
import { setTimeout as sleep } from 'node:timers/promises';

const pool = new Pool();
class Renderer {
  async render(view: string, data: object): Promise<string> { return view + JSON.stringify(data); }
}
const renderers = createPool({ create: async () => new Renderer(), destroy: async () => {} });
interface Row { id: number; name: string }
function parseId(raw: unknown): number | undefined {
  const id = Number(raw);
  return Number.isInteger(id) ? id : undefined;
}
function toItem(row: Row) { return { id: row.id, name: row.name }; }

const app = express();

app.get('/items/:id', async (req, res) => {
  const id = parseId(req.params.id);
  const limit = Math.min(Number(req.query.limit ?? 10), 100);
  const client = await pool.connect();
  try {
    const { rows } = await client.query<Row>('SELECT * FROM items WHERE id = $1 LIMIT $2', [id, limit]);
    const renderer = await renderers.acquire();
    const html = await renderer.render('item', toItem(rows[0]));
    await renderers.release(renderer);
    await sleep(10);
    res.json({ html, items: rows.map(toItem) });
  } finally {
    client.release();
  }
});
`);
    assert.deepEqual(findings, ['sleep()']);
    assert.equal(asks, 0);
  });
});

// ----- NestJS and @grpc/grpc-js (RULES.md §1 table; §2.2's fix notes for Nest and gRPC) -----------

const nestAndGrpcValid: ValidCase[] = [
  {
    name: 'Nest controller whose own controller is linked to req.res',
    code: `import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('users')
export class UsersController {
  @Get()
  async list(@Req() req: Request) {
    const ac = new AbortController();
    req.res?.once('close', () => ac.abort());
    const r = await fetch('https://users.example.com/', { signal: ac.signal });
    return r.json();
  }
}
`,
  },
  {
    name: 'Nest interceptor that listens on the response it took from the ExecutionContext',
    code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';

@Injectable()
export class FlagsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse();
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    return from(fetch('https://flags.example.com/all', { signal: ac.signal })).pipe(switchMap(() => next.handle()));
  }
}
`,
  },
  {
    name: 'Nest: an @Injectable() service method and onModuleInit are not request scopes',
    code: `import { Injectable, OnModuleInit } from '@nestjs/common';

@Injectable()
export class RatesService implements OnModuleInit {
  private rates: unknown;
  async onModuleInit() {
    this.rates = await (await fetch('https://rates.example.com/all')).json();
  }
  async refresh() {
    this.rates = await (await fetch('https://rates.example.com/all')).json();
  }
}
`,
  },
  {
    name: 'Nest middleware in plain JavaScript passing a linked signal (untyped)',
    fileName: 'handler.js',
    untyped: true,
    code: `const { Injectable } = require('@nestjs/common');

@Injectable()
class AuditMiddleware {
  async use(req, res, next) {
    const ac = new AbortController();
    res.once('close', () => ac.abort());
    await fetch('https://audit.example.com/', { method: 'POST', body: req.url, signal: ac.signal });
    next();
  }
}
module.exports = { AuditMiddleware };
`,
  },
  {
    name: "gRPC method whose controller is linked to the call's cancelled event",
    code: `import * as grpc from '@grpc/grpc-js';

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  async sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    const r = await fetch(\`https://names.example.com/\${call.request.name}\`, { signal: ac.signal });
    callback(null, { message: await r.text() });
  },
});
`,
  },
  {
    name: 'gRPC client call sites are not request scopes',
    code: `import * as grpc from '@grpc/grpc-js';

declare const client: grpc.Client & { sayHello(req: object, cb: (err: grpc.ServiceError | null, res?: { message: string }) => void): void };

client.sayHello({ name: 'x' }, (err, response) => {
  if (!err) void fetch('https://audit.example.com/', { method: 'POST', body: response?.message });
});
`,
  },
  {
    name: 'gRPC in plain JavaScript passing a linked signal (untyped)',
    fileName: 'handler.js',
    untyped: true,
    code: `const grpc = require('@grpc/grpc-js');
const { execFile } = require('node:child_process');

function runReport(call, callback) {
  const ac = new AbortController();
  call.once('cancelled', () => ac.abort());
  execFile('report', [call.request.id], { signal: ac.signal }, (err, stdout) => callback(err, { body: stdout }));
}

const server = new grpc.Server();
server.addService(proto.Reports.service, { runReport });
`,
  },
];

const nestAndGrpcInvalid: InvalidCase[] = [
  {
    name: "Nest controller route without @Req(): the fix adds a @Req() parameter and listens on req.res",
    code: `import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('users')
export class UsersController {
  @Get(':id')
  async findOne(@Param('id') id: string) {
    const r = await fetch(\`https://users.example.com/\${id}\`);
    return r.json();
  }
}
`,
    errors: [
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('users')
export class UsersController {
  @Get(':id')
  async findOne(@Param('id') id: string, @Req() req: Request) {
    const requestAbort = new AbortController();
    req.res?.once('close', () => { if (!req.res?.writableFinished) requestAbort.abort(); });
    const r = await fetch(\`https://users.example.com/\${id}\`, { signal: requestAbort.signal });
    return r.json();
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest controller route without @Req(), Req not imported yet: the fix imports it",
    code: `import { Controller, Get } from '@nestjs/common';
import type { Request } from 'express';
import { readFile } from 'node:fs/promises';

@Controller('reports')
export class ReportsController {
  @Get()
  async latest() {
    return readFile('./reports/latest.json', 'utf8');
  }
}
`,
    errors: [
      {
        line: 9,
        column: 12,
        endLine: 9,
        endColumn: 20,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { readFile } from 'node:fs/promises';

@Controller('reports')
export class ReportsController {
  @Get()
  async latest(@Req() req: Request) {
    const requestAbort = new AbortController();
    req.res?.once('close', () => { if (!req.res?.writableFinished) requestAbort.abort(); });
    return readFile('./reports/latest.json', { encoding: 'utf8', signal: requestAbort.signal });
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest controller route with @Req(): the signal comes from req.res",
    code: `import { Controller, Post, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('orders')
export class OrdersController {
  @Post()
  async create(@Req() req: Request) {
    const r = await fetch('https://payments.example.com/charge', { method: 'POST', body: JSON.stringify(req.body) });
    return { charged: r.ok };
  }
}
`,
    errors: [
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { Controller, Post, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('orders')
export class OrdersController {
  @Post()
  async create(@Req() req: Request) {
    const requestAbort = new AbortController();
    req.res?.once('close', () => { if (!req.res?.writableFinished) requestAbort.abort(); });
    const r = await fetch('https://payments.example.com/charge', { method: 'POST', body: JSON.stringify(req.body), signal: requestAbort.signal });
    return { charged: r.ok };
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest interceptor: the response from switchToHttp().getResponse(), taken once into a local",
    code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';

@Injectable()
export class FlagsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(fetch('https://flags.example.com/all')).pipe(switchMap(() => next.handle()));
  }
}
`,
    errors: [
      {
        line: 7,
        column: 17,
        endLine: 7,
        endColumn: 22,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';

@Injectable()
export class FlagsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse();
    const requestAbort = new AbortController();
    response.once('close', () => { if (!response.writableFinished) requestAbort.abort(); });
    return from(fetch('https://flags.example.com/all', { signal: requestAbort.signal })).pipe(switchMap(() => next.handle()));
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest guard, two calls: one declaration for both",
    code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

@Injectable()
export class TokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = context.switchToHttp().getRequest().headers.authorization;
    const r = await fetch('https://auth.example.com/introspect', { method: 'POST', body: token });
    const s = await fetch('https://auth.example.com/session');
    return r.ok && s.ok;
  }
}
`,
    errors: [
      {
        line: 7,
        column: 21,
        endLine: 7,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

@Injectable()
export class TokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const response = context.switchToHttp().getResponse();
    const requestAbort = new AbortController();
    response.once('close', () => { if (!response.writableFinished) requestAbort.abort(); });
    const token = context.switchToHttp().getRequest().headers.authorization;
    const r = await fetch('https://auth.example.com/introspect', { method: 'POST', body: token, signal: requestAbort.signal });
    const s = await fetch('https://auth.example.com/session');
    return r.ok && s.ok;
  }
}
` },
        ],
      },
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';

@Injectable()
export class TokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const response = context.switchToHttp().getResponse();
    const requestAbort = new AbortController();
    response.once('close', () => { if (!response.writableFinished) requestAbort.abort(); });
    const token = context.switchToHttp().getRequest().headers.authorization;
    const r = await fetch('https://auth.example.com/introspect', { method: 'POST', body: token });
    const s = await fetch('https://auth.example.com/session', { signal: requestAbort.signal });
    return r.ok && s.ok;
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

@Injectable()
class AuditMiddleware {
  async use(req, res, next) {
    await fetch('https://audit.example.com/', { method: 'POST', body: req.url });
    next();
  }
}
module.exports = { AuditMiddleware };
`,
    errors: [
      {
        line: 6,
        column: 11,
        endLine: 6,
        endColumn: 16,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `const { Injectable } = require('@nestjs/common');

@Injectable()
class AuditMiddleware {
  async use(req, res, next) {
    const requestAbort = new AbortController();
    res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
    await fetch('https://audit.example.com/', { method: 'POST', body: req.url, signal: requestAbort.signal });
    next();
  }
}
module.exports = { AuditMiddleware };
` },
        ],
      },
    ],
  },
  {
    name: "Nest controller in plain JavaScript with @Bind(Req()) (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const { Bind, Controller, Get, Req } = require('@nestjs/common');

@Controller('cats')
class CatsController {
  @Get()
  @Bind(Req())
  async findAll(req) {
    const r = await fetch('https://cats.example.com/?q=' + req.query.q);
    return r.json();
  }
}
module.exports = { CatsController };
`,
    errors: [
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `const { Bind, Controller, Get, Req } = require('@nestjs/common');

@Controller('cats')
class CatsController {
  @Get()
  @Bind(Req())
  async findAll(req) {
    const requestAbort = new AbortController();
    req.res?.once('close', () => { if (!req.res?.writableFinished) requestAbort.abort(); });
    const r = await fetch('https://cats.example.com/?q=' + req.query.q, { signal: requestAbort.signal });
    return r.json();
  }
}
module.exports = { CatsController };
` },
        ],
      },
    ],
  },
  {
    name: "Nest controller in plain JavaScript without a request parameter: reported, no fix (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const { Controller, Get } = require('@nestjs/common');

@Controller('dogs')
class DogsController {
  @Get()
  async findAll() {
    const r = await fetch('https://dogs.example.com/');
    return r.json();
  }
}
module.exports = { DogsController };
`,
    errors: [
      {
        line: 7,
        column: 21,
        endLine: 7,
        endColumn: 26,
      },
    ],
  },
  {
    name: "gRPC unary method in addService: the signal comes from the call's cancelled event",
    code: `import * as grpc from '@grpc/grpc-js';

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  async sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    const r = await fetch(\`https://names.example.com/\${call.request.name}\`);
    callback(null, { message: await r.text() });
  },
});
`,
    errors: [
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import * as grpc from '@grpc/grpc-js';

const server = new grpc.Server();
declare const greeter: grpc.ServiceDefinition;

server.addService(greeter, {
  async sayHello(call: grpc.ServerUnaryCall<{ name: string }, { message: string }>, callback: grpc.sendUnaryData<{ message: string }>) {
    const requestAbort = new AbortController();
    call.once('cancelled', () => requestAbort.abort());
    const r = await fetch(\`https://names.example.com/\${call.request.name}\`, { signal: requestAbort.signal });
    callback(null, { message: await r.text() });
  },
});
` },
        ],
      },
    ],
  },
  {
    name: "gRPC server-streaming method of a class instance",
    code: `import { Server, type ServerWritableStream, type ServiceDefinition } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';

declare const news: ServiceDefinition;

class NewsService {
  async stream(call: ServerWritableStream<{ topic: string }, { title: string }>) {
    for (let i = 0; i < 10; i++) {
      await sleep(1000);
      call.write({ title: \`\${call.request.topic} #\${i}\` });
    }
    call.end();
  }
}

const server = new Server();
server.addService(news, new NewsService());
`,
    errors: [
      {
        line: 9,
        column: 13,
        endLine: 9,
        endColumn: 18,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import { Server, type ServerWritableStream, type ServiceDefinition } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';

declare const news: ServiceDefinition;

class NewsService {
  async stream(call: ServerWritableStream<{ topic: string }, { title: string }>) {
    const requestAbort = new AbortController();
    call.once('cancelled', () => requestAbort.abort());
    for (let i = 0; i < 10; i++) {
      await sleep(1000, undefined, { signal: requestAbort.signal });
      call.write({ title: \`\${call.request.topic} #\${i}\` });
    }
    call.end();
  }
}

const server = new Server();
server.addService(news, new NewsService());
` },
        ],
      },
    ],
  },
  {
    name: "gRPC handler typed with handleUnaryCall, in an arrow without a block body",
    code: `import type { handleUnaryCall } from '@grpc/grpc-js';

export const lookup: handleUnaryCall<{ id: string }, { body: string }> = (call, callback) =>
  fetch(\`https://records.example.com/\${call.request.id}\`).then(async (r) => callback(null, { body: await r.text() }));
`,
    errors: [
      {
        line: 4,
        column: 3,
        endLine: 4,
        endColumn: 8,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `import type { handleUnaryCall } from '@grpc/grpc-js';

export const lookup: handleUnaryCall<{ id: string }, { body: string }> = (call, callback) =>
  {
    const requestAbort = new AbortController();
    call.once('cancelled', () => requestAbort.abort());
    return fetch(\`https://records.example.com/\${call.request.id}\`, { signal: requestAbort.signal }).then(async (r) => callback(null, { body: await r.text() }));
  };
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
const { execFile } = require('node:child_process');

function runReport(call, callback) {
  execFile('report', [call.request.id], (err, stdout) => callback(err, { body: stdout }));
}

const server = new grpc.Server();
server.addService(proto.Reports.service, { runReport });
`,
    errors: [
      {
        line: 5,
        column: 3,
        endLine: 5,
        endColumn: 11,
        fixes: [
          { title: "Pass the request's cancellation signal", output: `const grpc = require('@grpc/grpc-js');
const { execFile } = require('node:child_process');

function runReport(call, callback) {
  const requestAbort = new AbortController();
  call.once('cancelled', () => requestAbort.abort());
  execFile('report', [call.request.id], { signal: requestAbort.signal }, (err, stdout) => callback(err, { body: stdout }));
}

const server = new grpc.Server();
server.addService(proto.Reports.service, { runReport });
` },
        ],
      },
    ],
  },
  {
    name: "gRPC client interceptor: reported, no fix (no server call to listen on)",
    fileName: "handler.js",
    untyped: true,
    code: `exports.tokenInterceptor = (options, nextCall) => {
  fetch('https://tokens.example.com/refresh');
  return nextCall(options);
};
`,
    errors: [
      {
        line: 2,
        column: 3,
        endLine: 2,
        endColumn: 8,
      },
    ],
  },
  {
    name: "Nest controller with @Res({ passthrough: true }): listens on that response",
    code: `import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

@Controller('files')
export class FilesController {
  @Get()
  async list(@Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    const r = await fetch('https://files.example.com/');
    return r.json();
  }
}
`,
    errors: [
      {
        line: 9,
        column: 21,
        endLine: 9,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", preferred: true, output: `import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

@Controller('files')
export class FilesController {
  @Get()
  async list(@Res({ passthrough: true }) res: Response) {
    const requestAbort = new AbortController();
    res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
    res.setHeader('cache-control', 'no-store');
    const r = await fetch('https://files.example.com/', { signal: requestAbort.signal });
    return r.json();
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "Nest controller without @Req() in a file that doesn't import Express's Request: reported, no fix",
    code: `import { Controller, Get } from '@nestjs/common';

@Controller('users')
export class UsersController {
  @Get()
  async list() {
    const r = await fetch('https://users.example.com/');
    return r.json();
  }
}
`,
    errors: [
      {
        line: 7,
        column: 21,
        endLine: 7,
        endColumn: 26,
      },
    ],
  },
  {
    name: "Nest controller on the Fastify adapter: no req.res to listen on, no fix",
    code: `import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

@Controller('users')
export class UsersController {
  @Get()
  async list(@Req() req: FastifyRequest) {
    const r = await fetch('https://users.example.com/' + req.url);
    return r.json();
  }
}
`,
    errors: [
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 26,
      },
    ],
  },
  {
    name: "Nest controller that already uses the name req: no fix",
    code: `import { Controller, Get, Query } from '@nestjs/common';
import type { Request } from 'express';

@Controller('search')
export class SearchController {
  @Get()
  async search(@Query('q') q: string) {
    const req = { q, size: 10 };
    const r = await fetch('https://search.example.com/', { method: 'POST', body: JSON.stringify(req) });
    return r.json();
  }
}
`,
    errors: [
      {
        line: 9,
        column: 21,
        endLine: 9,
        endColumn: 26,
      },
    ],
  },
  {
    name: "Nest middleware declared without res: the fix adds it, typed with Express Response",
    code: `import { Injectable, NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';

@Injectable()
export class GeoMiddleware implements NestMiddleware {
  async use(req: Request) {
    const r = await fetch('https://geo.example.com/' + req.ip);
    (req as Request & { country?: string }).country = await r.text();
  }
}
`,
    errors: [
      {
        line: 7,
        column: 21,
        endLine: 7,
        endColumn: 26,
        fixes: [
          { title: "Pass the request's cancellation signal", preferred: true, output: `import { Injectable, NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';

@Injectable()
export class GeoMiddleware implements NestMiddleware {
  async use(req: Request, res: Response) {
    const requestAbort = new AbortController();
    res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
    const r = await fetch('https://geo.example.com/' + req.ip, { signal: requestAbort.signal });
    (req as Request & { country?: string }).country = await r.text();
  }
}
` },
        ],
      },
    ],
  },
  {
    name: "gRPC method declared without parameters: in TypeScript no fix (the parameter could not be typed)",
    code: `import * as grpc from '@grpc/grpc-js';

const server = new grpc.Server();
declare const health: grpc.ServiceDefinition;

server.addService(health, {
  async check() {
    await fetch('https://db.example.com/ping');
  },
});
`,
    errors: [
      {
        line: 8,
        column: 11,
        endLine: 8,
        endColumn: 16,
      },
    ],
  },
  {
    name: "gRPC method declared without parameters (untyped)",
    fileName: "handler.js",
    untyped: true,
    code: `const grpc = require('@grpc/grpc-js');

const server = new grpc.Server();
server.addService(proto.Health.service, {
  async check() {
    await fetch('https://db.example.com/ping');
  },
});
`,
    errors: [
      {
        line: 6,
        column: 11,
        endLine: 6,
        endColumn: 16,
        fixes: [
          { title: "Pass the request's cancellation signal", preferred: true, output: `const grpc = require('@grpc/grpc-js');

const server = new grpc.Server();
server.addService(proto.Health.service, {
  async check(call) {
    const requestAbort = new AbortController();
    call.once('cancelled', () => requestAbort.abort());
    await fetch('https://db.example.com/ping', { signal: requestAbort.signal });
  },
});
` },
        ],
      },
    ],
  },
];

ruleTester(RULE, { valid: nestAndGrpcValid, invalid: nestAndGrpcInvalid });
