// abort-before-downstream (RULES.md §2.10): a callback middleware aborts the signal it handed
// downstream as soon as next()/done() returns. Express, Fastify hooks with `done`, node:http /
// Connect-style middleware, typed and untyped.
import { ruleTester } from '../support/ruleTester';

ruleTester("abort-before-downstream", {
  valid: [
    {
      name: "express: abort moved into a close listener",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  res.locals.signal = controller.signal;
  res.once('close', () => controller.abort());
  next();
});
`,
    },
    {
      name: "express: a deadline timer aborts, not next() returning",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  res.locals.signal = controller.signal;
  res.once('close', () => clearTimeout(timer));
  next();
});
`,
    },
    {
      name: "express: the signal is not handed downstream",
      code: `import express from 'express';

const app = express();

app.use(async (req, res, next) => {
  const controller = new AbortController();
  const ping = fetch('https://status.example.com', { signal: controller.signal });
  next();
  controller.abort();
  await ping.catch(() => undefined);
});
`,
    },
    {
      name: "express: aborting before next() is not this rule",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  res.locals.signal = controller.signal;
  if (req.headers['x-cancel']) controller.abort();
  next();
});
`,
    },
    {
      name: "koa: await next() waits for downstream",
      code: `import Koa from 'koa';

const app = new Koa();

app.use(async (ctx, next) => {
  const controller = new AbortController();
  ctx.state.signal = controller.signal;
  try {
    await next();
  } finally {
    controller.abort();
  }
});
`,
    },
    {
      name: "express: abort after awaiting something else",
      code: `import express from 'express';
import { once } from 'node:events';

const app = express();

