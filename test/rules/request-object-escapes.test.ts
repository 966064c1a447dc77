// request-object-escapes (RULES.md §2.4): a request object kept alive after the response by a timer
// that is not cleared, a listener on a long-lived emitter, a continuation nobody waits for, or
// module-level / static / singleton state. Express, Koa, Fastify, Hono and Nest, typed and plain JS.
import { ruleTester } from '../support/ruleTester';

ruleTester("request-object-escapes", {
  valid: [
    {
      name: "a continuation that hands the response to another function (which may answer) is not reported",
      untyped: true,
      fileName: "projects.js",
      code: `const express = require('express');

function rejectHandler(req, res, err) {
  res.status(err.status || 500).json({ error: err.message, url: req.url });
}

function listProjects(api, req, res) {
  return api.list({ user: req.user }).then((result) => res.json(result));
}

module.exports = function routes(api) {
  const app = express();
  app.put('/:id', (req, res) => {
    api.activate({ id: req.params.id })
      .then(() => listProjects(api, req, res))
      .catch((err) => rejectHandler(req, res, err));
  });
  return app;
};
`,
    },
    {
      name: "a timer whose callback completes the response",
      code: `import express from 'express';

const app = express();

app.get('/later', (req, res) => {
  setTimeout(() => res.send(\`hello \${req.query.name}\`), 100);
});
`,
    },
    {
      name: "a timer cleared when the response closes",
      code: `import express from 'express';

const app = express();

app.get('/slow', (req, res) => {
  const timer = setTimeout(() => console.warn('slow request', req.url), 5000);
  res.on('close', () => clearTimeout(timer));
  res.send('ok');
});
`,
    },
    {
      name: "a timer that captures only copied values",
      code: `import express from 'express';

const app = express();

app.get('/slow', (req, res) => {
  const url = req.url;
  setTimeout(() => console.warn('slow request', url), 5000);
  res.send('ok');
});
`,
    },
    {
      name: "a setInterval never cleared is timer-without-cleanup's finding, not this one",
      code: `import express from 'express';

const app = express();

app.get('/poll', (req, res) => {
  setInterval(() => console.log('still here', req.ip), 1000);
  res.send('ok');
});
`,
    },
    {
      name: "a listener on the request objects themselves",
      code: `import express from 'express';

const app = express();

app.get('/stream', (req, res) => {
  req.on('close', () => console.log('client left', req.url));
  res.on('finish', () => console.log('done', res.statusCode));
  res.send('ok');
});
`,
    },
    {
      name: "a listener removed when the request ends",
      code: `import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const bus = new EventEmitter();

app.get('/events', (req, res) => {
  const onTick = (n: number) => res.write(\`data: \${n}\\n\\n\`);
  bus.on('tick', onTick);
  req.on('close', () => bus.off('tick', onTick));
});
`,
    },
    {
      name: "a listener registered with the request's signal",
      code: `import { Hono } from 'hono';

const app = new Hono();
const updates = new EventTarget();

app.get('/updates', (c) => {
  updates.addEventListener('update', () => console.log(c.req.path), { signal: c.req.raw.signal });
  return c.text('subscribed');
});
`,
    },
    {
      name: "an awaited continuation",
      code: `import express from 'express';

const app = express();

app.get('/audit', async (req, res) => {
  await fetch('https://audit.example.com', { method: 'POST' }).then(() => console.log(req.path));
  res.send('ok');
});
`,
    },
    {
      name: "a continuation that completes the response",
      code: `import express from 'express';

const app = express();

app.get('/user', (req, res) => {
  fetch(\`https://users.example.com/\${req.params.id}\`)
    .then((r) => r.json())
    .then((user) => res.json(user))
    .catch(() => res.sendStatus(502));
});
`,
    },
    {
      name: "stored in a set and removed when the response closes (server-sent events)",
      code: `import express from 'express';

const app = express();
const clients = new Set<express.Response>();

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  clients.add(res);
  req.on('close', () => clients.delete(res));
});
`,
    },
    {
      name: "stored and removed in finally",
      code: `import express from 'express';

const app = express();
const inflight = new Map<string, express.Request>();

app.get('/work/:id', async (req, res) => {
  inflight.set(req.params.id, req);
  try {
    await fetch('https://work.example.com', { signal: AbortSignal.timeout(1000) });
    res.send('done');
  } finally {
    inflight.delete(req.params.id);
  }
});
`,
    },
    {
      name: "a queue whose consumer answers the request (a batch flushed by a timer)",
      code: `import express from 'express';

const app = express();
const pending: { res: express.Response; n: number }[] = [];

function flush() {
  for (const job of pending.splice(0)) job.res.json({ n: job.n });
}

app.get('/batched', (req, res) => {
  pending.push({ res, n: Number(req.query.n) });
  if (pending.length === 1) setTimeout(flush, 10);
});
`,
    },
    {
      name: "a primitive value stored in module state is not a request object",
      code: `import express from 'express';

const app = express();
const lastSeen = new Map<string, number>();

app.get('/ping', (req, res) => {
  lastSeen.set(req.ip ?? 'unknown', Date.now());
  res.send('pong');
});
`,
    },
    {
      name: "a WeakMap keyed by the request does not keep it alive",
      code: `import express from 'express';

const app = express();
const started = new WeakMap<object, number>();

app.use((req, res, next) => {
  started.set(req, Date.now());
  next();
});
`,
    },
    {
      name: "not a request scope: start-up code",
      code: `import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
const config = { port: 3000 };
bus.on('reload', () => console.log(config.port));
setTimeout(() => console.log(config), 1000);
`,
    },
    {
      name: "a plain-JS Koa timer that sets the body is part of the response",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx) => {
  await new Promise((resolve) => setTimeout(() => { ctx.body = 'late'; resolve(); }, 10));
});
`,
    },
    {
      name: "Fastify: the per-request logger in a detached continuation",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.post('/clicks', async (request, reply) => {
  fetch('https://clicks.example.com', { method: 'POST' }).finally(() => request.log.debug('click stored'));
  return reply.code(204).send();
});
`,
    },
    {
      name: "a continuation inside a cleared interval is judged with its timer",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/scores/stream', (request, reply) => {
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
  const push = setInterval(() => {
    fetch('https://scores.example.com').then((r) => reply.raw.write(\`data: \${r.status}\\n\\n\`));
  }, 2_000);
  reply.raw.on('close', () => clearInterval(push));
});
`,
    },
    {
      name: "a timer that settles a promise the handler waits for",
      code: `import express from 'express';

const app = express();

app.get('/retry', async (req, res) => {
  const query = await new Promise((resolve) => setTimeout(() => resolve(req.query), 10));
  res.json(query);
});
`,
    },
  ],
  invalid: [
    {
      name: "Express: helpers the handler passes its request objects to",
      code: `import express from 'express';
import type { Request, Response } from 'express';

const app = express();
const waiting = new Map<string, Response>();

function park(id: string, res: Response) {
  waiting.set(id, res);
}

function logLater(req: Request) {
  setTimeout(() => console.log(req.url), 1000);
}

app.get('/wait/:id', (req, res) => {
  park(req.params.id, res);
  logLater(req);
});
`,
      errors: [
        {
          line: 8, column: 19, endLine: 8, endColumn: 22,
          message: "`res` is stored in module-level `waiting` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
        {
          line: 12, column: 32, endLine: 12, endColumn: 35,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import express from 'express';
import type { Request, Response } from 'express';

const app = express();
const waiting = new Map<string, Response>();

function park(id: string, res: Response) {
  waiting.set(id, res);
}

function logLater(req: Request) {
  const url = req.url;
  setTimeout(() => console.log(url), 1000);
}

app.get('/wait/:id', (req, res) => {
  park(req.params.id, res);
  logLater(req);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Nest: an interceptor timer holds the request from the execution context",
      code: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

@Injectable()
export class SlowRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    setTimeout(() => {
      console.warn('slow request', req.method, req.originalUrl);
    }, 10_000);
    return next.handle();
  }
}
`,
      errors: [
        {
          line: 10, column: 36, endLine: 10, endColumn: 39,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

@Injectable()
export class SlowRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const method = req.method;
    const originalUrl = req.originalUrl;
    setTimeout(() => {
      console.warn('slow request', method, originalUrl);
    }, 10_000);
    return next.handle();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a log timer keeps the request alive",
      code: `import express from 'express';

const app = express();

app.get('/slow', (req, res) => {
  setTimeout(() => {
    console.log('served', req.ip, req.headers['x-request-id']);
  }, 5000);
  res.send('ok');
});
`,
      errors: [
        {
          line: 7, column: 27, endLine: 7, endColumn: 30,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import express from 'express';

const app = express();

app.get('/slow', (req, res) => {
  const ip = req.ip;
  const xRequestId = req.headers['x-request-id'];
  setTimeout(() => {
    console.log('served', ip, xRequestId);
  }, 5000);
  res.send('ok');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a listener on a module-level emitter",
      code: `import express from 'express';
import { EventEmitter } from 'node:events';

const app = express();
const bus = new EventEmitter();

app.get('/events', (req, res) => {
  bus.on('tick', (n) => res.write(\`data: \${n}\\n\\n\`));
});
`,
      errors: [
        {
          line: 8, column: 25, endLine: 8, endColumn: 28,
          message: "`res` is captured by a listener on `bus`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "Express: a listener on process",
      code: `import express from 'express';

const app = express();

app.get('/download', (req, res) => {
  process.on('SIGTERM', () => res.end());
  res.write('...');
});
`,
      errors: [
        {
          line: 6, column: 31, endLine: 6, endColumn: 34,
          message: "`res` is captured by a listener on `process`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "Express: a listener on the keep-alive socket",
      code: `import express from 'express';

const app = express();

app.get('/', (req, res) => {
  req.socket.on('timeout', () => console.log('idle after', req.originalUrl));
  res.send('ok');
});
`,
      errors: [
        {
          line: 6, column: 60, endLine: 6, endColumn: 63,
          message: "`req` is captured by a listener on `req.socket`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "Express: a middleware factory parameter is a long-lived emitter",
      code: `import type { NextFunction, Request, Response } from 'express';
import type { EventEmitter } from 'node:events';

export function audit(events: EventEmitter) {
  return (req: Request, res: Response, next: NextFunction) => {
    events.once('flush', () => console.log(req.method, req.url));
    next();
  };
}
`,
      errors: [
        {
          line: 6, column: 44, endLine: 6, endColumn: 47,
          message: "`req` is captured by a listener on `events`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "Express: a continuation nobody waits for",
      code: `import express from 'express';

const app = express();

app.post('/orders', (req, res) => {
  void fetch('https://audit.example.com', { method: 'POST' }).then(() => console.log('audited', req.params.id, req.path));
  res.status(202).send('accepted');
});
`,
      errors: [
        {
          line: 6, column: 97, endLine: 6, endColumn: 100,
          message: "`req` is captured by a continuation of a promise nobody waits for, so the request's objects stay in memory after the response until that promise settles.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import express from 'express';

const app = express();

app.post('/orders', (req, res) => {
  const id = req.params.id;
  const path = req.path;
  void fetch('https://audit.example.com', { method: 'POST' }).then(() => console.log('audited', id, path));
  res.status(202).send('accepted');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: stored in a module-level set and never removed",
      code: `import express from 'express';

const app = express();
const clients = new Set<express.Response>();

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  clients.add(res);
});
`,
      errors: [
        {
          line: 8, column: 15, endLine: 8, endColumn: 18,
          message: "`res` is stored in module-level `clients` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
      ],
    },
    {
      name: "Express: stored in a module-level variable and in a map of rooms",
      code: `import express from 'express';

const app = express();
const rooms = new Map<string, Set<express.Response>>();
let lastRequest: express.Request | undefined;

app.get('/rooms/:room', (req, res) => {
  lastRequest = req;
  rooms.get(req.params.room)?.add(res);
  res.write('joined');
});
`,
      errors: [
        {
          line: 8, column: 17, endLine: 8, endColumn: 20,
          message: "`req` is stored in module-level `lastRequest` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
        {
          line: 9, column: 35, endLine: 9, endColumn: 38,
          message: "`res` is stored in module-level `rooms` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
      ],
    },
    {
      name: "Express: the body is not a primitive: no fix",
      code: `import express from 'express';

const app = express();

app.post('/ingest', (req, res) => {
  setTimeout(() => console.log('ingested', req.body), 1000);
  res.sendStatus(202);
});
`,
      errors: [
        {
          line: 6, column: 44, endLine: 6, endColumn: 47,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
        },
      ],
    },
    {
      name: "Express: a destructured headers object captured by a timer",
      code: `import express from 'express';

const app = express();

app.get('/trace', (req, res) => {
  const { headers } = req;
  setImmediate(() => console.log('trace', headers['traceparent']));
  res.send('ok');
});
`,
      errors: [
        {
          line: 7, column: 43, endLine: 7, endColumn: 50,
          message: "`headers` is captured by a setImmediate callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import express from 'express';

const app = express();

app.get('/trace', (req, res) => {
  const { headers } = req;
  const traceparent = headers['traceparent'];
  setImmediate(() => console.log('trace', traceparent));
  res.send('ok');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Koa: a timer reading the context",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  setTimeout(() => console.log('slow', ctx.method, ctx.path), 2000);
  await next();
});
`,
      errors: [
        {
          line: 6, column: 40, endLine: 6, endColumn: 43,
          message: "`ctx` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  const method = ctx.method;
  const path = ctx.path;
  setTimeout(() => console.log('slow', method, path), 2000);
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Koa: the context stored in a module-level map",
      code: `import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
const waiting = new Map<string, Koa.Context>();

router.get('/wait/:id', (ctx) => {
  waiting.set(ctx.params.id, ctx);
  ctx.status = 202;
});

app.use(router.routes());
`,
      errors: [
        {
          line: 9, column: 30, endLine: 9, endColumn: 33,
          message: "`ctx` is stored in module-level `waiting` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
      ],
    },
    {
      name: "Fastify: a continuation and a timer reading the request",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/items/:id', async (request, reply) => {
  fetch('https://audit.example.com').then(() => console.log(request.id));
  setTimeout(() => console.log('slow', request.url), 1000);
  return reply.send({ ok: true });
});
`,
      errors: [
        {
          line: 6, column: 61, endLine: 6, endColumn: 68,
          message: "`request` is captured by a continuation of a promise nobody waits for, so the request's objects stay in memory after the response until that promise settles.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/items/:id', async (request, reply) => {
  const id = request.id;
  fetch('https://audit.example.com').then(() => console.log(id));
  setTimeout(() => console.log('slow', request.url), 1000);
  return reply.send({ ok: true });
});
`,
            },
          ],
        },
        {
          line: 7, column: 40, endLine: 7, endColumn: 47,
          message: "`request` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/items/:id', async (request, reply) => {
  fetch('https://audit.example.com').then(() => console.log(request.id));
  const url = request.url;
  setTimeout(() => console.log('slow', url), 1000);
  return reply.send({ ok: true });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify: a listener on a decorated long-lived emitter",
      code: `import Fastify from 'fastify';
import { EventEmitter } from 'node:events';

const fastify = Fastify();
const hub = new EventEmitter();

fastify.get('/feed', (request, reply) => {
  hub.on('item', (item) => reply.raw.write(JSON.stringify(item)));
});
`,
      errors: [
        {
          line: 8, column: 28, endLine: 8, endColumn: 33,
          message: "`reply` is captured by a listener on `hub`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "Hono: a timer reading the path",
      code: `import { Hono } from 'hono';

const app = new Hono();

app.get('/hello', (c) => {
  setTimeout(() => console.log('served', c.req.path), 1000);
  return c.text('hi');
});
`,
      errors: [
        {
          line: 6, column: 42, endLine: 6, endColumn: 43,
          message: "`c` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `import { Hono } from 'hono';

const app = new Hono();

app.get('/hello', (c) => {
  const path = c.req.path;
  setTimeout(() => console.log('served', path), 1000);
  return c.text('hi');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Nest: a singleton provider keeps the last request",
      code: `import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';

@Controller('users')
export class UsersController {
  private last?: Request;

  @Get()
  list(@Req() req: Request) {
    this.last = req;
    return [];
  }
}
`,
      errors: [
        {
          line: 10, column: 17, endLine: 10, endColumn: 20,
          message: "`req` is stored in singleton `this.last` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
      ],
    },
    {
      name: "untyped Express: a log timer",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();

app.get('/slow', (req, res) => {
  setTimeout(() => console.log('served', req.params.id, req.method), 5000);
  res.send('ok');
});
`,
      errors: [
        {
          line: 6, column: 42, endLine: 6, endColumn: 45,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
          fixes: [
            {
              title: "Copy the needed values before the callback",
              output: `const express = require('express');

const app = express();

app.get('/slow', (req, res) => {
  const id = req.params.id;
  const method = req.method;
  setTimeout(() => console.log('served', id, method), 5000);
  res.send('ok');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: the context pushed to a module-level array",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
const recent = [];

app.use(async (ctx) => {
  recent.push(ctx);
  ctx.body = 'ok';
});
`,
      errors: [
        {
          line: 7, column: 15, endLine: 7, endColumn: 18,
          message: "`ctx` is stored in module-level `recent` and not removed when the request ends, so every request's objects stay in memory long after the response.",
        },
      ],
    },
    {
      name: "untyped Fastify: a listener on process",
      untyped: true,
      fileName: "handler.js",
      code: `const fastify = require('fastify')();

fastify.get('/', async (request, reply) => {
  process.once('beforeExit', () => reply.send('bye'));
  return reply;
});
`,
      errors: [
        {
          line: 4, column: 36, endLine: 4, endColumn: 41,
          message: "`reply` is captured by a listener on `process`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.",
        },
      ],
    },
    {
      name: "untyped Express: query values are copied only with types: no fix",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');

const app = express();

app.get('/search', (req, res) => {
  setTimeout(() => console.log('searched', req.query.q), 1000);
  res.send('ok');
});
`,
      errors: [
        {
          line: 6, column: 44, endLine: 6, endColumn: 47,
          message: "`req` is captured by a setTimeout callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.",
        },
      ],
    },
  ],
});
