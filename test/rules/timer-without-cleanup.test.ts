// timer-without-cleanup (RULES.md §2.6): a per-request setInterval never cleared, and timeout
// timers that abort a controller or reject a raced promise not cleared on every path (Go vet's
// lostcancel). Express, Koa, Fastify and Hono with types, Express and Koa as plain JavaScript.
import { ruleTester } from '../support/ruleTester';

ruleTester("timer-without-cleanup", {
  valid: [
    {
      name: "a deadline cleared in finally",
      code: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 2000);
  try {
    const upstream = await fetch('https://rates.example.com', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
    res.json(await upstream.json());
  } finally {
    clearTimeout(timer);
  }
});
`,
    },
    {
      name: "an interval cleared when the response closes",
      code: `import express from 'express';

const app = express();

app.get('/events', (req, res) => {
  res.setHeader('content-type', 'text/event-stream');
  const heartbeat = setInterval(() => res.write(': ping\\n\\n'), 15000);
  res.on('close', () => clearInterval(heartbeat));
});
`,
    },
    {
      name: "a raced timeout cleared in finally after being hoisted",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline')), 3000);
  });
  try {
    ctx.body = await Promise.race([loadReport(ctx.query.id), deadline]);
  } finally {
    clearTimeout(timer);
  }
});

async function loadReport(id: unknown): Promise<string> {
  return String(id);
}
`,
    },
    {
      name: "a timeout cleared by a listener on the request end registered before it",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/slow', async (request, reply) => {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  reply.raw.once('close', () => clearTimeout(timer));
  timer = setTimeout(() => ac.abort(), 1000);
  const response = await fetch('https://example.com/slow', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
  return response.json();
});
`,
    },
    {
      name: "a timeout cleared in the work promise's .finally",
      code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/report', async (c) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  const response = await fetch('https://example.com/report', { signal: AbortSignal.any([c.req.raw.signal, ac.signal]) }).finally(() => clearTimeout(timer));
  return c.json(await response.json());
});
`,
    },
    {
      name: "a cleanup function called in finally clears the timeout",
      code: `import express from 'express';

const app = express();

app.get('/a', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  const cleanup = () => clearTimeout(timer);
  try {
    const response = await fetch('https://example.com/a', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
    res.json(await response.json());
  } finally {
    cleanup();
  }
});
`,
    },
    {
      name: "a timeout that neither aborts nor rejects is not a cleanup timer",
      code: `import express from 'express';

const app = express();

app.post('/jobs', (req, res) => {
  setTimeout(() => console.log('job accepted'), 10);
  res.sendStatus(202);
});
`,
    },
    {
      name: "timers started at module scope are start-up code",
      code: `import express from 'express';

const app = express();
const ac = new AbortController();
setTimeout(() => ac.abort(), 1000);

app.get('/', (req, res) => {
  res.send('ok');
});
`,
    },
    {
      name: "a handle handed on to another function is not followed",
      code: `import express from 'express';

const app = express();
const timers = new Set<ReturnType<typeof setInterval>>();

app.get('/watch', (req, res) => {
  const poll = setInterval(() => res.write('.'), 1000);
  timers.add(poll);
  res.end();
});
`,
    },
    {
      name: "setTimeout from timers/promises is not a callback timer",
      code: `import express from 'express';
import { setTimeout } from 'node:timers/promises';

const app = express();

app.get('/later', async (req, res) => {
  await setTimeout(100);
  res.send('later');
});
`,
    },
    {
      name: "a promise that rejects on a timer but is not raced",
      code: `import express from 'express';

const app = express();

app.get('/wait', async (req, res) => {
  await new Promise<void>((resolve, reject) => setTimeout(() => reject(new Error('late')), 10)).catch(() => undefined);
  res.send('done');
});
`,
    },
    {
      name: "untyped: an interval cleared on close",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();

app.get('/events', (req, res) => {
  const heartbeat = setInterval(() => res.write(': ping\\n\\n'), 15000);
  req.on('close', () => clearInterval(heartbeat));
});
`,
    },
  ],
  invalid: [
    {
      name: "a helper given the response (typed parameters that are not a handler's): cleared on the response's close",
      code: `import express, { type Response } from 'express';

const app = express();

function keepAlive(res: Response, everyMs: number): void {
  setInterval(() => res.write(': keep-alive\\n\\n'), everyMs);
}

app.get('/events', (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  keepAlive(res, 15_000);
});
`,
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 60,
          fixes: [{ title: "Clear the timer when the request ends", output: `import express, { type Response } from 'express';

const app = express();

function keepAlive(res: Response, everyMs: number): void {
  const timer = setInterval(() => res.write(': keep-alive\\n\\n'), everyMs);
  res.once('close', () => clearInterval(timer));
}

app.get('/events', (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  keepAlive(res, 15_000);
});
` }],
        },
      ],
    },
    {
      name: "Express: a deadline cleared only when the fetch succeeds",
      mayRemove: ["ac","AbortController","setTimeout","abort","clearTimeout","deadline"],
      code: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), 2000);
  const upstream = await fetch('https://rates.example.com', { signal: ac.signal });
  clearTimeout(deadline);
  res.json(await upstream.json());
});
`,
      errors: [
        {
          line: 7, column: 20, endLine: 7, endColumn: 54,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), 2000);
  res.once('close', () => clearTimeout(deadline));
  const upstream = await fetch('https://rates.example.com', { signal: ac.signal });
  clearTimeout(deadline);
  res.json(await upstream.json());
});
`,
            },
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), 2000);
  try {
    const upstream = await fetch('https://rates.example.com', { signal: ac.signal });
    res.json(await upstream.json());
  } finally {
    clearTimeout(deadline);
  }
});
`,
            },
            {
              title: "Use AbortSignal.timeout instead",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const upstream = await fetch('https://rates.example.com', { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(2000)]) });
  res.json(await upstream.json());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: an interval per request that nothing clears",
      code: `import express from 'express';

const app = express();

app.get('/events', (req, res) => {
  res.setHeader('content-type', 'text/event-stream');
  setInterval(() => res.write(': ping\\n\\n'), 15000);
});
`,
      errors: [
        {
          line: 7, column: 3, endLine: 7, endColumn: 52,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.get('/events', (req, res) => {
  res.setHeader('content-type', 'text/event-stream');
  const timer = setInterval(() => res.write(': ping\\n\\n'), 15000);
  res.once('close', () => clearInterval(timer));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Koa: a timeout raced with the work and never cleared",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx) => {
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deadline')), 3000));
  ctx.body = await Promise.race([loadReport(String(ctx.query.id)), deadline]);
});

async function loadReport(id: string): Promise<string> {
  return id;
}
`,
      errors: [
        {
          line: 6, column: 54, endLine: 6, endColumn: 107,
          fixes: [
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('deadline')), 3000)));
    ctx.body = await Promise.race([loadReport(String(ctx.query.id)), deadline]);
  } finally {
    clearTimeout(timer);
  }
});

async function loadReport(id: string): Promise<string> {
  return id;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: an interval kept in a const but never cleared",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/progress', (request, reply) => {
  const ticker = setInterval(() => reply.raw.write('.'), 500);
  reply.raw.write('started');
});
`,
      errors: [
        {
          line: 6, column: 18, endLine: 6, endColumn: 62,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: true,
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/progress', (request, reply) => {
  const ticker = setInterval(() => reply.raw.write('.'), 500);
  reply.raw.once('close', () => clearInterval(ticker));
  reply.raw.write('started');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: a deadline never cleared",
      mayRemove: ["ac","AbortController","setTimeout","abort","timer"],
      code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/report', async (c) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  const response = await fetch('https://example.com/report', { signal: ac.signal });
  return c.json(await response.json());
});
`,
      errors: [
        {
          line: 7, column: 17, endLine: 7, endColumn: 51,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: false,
              output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/report', async (c) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  c.req.raw.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const response = await fetch('https://example.com/report', { signal: ac.signal });
  return c.json(await response.json());
});
`,
            },
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/report', async (c) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  try {
    const response = await fetch('https://example.com/report', { signal: ac.signal });
    return c.json(await response.json());
  } finally {
    clearTimeout(timer);
  }
});
`,
            },
            {
              title: "Use AbortSignal.timeout instead",
              preferred: false,
              output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/report', async (c) => {
  const response = await fetch('https://example.com/report', { signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(1000)]) });
  return c.json(await response.json());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a listener on finish does not clear it when the client goes away",
      code: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('deadline')), 2000);
  res.on('finish', () => clearTimeout(timer));
  const upstream = await fetch('https://rates.example.com', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
  res.json(await upstream.json());
});
`,
      errors: [
        {
          line: 7, column: 17, endLine: 7, endColumn: 72,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('deadline')), 2000);
  res.once('close', () => clearTimeout(timer));
  res.on('finish', () => clearTimeout(timer));
  const upstream = await fetch('https://rates.example.com', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
  res.json(await upstream.json());
});
`,
            },
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.get('/quote', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('deadline')), 2000);
  try {
    res.on('finish', () => clearTimeout(timer));
    const upstream = await fetch('https://rates.example.com', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
    res.json(await upstream.json());
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
    {
      name: "cleared only on the early return path",
      mayRemove: ["ac","AbortController","setTimeout","abort","clearTimeout","timer"],
      code: `import express from 'express';

