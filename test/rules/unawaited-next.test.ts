// Rule tests for unawaited-next (RULES.md §2.9): a Koa / Hono middleware calls next() without
// awaiting or returning it, and the fix that awaits it (making the middleware async if needed).
import { ruleTester } from '../support/ruleTester';

const RULE = 'unawaited-next';
const FIX = 'Await next()';

ruleTester(RULE, {
  valid: [
    {
      name: 'Koa: next() awaited',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  ctx.set('x-response-time', String(Date.now() - started));
});
`,
    },
    {
      name: 'Koa: next() returned, or the arrow body',
      code: `import Koa from 'koa';
const app = new Koa();
app.use((ctx, next) => {
  ctx.set('x-powered-by', 'koa');
  return next();
});
app.use((ctx, next) => next());
app.use((ctx, next) => next().then(() => ctx.set('x-done', '1')));
`,
    },
    {
      name: 'Hono: next() awaited',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.use(async (c, next) => {
  await next();
  c.header('x-done', '1');
});
`,
    },
    {
      name: 'Express next() is callback style, not a promise chain',
      code: `import express from 'express';
const app = express();
app.use((req, res, next) => {
  res.setHeader('x-powered-by', 'express');
  next();
});
`,
    },
    {
      name: 'Express next() without types either',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');
const app = express();
app.use(function (req, res, next) {
  req.started = Date.now();
  next();
});
`,
    },
    {
      name: 'next() inside a nested function is handed on by it (als.run)',
      code: `import Koa from 'koa';
import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ id: string }>();
const app = new Koa();
app.use((ctx, next) => als.run({ id: ctx.path }, () => next()));
`,
    },
    {
      name: 'a local function called next is not the middleware parameter',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  const steps = [1, 2, 3];
  for (const step of steps) {
    const next = () => step + 1;
    next();
  }
  await next();
});
`,
    },
    {
      name: 'a stored next() promise is awaited later',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  const downstream = next();
  ctx.set('x-early', '1');
  await downstream;
});
`,
    },
  ],
  invalid: [
    {
      name: 'Koa: a synchronous middleware calls next() as a statement',
      code: `import Koa from 'koa';
const app = new Koa();
app.use((ctx, next) => {
  ctx.set('x-powered-by', 'koa');
  next();
});
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 9,
          message: /^This Koa middleware calls next\(\) without awaiting or returning it/,
          fixes: [
            {
              title: FIX,
              preferred: true,
              output: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  ctx.set('x-powered-by', 'koa');
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Koa: an async middleware times a downstream it does not wait for',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async function timing(ctx, next) {
  const started = Date.now();
  next();
  ctx.set('x-response-time', String(Date.now() - started));
});
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 9,
          fixes: [
            {
              title: FIX,
              output: `import Koa from 'koa';
const app = new Koa();
app.use(async function timing(ctx, next) {
  const started = Date.now();
  await next();
  ctx.set('x-response-time', String(Date.now() - started));
});
`,
            },
          ],
        },
      ],
    },
    {
      name: '@koa/router: router middleware and route handler',
      code: `import Router from '@koa/router';
const router = new Router();
router.use((ctx, next) => {
  if (ctx.path.startsWith('/admin')) ctx.set('cache-control', 'no-store');
  next();
});
router.get('/items', async (ctx, next) => {
  ctx.body = { items: [] };
  next();
});
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 9,
          fixes: [
            {
              title: FIX,
              output: `import Router from '@koa/router';
const router = new Router();
router.use(async (ctx, next) => {
  if (ctx.path.startsWith('/admin')) ctx.set('cache-control', 'no-store');
  await next();
});
router.get('/items', async (ctx, next) => {
  ctx.body = { items: [] };
  next();
});
`,
            },
          ],
        },
        {
          line: 9, column: 3, endLine: 9, endColumn: 9,
          fixes: [
            {
              title: FIX,
              output: `import Router from '@koa/router';
const router = new Router();
router.use((ctx, next) => {
  if (ctx.path.startsWith('/admin')) ctx.set('cache-control', 'no-store');
  next();
});
router.get('/items', async (ctx, next) => {
  ctx.body = { items: [] };
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Hono: next() in a branch',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.use('*', async (c, next) => {
  if (c.req.header('x-skip')) {
    next();
    return;
  }
  await next();
});
`,
      errors: [
        {
          line: 5, column: 5, endLine: 5, endColumn: 11,
          message: /^This Hono middleware/,
          fixes: [
            {
              title: FIX,
              output: `import { Hono } from 'hono';
const app = new Hono();
app.use('*', async (c, next) => {
  if (c.req.header('x-skip')) {
    await next();
    return;
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
      name: 'Koa without types (JavaScript)',
      untyped: true,
      fileName: 'handler.js',
      code: `const Koa = require('koa');
const app = new Koa();
app.use(function (ctx, next) {
  ctx.state.started = Date.now();
  next();
});
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 9,
          fixes: [
            {
              title: FIX,
              output: `const Koa = require('koa');
const app = new Koa();
app.use(async function (ctx, next) {
  ctx.state.started = Date.now();
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Hono without types (JavaScript), a middleware factory',
      untyped: true,
      fileName: 'handler.js',
      code: `export function poweredBy(name) {
  return (c, next) => {
    c.header('x-powered-by', name);
    next();
  };
}
`,
      errors: [
        {
          line: 4, column: 5, endLine: 4, endColumn: 11,
          fixes: [
            {
              title: FIX,
              output: `export function poweredBy(name) {
  return async (c, next) => {
    c.header('x-powered-by', name);
    await next();
  };
}
`,
            },
          ],
        },
      ],
    },
  ],
});
