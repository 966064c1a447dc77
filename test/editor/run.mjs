// `npm run test:editor`: the real-editor end-to-end tests. Installs code-server and chromium into a
// cache folder outside the repository when missing (see install.mjs), packages the extension as a
// release does, then runs test/editor/*.test.ts with node's test runner, one file at a time.
// Screenshots of each scenario's end state go to test/editor/.artifacts/. An argument runs only
// the scenarios whose name matches it (`npm run test:editor -- typing`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled } from './install.mjs';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const artifacts = join(here, '.artifacts');
const filter = process.argv[2];

function timed(label, fn) {
  const started = Date.now();
  const result = fn();
  process.stderr.write(`[test:editor] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

const paths = timed('install check', () => ensureInstalled());

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const vsix = join(artifacts, 'context-pool-lint.vsix');
timed('package .vsix', () => {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
    cwd: root,
    stdio: ['pipe', 'inherit', 'inherit'],
    input: 'n\n',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
});

const files = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => join(here, name));

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...(filter ? [`--test-name-pattern=${filter}`] : []), ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      CPL_EDITOR_VSIX: vsix,
      CPL_EDITOR_NODE: paths.node,
      CPL_EDITOR_ENTRY: paths.codeServerEntry,
      CPL_EDITOR_ARTIFACTS: artifacts,
    },
  },
);
process.exit(result.status ?? 1);
