import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { FileFacts } from '../../server/src/core/fileFacts';
import { ProjectHost } from '../../server/src/core/projectHost';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { DEFAULT_SETTINGS } from '../../server/src/core/types';

const host = new ProjectHost(path.resolve(__dirname, '..', 'fixtures', 'virtual'));
let n = 0;

/** Call facts for every call statement in `main`, keyed by the call's text; the checker must never be built. */
function callFactsOf(files: Record<string, string>, main = 'handler.ts'): Record<string, string> {
  const dir = path.join(host.rootDir, `values${n++}`);
  for (const [name, text] of Object.entries(files)) host.setText(path.join(dir, name), text);
  const sourceFile = host.getSourceFile(path.join(dir, main))!;
  const types = new TypeInfo(() => {
    throw new Error('the type checker was asked for');
  });
  const facts = new FileFacts(sourceFile, types, DEFAULT_SETTINGS, host);
  const out: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) && (ts.isCallExpression(node.expression) || ts.isNewExpression(node.expression))) {
      const f = facts.callFacts(node.expression);
      out[node.expression.getText(sourceFile)] = f ? `${f.promise ? 'promise' : 'sync'}${f.acceptsSignal ? '+signal' : ''}` : 'unknown';
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const name of Object.keys(files)) host.remove(path.join(dir, name));
  return out;
}

describe('syntactic call facts', () => {
  it('follows imports into project files to packages, classes and functions', () => {
    const facts = callFactsOf({
      'db.ts': `import { Pool } from 'pg';\nexport const pool = new Pool();`,
      'audit.ts': `export async function audit(event: string, id: number) {}\nexport function label(x: number) { return 'n' + x; }`,
      'scratch.ts': `export class Scratch { items: string[] = []; reset() { this.items.length = 0; } }\nexport class ScratchPool { free: Scratch[] = []; acquire() { return this.free.pop() ?? new Scratch(); } release(s: Scratch) { this.free.push(s); } }\nexport const scratchPool = new ScratchPool();`,
      'renderers.ts': `import * as genericPool from 'generic-pool';\nclass Renderer { async render(view: string, data: unknown): Promise<string> { return view; } }\nexport const renderers = genericPool.createPool({ create: async () => new Renderer(), destroy: async () => {} });`,
      'handler.ts': `
        import { pool } from './db';
        import { audit, label } from './audit';
        import { scratchPool } from './scratch';
        import { renderers } from './renderers';
        async function main() {
          pool.query('select 1');
          const client = await pool.connect();
          client.query('x');
          client.release();
          audit('x', 1);
          label(1);
          const s = scratchPool.acquire();
          s.items.push('a');
          s.reset();
          scratchPool.release(s);
          const r = await renderers.acquire();
          r.render('v', {});
          renderers.release(r);
          Math.min(1, 2);
          Number('1');
          new AbortController();
          unknownThing();
        }`,
    });
    assert.deepEqual(facts, {
      "pool.query('select 1')": 'promise',
      "client.query('x')": 'promise',
      'client.release()': 'sync',
      "audit('x', 1)": 'promise',
      'label(1)': 'sync',
      "s.items.push('a')": 'sync',
      's.reset()': 'sync',
      'scratchPool.release(s)': 'sync',
      "r.render('v', {})": 'promise',
      'renderers.release(r)': 'promise',
      'Math.min(1, 2)': 'sync',
      "Number('1')": 'sync',
      'new AbortController()': 'sync',
      'unknownThing()': 'unknown',
    });
  });

  it('leaves to the types what syntax cannot be sure of: callback forms and elements taken out of collections', () => {
    const facts = callFactsOf({
      'handler.ts': `
        import { Pool } from 'pg';
        const pool = new Pool();
        const tasks: Promise<void>[] = [];
        function main() {
          pool.query('select 1', (err: Error, result: unknown) => {});
          pool.query('select 1', []);
          tasks.pop();
          tasks.push(Promise.resolve());
          Object.assign(Promise.resolve(), {});
          Object.keys({});
        }`,
    });
    assert.deepEqual(facts, {
      "pool.query('select 1', (err: Error, result: unknown) => {})": 'unknown',
      "pool.query('select 1', [])": 'promise',
      'tasks.pop()': 'unknown',
      'tasks.push(Promise.resolve())': 'sync',
      'Object.assign(Promise.resolve(), {})': 'unknown',
      'Object.keys({})': 'sync',
    });
  });

  it('CommonJS exports and require', () => {
    const facts = callFactsOf(
      {
        'mailer.js': `async function send(to) {}\nmodule.exports = { send };`,
        'handler.js': `const mailer = require('./mailer');\nconst { send } = require('./mailer');\nfunction h() { mailer.send('a'); send('b'); }`,
      },
      'handler.js',
    );
    assert.deepEqual(facts, { "mailer.send('a')": 'promise', "send('b')": 'promise' });
  });
});