const app = express();

app.get('/user/:id', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 2000);
  if (!req.params.id) {
    clearTimeout(timer);
    return res.sendStatus(400);
  }
  const user = await fetch(\`https://users.example.com/\${req.params.id}\`, { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
  res.json(await user.json());
});
`,
      errors: [
        {
          line: 7, column: 17, endLine: 7, endColumn: 51,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.get('/user/:id', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 2000);
  res.once('close', () => clearTimeout(timer));
  if (!req.params.id) {
    clearTimeout(timer);
    return res.sendStatus(400);
  }
  const user = await fetch(\`https://users.example.com/\${req.params.id}\`, { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
  res.json(await user.json());
});
`,
            },
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.get('/user/:id', async (req, res) => {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 2000);
  try {
    if (!req.params.id) {
      clearTimeout(timer);
      return res.sendStatus(400);
    }
    const user = await fetch(\`https://users.example.com/\${req.params.id}\`, { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(5000)]) });
    res.json(await user.json());
  } finally {
    clearTimeout(timer);
  }
});
`,
            },
            {
              title: "Use AbortSignal.timeout instead",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.get('/user/:id', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  if (!req.params.id) {
    return res.sendStatus(400);
  }
  const user = await fetch(\`https://users.example.com/\${req.params.id}\`, { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(2000), AbortSignal.timeout(5000)]) });
  res.json(await user.json());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Express: an interval per request",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();

app.get('/events', (req, res) => {
  setInterval(() => res.write(': ping\\n\\n'), 15000);
});
`,
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 52,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: true,
              output: `const express = require('express');

const app = express();

app.get('/events', (req, res) => {
  const timer = setInterval(() => res.write(': ping\\n\\n'), 15000);
  res.once('close', () => clearInterval(timer));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: a raced timeout in an inline Promise",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  await Promise.race([
    next(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
  ]);
});
`,
      errors: [
        {
          line: 8, column: 32, endLine: 8, endColumn: 84,
          fixes: [
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  let timer;
  try {
    await Promise.race([
      next(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 5000))),
    ]);
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
    {
      name: "untyped Express middleware: a deadline never cleared",
      untyped: true,
      fileName: "handler.js",
      mayRemove: ["controller","AbortController","setTimeout","abort"],
      code: `module.exports = async function proxy(req, res, next) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 5000);
  try {
    const upstream = await fetch('http://backend.internal' + req.url, { signal: controller.signal });
    res.status(upstream.status).send(await upstream.text());
  } catch (err) {
    next(err);
  }
};
`,
      errors: [
        {
          line: 3, column: 3, endLine: 3, endColumn: 45,
          fixes: [
            {
              title: "Clear the timer when the request ends",
              preferred: false,
              output: `module.exports = async function proxy(req, res, next) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  res.once('close', () => clearTimeout(timer));
  try {
    const upstream = await fetch('http://backend.internal' + req.url, { signal: controller.signal });
    res.status(upstream.status).send(await upstream.text());
  } catch (err) {
    next(err);
  }
};
`,
            },
            {
              title: "Clear the timeout in finally",
              preferred: true,
              output: `module.exports = async function proxy(req, res, next) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const upstream = await fetch('http://backend.internal' + req.url, { signal: controller.signal });
    res.status(upstream.status).send(await upstream.text());
  } catch (err) {
    next(err);
  } finally {
    clearTimeout(timer);
  }
};
`,
            },
            {
              title: "Use AbortSignal.timeout instead",
              preferred: false,
              output: `module.exports = async function proxy(req, res, next) {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  try {
    const upstream = await fetch('http://backend.internal' + req.url, { signal: AbortSignal.any([requestAbort.signal, AbortSignal.timeout(5000)]) });
    res.status(upstream.status).send(await upstream.text());
  } catch (err) {
    next(err);
  }
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: a comment after the controller and the timer stays when they go (AbortSignal.timeout)",
      mayRemove: ["purge","AbortController","setTimeout","abort"],
      code: `import { Hono } from 'hono';

const app = new Hono();

app.post('/purge', async (c) => {
  const purge = new AbortController(); // one purge at a time
  setTimeout(() => purge.abort(), 5_000); // give up after five seconds
  const res = await fetch('https://origin.internal/purge', { method: 'POST', signal: purge.signal });
  return c.json({ purged: res.ok });
});
`,
      errors: [
        {
          line: 7, column: 3, endLine: 7, endColumn: 41,
          message: "This timeout that aborts purge is not cleared on every path or when the request ends, so it outlives the request and keeps the controller and its callback's captures alive until it fires (Go vet's lostcancel).",
          fixes: [
            {
              title: "Clear the timer when the request ends",
              output: `import { Hono } from 'hono';

const app = new Hono();

app.post('/purge', async (c) => {
  const purge = new AbortController(); // one purge at a time
  const timer = setTimeout(() => purge.abort(), 5_000); // give up after five seconds
  c.req.raw.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const res = await fetch('https://origin.internal/purge', { method: 'POST', signal: purge.signal });
  return c.json({ purged: res.ok });
});
`,
            },
            {
              title: "Clear the timeout in finally",
              output: `import { Hono } from 'hono';

const app = new Hono();

app.post('/purge', async (c) => {
  const purge = new AbortController(); // one purge at a time
  const timer = setTimeout(() => purge.abort(), 5_000); // give up after five seconds
  try {
    const res = await fetch('https://origin.internal/purge', { method: 'POST', signal: purge.signal });
    return c.json({ purged: res.ok });
  } finally {
    clearTimeout(timer);
  }
});
`,
            },
            {
              title: "Use AbortSignal.timeout instead",
              output: `import { Hono } from 'hono';

const app = new Hono();

app.post('/purge', async (c) => {
  // one purge at a time
  // give up after five seconds
  const res = await fetch('https://origin.internal/purge', { method: 'POST', signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(5_000)]) });
  return c.json({ purged: res.ok });
});
`,
            },
          ],
        },
      ],
    },
  ],
});
