// Rule tests for detached-root-signal (RULES.md §2.3): a signal-accepting call in a request scope
// gets a fresh root signal (an unlinked `new AbortController()`, `AbortSignal.timeout(ms)` on its
// own), and the fix that links it to the request's signal with `AbortSignal.any`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer, DEFAULT_SETTINGS } from '../../server/src/core';
import { lowestVersion, supportsAbortSignalAny } from '../../server/src/core/signals/abortSignalAny';
import { ruleTester } from '../support/ruleTester';

const RULE = 'detached-root-signal';
const FIX = "Link to the request's cancellation signal";

ruleTester(RULE, {
  valid: [
    {
      name: 'Express: a controller linked to the response closing',
      code: `import express from 'express';
const app = express();
app.get('/a', async (req, res) => {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const r = await fetch('https://a.example.com', { signal: controller.signal });
  res.json(await r.json());
});
`,
    },
    {
      name: 'Hono: the native signal combined with a timeout',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/b', async (c) => {
  const r = await fetch('https://b.example.com', { signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(2_000)]) });
  return c.json(await r.json());
});
`,
    },
    {
      name: 'Next.js: a combined signal kept in a variable',
      fileName: 'route.ts',
      code: `export async function GET(request: Request) {
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(2_000)]);
  const r = await fetch('https://c.example.com', { signal });
  return Response.json(await r.json());
}
`,
    },
    {
      name: 'Koa: a controller linked to ctx.res closing',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx) => {
  const controller = new AbortController();
  ctx.res.on('close', () => controller.abort());
  const r = await fetch('https://d.example.com', { signal: controller.signal });
  ctx.body = await r.json();
});
`,
    },
    {
      name: 'Next.js: a controller linked through an abort listener on request.signal',
      fileName: 'route.ts',
      code: `export async function POST(request: Request) {
  const upstream = new AbortController();
  request.signal.addEventListener('abort', () => upstream.abort());
  const r = await fetch('https://upstream.example.com', { method: 'POST', body: await request.text(), signal: upstream.signal });
  return new Response(r.body, { status: r.status });
}
`,
    },
    {
      name: 'JavaScript (untyped): a Fastify handler with a linked controller',
      untyped: true,
      fileName: 'handler.js',
      code: `const fastify = require('fastify')();
fastify.get('/j', async (request, reply) => {
  const controller = new AbortController();
  reply.raw.on('close', () => controller.abort());
  const r = await fetch('https://j.example.com', { signal: controller.signal });
  return r.json();
});
`,
    },
    {
      name: 'a controller in a let variable may be replaced by a linked one: unsure, not reported',
      code: `import express from 'express';
const app = express();
app.get('/k', async (req, res) => {
  let controller = new AbortController();
  if (req.query.follow) {
    controller = new AbortController();
    res.once('close', () => controller.abort());
  }
  const r = await fetch('https://k.example.com', { signal: controller.signal });
  res.json(await r.json());
});
`,
    },
    {
      name: 'Hono: work handed to waitUntil keeps its own deadline',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.post('/l', (c) => {
  c.executionCtx.waitUntil(fetch('https://audit.example.com', { method: 'POST', signal: AbortSignal.timeout(10_000) }));
  return c.body(null, 202);
});
`,
    },
    {
      name: 'detached work is meant to outlive the request',
      code: `import express from 'express';
const app = express();
app.post('/e', (req, res) => {
  void fetch('https://audit.example.com', { method: 'POST', signal: AbortSignal.timeout(10_000) });
  res.sendStatus(202);
});
`,
    },
    {
      name: 'a module-level controller is not a fresh root made in the handler',
      code: `import express from 'express';
const shutdown = new AbortController();
process.once('SIGTERM', () => shutdown.abort());
const app = express();
app.get('/f', async (req, res) => {
  const r = await fetch('https://f.example.com', { signal: shutdown.signal });
  res.json(await r.json());
});
`,
    },
    {
      name: 'a controller handed to other code may be linked there',
      code: `import express, { type Response } from 'express';
function abortOnClose(res: Response, controller: AbortController): void {
  res.once('close', () => controller.abort());
}
const app = express();
app.get('/g', async (req, res) => {
  const controller = new AbortController();
  abortOnClose(res, controller);
  const r = await fetch('https://g.example.com', { signal: controller.signal });
  res.json(await r.json());
});
`,
    },
    {
      name: 'a signal handed to downstream middleware is abort-before-downstream territory',
      code: `import express from 'express';
const app = express();
app.use((req, res, next) => {
  const controller = new AbortController();
  res.locals.signal = controller.signal;
  next();
});
`,
    },
    {
      name: 'addEventListener takes a signal but is not a signal-accepting call',
      code: `import express from 'express';
const app = express();
const bus = new EventTarget();
app.get('/h', (req, res) => {
  const controller = new AbortController();
  bus.addEventListener('tick', () => res.write('.'), { signal: controller.signal });
  res.once('close', () => controller.abort());
});
`,
    },
    {
      name: 'start-up code is not a request scope',
      code: `import express from 'express';
const config = await fetch('https://config.example.com', { signal: AbortSignal.timeout(5_000) }).then((r) => r.json());
const app = express();
app.get('/i', (req, res) => {
  res.json(config);
});
`,
    },
  ],
  invalid: [
    {
      name: 'Express: AbortSignal.timeout on its own (the fix declares the request signal)',
      code: `import express from 'express';
const app = express();
app.get('/a', async (req, res) => {
  const r = await fetch('https://a.example.com', { signal: AbortSignal.timeout(5_000) });
  res.json(await r.json());
});
`,
      errors: [
        {
          line: 4, column: 60, endLine: 4, endColumn: 86,
          message: /^AbortSignal\.timeout\(\) gives fetch\(\) a deadline but no link to the request/,
          fixes: [
            {
              title: FIX,
              preferred: true,
              output: `import express from 'express';
const app = express();
app.get('/a', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const r = await fetch('https://a.example.com', { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(5_000)]) });
  res.json(await r.json());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Express: a project function that takes a signal',
      code: `import express from 'express';
async function loadProfile(id: string, options: { signal?: AbortSignal } = {}): Promise<unknown> {
  const r = await fetch(\`https://profiles.example.com/\${id}\`, { signal: options.signal });
  return r.json();
}
const app = express();
app.get('/profiles/:id', async (req, res) => {
  res.json(await loadProfile(req.params.id, { signal: AbortSignal.timeout(2_000) }));
});
`,
      errors: [
        {
          line: 8, column: 55, endLine: 8, endColumn: 81,
          message: /gives loadProfile\(\) a deadline/,
          fixes: [
            {
              title: FIX,
              output: `import express from 'express';
async function loadProfile(id: string, options: { signal?: AbortSignal } = {}): Promise<unknown> {
  const r = await fetch(\`https://profiles.example.com/\${id}\`, { signal: options.signal });
  return r.json();
}
const app = express();
app.get('/profiles/:id', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  res.json(await loadProfile(req.params.id, { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(2_000)]) }));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Koa: a timeout signal through a local variable, passed as a shorthand property',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx) => {
  const signal = AbortSignal.timeout(3_000);
  const r = await fetch('https://b.example.com', { signal });
  ctx.body = await r.json();
});
`,
      errors: [
        {
          line: 4, column: 18, endLine: 4, endColumn: 44,
          fixes: [
            {
              title: FIX,
              output: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx) => {
  const requestAbort = new AbortController();
  ctx.res.once('close', () => { if (!ctx.res.writableFinished) requestAbort.abort(); });
  const signal = AbortSignal.timeout(3_000);
  const r = await fetch('https://b.example.com', { signal: AbortSignal.any([requestAbort.signal, signal]) });
  ctx.body = await r.json();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Hono: one unlinked controller passed to two calls is one finding; the fix uses the native signal',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/search', async (c) => {
  const controller = new AbortController();
  const a = await fetch('https://a.example.com', { signal: controller.signal });
  if (!a.ok) controller.abort();
  const b = await fetch('https://b.example.com', { signal: controller.signal });
  return c.json({ a: a.status, b: b.status });
});
`,
      errors: [
        {
          line: 4, column: 22, endLine: 4, endColumn: 43,
          message: /^This AbortController's signal goes to fetch\(\), but nothing aborts it when the request ends/,
          fixes: [
            {
              title: FIX,
              output: `import { Hono } from 'hono';
const app = new Hono();
app.get('/search', async (c) => {
  const controller = new AbortController();
  const a = await fetch('https://a.example.com', { signal: AbortSignal.any([c.req.raw.signal, controller.signal]) });
  if (!a.ok) controller.abort();
  const b = await fetch('https://b.example.com', { signal: AbortSignal.any([c.req.raw.signal, controller.signal]) });
  return c.json({ a: a.status, b: b.status });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Fastify: the request signal is derived from reply.raw',
      code: `import Fastify from 'fastify';
const fastify = Fastify();
fastify.get('/c', async (request, reply) => {
  const r = await fetch('https://c.example.com', { signal: AbortSignal.timeout(1_000) });
  return r.json();
});
`,
      errors: [
        {
          line: 4, column: 60, endLine: 4, endColumn: 86,
          fixes: [
            {
              title: FIX,
              output: `import Fastify from 'fastify';
const fastify = Fastify();
fastify.get('/c', async (request, reply) => {
  const requestAbort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) requestAbort.abort(); });
  const r = await fetch('https://c.example.com', { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(1_000)]) });
  return r.json();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Next.js route handler: request.signal',
      fileName: 'route.ts',
      code: `export async function GET(request: Request) {
  const r = await fetch('https://d.example.com', { cache: 'no-store', signal: AbortSignal.timeout(1_000) });
  return Response.json(await r.json());
}
`,
      errors: [
        {
          line: 2, column: 79, endLine: 2, endColumn: 105,
          fixes: [
            {
              title: FIX,
              output: `export async function GET(request: Request) {
  const r = await fetch('https://d.example.com', { cache: 'no-store', signal: AbortSignal.any([request.signal, AbortSignal.timeout(1_000)]) });
  return Response.json(await r.json());
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'JavaScript (untyped): Express with an inline controller, and axios with a timeout',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const axios = require('axios');
const app = express();
app.get('/e', async (req, res) => {
  const a = await fetch('https://e.example.com', { signal: new AbortController().signal });
  const b = await axios.get('https://f.example.com', { signal: AbortSignal.timeout(2000) });
  res.json({ a: a.status, b: b.data });
});
`,
      errors: [
        {
          line: 5, column: 60, endLine: 5, endColumn: 81,
          fixes: [
            {
              title: FIX,
              output: `const express = require('express');
const axios = require('axios');
const app = express();
app.get('/e', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const a = await fetch('https://e.example.com', { signal: AbortSignal.any([requestAbort.signal, new AbortController().signal]) });
  const b = await axios.get('https://f.example.com', { signal: AbortSignal.timeout(2000) });
  res.json({ a: a.status, b: b.data });
});
`,
            },
          ],
        },
        {
          line: 6, column: 64, endLine: 6, endColumn: 89,
          fixes: [
            {
              title: FIX,
              output: `const express = require('express');
const axios = require('axios');
const app = express();
app.get('/e', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const a = await fetch('https://e.example.com', { signal: new AbortController().signal });
  const b = await axios.get('https://f.example.com', { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(2000)]) });
  res.json({ a: a.status, b: b.data });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'JavaScript (untyped): Hono with a controller aborted only by a timer',
      untyped: true,
      fileName: 'handler.js',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/g', async (c) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2000);
  try {
    const r = await fetch('https://g.example.com', { signal: controller.signal });
    return c.json(await r.json());
  } finally {
    clearTimeout(timer);
  }
});
`,
      errors: [
        {
          line: 4, column: 22, endLine: 4, endColumn: 43,
          fixes: [
            {
              title: FIX,
              output: `import { Hono } from 'hono';
const app = new Hono();
app.get('/g', async (c) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2000);
  try {
    const r = await fetch('https://g.example.com', { signal: AbortSignal.any([c.req.raw.signal, controller.signal]) });
    return c.json(await r.json());
  } finally {
    clearTimeout(timer);
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

describe('detached-root-signal: AbortSignal.any availability', () => {
  it('reads the lowest Node version an engines range admits', () => {
    assert.deepEqual(lowestVersion('>=20.3.0'), [20, 3, 0]);
    assert.deepEqual(lowestVersion('^20.3 || >=22'), [20, 3, 0]);
    assert.deepEqual(lowestVersion('>=18'), [18, 0, 0]);
    assert.deepEqual(lowestVersion('20.x'), [20, 0, 0]);
    assert.deepEqual(lowestVersion('>20.2'), [20, 3, 0]);
    assert.deepEqual(lowestVersion('20.3 - 22'), [20, 3, 0]);
    assert.deepEqual(lowestVersion('<22'), [0, 0, 0]);
    assert.equal(lowestVersion('latest'), undefined);
  });

  it('rules AbortSignal.any out by engines.node or by lib/types', () => {
    assert.equal(supportsAbortSignalAny({}), true);
    assert.equal(supportsAbortSignalAny({ nodeEngines: '>=20.3' }), true);
    assert.equal(supportsAbortSignalAny({ nodeEngines: '>=20' }), false);
    assert.equal(supportsAbortSignalAny({ nodeEngines: '^18 || ^20.10' }), false);
    assert.equal(supportsAbortSignalAny({ nodeEngines: 'latest' }), false);
    assert.equal(supportsAbortSignalAny({ lib: ['lib.es2023.d.ts'], types: ['*'] }), true);
    assert.equal(supportsAbortSignalAny({ lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [] }), true);
    assert.equal(supportsAbortSignalAny({ lib: ['lib.es2023.d.ts'], types: [] }), false);
  });

  it('offers no fix in a project whose engines.node admits Node 18', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-engines-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'old-node', engines: { node: '>=18' } }));
      const fileName = path.join(root, 'handler.js');
      const analyzer = new Analyzer(root);
      analyzer.setOpenText(
        fileName,
        `const express = require('express');
const app = express();
app.get('/a', async (req, res) => {
  const r = await fetch('https://a.example.com', { signal: AbortSignal.timeout(5000) });
  res.json(await r.json());
});
`,
      );
      const findings = analyzer.analyzeFile(fileName, DEFAULT_SETTINGS).findings.filter((f) => f.rule === RULE);
      assert.equal(findings.length, 1);
      assert.deepEqual(findings[0].fixes.map((f) => f.title), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
