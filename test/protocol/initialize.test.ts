import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, makeTempWorkspace, removeWorkspace } from './lspHarness';

describe('language server: initialize', { timeout: 120_000 }, () => {
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = makeTempWorkspace({ 'server.js': '' });
    client = await LspTestClient.start({ folders: [workspace] });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('advertises incremental sync with save, code actions, the commands, hover and UTF-16 positions', () => {
    const { capabilities, serverInfo } = client.initializeResult;
    assert.equal(serverInfo?.name, 'context-pool-lint');
    assert.equal(capabilities.positionEncoding, 'utf-16');
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.contextPoolLint'], resolveProvider: false });
    assert.deepEqual(capabilities.executeCommandProvider?.commands?.slice().sort(), [
      'contextPoolLint.applyFixAll',
      'contextPoolLint.scanWorkspace',
      'contextPoolLint.showDocumentation',
    ]);
    assert.deepEqual(capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    assert.equal(capabilities.hoverProvider, true);
  });

  it('registers for configuration changes of its section and for source and tsconfig file events', async () => {
    const registrations = await client.waitFor('registrations', () => (client.registrations.length >= 2 ? client.registrations : undefined));
    const configuration = registrations.find((r) => r.method === 'workspace/didChangeConfiguration');
    assert.deepEqual(configuration?.registerOptions, { section: 'contextPoolLint' });
    const watched = registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    const globs = (watched?.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.deepEqual(globs, ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/{tsconfig,jsconfig}.json']);
  });

  it('opens the documentation of a rule in the browser through window/showDocument', async () => {
    const result = await client.executeCommand<{ success: boolean }>('contextPoolLint.showDocumentation', ['pool-resource-leak']);
    assert.deepEqual(result, { success: true });
    assert.deepEqual(client.shownDocuments.at(-1), {
      uri: 'https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/pool-resource-leak.md',
      external: true,
    });
  });

  it('refuses to show documentation for a rule that does not exist, without failing the request', async () => {
    const before = client.shownDocuments.length;
    const result = await client.executeCommand<{ success: boolean }>('contextPoolLint.showDocumentation', ['no-such-rule']);
    assert.deepEqual(result, { success: false });
    assert.equal(client.shownDocuments.length, before);
  });

  it('shuts down and exits with status 0 when asked', async () => {
    const exited = new Promise<number | null>((resolve) => client.child.once('exit', (code) => resolve(code)));
    await client.shutdown();
    assert.equal(await exited, 0);
  });
});
