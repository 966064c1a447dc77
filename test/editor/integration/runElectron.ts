// Runs the suite in a desktop VS Code through @vscode/test-electron, only with a VS Code that is
// already on the machine: VSCODE_EXECUTABLE names its executable. Nothing is ever downloaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { SUITE_ENTRY } from './build';
import { REPO_ROOT, USER_SETTINGS } from './workspace';

/** The executable to use, or why the run is skipped. */
export function vscodeExecutable(): { path: string } | { skip: string } {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    return { skip: 'no VS Code executable: set VSCODE_EXECUTABLE to a VS Code (or its CLI launcher) to run the suite with @vscode/test-electron; nothing is downloaded' };
  }
  if (!fs.existsSync(executable)) return { skip: `VSCODE_EXECUTABLE=${executable} does not exist` };
  return { path: executable };
}

export async function runInElectron(executable: string, workspace: string, report: string): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-vscode-'));
  fs.mkdirSync(path.join(home, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(path.join(home, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  try {
    return await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_ENTRY,
      extensionTestsEnv: { CPL_INTEGRATION_REPORT: report },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(home, 'user-data')}`,
        `--extensions-dir=${path.join(home, 'extensions')}`,
      ],
    });
  } catch (error) {
    // runTests rejects when VS Code exits non-zero (a failing test) or cannot start.
    process.stderr.write(`[integration] VS Code: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
