// Multi-root workspaces and JavaScript projects (issue 4, item 4): each folder gets its own project
// and its own settings; a TypeScript folder with types, a jsconfig folder of .mjs/.cjs, and a bare
// folder of .js without any config are analysed alike, and Scan Workspace covers all of them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { POOL_LEAK_ANCHOR, POOL_LEAK_TS, UNAWAITED_JS, UNAWAITED_JS_ANCHOR } from './fixtures';
import { LspTestClient, makeTempWorkspace, makeTypedWorkspace, removeWorkspace, uriOf } from './lspHarness';

const ESM_UNAWAITED = `import express from 'express';

const app = express();
async function sendMail() {}

app.post('/signup', (req, res) => {
  sendMail();
  res.status(201).end();
});
`;

describe('language server: multi-root and JavaScript projects', { timeout: 180_000 }, () => {
  let typed: string;
  let jsconfig: string;
  let bare: string;
  let client: LspTestClient;

  before(async () => {
    typed = makeTypedWorkspace({ 'src/db.ts': POOL_LEAK_TS });
    jsconfig = makeTempWorkspace({
      'jsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', checkJs: false } }),
      'src/app.mjs': ESM_UNAWAITED,
      'src/legacy.cjs': UNAWAITED_JS,
    });
    bare = makeTempWorkspace({ 'server.js': UNAWAITED_JS });
    // The bare folder turns the rule off for itself only.
    client = await LspTestClient.start({
      folders: [typed, jsconfig, bare],
      settings: (scopeUri) => (scopeUri?.startsWith(uriOf(bare)) ? { rules: { 'unawaited-background-work': 'off' } } : {}),
    });
  });
  after(async () => {
    await client?.shutdown();
    for (const dir of [typed, jsconfig, bare]) removeWorkspace(dir);
  });

  it('analyses each folder as its own project, with its own settings', async () => {
    const db = uriOf(path.join(typed, 'src/db.ts'));
    const esm = uriOf(path.join(jsconfig, 'src/app.mjs'));
    const cjs = uriOf(path.join(jsconfig, 'src/legacy.cjs'));
    const plain = uriOf(path.join(bare, 'server.js'));
    await client.open(db, POOL_LEAK_TS);
    await client.open(esm, ESM_UNAWAITED);
    await client.open(cjs, UNAWAITED_JS);
    await client.open(plain, UNAWAITED_JS);
    const at = async (uri: string) => (await client.waitForDiagnostics(uri)).diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]);
    assert.deepEqual(await at(db), [['pool-resource-leak', POOL_LEAK_ANCHOR.line, POOL_LEAK_ANCHOR.character]]);
    assert.deepEqual(await at(esm), [['unawaited-background-work', 6, 2]]);
    assert.deepEqual(await at(cjs), [['unawaited-background-work', UNAWAITED_JS_ANCHOR.line, UNAWAITED_JS_ANCHOR.character]]);
    assert.deepEqual(await at(plain), [], 'the rule is off in this folder only');
  });

  it('scans every folder', async () => {
    const summary = await client.executeCommand<{ files: number; byRule: Record<string, number> }>('contextPoolLint.scanWorkspace');
    assert.equal(summary.files, 4);
    assert.deepEqual(summary.byRule, { 'pool-resource-leak': 1, 'unawaited-background-work': 2 });
  });
});
