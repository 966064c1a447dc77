// `npm run test:editor:integration [-- code-server|electron]`: the in-VS-Code integration suite
// (suite/), run inside the extension host with the `vscode` API. Always in code-server (installed
// into the cache folder by ../install.mjs when missing), and with @vscode/test-electron when
// VSCODE_EXECUTABLE names a VS Code on this machine (skipped with a message otherwise). Exits
// non-zero when any test fails in any host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAll } from './build';
import { runInCodeServer } from './runCodeServer';
import { runInElectron, vscodeExecutable } from './runElectron';
import { makeWorkspace } from './workspace';

function log(message: string): void {
  process.stderr.write(`[integration] ${message}\n`);
}

/** ../install.mjs, typed here (it is plain JavaScript shared with `npm run test:editor`). */
async function ensureInstalled(): Promise<{ node: string; codeServerEntry: string }> {
  const specifier: string = '../install.mjs';
  const install = (await import(specifier)) as { ensureInstalled(): { node: string; codeServerEntry: string } };
  return install.ensureInstalled();
}

async function timed<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function host(name: string, run: (workspace: string, report: string) => Promise<number>): Promise<number> {
  const workspace = makeWorkspace();
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-integration-report-')), 'report.txt');
  try {
    const code = await timed(`${name} run`, () => run(workspace, report));
    process.stdout.write(`\n== ${name} ==\n${fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '(no report)\n'}`);
    log(`${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
    return code;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const only = process.argv[2];
  if (only && only !== 'code-server' && only !== 'electron') {
    log(`unknown host "${only}": use code-server or electron`);
    return 2;
  }
  await timed('build extension and suite', () => buildAll());
  let failed = false;
  if (only !== 'electron') {
    const install = await timed('install check', () => ensureInstalled());
    failed = (await host('code-server', (workspace, report) => runInCodeServer(install, workspace, report))) !== 0 || failed;
  }
  if (only !== 'code-server') {
    const executable = vscodeExecutable();
    if ('skip' in executable) log(`@vscode/test-electron: skipped (${executable.skip})`);
    else failed = (await host('VS Code (@vscode/test-electron)', (workspace, report) => runInElectron(executable.path, workspace, report))) !== 0 || failed;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
