// Runs every test file under test/ with node's test runner (TypeScript through tsx).
// Node 20's `--test` takes no globs, so the files are listed here. Pass a substring to filter.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const filter = process.argv[2];
const skipDirs = new Set(['fixtures', 'editor', 'node_modules']);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!skipDirs.has(name)) out.push(...collect(full));
    } else if (/\.test\.(ts|mjs)$/.test(name)) {
      out.push(full);
    }
  }
  return out;
}

const files = collect(root).filter((f) => !filter || relative(root, f).includes(filter));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
