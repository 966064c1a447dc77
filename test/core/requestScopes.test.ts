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
