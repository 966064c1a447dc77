import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, FileChangeType } from 'vscode-languageserver-protocol/node';
import { BINARY_CONTENT, CLEAN_JS, SYNTAX_ERROR_JS, TWO_UNAWAITED_JS, UNAWAITED_JS } from './fixtures';
import { LspTestClient, makeTempWorkspace, removeWorkspace, uriOf, type ProgressValue } from './lspHarness';

interface ScanSummary {
  files: number;
  findings: number;
  byRule: Record<string, number>;
  skipped: { file: string; reason: string }[];
  cancelled: boolean;
}

const SCAN = 'contextPoolLint.scanWorkspace';

describe('language server: scan workspace', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  let settings: Record<string, unknown> = {};
  const file = (name: string) => path.join(workspace, name);
  const uri = (name: string) => uriOf(file(name));

  before(async () => {
    workspace = makeTempWorkspace({
      'src/a.js': UNAWAITED_JS,
      'src/b.js': TWO_UNAWAITED_JS,
      'src/clean.js': CLEAN_JS,
      'src/broken.js': SYNTAX_ERROR_JS,
      'src/blob.js': BINARY_CONTENT,
      'src/open.js': UNAWAITED_JS,
      'src/a.test.js': UNAWAITED_JS,
      'src/__tests__/b.js': UNAWAITED_JS,
      'types.d.ts': 'export declare const x: number;\n',
      'node_modules/lib/index.js': UNAWAITED_JS,
      'dist/bundle.js': UNAWAITED_JS,
      'build/out.js': UNAWAITED_JS,
      'coverage/x.js': UNAWAITED_JS,
      'README.md': '# not code\n',
    });
    client = await LspTestClient.start({ folders: [workspace], settings: () => settings });
    // An open document: the scan leaves its diagnostics to the editor's text.
    await client.open(uri('src/open.js'), CLEAN_JS);
    await client.waitForDiagnostics(uri('src/open.js'));
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('analyses every source file, publishes for unopened ones, reports progress and a summary', async () => {
    const mark = client.published.length;
    const summary = await client.executeCommand<ScanSummary>(SCAN, [], { workDoneToken: 'scan-1' });

    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 6, 'a, b, clean, broken, blob and the open document');
    assert.equal(summary.findings, 3);
    assert.deepEqual(summary.byRule, { 'unawaited-background-work': 3 });
    const skipped = new Map(summary.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual([...skipped.keys()].sort(), [file('src/blob.js'), file('src/broken.js')]);
    assert.match(skipped.get(file('src/broken.js'))!, /syntax error/);
    assert.match(skipped.get(file('src/blob.js'))!, /binary/);

    const published = new Map(client.published.slice(mark).map((p) => [p.uri, p]));
    assert.deepEqual([...published.keys()].sort(), ['src/a.js', 'src/b.js', 'src/blob.js', 'src/broken.js', 'src/clean.js'].map(uri).sort());
    assert.equal(published.get(uri('src/a.js'))!.diagnostics.length, 1);
    assert.equal(published.get(uri('src/b.js'))!.diagnostics.length, 2);
    assert.equal(published.get(uri('src/a.js'))!.version, undefined, 'files read from disk carry no version');
    assert.deepEqual(client.latestDiagnostics(uri('src/open.js'))?.diagnostics, [], 'the open document keeps its own diagnostics');

    const progress = client.progressFor('scan-1');
    assert.equal(progress[0].kind, 'begin');
    assert.equal((progress[0] as Extract<ProgressValue, { kind: 'begin' }>).cancellable, true);
    const reports = progress.filter((p): p is Extract<ProgressValue, { kind: 'report' }> => p.kind === 'report');
    assert.ok(reports.length > 0);
    assert.equal(reports.at(-1)!.percentage, 100);
    assert.deepEqual(progress.at(-1), { kind: 'end' });
  });

  it('a document closed after a scan shows its state on disk again', async () => {
    const mark = client.published.length;
    await client.close(uri('src/open.js'));
    const fromDisk = await client.waitForDiagnostics(uri('src/open.js'), (p) => p.diagnostics.length > 0, mark);
    assert.equal(fromDisk.diagnostics.length, 1);
    assert.equal(fromDisk.version, undefined);
  });

  it('re-publishes a scanned file that changed on disk, and clears one that was deleted', async () => {
    let mark = client.published.length;
    fs.writeFileSync(file('src/b.js'), CLEAN_JS);
    await client.filesChanged([{ uri: uri('src/b.js'), type: FileChangeType.Changed }]);
    assert.deepEqual((await client.waitForDiagnostics(uri('src/b.js'), () => true, mark)).diagnostics, []);

    mark = client.published.length;
    fs.rmSync(file('src/a.js'));
    await client.filesChanged([{ uri: uri('src/a.js'), type: FileChangeType.Deleted }]);
    assert.deepEqual((await client.waitForDiagnostics(uri('src/a.js'), () => true, mark)).diagnostics, []);
    fs.writeFileSync(file('src/a.js'), UNAWAITED_JS);
    fs.writeFileSync(file('src/b.js'), TWO_UNAWAITED_JS);
  });

  it('a settings change re-publishes scanned files under the new settings', async () => {
    await client.executeCommand<ScanSummary>(SCAN);
    assert.equal(client.latestDiagnostics(uri('src/b.js'))?.diagnostics.length, 2);
    let mark = client.published.length;
    await client.settingsChanged(() => ({ rules: { 'unawaited-background-work': 'off' } }));
    assert.deepEqual((await client.waitForDiagnostics(uri('src/b.js'), () => true, mark)).diagnostics, []);
    mark = client.published.length;
    await client.settingsChanged(() => settings);
    assert.equal((await client.waitForDiagnostics(uri('src/b.js'), () => true, mark)).diagnostics.length, 2);
  });

  it('a later scan clears files that are now excluded', async () => {
    settings = { exclude: ['src/b.js'] };
    await client.settingsChanged(() => settings);
    const mark = client.published.length;
    const summary = await client.executeCommand<ScanSummary>(SCAN);
    assert.equal(summary.findings, 2, 'a.js and the closed open.js');
    const b = client.published.slice(mark).findLast((p) => p.uri === uri('src/b.js'));
    assert.deepEqual(b?.diagnostics, []);
    settings = {};
    await client.settingsChanged(() => settings);
  });

  // Each cancellation test holds the settings back, so the server is waiting for them, with the
  // scan begun, when the cancellation is sent; they are released right after it.
  it('stops when the user cancels the progress the server created (VS Code passes no token)', async () => {
    const release = client.holdConfiguration();
    await client.settingsChanged(() => settings);
    client.onProgressCreated = (token) => {
      client.sendProgressCancel(token);
      release();
    };
    try {
      const summary = await client.executeCommand<ScanSummary>(SCAN);
      assert.equal(summary.cancelled, true);
      assert.equal(summary.files, 0);
      const token = client.progressCreated.at(-1)!;
      assert.deepEqual(client.progressFor(token).at(-1), { kind: 'end' });
    } finally {
      client.onProgressCreated = undefined;
      release();
    }
  });

  it('stops when the request is cancelled', async () => {
    const release = client.holdConfiguration();
    await client.settingsChanged(() => settings);
    const cancel = new CancellationTokenSource();
    const token = 'scan-cancelled';
    try {
      const scanning = client.executeCommand<ScanSummary>(SCAN, [], { workDoneToken: token, cancel });
      await client.waitFor('the scan to begin', () => client.progressFor(token).find((p) => p.kind === 'begin'));
      cancel.cancel();
      release();
      const summary = await scanning;
      assert.equal(summary.cancelled, true);
      assert.equal(summary.files, 0);
      assert.deepEqual(client.progressFor(token).at(-1), { kind: 'end' });
    } finally {
      release();
    }
  });

  it('a scan that is not cancelled after those still covers every file', async () => {
    const summary = await client.executeCommand<ScanSummary>(SCAN);
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, 6);
  });
});
