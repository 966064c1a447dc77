// unbounded-request-store (RULES.md §2.5): a module-level, static or singleton Map, Set, array or
// object that grows in a request scope and that nothing in the program shrinks or bounds. Express,
// Koa, Fastify, Hono, Next.js and Nest, typed and plain JS; the fix by response `close` listener, by
// `finally` (Hono, Fetch API), after a lone `if` body and after a `for...of`.
import { ruleTester } from '../support/ruleTester';

ruleTester("unbounded-request-store", {
  valid: [
    {
      name: "a bounded LRU cache",
      code: `import express from 'express';
import { LRUCache } from 'lru-cache';

const app = express();
const rendered = new LRUCache<string, string>({ max: 500 });

app.get('/page/:slug', (req, res) => {
  rendered.set(req.params.slug, \`<h1>\${req.params.slug}</h1>\`);
  res.send(rendered.get(req.params.slug));
});
`,
    },
    {
      name: "a size check before insert",
      code: `import express from 'express';

const app = express();
const MAX_ENTRIES = 10_000;
const seen = new Set<string>();

app.get('/visit/:id', (req, res) => {
  if (seen.size >= MAX_ENTRIES) return res.sendStatus(503);
  seen.add(req.params.id);
  res.send('ok');
});
`,
    },
    {
      name: "an array trimmed with shift",
      code: `import express from 'express';

const app = express();
const recent: string[] = [];

app.get('/log', (req, res) => {
  recent.push(String(req.query.msg));
  if (recent.length > 100) recent.shift();
  res.json(recent);
});
`,
    },
    {
      name: "a map that is deleted from elsewhere in the program",
      code: `import express from 'express';

const app = express();
const sessions = new Map<string, string>();

app.post('/login', (req, res) => {
  sessions.set(String(req.body.token), String(req.body.user));
  res.send('ok');
});

app.post('/logout', (req, res) => {
  sessions.delete(String(req.body.token));
  res.send('bye');
});
`,
    },
    {
      name: "a store cleared by a sweeper timer",
      code: `import express from 'express';

const app = express();
const hits: Record<string, number> = {};

setInterval(() => {
  for (const key of Object.keys(hits)) delete hits[key];
}, 60_000).unref();

app.get('/hit/:id', (req, res) => {
  hits[req.params.id] = (hits[req.params.id] ?? 0) + 1;
  res.send('ok');
});
`,
    },
    {
      name: "an exported store may be shrunk by its importers",
      code: `import express from 'express';

export const app = express();
export const jobs = new Map<string, number>();

app.post('/jobs/:id', (req, res) => {
  jobs.set(req.params.id, Date.now());
  res.sendStatus(202);
});
`,
    },
    {
      name: "a store handed to another function",
      code: `import express from 'express';
import { prune } from './prune';

const app = express();
const seen = new Map<string, number>();
prune(seen);

app.get('/:id', (req, res) => {
  seen.set(req.params.id, Date.now());
  res.send('ok');
});
`,
    },
    {
      name: "a fixed key does not grow the store",
      code: `import express from 'express';

const app = express();
const stats = new Map<string, number>();

app.get('/', (req, res) => {
  stats.set('lastHit', Date.now());
  res.send('ok');
});
`,
    },
    {
      name: "a local collection is not long-lived",
      code: `import express from 'express';

const app = express();

app.get('/', (req, res) => {
  const ids = new Set<string>();
  ids.add(String(req.query.id));
  res.json([...ids]);
});
`,
    },
    {
      name: "growth at start-up is not in a request scope",
      code: `const routes: string[] = [];
routes.push('/health');
routes.push('/ready');
export function listRoutes() {
  return routes.slice();
}
`,
    },
    {
      name: "a Nest provider that evicts entries",
      code: `import { Controller, Get, Param } from '@nestjs/common';

@Controller('views')
export class ViewsController {
  private readonly views = new Map<string, number>();

  @Get(':id')
  view(@Param('id') id: string) {
    this.views.set(id, (this.views.get(id) ?? 0) + 1);
    if (this.views.size > 1000) this.views.clear();
    return this.views.get(id);
  }
}
`,
    },
    {
      name: "untyped Express: a has-guarded warn-once Set keyed by a registry lookup",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();
const registry = { getIndex: (name) => ({ name, fields: {} }) };
// An index definition cannot change under a running process, so warn once per index.
const warnedIndexes = new Set();

app.post('/search', (req, res) => {
  const index = registry.getIndex(req.body.entity);
  if (!index.fields.status && !warnedIndexes.has(index.name)) {
    warnedIndexes.add(index.name);
    console.warn(\`index \${index.name} has no status field\`);
  }
  res.json({ index: index.name });
});
`,
    },
    {
      name: "Koa: a loop over configured names that skips names already warned about",
      code: `import Koa from 'koa';

const app = new Koa();
const deprecated: Record<string, string> = { v1: 'use v2', beta: 'use stable' };
const warned = new Set<string>();

app.use(async (ctx, next) => {
  for (const name of Object.keys(deprecated)) {
    if (warned.has(name)) continue;
    warned.add(name);
    console.warn(\`\${name}: \${deprecated[name]}\`);
  }
  await next();
});
`,
    },
    {
      name: "Hono: a Map filled once per value of a call result",
      code: `import { Hono } from 'hono';

const app = new Hono();
const formatters = new Map<string, (value: unknown) => string>();

function pickFormat(accept: string | undefined): 'json' | 'text' {
  return accept?.includes('json') ? 'json' : 'text';
}

app.get('/report', (c) => {
  const format = pickFormat(c.req.header('accept'));
  if (!formatters.has(format)) formatters.set(format, format === 'json' ? (v) => JSON.stringify(v) : String);
  return c.text(formatters.get(format)!({ ok: true }));
});
`,
    },
  ],
  invalid: [
    {
      name: "Express: a has-guard does not bound a Set keyed by a request header",
      code: `import express from 'express';

const app = express();
const seenTenants = new Set<string>();

app.get('/', (req, res) => {
  const tenant = req.get('x-tenant') ?? 'default';
  if (!seenTenants.has(tenant)) {
    seenTenants.add(tenant);
  }
  res.send('ok');
});
`,
      errors: [
        {
          line: 9, column: 5, endLine: 9, endColumn: 28,
          message: "`seenTenants` (a module-level Set) gains an entry for every new key that requests bring and nothing ever removes one, so memory grows with the number of distinct keys clients send until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const seenTenants = new Set<string>();

app.get('/', (req, res) => {
  const tenant = req.get('x-tenant') ?? 'default';
  if (!seenTenants.has(tenant)) {
    seenTenants.add(tenant);
    res.once('close', () => { seenTenants.delete(tenant); });
  }
  res.send('ok');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: a has-guard does not bound a Map keyed by the user id",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
const firstSeen = new Map();

app.use(async (ctx, next) => {
  const { id } = ctx.state.user;
  if (!firstSeen.has(id)) firstSeen.set(id, Date.now());
  await next();
});
`,
      errors: [
        {
          line: 8, column: 27, endLine: 8, endColumn: 56,
          message: "`firstSeen` (a module-level Map) gains an entry for every new key that requests bring and nothing ever removes one, so memory grows with the number of distinct keys clients send until the process runs out.",
          fixes: [],
        },
      ],
    },
    {
      name: "Hono: an object shown by a debug endpoint still only grows",
      code: `import { Hono } from 'hono';

const app = new Hono();
const hitsByTenant: Record<string, number> = {};

app.use(async (c, next) => {
  const id = c.req.header('x-tenant') ?? 'public';
  hitsByTenant[id] = (hitsByTenant[id] ?? 0) + 1;
  await next();
});

app.get('/debug', (c) => c.json({ hitsByTenant }));
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 49,
          message: "`hitsByTenant` (a module-level object) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
        },
      ],
    },
    {
      name: "Express: a Map, a Set, an array and an object that only grow",
      code: `import express from 'express';

const app = express();
const sessions = new Map<string, { user: string }>();
const seen = new Set<string>();
const log: string[] = [];
const byId: Record<string, number> = {};

app.post('/login', (req, res) => {
  const id = String(req.body.id);
  const session = { user: String(req.body.user) };
  sessions.set(id, session);
  seen.add(id);
  log.push(id);
  byId[id] = Date.now();
  res.send('ok');
});
`,
      errors: [
        {
          line: 12, column: 3, endLine: 12, endColumn: 28,
          message: "`sessions` (a module-level Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const sessions = new Map<string, { user: string }>();
const seen = new Set<string>();
const log: string[] = [];
const byId: Record<string, number> = {};

app.post('/login', (req, res) => {
  const id = String(req.body.id);
  const session = { user: String(req.body.user) };
  sessions.set(id, session);
  res.once('close', () => { if (sessions.get(id) === session) sessions.delete(id); });
  seen.add(id);
  log.push(id);
  byId[id] = Date.now();
  res.send('ok');
});
`,
            },
          ],
        },
        {
          line: 13, column: 3, endLine: 13, endColumn: 15,
          message: "`seen` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const sessions = new Map<string, { user: string }>();
const seen = new Set<string>();
const log: string[] = [];
const byId: Record<string, number> = {};

app.post('/login', (req, res) => {
  const id = String(req.body.id);
  const session = { user: String(req.body.user) };
  sessions.set(id, session);
  seen.add(id);
  res.once('close', () => { seen.delete(id); });
  log.push(id);
  byId[id] = Date.now();
  res.send('ok');
});
`,
            },
          ],
        },
        {
          line: 14, column: 3, endLine: 14, endColumn: 15,
          message: "`log` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const sessions = new Map<string, { user: string }>();
const seen = new Set<string>();
const log: string[] = [];
const byId: Record<string, number> = {};

app.post('/login', (req, res) => {
  const id = String(req.body.id);
  const session = { user: String(req.body.user) };
  sessions.set(id, session);
  seen.add(id);
  log.push(id);
  res.once('close', () => { const index = log.indexOf(id); if (index !== -1) log.splice(index, 1); });
  byId[id] = Date.now();
  res.send('ok');
});
`,
            },
          ],
        },
        {
          line: 15, column: 3, endLine: 15, endColumn: 24,
          message: "`byId` (a module-level object) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const sessions = new Map<string, { user: string }>();
const seen = new Set<string>();
const log: string[] = [];
const byId: Record<string, number> = {};

app.post('/login', (req, res) => {
  const id = String(req.body.id);
  const session = { user: String(req.body.user) };
  sessions.set(id, session);
  seen.add(id);
  log.push(id);
  const entry = Date.now();
  byId[id] = entry;
  res.once('close', () => { if (byId[id] === entry) delete byId[id]; });
  res.send('ok');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a store of response objects (server-sent events without cleanup)",
      code: `import express from 'express';

const app = express();
const clients: express.Response[] = [];

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  clients.push(res);
});

export function broadcast(data: string) {
  for (const client of clients) client.write(\`data: \${data}\\n\\n\`);
}
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 20,
          message: "`clients` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const clients: express.Response[] = [];

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  clients.push(res);
  res.once('close', () => { const index = clients.indexOf(res); if (index !== -1) clients.splice(index, 1); });
});

export function broadcast(data: string) {
  for (const client of clients) client.write(\`data: \${data}\\n\\n\`);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Koa: a memo keyed by request data",
      code: `import Koa from 'koa';

const app = new Koa();
const memo = new Map<string, string>();

app.use(async (ctx) => {
  const key = ctx.path;
  memo.set(key, key.toUpperCase());
  ctx.body = memo.get(key);
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 35,
          message: "`memo` (a module-level Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import Koa from 'koa';

const app = new Koa();
const memo = new Map<string, string>();

app.use(async (ctx) => {
  const key = ctx.path;
  const entry = key.toUpperCase();
  memo.set(key, entry);
  ctx.res.once('close', () => { if (memo.get(key) === entry) memo.delete(key); });
  ctx.body = memo.get(key);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: a static field of a class",
      code: `import Fastify from 'fastify';

class Registry {
  static seen = new Set<string>();
}

const fastify = Fastify();

fastify.get('/seen/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  Registry.seen.add(id);
  return reply.send({ count: Registry.seen.size });
});
`,
      errors: [
        {
          line: 11, column: 3, endLine: 11, endColumn: 24,
          message: "`Registry.seen` (a static Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import Fastify from 'fastify';

class Registry {
  static seen = new Set<string>();
}

const fastify = Fastify();

fastify.get('/seen/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  Registry.seen.add(id);
  reply.raw.once('close', () => { Registry.seen.delete(id); });
  return reply.send({ count: Registry.seen.size });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: a handler without reply gets one for the fix",
      code: `import Fastify from 'fastify';

const fastify = Fastify();
const visits: string[] = [];

fastify.get('/visit', async (request) => {
  const ip = request.ip;
  visits.push(ip);
  return { visits: visits.length };
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 18,
          message: "`visits` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import Fastify from 'fastify';

const fastify = Fastify();
const visits: string[] = [];

fastify.get('/visit', async (request, reply) => {
  const ip = request.ip;
  visits.push(ip);
  reply.raw.once('close', () => { const index = visits.indexOf(ip); if (index !== -1) visits.splice(index, 1); });
  return { visits: visits.length };
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a comment after the growing statement stays on its line",
      code: `import express from 'express';

const app = express();
const lastHeaders = new Map<string, string[]>();

app.post('/:kind/headers', (req, res) => {
  const headers = String(req.body.firstLine).split(',');
  lastHeaders.set(req.params.kind, headers); // remembered for the preview
  res.json({ columns: headers.length });
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 44,
          message: "`lastHeaders` (a module-level Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import express from 'express';

const app = express();
const lastHeaders = new Map<string, string[]>();

app.post('/:kind/headers', (req, res) => {
  const headers = String(req.body.firstLine).split(',');
  lastHeaders.set(req.params.kind, headers); // remembered for the preview
  res.once('close', () => { if (lastHeaders.get(req.params.kind) === headers) lastHeaders.delete(req.params.kind); });
  res.json({ columns: headers.length });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: the lone body of an if gets braces",
      code: `import Fastify from 'fastify';

const fastify = Fastify();
const etags = new Map<string, string>();

fastify.get('/proxy', async (request, reply) => {
  const url = String((request.query as { url: string }).url);
  const upstream = await fetch(url);
  const etag = upstream.headers.get('etag');
  if (etag) etags.set(url, etag);
  return reply.send(Buffer.from(await upstream.arrayBuffer()));
});
`,
      errors: [
        {
          line: 10, column: 13, endLine: 10, endColumn: 33,
          message: "`etags` (a module-level Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import Fastify from 'fastify';

const fastify = Fastify();
const etags = new Map<string, string>();

fastify.get('/proxy', async (request, reply) => {
  const url = String((request.query as { url: string }).url);
  const upstream = await fetch(url);
  const etag = upstream.headers.get('etag');
  if (etag) {
    etags.set(url, etag);
    reply.raw.once('close', () => { if (etags.get(url) === etag) etags.delete(url); });
  }
  return reply.send(Buffer.from(await upstream.arrayBuffer()));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Nest: a for-of over a parameter: one listener removes every entry",
      code: `import { Body, Controller, Post } from '@nestjs/common';
import type { Request } from 'express';

@Controller('invoices')
export class InvoicesController {
  private readonly exported = new Set<string>();

  @Post('export')
  async export(@Body() body: { ids: string[] }): Promise<{ queued: number }> {
    for (const id of body.ids) this.exported.add(id);
    return { queued: body.ids.length };
  }
}
`,
      errors: [
        {
          line: 10, column: 32, endLine: 10, endColumn: 53,
          message: "`this.exported` (a singleton Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import { Body, Controller, Post, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('invoices')
export class InvoicesController {
  private readonly exported = new Set<string>();

  @Post('export')
  async export(@Body() body: { ids: string[] }, @Req() req: Request): Promise<{ queued: number }> {
    for (const id of body.ids) this.exported.add(id);
    req.res?.once('close', () => { for (const id of body.ids) this.exported.delete(id); });
    return { queued: body.ids.length };
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: middleware removes the entry in a finally around next()",
      code: `import { Hono } from 'hono';
import type { Context, Next } from 'hono';

const app = new Hono();
const debugContexts = new Set<Context>();

app.use(async (c: Context, next: Next) => {
  debugContexts.add(c);
  await next();
});

app.get('/debug', (c) => c.json({ open: [...debugContexts].map((x) => x.req.path) }));
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 23,
          message: "`debugContexts` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import { Hono } from 'hono';
import type { Context, Next } from 'hono';

const app = new Hono();
const debugContexts = new Set<Context>();

app.use(async (c: Context, next: Next) => {
  debugContexts.add(c);
  try {
    await next();
  } finally {
    debugContexts.delete(c);
  }
});

app.get('/debug', (c) => c.json({ open: [...debugContexts].map((x) => x.req.path) }));
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: a handler removes the entry in a finally it runs before returning",
      code: `import { Hono } from 'hono';

const app = new Hono();
const paths = new Set<string>();

app.get('*', (c) => {
  const path = c.req.path;
  paths.add(path);
  return c.text('ok');
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 18,
          message: "`paths` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `import { Hono } from 'hono';

const app = new Hono();
const paths = new Set<string>();

app.get('*', (c) => {
  const path = c.req.path;
  paths.add(path);
  try {
    return c.text('ok');
  } finally {
    paths.delete(path);
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Next.js route handler: the rest of the handler goes into try/finally",
      fileName: "route.ts",
      code: `const recentSearches: string[] = [];

export async function GET(request: Request): Promise<Response> {
  const term = new URL(request.url).searchParams.get('q') ?? '';
  recentSearches.push(term); // the "recent searches" box
  const rows = await fetch('https://search.internal/q?term=' + encodeURIComponent(term), { signal: request.signal });
  return Response.json({ rows: await rows.json(), recent: recentSearches.slice(-10) });
}
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 28,
          message: "`recentSearches` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const recentSearches: string[] = [];

export async function GET(request: Request): Promise<Response> {
  const term = new URL(request.url).searchParams.get('q') ?? '';
  recentSearches.push(term); // the "recent searches" box
  try {
    const rows = await fetch('https://search.internal/q?term=' + encodeURIComponent(term), { signal: request.signal });
    return Response.json({ rows: await rows.json(), recent: recentSearches.slice(-10) });
  } finally {
    const index = recentSearches.indexOf(term);
    if (index !== -1) recentSearches.splice(index, 1);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: the last statement of the handler: no fix",
      code: `import { Hono } from 'hono';

const app = new Hono();
const paths = new Set<string>();

app.use(async (c, next) => {
  await next();
  paths.add(c.req.path);
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 24,
          message: "`paths` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
        },
      ],
    },
    {
      name: "a value read from a pooled object: no fix",
      code: `import express from 'express';

class Parser {
  fields: string[] = [];
  parse(line: string) { this.fields = line.split(','); }
}
class ParserPool {
  private free: Parser[] = [];
  acquire(): Parser { return this.free.pop() ?? new Parser(); }
  release(p: Parser): void { this.free.push(p); }
}

const app = express();
const parsers = new ParserPool();
const lastHeaders = new Map<string, string[]>();

app.post('/:kind/headers', (req, res) => {
  const parser = parsers.acquire();
  parser.parse(String(req.body.firstLine));
  const headers = parser.fields;
  lastHeaders.set(req.params.kind, headers);
  parsers.release(parser);
  res.json({ ok: true });
});
`,
      errors: [
        {
          line: 21, column: 3, endLine: 21, endColumn: 44,
          message: "`lastHeaders` (a module-level Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
        },
      ],
    },
    {
      name: "a loop over a computed iterable: no fix",
      code: `import express from 'express';

const app = express();
const tags = new Set<string>();

app.post('/tags', (req, res) => {
  for (const tag of String(req.body.tags).split(',')) tags.add(tag);
  res.sendStatus(204);
});
`,
      errors: [
        {
          line: 7, column: 55, endLine: 7, endColumn: 68,
          message: "`tags` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
        },
      ],
    },
    {
      name: "untyped Express middleware: a computed value with a comment after it",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();
const seenRequests = new Set();

app.use(async (req, res, next) => {
  seenRequests.add(req.get('x-request-id')); // for debugging
  next();
});
`,
      errors: [
        {
          line: 7, column: 3, endLine: 7, endColumn: 44,
          message: "`seenRequests` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const express = require('express');

const app = express();
const seenRequests = new Set();

app.use(async (req, res, next) => {
  const entry = req.get('x-request-id');
  seenRequests.add(entry); // for debugging
  res.once('close', () => { seenRequests.delete(entry); });
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: a for-of over the request body",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
const watched = {};

app.use(async (ctx) => {
  for (const sku of ctx.request.body.skus) {
    watched[sku] = ctx.state.user;
  }
  ctx.status = 204;
});
`,
      errors: [
        {
          line: 8, column: 5, endLine: 8, endColumn: 34,
          message: "`watched` (a module-level object) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const Koa = require('koa');

const app = new Koa();
const watched = {};

app.use(async (ctx) => {
  for (const sku of ctx.request.body.skus) {
    watched[sku] = ctx.state.user;
  }
  ctx.res.once('close', () => { for (const sku of ctx.request.body.skus) if (watched[sku] === ctx.state.user) delete watched[sku]; });
  ctx.status = 204;
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Hono: middleware with a finally",
      untyped: true,
      fileName: "handler.js",
      code: `const { Hono } = require('hono');

const app = new Hono();
const active = [];

app.use(async (c, next) => {
  const id = c.req.header('x-request-id');
  active.push(id);
  await next();
  c.header('x-active', String(active.length));
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 18,
          message: "`active` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const { Hono } = require('hono');

const app = new Hono();
const active = [];

app.use(async (c, next) => {
  const id = c.req.header('x-request-id');
  active.push(id);
  try {
    await next();
    c.header('x-active', String(active.length));
  } finally {
    const index = active.indexOf(id);
    if (index !== -1) active.splice(index, 1);
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Nest: a private field of a singleton controller",
      code: `import { Controller, Get, Param } from '@nestjs/common';

@Controller('views')
export class ViewsController {
  private readonly views = new Map<string, number>();

  @Get(':id')
  view(@Param('id') id: string) {
    this.views.set(id, Date.now());
    return 'ok';
  }
}
`,
      errors: [
        {
          line: 9, column: 5, endLine: 9, endColumn: 35,
          message: "`this.views` (a singleton Map) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
        },
      ],
    },
    {
      name: "untyped Express: a module-level object",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();
const lastSeen = {};

app.get('/ping/:user', (req, res) => {
  const user = req.params.user;
  const when = new Date();
  lastSeen[user] = when;
  res.send('pong');
});
`,
      errors: [
        {
          line: 9, column: 3, endLine: 9, endColumn: 24,
          message: "`lastSeen` (a module-level object) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const express = require('express');

const app = express();
const lastSeen = {};

app.get('/ping/:user', (req, res) => {
  const user = req.params.user;
  const when = new Date();
  lastSeen[user] = when;
  res.once('close', () => { if (lastSeen[user] === when) delete lastSeen[user]; });
  res.send('pong');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: a module-level Set",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
const agents = new Set();

app.use(async (ctx, next) => {
  const agent = ctx.get('user-agent');
  agents.add(agent);
  await next();
});
`,
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 20,
          message: "`agents` (a module-level Set) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const Koa = require('koa');

const app = new Koa();
const agents = new Set();

app.use(async (ctx, next) => {
  const agent = ctx.get('user-agent');
  agents.add(agent);
  ctx.res.once('close', () => { agents.delete(agent); });
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Fastify: an array of request ids",
      untyped: true,
      fileName: "handler.js",
      code: `const fastify = require('fastify')();

const ids = [];

fastify.get('/', async (request, reply) => {
  ids.push(request.id);
  return reply.send({ n: ids.length });
});
`,
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 23,
          message: "`ids` (a module-level array) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.",
          fixes: [
            {
              title: "Remove the entry when the request ends",
              output: `const fastify = require('fastify')();

const ids = [];

fastify.get('/', async (request, reply) => {
  ids.push(request.id);
  reply.raw.once('close', () => { const index = ids.indexOf(request.id); if (index !== -1) ids.splice(index, 1); });
  return reply.send({ n: ids.length });
});
`,
            },
          ],
        },
      ],
    },
  ],
});
