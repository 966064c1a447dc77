import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scopesOf } from '../support/scopes';

describe('request scopes', () => {
  it('Express app and router registrations, arrays, wrappers, route chains', () => {
    const { summary } = scopesOf(`
      import express from 'express';
      const app = express();
      const router = express.Router();
      function listUsers(req, res) { res.json([]); }
      const wrap = (fn: any) => fn;
      app.get('/u', listUsers);
      app.use((req, res, next) => next());
      router.post('/p', [(a: any, b: any, c: any) => c()], wrap(async (rq: any, rs: any) => rs.end()));
      app.route('/r').get((q: any, s: any) => s.end());
      app.use((err: any, req: any, res: any, next: any) => next(err));
      function notAHandler(a: number, b: number) { return a + b; }
    `);
    assert.deepEqual(summary.sort(), [
      'express error-middleware (err, req, res, next)',
      'express handler (q, s)',
      'express handler (rq, rs)',
      'express handler listUsers',
      'express middleware (a, b, c)',
      'express middleware (req, res, next)',
    ]);
  });

  it('Express recognised through a typed parameter and through types of an imported app', () => {
    const { summary } = scopesOf(`
      import type { Express, Request, Response } from 'express';
      export function routes(app: Express) { app.get('/x', (q, s) => { s.send('x'); }); }
      export async function show(req: Request, res: Response) { res.end(); }
    `);
    assert.deepEqual(summary.sort(), ['express handler (q, s)', 'express handler show']);
  });

  it('typed parameters make a handler only with the request where the framework puts it', () => {
    const { summary } = scopesOf(`
      import type { Request, Response, NextFunction } from 'express';
      import type { FastifyReply, FastifyRequest } from 'fastify';
      export function keepAlive(res: Response, everyMs: number) { setInterval(() => res.write(':'), everyMs); }
      export function finish(reply: FastifyReply, body: string) { reply.send(body); }
      export function rememberLogin(req: Request, userId: string) { return req.ip + userId; }
      export function onError(err: Error, req: Request, res: Response, next: NextFunction) { next(err); }
      export function show(request: FastifyRequest, reply: FastifyReply) { reply.send('x'); }
    `);
    assert.deepEqual(summary.sort(), ['express error-middleware onError', 'fastify handler show']);
  });

  it('node:http, Koa, @koa/router, Hono', () => {
    const { summary, scopes } = scopesOf(`
      import { createServer } from 'node:http';
      import Koa from 'koa';
      import Router from '@koa/router';
      import { Hono } from 'hono';
      createServer((req, res) => { res.end(); });
      const koa = new Koa();
      koa.use(async (ctx, next) => { await next(); });
      const r = new Router();
      r.get('/k', async (ctx) => { ctx.body = 1; });
      const hono = new Hono();
      hono.get('/h', (c) => c.text('x'));
    `);
    assert.deepEqual(summary.sort(), ['hono handler (c)', 'koa handler (ctx)', 'koa middleware (ctx, next)', 'node-http handler (req, res)']);
    const hono = scopes.find((s) => s.framework === 'hono')!;
    assert.deepEqual(hono.signal, { kind: 'native', expression: 'c.req.raw.signal' });
    const koa = scopes.find((s) => s.framework === 'koa' && s.role === 'handler')!;
    assert.equal(koa.signal.kind === 'derive' && koa.signal.closeEmitter, 'ctx.res');
  });

  it('Fastify routes, route options, hooks (not onClose) and plugins', () => {
    const { summary, scopes } = scopesOf(`
      import Fastify from 'fastify';
      const app = Fastify();
      app.get('/a', async (request, reply) => { return 1; });
      app.route({ method: 'GET', url: '/b', preHandler: (req, rep, done) => done(), handler: async (req) => 2 });
      app.addHook('onRequest', (request, reply, done) => { done(); });
      app.addHook('onClose', async () => {});
      app.register(async (instance) => { instance.post('/c', async (request, reply) => reply.send(3)); });
    `);
    assert.deepEqual(summary.sort(), [
      'fastify handler (req)',
      'fastify handler (request, reply)',
      'fastify handler (request, reply)',
      'fastify hook (req, rep, done)',
      'fastify hook (request, reply, done)',
    ]);
    const hook = scopes.find((s) => s.role === 'hook')!;
    assert.equal(hook.mustStaySync, true);
    const noReply = scopes.find((s) => s.fn.parameters.length === 1)!;
    assert.equal(noReply.signal.kind === 'derive' && noReply.signal.missingParameter?.name, 'reply');
  });

  it('a plain-JS Fastify plugin exported for registration elsewhere', () => {
    const { summary } = scopesOf(
      `module.exports = async function routes(fastify, opts) { fastify.post('/u', async (request, reply) => reply.send(1)); };`,
      'routes.js',
    );
    assert.deepEqual(summary, ['fastify handler (request, reply)']);
  });

  it('Fetch-API handlers: Next.js route files, Workers, Remix loaders', () => {
    assert.deepEqual(scopesOf(`export async function GET(request: Request) { return new Response('x'); }`, 'route.ts').summary, ['fetch handler GET']);
    assert.deepEqual(scopesOf(`export async function GET(request: Request) { return new Response('x'); }`, 'other.ts').summary, []);
    const workers = scopesOf(`export default { async fetch(request: Request, env: unknown, ctx: any) { return new Response('x'); } };`);
    assert.deepEqual(workers.summary, ['fetch handler fetch']);
    assert.equal(workers.scopes[0].waitUntil, 'ctx.waitUntil');
    assert.deepEqual(scopesOf(`export async function loader({ request }: { request: Request }) { return null; }`).summary, ['fetch handler loader']);
  });

  it('parameter shapes without types (plain JavaScript)', () => {
    const { summary } = scopesOf(
      `
      module.exports = function auth(options) { return function (req, res, next) { next(); }; };
      exports.koaMw = async (ctx, next) => { await next(); };
      exports.honoMw = async (c, next) => { await next(); };
      exports.show = async (req, res) => { res.json({}); };
      exports.create = async (request, reply) => reply.send({});
      function helper(a, b, c) {}
      function pair(req, body) {}
    `,
      'mw.js',
    );
    assert.deepEqual(summary.sort(), [
      'express handler (req, res)',
      'express middleware (req, res, next)',
      'fastify handler (request, reply)',
      'hono middleware (c, next)',
      'koa middleware (ctx, next)',
    ]);
  });

  it('start-up code and unrelated objects with get/post methods are not scopes', () => {
    const { summary } = scopesOf(`
      const cache = new Map<string, (a: number) => number>();
      cache.get('x');
      const client = { get: (url: string, cb: (e: unknown, r: unknown) => void) => cb(null, url) };
      client.get('/a', (err, result) => {});
      async function main() { await Promise.resolve(); }
      void main();
    `);
    assert.deepEqual(summary, []);
  });
});

