import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { CLEAN_JS, POOL_LEAK_ANCHOR, POOL_LEAK_TS, SYNTAX_ERROR_JS, UNAWAITED_JS, UNAWAITED_JS_ANCHOR } from './fixtures';
import { LspTestClient, makeTempWorkspace, makeTypedWorkspace, removeWorkspace, uriOf } from './lspHarness';

const DOCS = 'https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/';

describe('language server: diagnostics', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(workspace, name));

  before(async () => {
    workspace = makeTempWorkspace({ 'package.json': '{"name":"scratch"}' });
    client = await LspTestClient.start({ folders: [workspace] });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('publishes a finding on open with code, docs link, source, severity, related information and version', async () => {
    const doc = uri('open.js');
    await client.open(doc, UNAWAITED_JS);
    const published = await client.waitForDiagnostics(doc);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics));
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic.code, 'unawaited-background-work');
    assert.equal(diagnostic.source, 'context-pool-lint');
    assert.deepEqual(diagnostic.codeDescription, { href: `${DOCS}unawaited-background-work.md` });
    assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(diagnostic.range.start, UNAWAITED_JS_ANCHOR);
    assert.ok(typeof diagnostic.message === 'string' && diagnostic.message.length > 0, 'a one-sentence message');
    assert.ok(diagnostic.relatedInformation && diagnostic.relatedInformation.length > 0, 'related information points at the request scope');
    for (const related of diagnostic.relatedInformation) {
      assert.equal(related.location.uri, doc);
      assert.ok(related.message.length > 0);
    }
  });

  it('counts positions in UTF-16 code units, as LSP does by default', async () => {
    const doc = uri('emoji.js');
    const text = UNAWAITED_JS.replace('  sendMail();', "  const tag = '🚀🚀'; sendMail();");
    await client.open(doc, text);
    const [diagnostic] = (await client.waitForDiagnostics(doc)).diagnostics;
    const line = text.split('\n')[UNAWAITED_JS_ANCHOR.line];
    assert.ok(diagnostic, 'a finding is published');
    assert.deepEqual(diagnostic.range.start, { line: UNAWAITED_JS_ANCHOR.line, character: line.indexOf('sendMail') });
  });

  it('re-analyses after typing and publishes for the version analysed, never an older one after a newer', async () => {
    const doc = uri('typing.js');
    await client.open(doc, CLEAN_JS);
    assert.deepEqual((await client.waitForDiagnostics(doc)).diagnostics, []);
    const firstPublish = client.published.length;
    // Typing: several versions in a row; the last one has the finding.
    const findingsByVersion = new Map<number, number>();
    findingsByVersion.set(await client.change(doc, UNAWAITED_JS), 1);
    findingsByVersion.set(await client.change(doc, CLEAN_JS), 0);
    const last = await client.change(doc, UNAWAITED_JS);
    findingsByVersion.set(last, 1);
    const final = await client.waitForDiagnostics(doc, (p) => p.version === last);
    assert.equal(final.diagnostics.length, 1);

    const versions = client.published.slice(firstPublish).filter((p) => p.uri === doc);
    for (const publish of versions) {
      assert.equal(publish.diagnostics.length, findingsByVersion.get(publish.version!), `version ${publish.version} was published with its own findings`);
    }
    const order = versions.map((p) => p.version!);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'versions are published in order');
  });

  it('applies incremental edits: typing `await ` removes the finding', async () => {
    const doc = uri('incremental.js');
    await client.open(doc, UNAWAITED_JS);
    assert.equal((await client.waitForDiagnostics(doc)).diagnostics.length, 1);
    let version = 0;
    for (const [i, character] of [...'await '].entries()) {
      const at = { line: UNAWAITED_JS_ANCHOR.line, character: UNAWAITED_JS_ANCHOR.character + i };
      version = await client.edit(doc, [{ range: { start: at, end: at }, newText: character }]);
    }
    const published = await client.waitForDiagnostics(doc, (p) => p.version === version);
    assert.deepEqual(published.diagnostics, []);
  });

  it('honours suppression comments on the line and the line above', async () => {
    const doc = uri('suppressed.js');
    await client.open(doc, UNAWAITED_JS);
    assert.equal((await client.waitForDiagnostics(doc)).diagnostics.length, 1, 'reported without a comment');
    const nextLine = UNAWAITED_JS.replace('  sendMail();', '  // context-pool-lint-disable-next-line unawaited-background-work\n  sendMail();');
    let version = await client.change(doc, nextLine);
    assert.deepEqual((await client.waitForDiagnostics(doc, (p) => p.version === version)).diagnostics, []);
    const sameLine = UNAWAITED_JS.replace('  sendMail();', '  sendMail(); // context-pool-lint-disable-line unawaited-background-work');
    version = await client.change(doc, sameLine);
    assert.deepEqual((await client.waitForDiagnostics(doc, (p) => p.version === version)).diagnostics, []);
    const otherRule = UNAWAITED_JS.replace('  sendMail();', '  // context-pool-lint-disable-next-line pool-resource-leak\n  sendMail();');
    version = await client.change(doc, otherRule);
    assert.equal((await client.waitForDiagnostics(doc, (p) => p.version === version)).diagnostics.length, 1, 'another rule named: still reported');
  });

  it('clears the diagnostics of a closed document', async () => {
    const doc = uri('closing.js');
    await client.open(doc, UNAWAITED_JS);
    await client.waitForDiagnostics(doc);
    const mark = client.published.length;
    await client.close(doc);
    const cleared = await client.waitForDiagnostics(doc, () => true, mark);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('reports the analysis in contextPoolLint/status: analysing, then idle with the findings count and timing', async () => {
    const doc = uri('status.js');
    const mark = client.statuses.length;
    await client.open(doc, UNAWAITED_JS);
    await client.waitForDiagnostics(doc);
    const analysing = await client.waitFor('an analysing status', () => {
      const index = client.statuses.findIndex((s, i) => i >= mark && s.state === 'analysing');
      return index >= 0 ? index : undefined;
    });
    const idle = await client.waitFor('the idle status ending it', () => client.statuses.slice(analysing).find((s) => s.state === 'idle'));
    assert.equal(typeof idle.lastAnalysisMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(idle.lastAnalysisAt ?? '')), 'lastAnalysisAt is an ISO time');
    const latest = client.published.filter((p, i) => client.published.findLastIndex((q) => q.uri === p.uri) === i);
    const total = latest.reduce((n, p) => n + p.diagnostics.length, 0);
    assert.ok(total > 0);
    assert.equal(idle.findings, total, 'findings counts every published diagnostic');
  });

  it('survives a syntax error: nothing published, the file reported as skipped, the server still answering', async () => {
    const doc = uri('broken.js');
    await client.open(doc, SYNTAX_ERROR_JS);
    assert.deepEqual((await client.waitForDiagnostics(doc)).diagnostics, []);
    const file = path.join(workspace, 'broken.js');
    const status = await client.waitFor('the skipped file in the status', () =>
      client.statuses.findLast((s) => s.skipped?.some((k) => k.file === file)),
    );
    assert.match(status.skipped!.find((k) => k.file === file)!.reason, /syntax error/);
    assert.ok(client.logs.some((l) => l.includes(file) && l.includes('syntax error')), 'the reason is logged');

    const version = await client.change(doc, CLEAN_JS);
    await client.waitForDiagnostics(doc, (p) => p.version === version);
    const after = await client.waitFor('a status without the file', () => {
      const last = client.statuses.at(-1);
      return last && !last.skipped?.some((k) => k.file === file) ? last : undefined;
    });
    assert.equal(after.state, 'idle');
  });

  it('survives binary content in a document and reports it as skipped', async () => {
    const doc = uri('binary.js');
    await client.open(doc, 'const a = 1;\u0000\u0001\u0002 garbage \uFFFD');
    assert.deepEqual((await client.waitForDiagnostics(doc)).diagnostics, []);
    const file = path.join(workspace, 'binary.js');
    const status = await client.waitFor('the binary file in the status', () => client.statuses.findLast((s) => s.skipped?.some((k) => k.file === file)));
    assert.match(status.skipped!.find((k) => k.file === file)!.reason, /binary/);
    // Still alive and answering.
    const result = await client.executeCommand<{ success: boolean }>('contextPoolLint.showDocumentation', ['unawaited-background-work']);
    assert.equal(result.success, true);
  });

  it('publishes nothing for test files and declaration files', async () => {
    for (const name of ['handler.test.js', '__tests__/handler.js', 'types.d.ts']) {
      const doc = uri(name);
      const mark = client.published.length;
      await client.open(doc, UNAWAITED_JS);
      // A later document's diagnostics prove the server got past this one.
      const probe = uri(`probe-${name.replace(/\W/g, '-')}.js`);
      await client.open(probe, CLEAN_JS);
      await client.waitForDiagnostics(probe);
      assert.equal(client.published.slice(mark).filter((p) => p.uri === doc && p.diagnostics.length > 0).length, 0, name);
    }
  });
});

describe('language server: diagnostics with types', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = makeTypedWorkspace({ 'src/users.ts': POOL_LEAK_TS });
    client = await LspTestClient.start({ folders: [workspace] });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('reports a pg client that is never released on the pool.connect() call', async () => {
    const doc = uriOf(path.join(workspace, 'src', 'users.ts'));
    await client.open(doc, POOL_LEAK_TS);
    const { diagnostics } = await client.waitForDiagnostics(doc);
    const leaks = diagnostics.filter((d) => d.code === 'pool-resource-leak');
    assert.equal(leaks.length, 1, JSON.stringify(diagnostics));
    assert.deepEqual(leaks[0].range.start, POOL_LEAK_ANCHOR);
    assert.deepEqual(leaks[0].range.end, { line: POOL_LEAK_ANCHOR.line, character: POOL_LEAK_ANCHOR.character + 'pool.connect()'.length });
  });
});
