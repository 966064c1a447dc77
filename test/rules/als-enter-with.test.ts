// Rule tests for als-enter-with (RULES.md §2.11): AsyncLocalStorage#enterWith in a request scope,
// and the fix that wraps the rest of the chain in als.run().
import { ruleTester } from '../support/ruleTester';

const RULE = 'als-enter-with';
const FIX = 'Use run() around the rest of the chain';

ruleTester(RULE, {
  valid: [
    {
      name: 'Express: run() scopes the store to the rest of the chain',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ requestId: string }>();
const app = express();
app.use((req, res, next) => {
  als.run({ requestId: String(req.headers['x-request-id'] ?? '') }, () => next());
});
`,
    },
    {
      name: 'enterWith in start-up code is not in a request scope',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ worker: string }>();
als.enterWith({ worker: 'main' });
const app = express();
app.get('/', (req, res) => {
  res.json(als.getStore());
});
`,
    },
    {
      name: 'an enterWith method of something that is not an AsyncLocalStorage',
      code: `import express from 'express';
class Tracer {
  current: string | undefined;
  enterWith(span: string): void {
    this.current = span;
  }
}
const tracer = new Tracer();
const app = express();
app.use((req, res, next) => {
  tracer.enterWith(req.path);
  next();
});
`,
    },
    {
      name: 'JavaScript: an unknown receiver is not assumed to be an AsyncLocalStorage',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const { tracer } = require('./tracing');
const app = express();
app.use((req, res, next) => {
  tracer.enterWith(req.path);
  next();
});
`,
    },
  ],
  invalid: [
    {
      name: 'Express: enterWith then next() becomes run(s, () => next())',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ requestId: string }>();
const app = express();
app.use((req, res, next) => {
  als.enterWith({ requestId: String(req.headers['x-request-id'] ?? '') });
  next();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 74,
          message: /^als\.enterWith\(\) sets this request's store for the rest of the current async context/,
          fixes: [
            {
              title: FIX,
              preferred: true,
              output: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ requestId: string }>();
const app = express();
app.use((req, res, next) => {
  als.run({ requestId: String(req.headers['x-request-id'] ?? '') }, () => next());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Koa: the rest awaits, so it moves into an async callback',
      code: `import Koa from 'koa';
import { AsyncLocalStorage } from 'async_hooks';
const context = new AsyncLocalStorage<{ requestId: string }>();
const app = new Koa();
app.use(async (ctx, next) => {
  context.enterWith({ requestId: ctx.get('x-request-id') });
  // time the downstream
  const started = Date.now();
  await next();
  ctx.set('x-response-time', \`\${Date.now() - started}ms\`);
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 60,
          fixes: [
            {
              title: FIX,
              output: `import Koa from 'koa';
import { AsyncLocalStorage } from 'async_hooks';
const context = new AsyncLocalStorage<{ requestId: string }>();
const app = new Koa();
app.use(async (ctx, next) => {
  return context.run({ requestId: ctx.get('x-request-id') }, async () => {
    // time the downstream
    const started = Date.now();
    await next();
    ctx.set('x-response-time', \`\${Date.now() - started}ms\`);
  });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Hono: a store kept in a class field',
      code: `import { Hono } from 'hono';
import { AsyncLocalStorage } from 'node:async_hooks';
class RequestContext {
  static storage = new AsyncLocalStorage<{ path: string }>();
}
const app = new Hono();
app.use('*', async (c, next) => {
  RequestContext.storage.enterWith({ path: c.req.path });
  await next();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 8, column: 3, endLine: 8, endColumn: 57,
          fixes: [
            {
              title: FIX,
              output: `import { Hono } from 'hono';
import { AsyncLocalStorage } from 'node:async_hooks';
class RequestContext {
  static storage = new AsyncLocalStorage<{ path: string }>();
}
const app = new Hono();
app.use('*', async (c, next) => {
  return RequestContext.storage.run({ path: c.req.path }, async () => {
    await next();
  });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Koa: enterWith then a bare next() hands the chain on with return',
      code: `import Koa from 'koa';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = new Koa();
app.use((ctx, next) => {
  als.enterWith(ctx.path);
  next();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 26,
          fixes: [
            {
              title: FIX,
              output: `import Koa from 'koa';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = new Koa();
app.use((ctx, next) => {
  return als.run(ctx.path, () => next());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Fastify hook: nothing follows, so there is nothing to wrap (no fix)',
      code: `import Fastify from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ id: string }>();
const fastify = Fastify();
fastify.addHook('onRequest', async (request, reply) => {
  als.enterWith({ id: request.id });
});
`,
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 36 }],
    },
    {
      name: 'Next.js route handler: the rest returns, so no fix',
      fileName: 'route.ts',
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ path: string }>();
export async function GET(request: Request) {
  als.enterWith({ path: new URL(request.url).pathname });
  const started = Date.now();
  return Response.json({ started });
}
`,
      errors: [{ line: 4, column: 3, endLine: 4, endColumn: 57 }],
    },
    {
      name: 'Express: a synchronous rest moves into a plain arrow',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.get('/whoami', (req, res) => {
  als.enterWith(req.ip ?? 'unknown');
  const who = als.getStore();
  res.json({ who });
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 37,
          fixes: [
            {
              title: FIX,
              output: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.get('/whoami', (req, res) => {
  return als.run(req.ip ?? 'unknown', () => {
    const who = als.getStore();
    res.json({ who });
  });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'enterWith inside a branch: no fix (the rest of the handler would stay outside)',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.use((req, res, next) => {
  if (req.headers['x-trace']) {
    als.enterWith(String(req.headers['x-trace']));
  }
  next();
});
`,
      errors: [{ line: 7, column: 5, endLine: 7, endColumn: 50 }],
    },
    {
      name: 'JavaScript (CommonJS, untyped): Express middleware',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
const app = express();
app.use(function (req, res, next) {
  als.enterWith({ id: req.get('x-request-id') });
  next();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 49,
          fixes: [
            {
              title: FIX,
              output: `const express = require('express');
const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
const app = express();
app.use(function (req, res, next) {
  als.run({ id: req.get('x-request-id') }, () => next());
});
`,
            },
          ],
        },
      ],
    },
    {
      // test/corpus/fastify/plugins/requestGuards.js: the fix used to drop the comment after the call.
      name: 'JavaScript (untyped): Fastify hook, a comment after the call stays on the run() line',
      untyped: true,
      fileName: 'handler.js',
      code: `const Fastify = require('fastify');
const { AsyncLocalStorage } = require('node:async_hooks');
const fastify = Fastify();
const tenantStore = new AsyncLocalStorage();
fastify.addHook('onRequest', (request, reply, done) => {
  tenantStore.enterWith({ tenant: request.headers['x-tenant'] || 'public' }); // one store per request
  done();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 77,
          fixes: [
            {
              title: FIX,
              output: `const Fastify = require('fastify');
const { AsyncLocalStorage } = require('node:async_hooks');
const fastify = Fastify();
const tenantStore = new AsyncLocalStorage();
fastify.addHook('onRequest', (request, reply, done) => {
  tenantStore.run({ tenant: request.headers['x-tenant'] || 'public' }, () => done()); // one store per request
});
`,
            },
          ],
        },
      ],
    },
    {
      // test/corpus/nest/tenant.middleware.ts: the same, in a NestJS middleware class.
      name: 'Nest middleware: comments after the call and before next() are kept',
      code: `import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const billingContext = new AsyncLocalStorage<{ tenantId: string }>();
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    billingContext.enterWith({ tenantId: String(req.headers['x-tenant-id']) }); // billing reads it
    // everything downstream is billed to this tenant
    next(); // on to the controller
  }
}
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 8, column: 5, endLine: 8, endColumn: 79,
          fixes: [
            {
              title: FIX,
              output: `import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const billingContext = new AsyncLocalStorage<{ tenantId: string }>();
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    billingContext.run({ tenantId: String(req.headers['x-tenant-id']) }, () => next()); // billing reads it
    // everything downstream is billed to this tenant
    // on to the controller
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Express: a comment inside the store moves with it; a trailing comment stays on the run() line',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.get('/whoami', (req, res) => {
  als.enterWith(/* client address */ req.ip ?? 'unknown'); // per request
  res.json({ who: als.getStore() });
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 58,
          fixes: [
            {
              title: FIX,
              output: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.get('/whoami', (req, res) => {
  return als.run(/* client address */ req.ip ?? 'unknown', () => { // per request
    res.json({ who: als.getStore() });
  });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Express: a comment between the receiver and enterWith would be lost, so no fix',
      code: `import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<string>();
const app = express();
app.use((req, res, next) => {
  als /* request-scoped */ .enterWith(req.path);
  next();
});
`,
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 48, fixes: [] }],
    },
    {
      name: 'JavaScript (untyped): Koa middleware with an imported AsyncLocalStorage',
      untyped: true,
      fileName: 'handler.js',
      code: `import Koa from 'koa';
import async_hooks from 'async_hooks';
const store = new async_hooks.AsyncLocalStorage();
const app = new Koa();
app.use(async (ctx, next) => {
  store.enterWith(new Map([['id', ctx.get('x-request-id')]]));
  await next();
});
`,
      mayRemove: ['enterWith'],
      errors: [
        {
          line: 6, column: 3, endLine: 6, endColumn: 62,
          fixes: [
            {
              title: FIX,
              output: `import Koa from 'koa';
import async_hooks from 'async_hooks';
const store = new async_hooks.AsyncLocalStorage();
const app = new Koa();
app.use(async (ctx, next) => {
  return store.run(new Map([['id', ctx.get('x-request-id')]]), async () => {
    await next();
  });
});
`,
            },
          ],
        },
      ],
    },
  ],
});
