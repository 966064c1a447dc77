// An independent client: Neovim's built-in LSP client (0.7, as Debian ships it) runs
// test/nvim/quickfix.lua against the built server. It sends no positionEncodings, converts
// positions itself and applies edits its own way, so it checks what VS Code would let slip.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UNAWAITED_JS } from './fixtures';
import { REPO_ROOT, SERVER_JS, ensureServerBuilt, makeTempWorkspace, removeWorkspace } from './lspHarness';

// A character outside the BMP before the finding on its line: 2 UTF-16 units, 4 UTF-8 bytes.
const FIXTURE = UNAWAITED_JS.replace('  sendMail();', "  const tag = '🚀'; sendMail();");
const EXPECTED = FIXTURE.replace(' sendMail();', ' await sendMail();');

function neovimVersion(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.split('\n')[0] : undefined;
}

const version = neovimVersion();
if (!version && process.env.CI) throw new Error('nvim is required in CI (apt-get install neovim) for the independent-client test');
const skip = version ? false : 'nvim is not installed: the Neovim client test is skipped (apt-get install neovim to run it)';

describe('Neovim as an independent LSP client', { timeout: 120_000, skip }, () => {
  let workspace: string;

  before(() => {
    ensureServerBuilt();
    workspace = makeTempWorkspace({ 'src/handler.js': FIXTURE, 'expected.js': EXPECTED });
  });
  after(() => removeWorkspace(workspace));

  it(`receives the diagnostic, gets the quick fix and applies it in UTF-16 (${version})`, () => {
    const run = spawnSync(
      'timeout',
      ['60', 'nvim', '--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join('test', 'nvim', 'quickfix.lua')}`],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          CPL_SERVER_JS: SERVER_JS,
          CPL_ROOT: workspace,
          CPL_FIXTURE: path.join(workspace, 'src', 'handler.js'),
          CPL_EXPECTED: path.join(workspace, 'expected.js'),
        },
      },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, `nvim exited with ${run.status} (124 = timed out):\n${output}`);
    assert.match(run.stdout, /NVIM_QUICKFIX_OK applied "Await the background work"/, output);
    // The fix is applied to the buffer only; the file on disk is untouched.
    assert.equal(fs.readFileSync(path.join(workspace, 'src', 'handler.js'), 'utf8'), FIXTURE);
  });
});
