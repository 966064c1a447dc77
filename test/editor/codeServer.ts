// Starts a throwaway code-server for one test run: fresh user-data and extensions folders, its
// config and data folders in a temp directory (nothing is written into the home folder), our
// packaged .vsix installed with `--install-extension`, listening on loopback only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface CodeServerPaths {
  /** Node 24, which code-server 4.139 needs. */
  node: string;
  /** code-server's `out/node/entry.js`. */
  entry: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  /** The temp folder holding user data, extensions, config and logs of this run. */
  home: string;
  /** Everything code-server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** User settings that keep the workbench quiet and predictable for a test. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'files.autoSave': 'off',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function environment(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    // The extension's own server must not inherit the test runner's loaders.
    NODE_OPTIONS: '',
  };
}

function baseArgs(home: string): string[] {
  return ['--user-data-dir', path.join(home, 'user-data'), '--extensions-dir', path.join(home, 'extensions')];
}

/** Installs the .vsix into this run's extensions folder; throws with code-server's output on failure. */
export function installExtension(paths: CodeServerPaths, home: string, vsix: string): void {
  const result = spawnSync(paths.node, [paths.entry, ...baseArgs(home), '--install-extension', vsix], {
    env: environment(home),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Optional extras of one run (used by the in-VS-Code integration suite, test/editor/integration/). */
export interface CodeServerOptions {
  /** More command-line arguments, e.g. `['--vscode-option', 'enable-smoke-test-driver']`. */
  extraArgs?: string[];
  /** More environment variables for code-server and the extension host it starts. */
  env?: Record<string, string>;
}

/** `vsix` may be undefined to install nothing (the extension then comes from a development path). */
export async function startCodeServer(
  paths: CodeServerPaths,
  vsix: string | undefined,
  userSettings: Record<string, unknown> = {},
  options: CodeServerOptions = {},
): Promise<RunningCodeServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-code-server-'));
  const settingsDir = path.join(home, 'user-data', 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...userSettings }, null, 2));
  if (vsix !== undefined) installExtension(paths, home, vsix);

  const port = await freePort();
  const args = [
    paths.entry,
    ...baseArgs(home),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(paths.node, args, { env: { ...environment(home), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/HTTP server listening on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`code-server exited before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    home,
    output: () => output,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(killer);
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
