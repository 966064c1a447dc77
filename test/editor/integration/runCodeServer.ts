// Runs the suite inside code-server's extension host: code-server started with the smoke-test
// driver enabled, the workbench opened headless in Debian's chromium with a `payload` naming the
// extension under development and the suite, and the extension host's exit code caught through
// `window.codeAutomationExit`, which the workbench calls when the tests end.
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer } from '../codeServer';
import { launchBrowser } from '../workbench';
import { SUITE_ENTRY } from './build';
import { REPO_ROOT, USER_SETTINGS } from './workspace';

/** The whole run, from opening the workbench to the exit code. */
const RUN_TIMEOUT_MS = 8 * 60_000;

export interface CodeServerInstall {
  node: string;
  codeServerEntry: string;
}

export async function runInCodeServer(install: CodeServerInstall, workspace: string, report: string): Promise<number> {
  const server = await startCodeServer({ node: install.node, entry: install.codeServerEntry }, undefined, USER_SETTINGS, {
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { CPL_INTEGRATION_REPORT: report },
  });
  const browser = await launchBrowser();
  const console: string[] = [];
  try {
    const page = await (await browser.newContext()).newPage();
    page.on('console', (message) => console.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => console.push(`[pageerror] ${error.message}`));
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = (absolute: string) => `vscode-remote://127.0.0.1:${server.port}${absolute}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(SUITE_ENTRY)],
    ];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), RUN_TIMEOUT_MS);
    });
    const code = await Promise.race([exitCode, timeout]);
    clearTimeout(timer);
    if (code === -1) process.stderr.write(`[integration] the extension host did not exit within ${RUN_TIMEOUT_MS / 1000} s\n`);
    if (code !== 0) {
      process.stderr.write(`[integration] code-server output:\n${server.output()}\n`);
      process.stderr.write(`[integration] last workbench console messages:\n${console.slice(-60).join('\n')}\n`);
      if (!fs.existsSync(report)) process.stderr.write(`[integration] the suite wrote no report (${path.basename(report)}): it did not start\n`);
    }
    return code === -1 ? 1 : code;
  } finally {
    await browser.close();
    await server.stop();
  }
}
