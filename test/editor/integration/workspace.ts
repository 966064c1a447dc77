// The workspace both runners open: the scenario files of ../workspaceFiles.ts under src/, some clean
// generated routes (so "Scan Workspace" has more than one file to do), a tsconfig.json, and
// node_modules linked to the repository's so the framework types resolve.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as files from '../workspaceFiles';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Clean routes beside the scenario files; route001.ts is asserted clean by the scan test. */
const GENERATED_ROUTES = 40;

export function makeWorkspace(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-integration-ws-'));
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'shop-api', private: true, type: 'module' }, null, 2));
  fs.writeFileSync(
    path.join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], skipLibCheck: true, noEmit: true },
      include: ['src'],
    }, null, 2),
  );
  for (const [name, text] of Object.entries(files.SOURCES)) {
    fs.mkdirSync(path.dirname(path.join(folder, 'src', name)), { recursive: true });
    fs.writeFileSync(path.join(folder, 'src', name), text);
  }
  fs.mkdirSync(path.join(folder, 'src', 'routes'));
  for (let i = 1; i <= GENERATED_ROUTES; i++) {
    fs.writeFileSync(path.join(folder, 'src', 'routes', `route${String(i).padStart(3, '0')}.ts`), files.generatedRoute(i));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return folder;
}

/** User settings of a run: quiet, predictable, nothing saved behind the tests' back. */
export const USER_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
};
