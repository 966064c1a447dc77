// How each framework spells the few things a generated handler does: register a route, read a
// parameter, answer, and get the request's cancellation signal (RULES.md §1, last column).

export type FrameworkName = 'express' | 'koa' | 'fastify' | 'hono';

export interface Framework {
  name: FrameworkName;
  imports: string[];
  /** Lines before the first route, and after the last one. */
  open: string[];
  close: string[];
  /** Indentation of a route registration. */
  indent: string;
  /** The registration's first line, up to and including the handler's opening brace. */
  route(method: 'get' | 'post', path: string, params: string[]): string;
  /** The line that closes the handler and the registration. */
  endRoute: string;
  param(name: string): string;
  query(name: string): string;
  /** Lines declaring `const name: string` from the request. */
  nameInput(indent: string): string[];
  /** Lines that answer with `status` and leave the handler when `condition` holds. */
  guard(condition: string, status: number, body: string, indent: string): string[];
  /** Lines that answer with `body` (the handler's last statement, or last in a `try`). */
  respond(body: string, indent: string, status?: number): string[];
  /** Lines declaring `const signal: AbortSignal` tied to the request's end. */
  signal(indent: string): string[];
}

const typeOfParams = (params: string[]): string => `{ ${params.map((p) => `${p}: string`).join('; ')} }`;

const express: Framework = {
  name: 'express',
  imports: [`import { Router } from 'express';`],
  open: ['export const router = Router();', ''],
  close: [],
  indent: '',
  route: (method, path) => `router.${method}('${path}', async (req, res) => {`,
  endRoute: '});',
  param: (name) => `req.params.${name}`,
  query: (name) => `req.query.${name}`,
  nameInput: (i) => [`${i}const { name } = req.body as { name?: string };`],
  guard: (condition, status, body, i) => [
    `${i}if (${condition}) {`,
    `${i}  res.status(${status}).json(${body});`,
    `${i}  return;`,
    `${i}}`,
  ],
  respond: (body, i, status) => [status ? `${i}res.status(${status}).json(${body});` : `${i}res.json(${body});`],
  signal: (i) => [
    `${i}const requestAbort = new AbortController();`,
    `${i}res.once('close', () => {`,
    `${i}  if (!res.writableFinished) requestAbort.abort();`,
    `${i}});`,
    `${i}const signal = requestAbort.signal;`,
  ],
};

const koa: Framework = {
  name: 'koa',
  imports: [`import Router from '@koa/router';`],
  open: ['export const router = new Router();', ''],
  close: [],
  indent: '',
  route: (method, path) => `router.${method}('${path}', async (ctx) => {`,
  endRoute: '});',
  param: (name) => `ctx.params.${name}`,
  query: (name) => `ctx.query.${name}`,
  nameInput: (i) => [`${i}const name = typeof ctx.query.name === 'string' ? ctx.query.name : undefined;`],
  guard: (condition, status, body, i) => [
    `${i}if (${condition}) {`,
    `${i}  ctx.status = ${status};`,
    `${i}  ctx.body = ${body};`,
    `${i}  return;`,
    `${i}}`,
  ],
  respond: (body, i, status) => [...(status ? [`${i}ctx.status = ${status};`] : []), `${i}ctx.body = ${body};`],
  signal: (i) => [
    `${i}const requestAbort = new AbortController();`,
    `${i}ctx.res.once('close', () => {`,
    `${i}  if (!ctx.res.writableFinished) requestAbort.abort();`,
    `${i}});`,
    `${i}const signal = requestAbort.signal;`,
  ],
};

const fastify: Framework = {
  name: 'fastify',
  imports: [`import type { FastifyInstance } from 'fastify';`],
  open: ['export async function registerRoutes(app: FastifyInstance): Promise<void> {'],
  close: ['}'],
  indent: '  ',
  route: (method, path, params) => {
    const generic = params.length > 0 ? `<{ Params: ${typeOfParams(params)} }>` : '';
    return `  app.${method}${generic}('${path}', async (request, reply) => {`;
  },
  endRoute: '  });',
  param: (name) => `request.params.${name}`,
  query: (name) => `(request.query as Record<string, string | undefined>).${name}`,
  nameInput: (i) => [`${i}const { name } = (request.body ?? {}) as { name?: string };`],
  guard: (condition, status, body, i) => [`${i}if (${condition}) return reply.code(${status}).send(${body});`],
  respond: (body, i, status) => [status ? `${i}return reply.code(${status}).send(${body});` : `${i}return ${body};`],
  signal: (i) => [
    `${i}const requestAbort = new AbortController();`,
    `${i}reply.raw.once('close', () => {`,
    `${i}  if (!reply.raw.writableFinished) requestAbort.abort();`,
    `${i}});`,
    `${i}const signal = requestAbort.signal;`,
  ],
};

const hono: Framework = {
  name: 'hono',
  imports: [`import { Hono } from 'hono';`],
  open: ['export const app = new Hono();', ''],
  close: [],
  indent: '',
  route: (method, path) => `app.${method}('${path}', async (c) => {`,
  endRoute: '});',
  param: (name) => `c.req.param('${name}')`,
  query: (name) => `c.req.query('${name}')`,
  nameInput: (i) => [`${i}const { name } = await c.req.json<{ name?: string }>();`],
  guard: (condition, status, body, i) => [`${i}if (${condition}) return c.json(${body}, ${status});`],
  respond: (body, i, status) => [status ? `${i}return c.json(${body}, ${status});` : `${i}return c.json(${body});`],
  signal: (i) => [`${i}const signal = c.req.raw.signal;`],
};

export const FRAMEWORKS: readonly Framework[] = [express, koa, fastify, hono];
