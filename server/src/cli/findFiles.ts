import * as fs from 'node:fs';
import * as path from 'node:path';
import { SOURCE_EXTENSIONS } from '../core';
import { UsageError } from './errors';

/** A file to analyse, and how it was asked for. */
export interface FileTarget {
  /** Absolute path. */
  file: string;
  /** Named on the command line (as opposed to found in a folder): ignoring it deserves a word. */
  explicit: boolean;
  /** The folder that stands in for the project root when no tsconfig/jsconfig is found. */
  base: string;
}

/**
 * Dependencies and build output: never hand-written server code. Hidden folders (`.git`, `.next`,
 * `.yarn`, caches) and hidden files are skipped too, as the editor's workspace scan skips them.
 */
export const IGNORED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);

const DECLARATION_FILE = /\.d\.[mc]?ts$/i;

/**
 * Expands the command line's paths (none: the current directory) into source files, in a stable
 * order and without duplicates. A path that does not exist is a usage error.
 */
export function findFiles(paths: readonly string[], cwd: string): FileTarget[] {
  const targets = new Map<string, FileTarget>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const resolved = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch {
      throw new UsageError(`no such file or directory: ${given}`, { showUsageHint: false });
    }
    if (stat.isDirectory()) {
      for (const file of filesInFolder(resolved)) {
        if (!targets.has(file)) targets.set(file, { file, explicit: false, base: resolved });
      }
    } else {
      // A file named on the command line wins over the same file found in a folder.
      targets.set(resolved, { file: resolved, explicit: true, base: isInside(resolved, cwd) ? cwd : path.dirname(resolved) });
    }
  }
  return [...targets.values()];
}

/**
 * Every source file under `folder`, sorted. Ignored folders are not entered at all (so a large
 * node_modules costs nothing), and linked folders are not followed: they can point outside the
 * folder or back into it. Linked files are taken. A folder named on the command line is searched
 * even when it is one that would be skipped inside another.
 */
function filesInFolder(folder: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new UsageError(`cannot read folder ${dir}: ${(error as Error).message}`, { showUsageHint: false });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED_FOLDERS.has(entry.name)) visit(full);
      } else if ((entry.isFile() || (entry.isSymbolicLink() && isFile(full))) && isSourceFileName(entry.name)) {
        found.push(full);
      }
    }
  };
  visit(folder);
  return found.sort();
}

function isSourceFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !DECLARATION_FILE.test(lower);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
