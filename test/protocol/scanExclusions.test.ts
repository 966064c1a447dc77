// Scan Workspace leaves out what the user has said is not theirs to lint (issue 4, item 3): the
// folder's .gitignore files (each relative to its own folder), the editor's files.exclude, and
// contextPoolLint.exclude.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UNAWAITED_JS } from './fixtures';
import { LspTestClient, makeTempWorkspace, removeWorkspace, uriOf } from './lspHarness';

describe('language server: what the workspace scan leaves out', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(workspace, name));

  before(async () => {
    workspace = makeTempWorkspace({
      '.gitignore': 'generated/\n*.local.js\n',
      'src/kept.js': UNAWAITED_JS,
      'generated/client.js': UNAWAITED_JS,
      'src/debug.local.js': UNAWAITED_JS,
      'packages/api/.gitignore': 'scratch.js\n',
      'packages/api/scratch.js': UNAWAITED_JS,
      'packages/api/server.js': UNAWAITED_JS,
      'scratch.js': UNAWAITED_JS,
      'legacy/old.js': UNAWAITED_JS,
      'src/vendor/lib.js': UNAWAITED_JS,
    });
    client = await LspTestClient.start({ folders: [workspace], settings: () => ({ exclude: ['src/vendor/**'] }) });
    client.filesExclude = { '**/legacy': true, '**/.git': true, '**/*.tmp': false };
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it('honours .gitignore (nested ones relative to their folder), files.exclude and contextPoolLint.exclude', async () => {
    const mark = client.published.length;
    const summary = await client.executeCommand<{ files: number; findings: number }>('contextPoolLint.scanWorkspace');
    assert.equal(summary.files, 3, 'src/kept.js, packages/api/server.js and the top-level scratch.js');
    const published = new Set(client.published.slice(mark).filter((p) => p.diagnostics.length > 0).map((p) => p.uri));
    assert.deepEqual([...published].sort(), [uri('packages/api/server.js'), uri('scratch.js'), uri('src/kept.js')].sort());
  });
});
