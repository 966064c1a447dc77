// middleware-drops-request (RULES.md §2.8): a middleware path that ends without passing control
// on, responding or throwing. Express, Koa, Fastify hooks with `done`, Hono, typed and untyped;
// neither fix is preferred or part of fix-all.
import { ruleTester } from '../support/ruleTester';

ruleTester("middleware-drops-request", {
  valid: [
    {
      name: "express: every path passes control on or responds",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const token = req.headers.authorization;
  if (!token) {
    res.status(401).json({ error: 'missing token' });
    return;
  }
  if (token.startsWith('Bearer ')) next();
  else res.sendStatus(403);
});
`,
    },
    {
      name: "express: a route handler without next is not checked",
      code: `import express from 'express';

const app = express();

app.get('/items', (req, res) => {
  if (!req.query.q) return;
  res.json([]);
});
`,
    },
    {
      name: "express: throwing ends the path",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  if (!req.headers['x-tenant']) throw new Error('no tenant');
  next();
});
`,
    },
    {
      name: "express: the true branch of res.headersSent is settled",
      code: `import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return;
  res.status(500).json({ error: err.message });
});
`,
    },
    {
      name: "express: next handed to another function",
      code: `import express from 'express';
import { authenticate } from './auth';

const app = express();

app.use((req, res, next) => {
  authenticate('jwt', { session: false })(req, res, next);
});
`,
    },
    {
      name: "express: next called inside a function passed as an argument",
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';

const als = new AsyncLocalStorage<{ id: string }>();
const app = express();

app.use((req, res, next) => {
  als.run({ id: String(req.headers['x-request-id']) }, () => next());
});
`,
    },
    {
      name: "express: res handed to a project function that responds",
      code: `import express, { type Response } from 'express';

function deny(response: Response) {
  response.status(403).json({ error: 'forbidden' });
}

const app = express();

app.use((req, res, next) => {
  if (!req.headers.cookie) return deny(res);
  next();
});
`,
    },
    {
      name: "express: a local function that responds, called on the path",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const reject = () => res.sendStatus(400);
  if (!req.query.page) {
    reject();
    return;
  }
  next();
});
`,
    },
    {
      name: "express: streaming into the response",
      code: `import express from 'express';
import { createReadStream } from 'node:fs';

const app = express();

app.use((req, res, next) => {
  if (req.path === '/robots.txt') {
    createReadStream('robots.txt').pipe(res);
    return;
  }
  next();
});
`,
    },
    {
      name: "express: every case of a switch settles",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  switch (req.method) {
    case 'TRACE':
      res.sendStatus(405);
      break;
    default:
      next();
  }
});
`,
    },
    {
      name: "koa: body, throw and await next()",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.path === '/health') {
    ctx.body = 'ok';
    return;
  }
  if (!ctx.get('authorization')) ctx.throw(401);
  await next();
});
`,
    },
    {
      name: "fastify: a hook with done that replies or calls done",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('onRequest', (request, reply, done) => {
  if (!request.headers.authorization) {
    reply.code(401).send({ error: 'unauthorized' });
    return;
  }
  done();
});
`,
    },
    {
      name: "fastify: an async hook has no done to call",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('preHandler', async (request) => {
  if (!request.headers.authorization) return;
  request.log.info('authorised');
});
`,
    },
    {
      name: "fastify: an onResponse hook runs after the response",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('onResponse', (request, reply, done) => {
  request.log.info({ status: reply.statusCode }, 'done');
});
`,
    },
    {
      name: "hono: returning a response or awaiting next",
      code: `import { Hono } from 'hono';

const app = new Hono();

app.use(async (c, next) => {
  if (!c.req.header('x-api-key')) return c.json({ error: 'no key' }, 401);
  await next();
});
`,
    },
    {
      name: "express (untyped): a callback that calls next",
      untyped: true,
      fileName: "handler.js",
      code: `const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();

app.use((req, res, next) => {
  jwt.verify(req.headers.authorization, process.env.SECRET, (err, user) => {
    if (err) return res.sendStatus(401);
    req.user = user;
    next();
  });
});
`,
    },
    {
      name: "koa (untyped): returning next()",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();

app.use((ctx, next) => {
  ctx.set('x-powered-by', 'koa');
  return next();
});
`,
    },
    {
      name: "nest: an interceptor returning next.handle().pipe(...)",
      code: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';

@Injectable()
export class TimingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = Date.now();
    return next.handle().pipe(tap(() => console.log(Date.now() - started)));
  }
}
`,
    },
    {
      name: "grpc: a client interceptor that starts the call",
      code: `import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

