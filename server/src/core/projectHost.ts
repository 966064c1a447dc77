import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Options we always force: we read code, never emit it, and JavaScript is analysed like TypeScript. */
const FORCED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  // The analyser never loads workspace plugins (they would run workspace code).
  plugins: [],
};

const INFERRED_OPTIONS: ts.CompilerOptions = {
  ...FORCED_OPTIONS,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  strict: true,
  jsx: ts.JsxEmit.Preserve,
};

/** The nearest tsconfig.json / jsconfig.json at or above `dir`, if any. */
export function findConfigFile(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * One long-lived ts-morph project for one root folder. Files are added on demand (the editor's
 * open files, or the files a scan names) so start-up never parses the whole workspace; the text of
 * unsaved documents replaces what is on disk until the document is closed. The program is rebuilt
 * lazily after a change, reusing every unchanged source file and its binding.
 */
export class ProjectHost {
  readonly rootDir: string;
  readonly configFile: string | undefined;
  readonly compilerOptions: ts.CompilerOptions;
  readonly #project: Project;
  /** Text we installed per file, so an unchanged update does not invalidate the program. */
  readonly #texts = new Map<string, string>();

  constructor(rootDir: string, configFile: string | undefined = findConfigFile(rootDir)) {
    this.rootDir = path.resolve(rootDir);
    this.configFile = configFile;
    const configOptions = configFile ? readConfigOptions(configFile) : INFERRED_OPTIONS;
    this.compilerOptions = { ...configOptions, ...FORCED_OPTIONS };
    this.#project = new Project({
      compilerOptions: this.compilerOptions,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
      skipLoadingLibFiles: false,
    });
  }

  /** Installs `text` as the content of `fileName` (unsaved editor text, or text a scan read). */
  setText(fileName: string, text: string): void {
    const key = normalize(fileName);
    if (this.#texts.get(key) === text) return;
    this.#texts.set(key, text);
    this.#project.createSourceFile(key, text, { overwrite: true });
  }

  hasText(fileName: string): boolean {
    return this.#texts.has(normalize(fileName));
  }

  textOf(fileName: string): string | undefined {
    return this.#texts.get(normalize(fileName));
  }

  /** Forgets a file (closed and deleted, or no longer wanted). */
  remove(fileName: string): void {
    const key = normalize(fileName);
    this.#texts.delete(key);
    const file = this.#project.getSourceFile(key);
    if (file) this.#project.removeSourceFile(file);
  }

  /** The program's view of a file; the program is rebuilt here if anything changed. */
  getSourceFile(fileName: string): ts.SourceFile | undefined {
    return this.program().getSourceFile(normalize(fileName));
  }

  program(): ts.Program {
    return this.#project.getProgram().compilerObject;
  }
}

function normalize(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}

/** Reads compiler options from a tsconfig/jsconfig as JSON (following `extends`), never running anything. */
function readConfigOptions(configFile: string): ts.CompilerOptions {
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) return INFERRED_OPTIONS;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
  const options = { ...parsed.options };
  // A config that names no module resolution still has to resolve packages for types.
  if (options.moduleResolution === undefined && options.module === undefined) {
    options.moduleResolution = ts.ModuleResolutionKind.Bundler;
    options.module = ts.ModuleKind.ESNext;
  }
  return options;
}
