// request-state-in-module-variable (RULES.md §2.12): request data kept in a module-level `let`/`var`,
// a static field or a singleton's field, and read where another request's value may be seen. Cases
// cover Express, Koa, Fastify, Hono, Next.js route handlers and NestJS, typed and untyped.
import { ruleTester } from '../support/ruleTester';

ruleTester('request-state-in-module-variable', {
  valid: [
    {
      name: 'a request counter is not request data',
      code: `import express from 'express';

const app = express();
let requests = 0;
let lastHit = 0;

app.get('/', async (req, res) => {
  requests++;
  requests += 1;
  lastHit = Date.now();
  await Promise.resolve();
  res.json({ requests, lastHit });
});
`,
    },
    {
      name: 'read only in the synchronous continuation of the assignment',
      code: `import express from 'express';

const app = express();
let scratch = '';

app.get('/echo', (req, res) => {
  scratch = String(req.query.text);
  const upper = scratch.toUpperCase();
  res.send(upper);
});
`,
    },
    {
      name: 'read before the await, in the same statement sequence',
      code: `import Fastify from 'fastify';

const fastify = Fastify();
let lastQuery = '';

async function find(q: string): Promise<string[]> {
  return [q];
}

fastify.get('/search', async (request, reply) => {
  const { q } = request.query as { q: string };
  lastQuery = \`q=\${q}\`;
  return reply.send(await find(lastQuery));
});
`,
    },
    {
      name: 'a value returned by another call is not request data (RULES.md §1)',
      code: `import express from 'express';

const app = express();
let lastUser: { id: string } | undefined;

async function loadUser(id: string) {
  return { id };
}

app.get('/users/:id', async (req, res) => {
  lastUser = await loadUser(req.params.id);
  await Promise.resolve();
  res.json(lastUser);
});
`,
    },
    {
      name: 'a local variable with the same name as the module variable',
      code: `import express from 'express';

const app = express();
let user = '';

export function who(): string {
  return user;
}

app.get('/me', async (req, res) => {
  let user = '';
  user = String(req.headers['x-user']);
  await Promise.resolve();
  res.send(user);
});
`,
    },
    {
      name: 'assigned at start-up, not in a request scope',
      code: `import express from 'express';

const app = express();
let port = 0;
port = Number(process.env.PORT);

app.get('/', async (req, res) => {
  await Promise.resolve();
  res.json({ port });
});
`,
    },
    {
      name: 'a request-scoped NestJS provider is created per request',
      code: `import { Body, Controller, Injectable, Post, Scope } from '@nestjs/common';

@Injectable({ scope: Scope.REQUEST })
export class CartState {
  owner = '';

  describe(): string {
    return this.owner;
  }
}

@Controller({ path: 'cart', scope: Scope.REQUEST })
export class CartController {
  private owner = '';

  constructor(private readonly cart: CartState) {}

  @Post()
  async checkout(@Body() body: { owner: string }) {
    this.owner = body.owner;
    this.cart.owner = body.owner;
    await Promise.resolve();
    return this.owner + this.cart.describe();
  }
}
`,
    },
    {
      name: 'a field of an instance created per request',
      untyped: true,
      fileName: 'handler.js',
      code: `const express = require('express');

const app = express();

class Order {
  constructor() {
    this.items = [];
  }
  describe() {
    return this.owner;
  }
}

app.post('/orders', async (req, res) => {
  const order = new Order();
  order.owner = req.body.owner;
  await Promise.resolve();
  res.send(order.describe());
});
`,
    },
    {
      name: 'Hono (untyped): assigned and read synchronously in one handler',
      untyped: true,
      fileName: 'handler.js',
      code: `import { Hono } from 'hono';

const app = new Hono();
let path = '';

app.get('/x', (c) => {
  path = c.req.path;
  return c.text(path);
});
`,
    },
  ],
  invalid: [
    {
      name: "Nest guard: request taken from the ExecutionContext into a singleton field",
      code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private lastKey = '';

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') return false;
    this.lastKey = key;
    return true;
  }

  describe(): string {
    return this.lastKey;
  }
}
`,
      errors: [{ line: 12, column: 5, endLine: 12, endColumn: 23 }],
    },
  {
    name: "Express: a module-level let read again after an await (fix removes the module declaration)",
    code: `import express from 'express';

const app = express();

let currentUser: string | undefined;

async function audit(user: string | undefined): Promise<void> {
  void user;
}

app.get('/me', async (req, res) => {
  currentUser = req.get('x-user');
  await audit(currentUser);
  res.json({ user: currentUser });
});
`,
    errors: [
      { line: 12, column: 3, endLine: 12, endColumn: 34, message: "`currentUser` is a module-level variable that every request shares: it is given this request's data here and read at line 14 after an `await`, where a concurrent request may already have overwritten it with its own.", fixes: [
        { title: "Make it a local variable", output: `import express from 'express';

const app = express();

async function audit(user: string | undefined): Promise<void> {
  void user;
}

app.get('/me', async (req, res) => {
  const currentUser: string | undefined = req.get('x-user');
  await audit(currentUser);
  res.json({ user: currentUser });
});
` },
      ] },
    ],
  },
  {
    name: "Express: set in middleware, read in a helper another handler calls",
    code: `import express from 'express';

const app = express();
let requestId = '';

export function logLine(message: string): string {
  return \`[\${requestId}] \${message}\`;
}

app.use((req, res, next) => {
  requestId = String(req.headers['x-request-id']);
  next();
});

app.get('/', (req, res) => {
  res.send(logLine('hello'));
});
`,
    errors: [
      { line: 11, column: 3, endLine: 11, endColumn: 50, message: "`requestId` is a module-level variable that every request shares: it is given this request's data here and read in `logLine` (line 7), where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Express (JS, untyped): read after an await keeps a module declaration with a non-literal initializer",
    untyped: true,
    fileName: "handler.js",
    code: `const express = require('express');

const app = express();
const DEFAULT_LOCALE = 'en';
let locale = DEFAULT_LOCALE;

async function translate(key) {
  return key;
}

app.get('/greet', async (req, res) => {
  locale = req.query.lang || DEFAULT_LOCALE;
  const text = await translate('hello');
  res.send(\`\${locale}: \${text}\`);
});
`,
    errors: [
      { line: 12, column: 3, endLine: 12, endColumn: 44, message: "`locale` is a module-level variable that every request shares: it is given this request's data here and read at line 14 after an `await`, where a concurrent request may already have overwritten it with its own.", fixes: [
        { title: "Make it a local variable", output: `const express = require('express');

const app = express();
const DEFAULT_LOCALE = 'en';
let locale = DEFAULT_LOCALE;

async function translate(key) {
  return key;
}

app.get('/greet', async (req, res) => {
  const locale = req.query.lang || DEFAULT_LOCALE;
  const text = await translate('hello');
  res.send(\`\${locale}: \${text}\`);
});
` },
      ] },
    ],
  },
  {
    name: "Express (JS, untyped): static field set in middleware, read in another function",
    untyped: true,
    fileName: "handler.js",
    code: `const express = require('express');
const router = express.Router();

class RequestContext {
  static user = null;
}

function currentUser() {
  return RequestContext.user;
}

router.use((req, res, next) => {
  RequestContext.user = req.headers['x-user'];
  next();
});

router.get('/me', (req, res) => {
  res.json({ user: currentUser() });
});

module.exports = router;
`,
    errors: [
      { line: 13, column: 3, endLine: 13, endColumn: 46, message: "`RequestContext.user` is a static field that every request shares: it is given this request's data here and read in `currentUser` (line 9), where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Koa (JS, untyped): field of a module-level instance",
    untyped: true,
    fileName: "handler.js",
    code: `const Koa = require('koa');

const app = new Koa();

class Tracker {
  constructor() {
    this.last = null;
  }
}

const tracker = new Tracker();

app.use(async (ctx, next) => {
  tracker.last = ctx.request.body.id;
  await next();
  ctx.set('x-last', tracker.last);
});
`,
    errors: [
      { line: 14, column: 3, endLine: 14, endColumn: 37, message: "`tracker.last` is a field of the one `Tracker` instance this module creates that every request shares: it is given this request's data here and read at line 16 after an `await`, where a concurrent request may already have overwritten it with its own.", fixes: [
        { title: "Make it a local variable", output: `const Koa = require('koa');

const app = new Koa();

class Tracker {
  constructor() {
    this.last = null;
  }
}

const tracker = new Tracker();

app.use(async (ctx, next) => {
  const last = ctx.request.body.id;
  await next();
  ctx.set('x-last', last);
});
` },
      ] },
    ],
  },
  {
    name: "Koa: a field of an exported instance read by another method",
    code: `import Koa from 'koa';
import Router from '@koa/router';

class Session {
  user: string | undefined;

  describe(): string {
    return this.user ?? 'anonymous';
  }

  async load(ctx: Koa.Context): Promise<void> {
    this.user = ctx.get('x-user');
  }
}

export const session = new Session();

const app = new Koa();
const router = new Router();
router.get('/whoami', async (ctx) => {
  session.user = ctx.query.name as string;
  ctx.body = session.describe();
});
app.use(router.routes());
`,
    errors: [
      { line: 12, column: 5, endLine: 12, endColumn: 34, message: "`this.user` is a field of the one `Session` instance this module creates that every request shares: it is given this request's data here and read in `describe` (line 8), where a concurrent request may already have overwritten it with its own." },
      { line: 21, column: 3, endLine: 21, endColumn: 42, message: "`session.user` is a field of the one `Session` instance this module creates that every request shares: it is given this request's data here and read in `describe` (line 8), where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Fastify: read before this request assigns it (cached on first request)",
    code: `import Fastify from 'fastify';

const fastify = Fastify();
let tenantName: string | undefined;

fastify.get('/tenant', async (request, reply) => {
  if (tenantName) return reply.send({ tenantName });
  const { tenant } = request.params as { tenant: string };
  tenantName = tenant;
  return reply.send({ tenantName });
});
`,
    errors: [
      { line: 9, column: 3, endLine: 9, endColumn: 22, message: "`tenantName` is a module-level variable that every request shares: it is given this request's data here and read at line 7 before this request assigns it, where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Fastify (JS, untyped): hook stores the user, route reads it",
    untyped: true,
    fileName: "handler.js",
    code: `const Fastify = require('fastify');

const fastify = Fastify();
let user = null;

fastify.addHook('preHandler', async (request) => {
  user = { id: request.headers['x-user-id'], admin: request.headers['x-admin'] === '1' };
});

fastify.get('/profile', async () => ({ user }));
`,
    errors: [
      { line: 7, column: 3, endLine: 7, endColumn: 89, message: "`user` is a module-level variable that every request shares: it is given this request's data here and read in another function at line 10, where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Hono: tenant set by middleware and read by a route",
    code: `import { Hono } from 'hono';

const app = new Hono();
let tenant = '';

app.use(async (c, next) => {
  tenant = c.req.header('x-tenant') ?? 'public';
  await next();
});

app.get('/items', (c) => c.json({ tenant }));
`,
    errors: [
      { line: 7, column: 3, endLine: 7, endColumn: 48, message: "`tenant` is a module-level variable that every request shares: it is given this request's data here and read in another function at line 11, where a concurrent request may already have overwritten it with its own." },
    ],
  },
  {
    name: "Next.js route handler: read after an await",
    fileName: "route.ts",
    code: `let lastOrderId: string | null = null;

async function save(id: string): Promise<void> {
  void id;
}

export async function POST(request: Request) {
  const body = (await request.json()) as { id: string };
  lastOrderId = body.id;
  await save(body.id);
  return Response.json({ id: lastOrderId });
}
`,
    errors: [
      { line: 9, column: 3, endLine: 9, endColumn: 24, message: "`lastOrderId` is a module-level variable that every request shares: it is given this request's data here and read at line 11 after an `await`, where a concurrent request may already have overwritten it with its own.", fixes: [
        { title: "Make it a local variable", output: `async function save(id: string): Promise<void> {
  void id;
}

export async function POST(request: Request) {
  const body = (await request.json()) as { id: string };
  const lastOrderId: string | null = body.id;
  await save(body.id);
  return Response.json({ id: lastOrderId });
}
` },
      ] },
    ],
  },
  {
    name: "NestJS: a singleton controller field read after an await",
    code: `import { Controller, Get, Injectable, Param, Req } from '@nestjs/common';
import type { Request } from 'express';

@Injectable()
export class AuditService {
  private lastUserId?: string;

  async record(): Promise<void> {
    console.log(this.lastUserId);
  }
}

@Controller('users')
export class UsersController {
  private currentId = '';
  private hits = 0;

  constructor(private readonly audit: AuditService) {}

  @Get(':id')
  async findOne(@Param('id') id: string, @Req() req: Request) {
    this.hits += 1;
    this.currentId = id;
    await this.audit.record();
    return { id: this.currentId, ip: req.ip };
  }
}
`,
    errors: [
      { line: 23, column: 5, endLine: 23, endColumn: 24, message: "`this.currentId` is a field of a singleton NestJS controller that every request shares: it is given this request's data here and read at line 25 after an `await`, where a concurrent request may already have overwritten it with its own.", fixes: [
        { title: "Make it a local variable", output: `import { Controller, Get, Injectable, Param, Req } from '@nestjs/common';
import type { Request } from 'express';

@Injectable()
export class AuditService {
  private lastUserId?: string;

  async record(): Promise<void> {
    console.log(this.lastUserId);
  }
}

@Controller('users')
export class UsersController {
  private currentId = '';
  private hits = 0;

  constructor(private readonly audit: AuditService) {}

  @Get(':id')
  async findOne(@Param('id') id: string, @Req() req: Request) {
    this.hits += 1;
    const currentId = id;
    await this.audit.record();
    return { id: currentId, ip: req.ip };
  }
}
` },
      ] },
    ],
  },
  {
    name: "NestJS: a provider field set by the controller and read by the provider",
    code: `import { Body, Controller, Injectable, Post } from '@nestjs/common';

@Injectable()
export class CartService {
  owner = '';

  total(): string {
    return this.owner;
  }
}

@Controller('cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Post()
  checkout(@Body() body: { owner: string }) {
    this.carts.owner = body.owner;
    return this.carts.total();
  }
}
`,
    errors: [
      { line: 18, column: 5, endLine: 18, endColumn: 34, message: "`this.carts.owner` is a field of a singleton NestJS provider that every request shares: it is given this request's data here and read in `total` (line 8), where a concurrent request may already have overwritten it with its own." },
    ],
  },
  ],
});