export const tracing: Interceptor = (options, nextCall) => {
  return new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set('x-trace', '1');
      next(metadata, listener);
    },
  });
};
`,
    },
    {
      name: "koa (untyped): a responder the project added to the context ends the path (Strapi's ctx.unauthorized)",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
app.response.unauthorized = function (msg = 'Unauthorized') {
  this.status = 401;
  this.body = { error: msg };
};
app.context.unauthorized = function (msg) {
  return this.response.unauthorized(msg);
};

app.use(async (ctx, next) => {
  const user = await lookup(ctx.get('authorization'));
  if (user) {
    ctx.state.user = user;
    return next();
  }
  return ctx.unauthorized('Missing or invalid credentials');
});

async function lookup(token) {
  return token ? { id: 1 } : null;
}
`,
    },
    {
      name: "koa (untyped): the same custom responder inside and after a loop",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  for (const strategy of ctx.state.strategies) {
    const result = await strategy.check(ctx.get('authorization'));
    if (result.error) {
      return ctx.unauthorized(result.error);
    }
    if (result.ok) return next();
  }
  return ctx.unauthorized('Missing or invalid credentials');
});
`,
    },
    {
      name: "koa: a responder declared on the context type (koa-respond style) ends the path",
      code: `import Koa from 'koa';

declare module 'koa' {
  interface DefaultContext {
    forbidden(message?: string): void;
  }
}

const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.get('x-api-key')) {
    ctx.forbidden('missing key');
    return;
  }
  await next();
});
`,
    },
    {
      name: "koa (untyped): a responder added to ctx.response ends the path",
      untyped: true,
      fileName: "handler.js",
      code: `const Router = require('@koa/router');

const router = new Router();

