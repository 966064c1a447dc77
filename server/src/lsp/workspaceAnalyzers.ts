import * as path from 'node:path';
import { Analyzer } from '../core';
import { fileOfUri, pathKey } from './uris';

export interface WorkspaceFolderRoot {
  uri: string;
  dir: string;
}

/**
 * Which Analyzer answers for a file: one per workspace folder (the innermost folder containing the
 * file wins, for nested folders), and for a file outside every folder one rooted at the file's own
 * directory. Analyzers are created on first use: a folder nobody opens or scans costs nothing.
 */
export class WorkspaceAnalyzers {
  #folders: WorkspaceFolderRoot[] = [];
  readonly #analyzers = new Map<string, Analyzer>();

  constructor(private readonly create: (rootDir: string) => Analyzer = (rootDir) => new Analyzer(rootDir)) {}

  get folders(): readonly WorkspaceFolderRoot[] {
    return this.#folders;
  }

  setFolders(uris: readonly string[]): void {
    const roots: WorkspaceFolderRoot[] = [];
    for (const uri of uris) {
      const dir = fileOfUri(uri);
      if (dir && !roots.some((r) => pathKey(r.dir) === pathKey(dir))) roots.push({ uri, dir });
    }
    // Longest first, so the first folder containing a file is the innermost one.
    roots.sort((a, b) => b.dir.length - a.dir.length);
    const kept = new Set(roots.map((r) => pathKey(r.dir)));
    for (const old of this.#folders) {
      if (!kept.has(pathKey(old.dir))) this.#analyzers.delete(pathKey(old.dir));
    }
    this.#folders = roots;
  }

  addFolders(added: readonly string[], removed: readonly string[]): void {
    const removedDirs = new Set(removed.map(fileOfUri).filter((d): d is string => !!d).map(pathKey));
    const remaining = this.#folders.filter((f) => !removedDirs.has(pathKey(f.dir))).map((f) => f.uri);
    this.setFolders([...remaining, ...added]);
  }

  /** The workspace folder containing `file`, if any. */
  folderOf(file: string): WorkspaceFolderRoot | undefined {
    return this.#folders.find((folder) => contains(folder.dir, file));
  }

  /** The root directory whose Analyzer answers for `file`. */
  rootOf(file: string): string {
    return this.folderOf(file)?.dir ?? path.dirname(path.resolve(file));
  }

  analyzerFor(file: string): Analyzer {
    const root = this.rootOf(file);
    const key = pathKey(root);
    let analyzer = this.#analyzers.get(key);
    if (!analyzer) {
      analyzer = this.create(root);
      this.#analyzers.set(key, analyzer);
    }
    return analyzer;
  }

  /** The Analyzer for `file` if one exists already (file events must not create projects). */
  existingAnalyzerFor(file: string): Analyzer | undefined {
    return this.#analyzers.get(pathKey(this.rootOf(file)));
  }

  /** Drops the Analyzer of `root` (its compiler options changed); the next use creates a fresh one. */
  reset(root: string): void {
    this.#analyzers.delete(pathKey(root));
  }

  /** Roots of every Analyzer alive, for a tsconfig change that may concern several of them. */
  roots(): string[] {
    return [...this.#analyzers.values()].map((a) => a.rootDir);
  }

  /**
   * Frees Analyzers of loose files (outside every folder) once none of their files is open: each
   * holds a whole compiler project, and a folder of one-off files opened once shouldn't keep it.
   */
  releaseLooseAnalyzers(openFiles: Iterable<string>): void {
    const inUse = new Set<string>();
    for (const file of openFiles) inUse.add(pathKey(this.rootOf(file)));
    for (const folder of this.#folders) inUse.add(pathKey(folder.dir));
    for (const key of [...this.#analyzers.keys()]) if (!inUse.has(key)) this.#analyzers.delete(key);
  }
}

function contains(dir: string, file: string): boolean {
  const relative = path.relative(dir, path.resolve(file));
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return !outside;
}
