// Builds what the integration runs load: the extension's bundles (dist/, as `npm run build` does)
// and the suite, bundled with mocha into out/index.js (the `extensionTestsPath`). `vscode` stays
// external: the extension host provides it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './workspace';

export const SUITE_ENTRY = path.join(__dirname, 'out', 'index.js');

export async function buildAll(): Promise<void> {
  const extension = spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (extension.status !== 0) throw new Error(`building the extension failed (exit ${extension.status ?? extension.signal})`);
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: SUITE_ENTRY,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // Mocha's parallel mode (a worker file it resolves at run time) is not used in the extension host.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}