router.use(async (ctx, next) => {
  if (!ctx.state.user) return ctx.response.forbidden();
  await next();
});
`,
    },
  ],
  invalid: [
    {
      name: "koa: Koa's own non-responding methods do not end the path",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') {
    ctx.set('allow', 'GET, POST');
    ctx.vary('origin');
    return;
  }
  await next();
});
`,
      errors: [
        {
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 12,
          message: "This path ends without calling `next()`, setting a body or throwing, so the request never reaches the rest of the chain and Koa answers 404 Not Found.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') {
    ctx.set('allow', 'GET, POST');
    ctx.vary('origin');
    ctx.status = 403;
    return;
  }
  await next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') {
    ctx.set('allow', 'GET, POST');
    ctx.vary('origin');
    return next();
  }
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Connect stack on node:http typed through its own Middleware type: ends with writeHead, not Express's sendStatus",
      code: `import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export const onlyGet: Middleware = (req, res, next) => {
  if (req.method === 'GET') {
    next();
  }
};
`,
      errors: [
        {
          line: 7, column: 3, endLine: 7, endColumn: 28,
          fixes: [
            { title: "End the response on this path", preferred: false, output: `import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export const onlyGet: Middleware = (req, res, next) => {
  if (req.method === 'GET') {
    next();
  } else {
    res.writeHead(403).end();
  }
};
` },
            { title: "Pass control on at the end of this path", preferred: false, output: `import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export const onlyGet: Middleware = (req, res, next) => {
  if (req.method === 'GET') {
    next();
  } else {
    next();
  }
};
` },
          ],
        },
      ],
    },
    {
      name: "express: a path that sets a status and returns",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const token = req.headers.authorization;
  if (!token) {
    res.status(401);
    return;
  }
  next();
});
`,
      errors: [
        {
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 12,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const token = req.headers.authorization;
  if (!token) {
    res.status(401);
    res.end();
    return;
  }
  next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const token = req.headers.authorization;
  if (!token) {
    res.status(401);
    return next();
  }
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: an if without else whose false branch ends the function",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  if (req.headers['x-api-key'] === process.env.API_KEY) next();
});
`,
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 56,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  if (req.headers['x-api-key'] === process.env.API_KEY) next();
  else {
    res.sendStatus(403);
  }
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  if (req.headers['x-api-key'] === process.env.API_KEY) next();
  else {
    next();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: a named middleware that never passes control on",
      code: `import express, { type NextFunction, type Request, type Response } from 'express';

export function audit(req: Request, res: Response, next: NextFunction) {
  console.log(req.method, req.url);
}

const app = express();
app.use(audit);
`,
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 36,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express, { type NextFunction, type Request, type Response } from 'express';

export function audit(req: Request, res: Response, next: NextFunction) {
  console.log(req.method, req.url);
  res.sendStatus(403);
}

const app = express();
app.use(audit);
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express, { type NextFunction, type Request, type Response } from 'express';

export function audit(req: Request, res: Response, next: NextFunction) {
  console.log(req.method, req.url);
  next();
}

const app = express();
app.use(audit);
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: an error swallowed in catch",
      code: `import express from 'express';

async function loadUser(id: string) {
  return { id };
}

const app = express();

app.use(async (req, res, next) => {
  try {
    res.locals.user = await loadUser(String(req.headers['x-user']));
    next();
  } catch (error) {
    console.error(error);
  }
});
`,
      errors: [
        {
          line: 14,
          column: 5,
          endLine: 14,
          endColumn: 26,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express from 'express';

async function loadUser(id: string) {
  return { id };
}

const app = express();

app.use(async (req, res, next) => {
  try {
    res.locals.user = await loadUser(String(req.headers['x-user']));
    next();
  } catch (error) {
    console.error(error);
    res.sendStatus(500);
  }
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express from 'express';

async function loadUser(id: string) {
  return { id };
}

const app = express();

app.use(async (req, res, next) => {
  try {
    res.locals.user = await loadUser(String(req.headers['x-user']));
    next();
  } catch (error) {
    console.error(error);
    next(error);
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: res handed to a project function that does not respond",
      code: `import express, { type Response } from 'express';

function logStatus(response: Response) {
  console.log(response.statusCode);
}

const app = express();

app.use((req, res, next) => {
  logStatus(res);
});
`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 18,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express, { type Response } from 'express';

function logStatus(response: Response) {
  console.log(response.statusCode);
}

const app = express();

app.use((req, res, next) => {
  logStatus(res);
  res.sendStatus(403);
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express, { type Response } from 'express';

function logStatus(response: Response) {
  console.log(response.statusCode);
}

const app = express();

app.use((req, res, next) => {
  logStatus(res);
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: error middleware that only logs after the headersSent check",
      code: `import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return;
  console.error(err);
});
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 22,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return;
  console.error(err);
  res.sendStatus(500);
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return;
  console.error(err);
  next(err);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: a loop that may finish without passing control on",
      code: `import express from 'express';

const app = express();
const allowed = ['a', 'b'];

app.use((req, res, next) => {
  for (const role of allowed) {
    if (req.headers['x-role'] === role) return next();
  }
});
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 30,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import express from 'express';

const app = express();
const allowed = ['a', 'b'];

app.use((req, res, next) => {
  for (const role of allowed) {
    if (req.headers['x-role'] === role) return next();
  }
  res.sendStatus(403);
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import express from 'express';

const app = express();
const allowed = ['a', 'b'];

app.use((req, res, next) => {
  for (const role of allowed) {
    if (req.headers['x-role'] === role) return next();
  }
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "koa: returning early without a body",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.get('x-api-key')) return;
  await next();
});
`,
      errors: [
        {
          line: 6,
          column: 30,
          endLine: 6,
          endColumn: 37,
          message: "This path ends without calling `next()`, setting a body or throwing, so the request never reaches the rest of the chain and Koa answers 404 Not Found.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.get('x-api-key')) {
    ctx.status = 403;
    return;
  }
  await next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  if (!ctx.get('x-api-key')) return next();
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "fastify: a hook with done that sets a code and returns",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('preHandler', (request, reply, done) => {
  if (!request.headers.authorization) {
    reply.code(401);
    return;
  }
  done();
});
`,
      errors: [
        {
          line: 8,
          column: 5,
          endLine: 8,
          endColumn: 12,
          message: "This path ends without calling `done()` or sending a reply, so Fastify never runs the rest of the request and it hangs until the client times out.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('preHandler', (request, reply, done) => {
  if (!request.headers.authorization) {
    reply.code(401);
    reply.send();
    return;
  }
  done();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('preHandler', (request, reply, done) => {
  if (!request.headers.authorization) {
    reply.code(401);
    return done();
  }
  done();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "hono: returning nothing",
      code: `import { Hono } from 'hono';

const app = new Hono();

app.use(async (c, next) => {
  if (!c.req.header('x-api-key')) {
    return;
  }
  await next();
});
`,
      errors: [
        {
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 12,
          message: "This path ends without calling `next()` or returning a response, so the request never reaches the rest of the chain and Hono fails it with \"Context is not finalized\".",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import { Hono } from 'hono';

const app = new Hono();

app.use(async (c, next) => {
  if (!c.req.header('x-api-key')) {
    return c.text('Forbidden', 403);
  }
  await next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import { Hono } from 'hono';

const app = new Hono();

app.use(async (c, next) => {
  if (!c.req.header('x-api-key')) {
    return next();
  }
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express (untyped): an exported middleware",
      untyped: true,
      fileName: "handler.js",
      code: `module.exports = function requireJson(req, res, next) {
  if (req.headers['content-type'] !== 'application/json') {
    console.warn('not json');
  } else {
    next();
  }
};
`,
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 30,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `module.exports = function requireJson(req, res, next) {
  if (req.headers['content-type'] !== 'application/json') {
    console.warn('not json');
    res.sendStatus(403);
  } else {
    next();
  }
};
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `module.exports = function requireJson(req, res, next) {
  if (req.headers['content-type'] !== 'application/json') {
    console.warn('not json');
    next();
  } else {
    next();
  }
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "koa (untyped): a middleware that drops the request",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') return;
  await next();
});
`,
      errors: [
        {
          line: 6,
          column: 33,
          endLine: 6,
          endColumn: 40,
          message: "This path ends without calling `next()`, setting a body or throwing, so the request never reaches the rest of the chain and Koa answers 404 Not Found.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') {
    ctx.status = 403;
    return;
  }
  await next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `const Koa = require('koa');

const app = new Koa();

app.use(async (ctx, next) => {
  if (ctx.method === 'OPTIONS') return next();
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "fastify (untyped): a hook that forgets done",
      untyped: true,
      fileName: "handler.js",
      code: `const Fastify = require('fastify');

const fastify = Fastify();

fastify.addHook('onRequest', function (request, reply, done) {
  if (request.url === '/ping') return;
  done();
});
`,
      errors: [
        {
          line: 6,
          column: 32,
          endLine: 6,
          endColumn: 39,
          message: "This path ends without calling `done()` or sending a reply, so Fastify never runs the rest of the request and it hangs until the client times out.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `const Fastify = require('fastify');

const fastify = Fastify();

fastify.addHook('onRequest', function (request, reply, done) {
  if (request.url === '/ping') {
    reply.code(403).send();
    return;
  }
  done();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `const Fastify = require('fastify');

const fastify = Fastify();

fastify.addHook('onRequest', function (request, reply, done) {
  if (request.url === '/ping') return done();
  done();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "hono (untyped): a middleware returning nothing",
      untyped: true,
      fileName: "handler.js",
      code: `const { Hono } = require('hono');

const app = new Hono();

app.use(async (c, next) => {
  if (c.req.method === 'OPTIONS') return;
  await next();
});
`,
      errors: [
        {
          line: 6,
          column: 35,
          endLine: 6,
          endColumn: 42,
          message: "This path ends without calling `next()` or returning a response, so the request never reaches the rest of the chain and Hono fails it with \"Context is not finalized\".",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `const { Hono } = require('hono');

const app = new Hono();

app.use(async (c, next) => {
  if (c.req.method === 'OPTIONS') return c.text('Forbidden', 403);
  await next();
});
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `const { Hono } = require('hono');

const app = new Hono();

app.use(async (c, next) => {
  if (c.req.method === 'OPTIONS') return next();
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "nest: an interceptor path that returns nothing",
      code: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

@Injectable()
export class SkipInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | undefined {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    if (request.headers['x-skip']) return;
    return next.handle();
  }
}
`,
      errors: [
        {
          line: 8,
          column: 36,
          endLine: 8,
          endColumn: 43,
          message: "This path ends without returning `next.handle()` or another Observable, so the route handler never runs and Nest fails the request instead of answering it.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor, ForbiddenException } from '@nestjs/common';
import type { Observable } from 'rxjs';

@Injectable()
export class SkipInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | undefined {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    if (request.headers['x-skip']) throw new ForbiddenException();
    return next.handle();
  }
}
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

@Injectable()
export class SkipInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | undefined {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    if (request.headers['x-skip']) return next.handle();
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
      name: "nest: a bare next.handle() statement does not pass control",
      code: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';

@Injectable()
export class LogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): any {
    console.log(context.getClass().name);
    next.handle();
  }
}
`,
      errors: [
        {
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 19,
          message: "This path ends without returning `next.handle()` or another Observable, so the route handler never runs and Nest fails the request instead of answering it.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor, ForbiddenException } from '@nestjs/common';

@Injectable()
export class LogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): any {
    console.log(context.getClass().name);
    next.handle();
    throw new ForbiddenException();
  }
}
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';

@Injectable()
export class LogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): any {
    console.log(context.getClass().name);
    next.handle();
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
      name: "nest: a middleware that returns early",
      code: `import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class TenantMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    if (!req.headers['x-tenant']) return;
    next();
  }
}
`,
      errors: [
        {
          line: 7,
          column: 35,
          endLine: 7,
          endColumn: 42,
          message: "This path ends without calling `next()`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.",
          fixes: [
            {
              title: "End the response on this path",
              preferred: false,
              output: `import { Injectable, type NestMiddleware, ForbiddenException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class TenantMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    if (!req.headers['x-tenant']) throw new ForbiddenException();
    next();
  }
}
`,
            },
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class TenantMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    if (!req.headers['x-tenant']) return next();
    next();
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "grpc: a client interceptor that returns early",
      code: `import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

export const auth: Interceptor = (options, nextCall) => {
  if (!process.env.TOKEN) return;
  return new InterceptingCall(nextCall(options));
};
`,
      errors: [
        {
          line: 4,
          column: 27,
          endLine: 4,
          endColumn: 34,
          message: "This path ends without calling `nextCall(...)`, so the outgoing call is never started and its caller waits for a response that never comes.",
          fixes: [
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

export const auth: Interceptor = (options, nextCall) => {
  if (!process.env.TOKEN) return new InterceptingCall(nextCall(options));
  return new InterceptingCall(nextCall(options));
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "grpc (untyped): a client interceptor that returns early",
      untyped: true,
      fileName: "handler.js",
      code: `const { InterceptingCall } = require('@grpc/grpc-js');

function auth(options, nextCall) {
  if (!options.method_definition) return;
  return new InterceptingCall(nextCall(options));
}

module.exports = { auth };
`,
      errors: [
        {
          line: 4,
          column: 35,
          endLine: 4,
          endColumn: 42,
          message: "This path ends without calling `nextCall(...)`, so the outgoing call is never started and its caller waits for a response that never comes.",
          fixes: [
            {
              title: "Pass control on at the end of this path",
              preferred: false,
              output: `const { InterceptingCall } = require('@grpc/grpc-js');

function auth(options, nextCall) {
  if (!options.method_definition) return new InterceptingCall(nextCall(options));
  return new InterceptingCall(nextCall(options));
}

module.exports = { auth };
`,
            },
          ],
        },
      ],
    },
  ],
});