import { ts } from 'ts-morph';
import { isNestSingleton } from '../../server/src/core/scopes/nestScopes';

describe('request scopes: NestJS', () => {
  const nestTs = `
    import { CallHandler, CanActivate, Controller, ExecutionContext, Get, Injectable, NestInterceptor, NestMiddleware, Post, Req, Res } from '@nestjs/common';
    import type { Request, Response } from 'express';
    import { Observable } from 'rxjs';

    @Injectable()
    export class TimingInterceptor implements NestInterceptor {
      intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> { return next.handle(); }
      describe(context: ExecutionContext) { return String(context.getType()); }
    }

    @Injectable()
    export class LoggerMiddleware implements NestMiddleware {
      use(req: Request, res: Response, next: () => void) { next(); }
    }

    @Injectable()
    export class AuthGuard implements CanActivate {
      canActivate(context: ExecutionContext): boolean { return !!context.switchToHttp().getRequest<Request>().headers.authorization; }
    }

    @Controller('cats')
    export class CatsController {
      @Get()
      findAll(@Req() req: Request) { return req.query; }
      @Post()
      create(@Res() res: Response) { res.status(201).end(); }
      @Get(':id')
      async findOne() { return 1; }
      private format(value: unknown) { return String(value); }
    }
  `;

  it('interceptors, middleware, guards and controller route methods (typed)', () => {
    const { summary, scopes } = scopesOf(nestTs);
    assert.deepEqual(summary.sort(), [
      'nest handler canActivate',
      'nest handler create',
      'nest handler findAll',
      'nest handler findOne',
      'nest middleware intercept',
      'nest middleware use',
    ]);
    const byName = (name: string) => scopes.find((s) => (s.fn.name as { text?: string } | undefined)?.text === name)!;
    const intercept = byName('intercept');
    assert.deepEqual(intercept.next, { name: 'next', kind: 'callHandler' });
    assert.deepEqual([...intercept.requestObjects], [['context', 'executionContext']]);
    assert.deepEqual(intercept.signal, {
      kind: 'derive',
      closeEmitter: 'context.switchToHttp().getResponse()',
      event: 'close',
      finishedCheck: 'context.switchToHttp().getResponse().writableFinished',
    });
    const use = byName('use');
    assert.deepEqual([...use.requestObjects], [['req', 'req'], ['res', 'res']]);
    assert.deepEqual(use.next, { name: 'next', kind: 'next' });
    assert.equal(use.signal.kind === 'derive' && use.signal.closeEmitter, 'res');
    assert.deepEqual([...byName('canActivate').requestObjects], [['context', 'executionContext']]);
    // Controllers: the response comes from `req.res` (optional in the typings), from `@Res()`, or
    // from a `@Req() req` parameter the fix adds; never from a bare `@Res()` the fix adds.
    const findAll = byName('findAll');
    assert.deepEqual([...findAll.requestObjects], [['req', 'req']]);
    assert.deepEqual(findAll.signal, { kind: 'derive', closeEmitter: 'req.res', event: 'close', finishedCheck: 'req.res?.writableFinished', optionalEmitter: true });
    const create = byName('create').signal;
    assert.equal(create.kind === 'derive' && create.closeEmitter, 'res');
    const findOne = byName('findOne').signal;
    assert.equal(findOne.kind === 'derive' && findOne.missingParameter?.decorator, 'Req');
  });

  it('the same classes without package types', () => {
    const { summary } = scopesOf(nestTs, 'handler.ts', { untyped: true });
    assert.deepEqual(summary.sort(), [
      'nest handler canActivate',
      'nest handler create',
      'nest handler findAll',
      'nest handler findOne',
      'nest middleware intercept',
      'nest middleware use',
    ]);
  });

  it('plain JavaScript: @Injectable() classes by method shape, @Bind(Req()) parameters', () => {
    const { summary, scopes } = scopesOf(
      `
      const { Injectable, Controller, Get, Bind, Req } = require('@nestjs/common');
      @Injectable()
      class TimingInterceptor { intercept(context, next) { return next.handle(); } }
      @Injectable()
      class RolesGuard { canActivate(context) { return true; } }
      @Injectable()
      class LoggerMiddleware { use(req, res, next) { next(); } }
      @Controller('dogs')
      class DogsController {
        @Get()
        @Bind(Req())
        findAll(req) { return req.query; }
      }
      module.exports = { TimingInterceptor, RolesGuard, LoggerMiddleware, DogsController };
    `,
      'nest.js',
      { untyped: true },
    );
    assert.deepEqual(summary.sort(), ['nest handler canActivate', 'nest handler findAll', 'nest middleware intercept', 'nest middleware use']);
    const findAll = scopes.find((s) => s.reason.includes('controller'))!;
    assert.deepEqual([...findAll.requestObjects], [['req', 'req']]);
    const signal = findAll.signal;
    assert.equal(signal.kind === 'derive' && signal.closeEmitter, 'req.res');
  });

  it('Nest names re-exported through a project barrel are found from types', () => {
    const code = `
      import { Controller, Get } from './nest-barrel';
      @Controller('x')
      export class XController { @Get() list() { return []; } }
    `;
    const barrel = { 'nest-barrel.ts': `export { Controller, Get } from '@nestjs/common';` };
    assert.deepEqual(scopesOf(code, 'handler.ts', { otherFiles: barrel }).summary, ['nest handler list']);
    // Names of the same spelling from a project module that is not Nest's are not.
    const lookalike = { 'nest-barrel.ts': `export const Controller = (p: string) => (c: unknown) => c; export const Get = () => (...a: unknown[]) => undefined;` };
    assert.deepEqual(scopesOf(code, 'handler.ts', { otherFiles: lookalike }).summary, []);
  });

  it('not request scopes: a plain class with use(), an @Injectable() service, onModuleInit, a route method outside a controller', () => {
    const { summary } = scopesOf(`
      import { Injectable, OnModuleInit, Get } from '@nestjs/common';
      export class PluginHost { use(plugin: unknown) { return plugin; } }
      import type { Request } from 'express';
      @Injectable()
      export class UsersService implements OnModuleInit {
        async onModuleInit() { await this.find('1'); }
        async find(id: string) { return { id }; }
        use(plugin: unknown) { return plugin; }
        // Reached from a handler with \`req\`, it is a helper (RULES.md §1), not an Express handler by its types.
        remember(sessionId: string, req: Request) { return [sessionId, req.url]; }
      }
      export class NotAController { @Get() list() { return []; } }
    `);
    assert.deepEqual(summary, []);
  });

  it('a controller on the Fastify adapter has no req.res to derive the signal from', () => {
    const { scopes } = scopesOf(`
      import { Controller, Get, Req } from '@nestjs/common';
      import type { FastifyRequest } from 'fastify';
      @Controller('x')
      export class XController { @Get() list(@Req() req: FastifyRequest) { return req.url; } }
    `);
    assert.equal(scopes.length, 1);
    assert.deepEqual(scopes[0].signal, { kind: 'none' });
  });

  it('isNestSingleton: default-scoped providers and controllers, not request-scoped ones', () => {
    const code = `
      import { Controller, Inject, Injectable, Scope } from '@nestjs/common';
      import { REQUEST } from '@nestjs/core';
      @Injectable() export class A {}
      @Injectable({ scope: Scope.DEFAULT }) export class B {}
      @Controller('c') export class C {}
      @Injectable({ scope: Scope.REQUEST }) export class D {}
      @Injectable({ scope: Scope.TRANSIENT }) export class E {}
      @Injectable() export class F { constructor(@Inject(REQUEST) private readonly request: unknown) {} }
      export class G {}
    `;
    const sourceFile = ts.createSourceFile('providers.ts', code, ts.ScriptTarget.ES2022, true);
    const verdicts = sourceFile.statements.filter(ts.isClassDeclaration).map((c) => `${c.name!.text}:${isNestSingleton(c)}`);
    assert.deepEqual(verdicts, ['A:true', 'B:true', 'C:true', 'D:false', 'E:false', 'F:false', 'G:false']);
  });
});

