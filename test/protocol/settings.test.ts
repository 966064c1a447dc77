import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { CLEAN_JS, UNAWAITED_JS } from './fixtures';
import { LspTestClient, makeTempWorkspace, removeWorkspace, uriOf } from './lspHarness';

const RULE = 'unawaited-background-work';

describe('language server: settings', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(workspace, name));

  before(async () => {
    workspace = makeTempWorkspace({ 'package.json': '{"name":"scratch"}' });
    client = await LspTestClient.start({ folders: [workspace], settings: () => ({}) });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  /** Changes the settings and waits for the document's next publish. */
  async function republishWith(doc: string, settings: (scopeUri: string | undefined) => unknown) {
    const mark = client.published.length;
    await client.settingsChanged(settings);
    return (await client.waitForDiagnostics(doc, () => true, mark)).diagnostics;
  }

  it('reads settings per resource through workspace/configuration with the contextPoolLint section', async () => {
    const seen: (string | undefined)[] = [];
    const doc = uri('scoped.js');
    client.settings = (scopeUri) => {
      seen.push(scopeUri);
      return {};
    };
    await client.open(doc, CLEAN_JS);
    await client.waitForDiagnostics(doc);
    assert.ok(seen.includes(doc), `asked with the document as scope (${seen.join(', ')})`);
  });

  it('a severity change re-publishes open documents with the new severity, and off removes the diagnostics', async () => {
    const doc = uri('severity.js');
    await client.open(doc, UNAWAITED_JS);
    const [initial] = await client.waitForCurrentDiagnostics(doc);
    assert.equal(initial?.severity, DiagnosticSeverity.Warning);
    const expected = { error: DiagnosticSeverity.Error, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint, warning: DiagnosticSeverity.Warning };
    for (const [setting, severity] of Object.entries(expected)) {
      const diagnostics = await republishWith(doc, () => ({ rules: { [RULE]: setting } }));
      assert.deepEqual(diagnostics.map((d) => d.severity), [severity], setting);
    }
    assert.deepEqual(await republishWith(doc, () => ({ rules: { [RULE]: 'off' } })), []);
    assert.equal((await republishWith(doc, () => ({}))).length, 1, 'back on with the defaults');
  });

  it('exclude globs (relative to the workspace folder) stop analysis of matching files', async () => {
    const doc = uri('generated/handler.js');
    await client.open(doc, UNAWAITED_JS);
    assert.equal((await client.waitForCurrentDiagnostics(doc)).length, 1);
    assert.deepEqual(await republishWith(doc, () => ({ exclude: ['generated/**'] })), []);
    assert.equal((await republishWith(doc, () => ({}))).length, 1);
  });

  it('safeCalls names functions whose promises need no awaiting', async () => {
    const doc = uri('safe.js');
    await client.open(doc, UNAWAITED_JS);
    assert.equal((await client.waitForCurrentDiagnostics(doc)).length, 1);
    assert.deepEqual(await republishWith(doc, () => ({ safeCalls: ['sendMail'] })), []);
    assert.equal((await republishWith(doc, () => ({}))).length, 1);
  });

  it('run: onSave analyses on save only, while another document set to onType is analysed as it changes', async () => {
    const onSave = uri('on-save.js');
    const onType = uri('on-type.js');
    await client.settingsChanged((scopeUri) => (scopeUri === onSave ? { run: 'onSave' } : {}));
    await client.open(onSave, CLEAN_JS);
    await client.open(onType, CLEAN_JS);
    await client.waitForDiagnostics(onSave, (p) => p.version === 1);
    await client.waitForDiagnostics(onType, (p) => p.version === 1);
    const mark = client.published.length;
    const savedVersion = await client.change(onSave, UNAWAITED_JS);
    // Changed after the onSave document, with the same pause: its analysis comes after any the
    // onSave document would have had, so once it is in, the onSave document had its chance.
    const typedVersion = await client.change(onType, UNAWAITED_JS);
    await client.waitForDiagnostics(onType, (p) => p.version === typedVersion, mark);
    assert.equal(client.published.slice(mark).filter((p) => p.uri === onSave).length, 0, 'nothing published for the onSave document before saving');

    await client.save(onSave);
    const saved = await client.waitForDiagnostics(onSave, (p) => p.version === savedVersion, mark);
    assert.equal(saved.diagnostics.length, 1);
    await client.settingsChanged(() => ({}));
  });

  it('malformed settings fall back to the defaults with a logged warning, and analysis goes on', async () => {
    const doc = uri('malformed.js');
    await client.open(doc, UNAWAITED_JS);
    await client.waitForCurrentDiagnostics(doc);
    const logMark = client.logs.length;
    const diagnostics = await republishWith(doc, () => ({
      rules: { [RULE]: 'loud', 'no-such-rule': 'error' },
      run: 42,
      exclude: 'generated/**',
      safeCalls: [7],
    }));
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Warning]);
    const logs = client.logs.slice(logMark).join('\n');
    for (const expected of [`contextPoolLint.rules.${RULE}`, 'no-such-rule', 'contextPoolLint.run', 'contextPoolLint.exclude', 'contextPoolLint.safeCalls']) {
      assert.ok(logs.includes(expected), `warns about ${expected}:\n${logs}`);
    }
    const notAnObject = await republishWith(doc, () => 'everything');
    assert.equal(notAnObject.length, 1);
    await republishWith(doc, () => ({}));
  });
});

describe('language server: settings without workspace/configuration', { timeout: 120_000 }, () => {
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = makeTempWorkspace({});
    // Like a minimal client: settings only arrive pushed in didChangeConfiguration.
    client = await LspTestClient.start({ folders: [workspace], capabilities: { workspace: { configuration: false } } });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('uses the settings pushed with workspace/didChangeConfiguration', async () => {
    const doc = uriOf(path.join(workspace, 'pushed.js'));
    await client.open(doc, UNAWAITED_JS);
    assert.equal((await client.waitForCurrentDiagnostics(doc)).length, 1);
    const mark = client.published.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { contextPoolLint: { rules: { [RULE]: 'error' } } } });
    const { diagnostics } = await client.waitForDiagnostics(doc, () => true, mark);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
  });
});
