// Shared by the CLI tests: builds dist/cli.js when it is missing or older than its sources, runs
// it as a child process, and makes throw-away projects to run it on.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBundlesBuilt } from '../support/bundles';
import { runCli as runCliInProcess } from '../../server/src/cli/run';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Builds the bundles (the CLI among them) when they are missing or stale. */
export function ensureCliBuilt(): void {
  ensureBundlesBuilt();
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs dist/cli.js with its stdout and stderr piped (neither is a terminal). */
export function runCli(args: readonly string[], cwd: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Where a temporary project lives: inside the repo (so express/pg types resolve) or in the OS temp folder (untyped). */
export type ProjectPlace = 'repo' | 'os';

/**
 * A folder with the given files, removed by `dispose`. Repo projects get their own tsconfig so
 * they are a project of their own, not part of the repository's.
 */
export function makeProject(place: ProjectPlace, files: Record<string, string | Buffer>): { dir: string; dispose(): void } {
  const parent = place === 'repo' ? path.join(REPO_ROOT, 'test') : os.tmpdir();
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, place === 'repo' ? '.tmp-cli-' : 'context-pool-lint-cli-')));
  const all: Record<string, string | Buffer> = place === 'repo' ? { 'tsconfig.json': TSCONFIG, ...files } : files;
  for (const [name, content] of Object.entries(all)) writeFile(dir, name, content);
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(dir: string, name: string, content: string | Buffer): void {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function readFile(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, name), 'utf8');
}

const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
    },
  },
  null,
  2,
);

/** An Express handler that starts `sendMail()` and never waits for it: one unawaited-background-work. */
export const EXPRESS_UNAWAITED = `import express from 'express';

const app = express();

async function sendMail(): Promise<void> {}

app.get('/x', async (req, res) => {
  sendMail();
  res.send('ok');
});
`;

/** The same handler after "Await the background work". */
export const EXPRESS_UNAWAITED_FIXED = EXPRESS_UNAWAITED.replace('  sendMail();', '  await sendMail();');

/** A pg client acquired and never released: one pool-resource-leak at `pool.connect()`. */
export const PG_LEAK = `import { Pool } from 'pg';

const pool = new Pool();

export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  const result = await client.query('SELECT count(*) FROM users');
  return Number(result.rows[0].count);
}
`;

/** Code with nothing to report. */
export const CLEAN = `export function add(a: number, b: number): number {
  return a + b;
}
`;

/** Runs the CLI in this process (for the stand-in rules); `tty` makes stderr claim to be a terminal. */
export function runInProcess(args: readonly string[], cwd: string, options: { tty?: boolean } = {}): CliRun {
  let stdout = '';
  let stderr = '';
  const status = runCliInProcess(args, {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { isTTY: options.tty ?? false, write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}