describe('syntactic call facts: which parameters may carry a signal', () => {
  it('says no only when no parameter can: plain types, local types without one, literal defaults', () => {
    const facts = callFactsOf({
      'handler.ts': `
        interface Row { id: number; name: string }
        type Page = { limit: number; offset?: number };
        function plain(id: number, name: string, tags: string[], when: Date, raw: unknown) { return 1; }
        function local(row: Row, page: Page, extra: { note: string }) { return 1; }
        function defaults(id: number, page = { limit: 10 }, flag = false) { return 1; }
        const arrow = (id: number, x) => 1;
        async function main() {
          plain(1, 'a', [], new Date(), 1);
          local({ id: 1, name: 'a' }, { limit: 1 }, { note: '' });
          defaults(1);
          arrow(1, 2);
        }`,
    });
    assert.deepEqual(facts, {
      "plain(1, 'a', [], new Date(), 1)": 'sync',
      "local({ id: 1, name: 'a' }, { limit: 1 }, { note: '' })": 'sync',
      'defaults(1)': 'sync',
      'arrow(1, 2)': 'sync',
    });
  });

  it('says maybe for unions, intersections, wrappers, inherited members, context and overloads', () => {
    // Syntax says maybe (`+signal`) wherever the type checker could find a signal option; the checker then decides.
    const facts = callFactsOf({
      'api.ts': `
        export function get(url: string): Promise<void>;
        export function get(url: string, options: { signal?: AbortSignal }): Promise<void>;
        export async function get(url: string, o?: any) {}`,
      'handler.ts': `
        import { get } from './api';
        interface Base { signal?: AbortSignal }
        interface Extended extends Base { retries: number }
        type Alias = RequestInit & { retries: number };
        type Getter = (url: string, o: { signal?: AbortSignal }) => number;
        const shared: RequestInit = {};
        function union(url: string, init: RequestInit | undefined) { return 1; }
        function intersection(url: string, init: RequestInit & { retries: number }) { return 1; }
        function partial(url: string, init: Partial<RequestInit>) { return 1; }
        function destructured(url: string, { headers }: { headers: string[]; signal?: AbortSignal }) { return 1; }
        function inherited(url: string, o: Extended) { return 1; }
        function aliased(url: string, o: Alias) { return 1; }
        function generic<T>(url: string, o: T) { return 1; }
        function defaulted(url: string, o = shared) { return 1; }
        function spread(url: string, o = { ...shared }) { return 1; }
        const contextual: Getter = (url, o) => 1;
        type Key = 'timeout' | 'retries';
        function record(url: string, o: Record<Key, number>) { return 1; }
        function opaqueRecord(url: string, o: Record<Keys, Values>) { return 1; }
        class Base {}
        class Sub extends Base { get(url, o) { return 1; } }
        async function main() {
          union('u', undefined);
          intersection('u', { retries: 1 });
          partial('u', {});
          destructured('u', { headers: [] });
          inherited('u', { retries: 1 });
          aliased('u', { retries: 1 });
          generic('u', {});
          defaulted('u');
          spread('u');
          contextual('u', {});
          get('u');
          record('u', { timeout: 1, retries: 1 });
          opaqueRecord('u', {});
          new Sub().get('u', {});
        }`,
    });
    assert.deepEqual(facts, {
      "union('u', undefined)": 'sync+signal',
      "intersection('u', { retries: 1 })": 'sync+signal',
      "partial('u', {})": 'sync+signal',
      "destructured('u', { headers: [] })": 'sync+signal',
      "inherited('u', { retries: 1 })": 'sync+signal',
      "aliased('u', { retries: 1 })": 'sync+signal',
      "generic('u', {})": 'sync+signal',
      "defaulted('u')": 'sync+signal',
      "spread('u')": 'sync+signal',
      "contextual('u', {})": 'sync+signal',
      "get('u')": 'promise+signal',
      "record('u', { timeout: 1, retries: 1 })": 'sync',
      "opaqueRecord('u', {})": 'sync+signal',
      "new Sub().get('u', {})": 'sync+signal',
    });
  });

  it('reads JSDoc types in JavaScript', () => {
    const facts = callFactsOf(
      {
        'handler.js': `
          /** @param {string} url @param {RequestInit} init */
          function documented(url, init) { return 1; }
          /** @param {string} url @param {number} n */
          function numbers(url, n) { return 1; }
          function bare(url, n) { return 1; }
          /** @type {(url: string, o: { signal?: AbortSignal }) => number} */
          const typed = (url, o) => 1;
          async function main() {
            documented('u', {});
            numbers('u', 1);
            bare('u', 1);
            typed('u', {});
          }`,
      },
      'handler.js',
    );
    assert.deepEqual(facts, {
      "documented('u', {})": 'sync+signal',
      "numbers('u', 1)": 'sync',
      "bare('u', 1)": 'sync',
      "typed('u', {})": 'sync+signal',
    });
  });

  it('knows the framework calls that start, stop or call an app are not plain builders', () => {
    const facts = callFactsOf({
      'handler.ts': `
        import Fastify from 'fastify';
        import { Hono } from 'hono';
        const app = Fastify();
        const hono = new Hono();
        async function main() {
          app.get('/', async () => 'x');
          app.listen({ port: 1 });
          hono.get('/', (c) => c.text('x'));
          hono.request('/x');
        }`,
    });
    assert.deepEqual(facts, {
      "app.get('/', async () => 'x')": 'sync',
      'app.listen({ port: 1 })': 'unknown',
      "hono.get('/', (c) => c.text('x'))": 'sync',
      "hono.request('/x')": 'unknown',
    });
  });
});
