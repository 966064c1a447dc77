// The workspace both runners open: the scenario files of ../workspaceFiles.ts under src/, some clean
// generated routes (so "Scan Workspace" has more than one file to do), a tsconfig.json, and
// node_modules linked to the repository's so the framework types resolve.
import path from 'node:path';
import * as files from '../workspaceFiles';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Clean routes beside the scenario files; route001.ts is asserted clean by the scan test. */
const GENERATED_ROUTES = 40;

export function makeWorkspace(): string {
  return files.writeWorkspace('cpl-integration-ws-', GENERATED_ROUTES);
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