app.use(async (req, res, next) => {
  const controller = new AbortController();
  res.locals.signal = controller.signal;
  next();
  await once(res, 'finish');
  controller.abort();
});
`,
    },
  ],
  invalid: [
    {
      name: "express (JS, untyped): try/catch/finally around next(), the finally dropped and the comment kept",
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 15000);
  req.signal = controller.signal;
  try {
    next();
  } catch (err) {
    next(err);
  } finally {
    clearTimeout(deadline);
    controller.abort(); // downstream is done
  }
});
`,
      errors: [
        {
          line: 15,
          column: 5,
          endLine: 15,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `req.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `const express = require('express');

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 15000);
  req.signal = controller.signal;
  res.once('close', () => {
    clearTimeout(deadline);
    controller.abort(); // downstream is done
  });
  try {
    next();
  } catch (err) {
    next(err);
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: abort in an if after next(), with a line comment",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  req.signal = controller.signal;
  next();
  if (!res.headersSent) {
    controller.abort(); // nobody answered
  }
});
`,
      errors: [
        {
          line: 10,
          column: 5,
          endLine: 10,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `req.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  req.signal = controller.signal;
  next();
  if (!res.headersSent) {
    res.once('close', () => controller.abort()); // nobody answered
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: a comment on its own line inside the finally (no fix)",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  req.signal = controller.signal;
  try {
    next();
  } finally {
    // downstream is done
    controller.abort();
  }
});
`,
      errors: [
        {
          line: 12,
          column: 5,
          endLine: 12,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `req.signal` is already aborted and cancels their queries and fetches.",
        },
      ],
    },
    {
      name: "express: abort in a finally around next(), with its deadline timer",
      code: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  res.locals.signal = controller.signal;
  try {
    next();
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
});
`,
      errors: [
        {
          line: 13,
          column: 5,
          endLine: 13,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `res.locals.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.use((req, res, next) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  res.locals.signal = controller.signal;
  res.once('close', () => {
    clearTimeout(timer);
    controller.abort();
  });
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: abort right after next()",
      code: `import express, { type NextFunction, type Request, type Response } from 'express';

export function withSignal(req: Request, res: Response, next: NextFunction) {
  const ac = new AbortController();
  res.locals.abortSignal = ac.signal;
  next();
  ac.abort();
}

const app = express();
app.use(withSignal);
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 13,
          message: "`ac.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `res.locals.abortSignal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import express, { type NextFunction, type Request, type Response } from 'express';

export function withSignal(req: Request, res: Response, next: NextFunction) {
  const ac = new AbortController();
  res.locals.abortSignal = ac.signal;
  next();
  res.once('close', () => ac.abort());
}

const app = express();
app.use(withSignal);
`,
            },
          ],
        },
      ],
    },
    {
      name: "express: await next() does not wait for downstream",
      code: `import express from 'express';

const app = express();

app.use(async (req, res, next) => {
  const ac = new AbortController();
  res.locals.signal = ac.signal;
  try {
    await next();
  } finally {
    ac.abort();
  }
});
`,
      errors: [
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 15,
          message: "`ac.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `res.locals.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import express from 'express';

const app = express();

app.use(async (req, res, next) => {
  const ac = new AbortController();
  res.locals.signal = ac.signal;
  res.once('close', () => ac.abort());
  await next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "fastify: a hook with done",
      code: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('onRequest', (request, reply, done) => {
  const controller = new AbortController();
  (request as unknown as { signal: AbortSignal }).signal = controller.signal;
  done();
  controller.abort();
});
`,
      errors: [
        {
          line: 9,
          column: 3,
          endLine: 9,
          endColumn: 21,
          message: "`controller.abort()` runs as soon as `done()` returns, before downstream handlers finish their async work, so the signal they get through `request.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import Fastify from 'fastify';

const fastify = Fastify();

fastify.addHook('onRequest', (request, reply, done) => {
  const controller = new AbortController();
  (request as unknown as { signal: AbortSignal }).signal = controller.signal;
  done();
  reply.raw.once('close', () => controller.abort());
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "node:http: a Connect-style middleware typed with IncomingMessage",
      code: `import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

type WithSignal = IncomingMessage & { signal?: AbortSignal };

function deadline(req: WithSignal, res: ServerResponse, next: () => void) {
  const controller = new AbortController();
  req.signal = controller.signal;
  try {
    next();
  } finally {
    controller.abort();
  }
}

createServer((req, res) => deadline(req, res, () => res.end('ok'))).listen(3000);
`,
      errors: [
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `req.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

type WithSignal = IncomingMessage & { signal?: AbortSignal };

function deadline(req: WithSignal, res: ServerResponse, next: () => void) {
  const controller = new AbortController();
  req.signal = controller.signal;
  res.once('close', () => controller.abort());
  next();
}

createServer((req, res) => deadline(req, res, () => res.end('ok'))).listen(3000);
`,
            },
          ],
        },
      ],
    },
    {
      name: "connect (untyped): abort after next()",
      untyped: true,
      fileName: "handler.js",
      code: `const connect = require('connect');

const app = connect();

function deadline(req, res, next) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  req.signal = controller.signal;
  next();
  clearTimeout(timer);
  controller.abort();
}

app.use(deadline);
`,
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 21,
          message: "`controller.abort()` runs as soon as `next()` returns, before downstream handlers finish their async work, so the signal they get through `req.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `const connect = require('connect');

const app = connect();

function deadline(req, res, next) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  req.signal = controller.signal;
  next();
  res.once('close', () => {
    clearTimeout(timer);
    controller.abort();
  });
}

app.use(deadline);
`,
            },
          ],
        },
      ],
    },
    {
      name: "fastify (untyped): a preHandler hook with done",
      untyped: true,
      fileName: "handler.js",
      code: `const Fastify = require('fastify');

const fastify = Fastify();

fastify.addHook('preHandler', function (request, reply, done) {
  const controller = new AbortController();
  request.signal = controller.signal;
  try {
    done();
  } finally {
    controller.abort();
  }
});
`,
      errors: [
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 23,
          message: "`controller.abort()` runs as soon as `done()` returns, before downstream handlers finish their async work, so the signal they get through `request.signal` is already aborted and cancels their queries and fetches.",
          fixes: [
            {
              title: "Abort when the response closes",
              preferred: true,
              output: `const Fastify = require('fastify');

const fastify = Fastify();

fastify.addHook('preHandler', function (request, reply, done) {
  const controller = new AbortController();
  request.signal = controller.signal;
  reply.raw.once('close', () => controller.abort());
  done();
});
`,
            },
          ],
        },
      ],
    },
  ],
});
