// factory-timer-leak (RULES.md §2.7): recurring timers started in middleware factories, Nest class
// constructors, Fastify plugins and at module scope of server modules that nothing can stop.
// Express, Koa, Nest, Fastify and Hono with types; Express and Koa as plain JavaScript.
import { ruleTester } from '../support/ruleTester';

ruleTester("factory-timer-leak", {
  valid: [
    {
      name: "a named IIFE whose own name is shadowed inside does not reschedule itself",
      code: `import type { RequestHandler } from 'express';

export function once(): RequestHandler {
  (function schedule() {
    const schedule = () => console.log('warm');
    setTimeout(() => {
      schedule();
    }, 1_000);
  })();
  return (req, _res, next) => next();
}
`,
    },
    {
      name: "an unref()ed interval in a middleware factory",
      code: `import type { Request, Response, NextFunction } from 'express';

export function rateLimit(limit: number) {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000).unref();
  return (req: Request, res: Response, next: NextFunction) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
}
`,
    },
    {
      name: "a handle cleared by close() on the returned middleware",
      code: `import type { Request, Response, NextFunction } from 'express';

export function rateLimit(limit: number) {
  const hits = new Map<string, number>();
  const sweeper = setInterval(() => hits.clear(), 60_000);
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if ((hits.get(req.ip ?? '') ?? 0) > limit) return res.sendStatus(429);
    next();
  };
  return Object.assign(middleware, { close: () => clearInterval(sweeper) });
}
`,
    },
    {
      name: "a Nest provider that clears its interval in onModuleDestroy",
      code: `import { Injectable, OnModuleDestroy } from '@nestjs/common';

@Injectable()
export class CacheService implements OnModuleDestroy {
  private readonly entries = new Map<string, string>();
  private readonly sweeper = setInterval(() => this.entries.clear(), 60_000);

  onModuleDestroy() {
    clearInterval(this.sweeper);
  }
}
`,
    },
    {
      name: "a Fastify plugin that clears its interval in onClose",
      code: `import type { FastifyInstance } from 'fastify';

export async function metrics(fastify: FastifyInstance) {
  let requests = 0;
  const flush = setInterval(() => { requests = 0; }, 10_000);
  fastify.addHook('onClose', async () => clearInterval(flush));
  fastify.get('/metrics', async () => ({ requests }));
}
`,
    },
    {
      name: "a module that registers no request handler",
      code: `const cache = new Map<string, string>();
setInterval(() => cache.clear(), 60_000);
export function get(key: string) {
  return cache.get(key);
}
`,
    },
    {
      name: "a SIGTERM handler clears the module-level interval",
      code: `import express from 'express';

const app = express();
let hits = 0;
const reset = setInterval(() => { hits = 0; }, 1000);
process.once('SIGTERM', () => clearInterval(reset));

app.get('/', (req, res) => {
  hits++;
  res.send(String(hits));
});
`,
    },
    {
      name: "a rescheduling timeout that stops on a condition",
      code: `import express from 'express';

const app = express();
let stopped = false;
function poll() {
  if (stopped) return;
  setTimeout(poll, 1000);
}
poll();
app.get('/', (req, res) => res.send('ok'));
`,
    },
    {
      name: "untyped: an unref()ed interval in a factory",
      untyped: true,
      fileName: "handler.js",
      code: `module.exports = function sessions() {
  const store = new Map();
  const sweep = setInterval(() => store.clear(), 60000);
  sweep.unref();
  return (req, res, next) => {
    req.session = store.get(req.headers.cookie);
    next();
  };
};
`,
    },
  ],
  invalid: [
    {
      name: "Express: a named IIFE that reschedules itself inside a middleware factory",
      code: `import type { RequestHandler } from 'express';

export function sampledLogging(rate: number): RequestHandler {
  let sampleNext = false;
  (function schedule() {
    setTimeout(() => {
      sampleNext = Math.random() < rate;
      schedule();
    }, 1_000);
  })();
  return (req, _res, next) => {
    if (sampleNext) console.log(req.method, req.originalUrl);
    next();
  };
}
`,
      errors: [{ line: 6, column: 5, endLine: 9, endColumn: 14, fixes: [] }],
    },
    {
      name: "Express: a middleware factory starts an interval per call",
      code: `import type { Request, Response, NextFunction } from 'express';

export function rateLimit(limit: number) {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000);
  return (req: Request, res: Response, next: NextFunction) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
}
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 42,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import type { Request, Response, NextFunction } from 'express';

export function rateLimit(limit: number) {
  const hits = new Map<string, number>();
  const timer = setInterval(() => hits.clear(), 60_000);
  timer.unref();
  return Object.assign((req: Request, res: Response, next: NextFunction) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  }, { close: () => clearInterval(timer) });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a factory with a declared return type keeps its middleware's parameter types",
      code: `import type { RequestHandler } from 'express';

export function throttle(limit: number): RequestHandler {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000);
  return (req, res, next) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
}
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 42,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import type { RequestHandler } from 'express';

export function throttle(limit: number): RequestHandler {
  const hits = new Map<string, number>();
  const timer = setInterval(() => hits.clear(), 60_000);
  timer.unref();
  return Object.assign<RequestHandler, { close: () => void }>((req, res, next) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  }, { close: () => clearInterval(timer) });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a returned const annotated RequestHandler gets Object.assign, not an expando",
      code: `import type { RequestHandler } from 'express';

export function throttle(limit: number) {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000);
  const middleware: RequestHandler = (req, res, next) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
  return middleware;
}
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 42,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import type { RequestHandler } from 'express';

export function throttle(limit: number) {
  const hits = new Map<string, number>();
  const timer = setInterval(() => hits.clear(), 60_000);
  timer.unref();
  const middleware: RequestHandler = (req, res, next) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
  return Object.assign(middleware, { close: () => clearInterval(timer) });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express: a factory typed by its variable: the wrap would lose the middleware's types, no fix",
      code: `import type { RequestHandler } from 'express';

export const throttle: (limit: number) => RequestHandler = (limit) => {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000);
  return (req, res, next) => {
    const count = (hits.get(req.ip ?? '') ?? 0) + 1;
    hits.set(req.ip ?? '', count);
    if (count > limit) return res.sendStatus(429);
    next();
  };
};
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 42,
          fixes: [],
        },
      ],
    },
    {
      name: "Koa: a factory returning a named middleware",
      code: `import type { Context, Next } from 'koa';

export function requestStats() {
  let served = 0;
  const report = setInterval(() => console.log('served', served), 5_000);
  async function stats(ctx: Context, next: Next) {
    served++;
    await next();
  }
  return stats;
}
`,
      errors: [
        {
          line: 5, column: 18, endLine: 5, endColumn: 73,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import type { Context, Next } from 'koa';

export function requestStats() {
  let served = 0;
  const report = setInterval(() => console.log('served', served), 5_000);
  report.unref();
  async function stats(ctx: Context, next: Next) {
    served++;
    await next();
  }
  stats.close = () => clearInterval(report);
  return stats;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Nest: an interceptor starts an interval in its constructor",
      code: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

@Injectable()
export class ThrottleInterceptor implements NestInterceptor {
  private count = 0;

  constructor() {
    setInterval(() => { this.count = 0; }, 1000);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.count++;
    return next.handle();
  }
}
`,
      errors: [
        {
          line: 9, column: 5, endLine: 9, endColumn: 49,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

@Injectable()
export class ThrottleInterceptor implements NestInterceptor {
  private count = 0;

  private timer?: ReturnType<typeof setInterval>;

  constructor() {
    this.timer = setInterval(() => { this.count = 0; }, 1000);
    this.timer.unref();
  }

  onModuleDestroy() {
    clearInterval(this.timer);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.count++;
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
      name: "Fastify: a plugin starts an interval it never stops",
      code: `import type { FastifyInstance } from 'fastify';

export async function metrics(fastify: FastifyInstance) {
  let requests = 0;
  setInterval(() => { requests = 0; }, 10_000);
  fastify.get('/metrics', async () => ({ requests }));
}
`,
      errors: [
        {
          line: 5, column: 3, endLine: 5, endColumn: 47,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `import type { FastifyInstance } from 'fastify';

export async function metrics(fastify: FastifyInstance) {
  let requests = 0;
  const timer = setInterval(() => { requests = 0; }, 10_000);
  timer.unref();
  fastify.addHook('onClose', async () => clearInterval(timer));
  fastify.get('/metrics', async () => ({ requests }));
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: module scope of a server module",
      code: `import { Hono } from 'hono';

const app = new Hono();
const seen = new Set<string>();
setInterval(() => seen.clear(), 60_000);

app.get('/visit/:id', (c) => {
  seen.add(c.req.param('id'));
  return c.text(String(seen.size));
});

export default app;
`,
      errors: [
        {
          line: 5, column: 1, endLine: 5, endColumn: 40,
          fixes: [
          ],
        },
      ],
    },
    {
      name: "Express: a self-rescheduling timeout at module scope",
      code: `import express from 'express';

const app = express();
let config: Record<string, string> = {};
async function refresh() {
  config = { loadedAt: new Date().toISOString() };
  setTimeout(refresh, 30_000);
}
void refresh();

app.get('/config', (req, res) => {
  res.json(config);
});
`,
      errors: [
        {
          line: 7, column: 3, endLine: 7, endColumn: 30,
          fixes: [
          ],
        },
      ],
    },
    {
      name: "untyped Express: a middleware factory",
      untyped: true,
      fileName: "handler.js",
      code: `module.exports = function sessions() {
  const store = new Map();
  setInterval(() => store.clear(), 60000);
  return function (req, res, next) {
    req.session = store.get(req.headers.cookie);
    next();
  };
};
`,
      errors: [
        {
          line: 3, column: 3, endLine: 3, endColumn: 42,
          fixes: [
            {
              title: "Make the timer stoppable",
              preferred: true,
              output: `module.exports = function sessions() {
  const store = new Map();
  const timer = setInterval(() => store.clear(), 60000);
  timer.unref();
  return Object.assign(function (req, res, next) {
    req.session = store.get(req.headers.cookie);
    next();
  }, { close: () => clearInterval(timer) });
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "untyped Koa: module scope",
      untyped: true,
      fileName: "handler.js",
      code: `const Koa = require('koa');

const app = new Koa();
let hits = 0;
setInterval(() => { hits = 0; }, 1000);

app.use(async (ctx) => {
  hits++;
  ctx.body = String(hits);
});
`,
      errors: [
        {
          line: 5, column: 1, endLine: 5, endColumn: 39,
          fixes: [
          ],
        },
      ],
    },
  ],
});
