import * as path from 'node:path';
import { findConfigFile } from '../core';
import type { FileTarget } from './findFiles';

/** Files that share one TypeScript project, and so one analyser and one program build. */
export interface ProjectGroup {
  /** The folder of the tsconfig/jsconfig, or the scanned folder when there is none. */
  rootDir: string;
  tsconfig?: string;
  targets: FileTarget[];
}

/** Groups files by their nearest tsconfig.json/jsconfig.json, looking at each folder once. */
export function groupByProject(targets: readonly FileTarget[]): ProjectGroup[] {
  const configByDir = new Map<string, string | undefined>();
  const groups = new Map<string, ProjectGroup>();
  for (const target of targets) {
    const dir = path.dirname(target.file);
    if (!configByDir.has(dir)) configByDir.set(dir, findConfigFile(dir));
    const tsconfig = configByDir.get(dir);
    const rootDir = tsconfig ? path.dirname(tsconfig) : target.base;
    const key = `${rootDir}\0${tsconfig ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { rootDir, tsconfig, targets: [] };
      groups.set(key, group);
    }
    group.targets.push(target);
  }
  return [...groups.values()];
}
