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
