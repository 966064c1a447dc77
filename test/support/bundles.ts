// Every test that runs a built program (server, CLI, client bundle) builds through here, so a
// single test file run on its own, or after an edit, never runs a stale or missing bundle.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = ['client.js', 'server.js', 'cli.js'].map((name) => path.join(REPO_ROOT, 'dist', name));
const SOURCES = ['client/src', 'server/src'].map((dir) => path.join(REPO_ROOT, dir));

/** Runs `esbuild.mjs` when a bundle is missing or older than the sources; parallel test files build once. */
export function ensureBundlesBuilt(): void {
  if (bundlesFresh()) return;
  const lock = path.join(REPO_ROOT, 'dist', '.test-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than two minutes belongs to a test run that died.
      if (Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (bundlesFresh()) return;
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the bundles failed:\n${build.stdout}${build.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function bundlesFresh(): boolean {
  const oldest = Math.min(...BUNDLES.map((file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  return oldest > 0 && Math.max(...SOURCES.map(newestMtime)) <= oldest;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}