describe('request scopes: @grpc/grpc-js', () => {
  it('service implementations passed to addService: object literal, variable, class instance (typed)', () => {
    const { summary, scopes } = scopesOf(`
      import * as grpc from '@grpc/grpc-js';
      const server = new grpc.Server();
      const definition = {} as grpc.ServiceDefinition;
      server.addService(definition, {
        sayHello(call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) { callback(null, {}); },
        streamNews: (call: grpc.ServerWritableStream<any, any>) => { call.end(); },
      });
      const inventory = { check(call: any, callback: any) { callback(null, {}); } };
      server.addService(definition, inventory);
      class Orders { place(call: any, callback: any) { callback(null, {}); } static create() { return new Orders(); } }
      server.addService(definition, new Orders());
    `);
    assert.deepEqual(summary.sort(), ['grpc handler (call)', 'grpc handler check', 'grpc handler place', 'grpc handler sayHello']);
    const sayHello = scopes.find((s) => s.fn.name?.getText() === 'sayHello')!;
    assert.deepEqual([...sayHello.requestObjects], [['call', 'call'], ['callback', 'callback']]);
    assert.deepEqual(sayHello.signal, { kind: 'derive', closeEmitter: 'call', event: 'cancelled' });
  });

  it('handlers typed by the package and interceptors (typed)', () => {
    const { summary, scopes } = scopesOf(`
      import { type handleUnaryCall, InterceptingCall, type Interceptor, type InterceptorOptions, type NextCall, type ServerInterceptor, ServerInterceptingCall, type ServerUnaryCall } from '@grpc/grpc-js';
      export const getUser: handleUnaryCall<any, any> = (call, callback) => callback(null, {});
      export function listUsers(call: ServerUnaryCall<any, any>) { return call.request; }
      export const auth: Interceptor = (opts, next) => new InterceptingCall(next(opts));
      export function tracing(options: InterceptorOptions, nextCall: NextCall) { return new InterceptingCall(nextCall(options)); }
      export const audit: ServerInterceptor = (descriptor, call) => new ServerInterceptingCall(call);
    `);
    assert.deepEqual(summary.sort(), [
      'grpc handler (call, callback)',
      'grpc handler listUsers',
      'grpc middleware (descriptor, call)',
      'grpc middleware (opts, next)',
      'grpc middleware tracing',
    ]);
    const client = scopes.find((s) => s.fn.name?.getText() === 'tracing')!;
    assert.deepEqual(client.next, { name: 'nextCall', kind: 'nextCall' });
    assert.deepEqual(client.signal, { kind: 'none' });
    const server = scopes.find((s) => s.reason === 'gRPC server interceptor')!;
    assert.deepEqual([...server.requestObjects], [['call', 'call']]);
  });

  it('plain JavaScript: addService on a server built elsewhere, interceptor shapes anywhere', () => {
    const { summary } = scopesOf(
      `
      module.exports = function register(server, proto) {
        server.addService(proto.Greeter.service, { sayHello: sayHello, sayBye(call, callback) { callback(null, {}); }, version: '1' });
      };
      function sayHello(call, callback) { callback(null, { message: 'hi ' + call.request.name }); }
      exports.clientLogger = (options, nextCall) => nextCall(options);
      exports.serverLogger = (_methodDescriptor, call) => call;
    `,
      'grpc.js',
      { untyped: true },
    );
    assert.deepEqual(summary.sort(), [
      'grpc handler sayBye',
      'grpc handler sayHello',
      'grpc middleware (_methodDescriptor, call)',
      'grpc middleware (options, nextCall)',
    ]);
  });

  it('not request scopes: client call sites, addService on something else', () => {
    const { summary } = scopesOf(`
      import * as grpc from '@grpc/grpc-js';
      declare const client: { sayHello(req: object, cb: (err: unknown, res: unknown) => void): void };
      client.sayHello({ name: 'x' }, (err, response) => { console.log(err, response); });
      const registry = { addService(name: string, factory: () => unknown) { return factory; } };
      registry.addService('mailer', () => ({ send(to: string) { return to; } }));
      void grpc;
    `);
    assert.deepEqual(summary, []);
  });
});
