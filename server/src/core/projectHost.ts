import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';
import { parseLinked } from './syntax/fileIndex';

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

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

/**
 * TypeScript's lib files travel inside the bundle (ts-morph ships their text), so they are served
 * from a virtual folder. Parsed once per process: they never change.
 */
const LIB_FOLDER = '/__context-pool-lint__/lib';
let libTexts: Map<string, string> | undefined;
const parsedLibs = new Map<string, ts.SourceFile>();

function libText(fileName: string): string | undefined {
  if (!libTexts) libTexts = new Map(getLibFiles().map((f) => [`${LIB_FOLDER}/${f.fileName}`, f.text]));
  return libTexts.get(fileName);
}

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

interface RootFile {
  text: string;
  sourceFile?: ts.SourceFile;
}

/**
 * One long-lived project for one root folder, on the TypeScript compiler that ts-morph bundles.
 * Files are added on demand (the editor's open files, or the files a scan names), each parsed
 * once, so start-up never parses the whole workspace; unsaved editor text replaces what is on
 * disk. The program — and with it the parsing of lib and package type files — is built only when
 * a rule first asks for types, and rebuilt after a change reusing every unchanged file, its
 * binding and its module resolutions.
 *
 * We keep our own compiler host rather than a ts-morph `Project`: measured on the benchmark, a
 * `Project` parsed every file twice when given its text (once from disk, once from the text) and
 * rebuilt module resolution from scratch on every edit.
 */
export class ProjectHost {
  readonly rootDir: string;
  readonly configFile: string | undefined;
  readonly compilerOptions: ts.CompilerOptions;
  readonly #roots = new Map<string, RootFile>();
  /** Files the compiler read from disk itself: package types, imported project files. */
  readonly #external = new Map<string, ts.SourceFile | undefined>();
  readonly #compilerHost: ts.CompilerHost;
  #resolutionCache: ts.ModuleResolutionCache;
  readonly #relative = new Map<string, string | null>();
  readonly #engines = new Map<string, string | null>();
  #program: ts.Program | undefined;
  #dirty = true;
  #generation = 0;
  #resolutionEpoch = 0;

  constructor(rootDir: string, configFile: string | undefined = findConfigFile(rootDir)) {
    this.rootDir = path.resolve(rootDir);
    this.configFile = configFile;
    const configOptions = configFile ? readConfigOptions(configFile) : INFERRED_OPTIONS;
    this.compilerOptions = { ...configOptions, ...FORCED_OPTIONS };
    // TypeScript 6 stopped including every `@types` package by default; the projects we read
    // were written for compilers that did (globals like `fetch` and `process` come from there).
    this.compilerOptions.types ??= ['*'];
    this.#resolutionCache = this.#newResolutionCache();
    this.#compilerHost = this.#createCompilerHost();
  }

  /** Installs `text` as the content of `fileName` (unsaved editor text, or text a scan read). */
  setText(fileName: string, text: string): void {
    const key = normalize(fileName);
    const previous = this.#roots.get(key);
    if (previous?.text === text) return;
    if (!previous) this.#fileAdded();
    this.#roots.set(key, { text });
    this.#external.delete(key);
    this.#dirty = true;
    this.#generation++;
  }

  /**
   * A file the project did not hold appeared (opened unsaved, or read by a scan): imports that
   * found nothing before may find it now.
   */
  #fileAdded(): void {
    for (const [base, resolved] of this.#relative) if (resolved === null) this.#relative.delete(base);
    this.#resolutionEpoch++;
  }

  /** Editor text can live in folders not on disk yet (unsaved files, tests): they exist for resolution. */
  #holdsFilesUnder(dir: string): boolean {
    const prefix = `${normalize(dir)}/`;
    for (const key of this.#roots.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Changes whenever what a relative import resolves to may have changed. */
  get resolutionEpoch(): number {
    return this.#resolutionEpoch;
  }

  /** Changes whenever a file's text, the set of files or module resolution changes. */
  get generation(): number {
    return this.#generation;
  }

  /** Every file given text (open documents and files a scan read), in insertion order. */
  rootFileNames(): string[] {
    return [...this.#roots.keys()];
  }

  /** Each file given text, parsed: what `getSourceFile` gives for it, without a lookup per file. */
  *rootSourceFiles(): Generator<ts.SourceFile> {
    for (const [key, root] of this.#roots) {
      root.sourceFile ??= parse(key, root.text, this.compilerOptions);
      yield root.sourceFile;
    }
  }

  hasText(fileName: string): boolean {
    return this.#roots.has(normalize(fileName));
  }

  textOf(fileName: string): string | undefined {
    return this.#roots.get(normalize(fileName))?.text;
  }

  /** Forgets a file (closed, deleted, or changed on disk); the next program reads it again if needed. */
  remove(fileName: string): void {
    const key = normalize(fileName);
    const had = this.#roots.delete(key) || this.#external.delete(key);
    if (had) {
      this.#dirty = true;
      this.#generation++;
    }
  }

  /** Files were created or deleted: module names may now resolve elsewhere. */
  invalidateResolutions(): void {
    this.#resolutionCache = this.#newResolutionCache();
    this.#relative.clear();
    // A package.json may have changed with them (`engines.node`).
    this.#engines.clear();
    this.#dirty = true;
    this.#generation++;
    this.#resolutionEpoch++;
  }

  /**
   * The project file a relative import names (`./db`, `../lib/pool.js`), resolved the way
   * bundlers and TypeScript do for relative paths, without building a program.
   */
  resolveRelative(fromFile: string, specifier: string): ts.SourceFile | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier).replace(/\\/g, '/');
    let resolved = this.#relative.get(base);
    if (resolved === undefined) {
      resolved = this.#findRelative(base) ?? null;
      this.#relative.set(base, resolved);
    }
    return resolved ? this.getSourceFile(resolved) : undefined;
  }

  #findRelative(base: string): string | undefined {
    const exists = (f: string): boolean => this.#roots.has(f) || ts.sys.fileExists(f);
    const stem = base.replace(/\.(m|c)?js$/, '');
    const candidates = [
      ...(stem !== base ? SOURCE_EXTENSIONS.map((ext) => stem + ext) : []),
      ...(/\.[cm]?[jt]sx?$/.test(base) ? [base] : []),
      ...SOURCE_EXTENSIONS.map((ext) => base + ext),
      ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`),
    ];
    return candidates.find((c) => !/\.d\.[mc]?ts$/.test(c) && exists(c));
  }

  /**
   * `engines.node` of the nearest package.json at or above the file's folder, up to the root
   * folder (a workspace ends there). Read as JSON once per folder; undefined when none says.
   */
  nodeEngines(fileName: string): string | undefined {
    const root = normalize(this.rootDir);
    let dir = path.dirname(normalize(fileName));
    const seen: string[] = [];
    let found: string | null = null;
    for (;;) {
      const cached = this.#engines.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(dir);
      const text = ts.sys.readFile(path.join(dir, 'package.json'));
      if (text !== undefined) {
        found = enginesNodeOf(text);
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir || dir === root || !dir.startsWith(`${root}/`)) break;
      dir = parent;
    }
    for (const d of seen) this.#engines.set(d, found);
    return found ?? undefined;
  }

  /** The parsed file. Needs no program: rules that never ask for types never pay for one. */
  getSourceFile(fileName: string): ts.SourceFile | undefined {
    const key = normalize(fileName);
    const root = this.#roots.get(key);
    if (root) {
      root.sourceFile ??= parse(key, root.text, this.compilerOptions);
      return root.sourceFile;
    }
    return this.#externalFile(key);
  }

  /** The program over every file given to the host, built on first use after a change. */
  program(): ts.Program {
    if (!this.#program || this.#dirty) {
      this.#program = ts.createProgram({
        rootNames: [...this.#roots.keys()],
        options: this.compilerOptions,
        host: this.#compilerHost,
        oldProgram: this.#program,
      });
      this.#dirty = false;
    }
    return this.#program;
  }

  #externalFile(key: string): ts.SourceFile | undefined {
    if (this.#external.has(key)) return this.#external.get(key);
    const text = ts.sys.readFile(key);
    const sourceFile = text === undefined ? undefined : parse(key, text, this.compilerOptions);
    this.#external.set(key, sourceFile);
    return sourceFile;
  }

  #newResolutionCache(): ts.ModuleResolutionCache {
    return ts.createModuleResolutionCache(this.rootDir, (f) => f, this.compilerOptions);
  }

  #createCompilerHost(): ts.CompilerHost {
    const sys = ts.sys;
    return {
      getSourceFile: (fileName, languageVersionOrOptions) => {
        const key = normalize(fileName);
        if (key.startsWith(LIB_FOLDER)) return libSourceFile(key, this.compilerOptions);
        const sourceFile = this.getSourceFile(key);
        // We parse before the program knows each file's module format (ESM or CommonJS, from the
        // nearest package.json); NodeNext resolution needs it, so take the program's answer.
        if (sourceFile && typeof languageVersionOrOptions === 'object') {
          sourceFile.impliedNodeFormat = languageVersionOrOptions.impliedNodeFormat;
        }
        return sourceFile;
      },
      getDefaultLibFileName: (options) => `${LIB_FOLDER}/${ts.getDefaultLibFileName(options)}`,
      getDefaultLibLocation: () => LIB_FOLDER,
      writeFile: () => undefined,
      getCurrentDirectory: () => this.rootDir,
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
      getNewLine: () => '\n',
      fileExists: (f) => {
        const key = normalize(f);
        if (key.startsWith(LIB_FOLDER)) return libText(key) !== undefined;
        return this.#roots.has(key) || sys.fileExists(f);
      },
      readFile: (f) => {
        const key = normalize(f);
        if (key.startsWith(LIB_FOLDER)) return libText(key);
        return this.#roots.get(key)?.text ?? sys.readFile(f);
      },
      directoryExists: (d) => normalize(d).startsWith(LIB_FOLDER) || sys.directoryExists(d) || this.#holdsFilesUnder(d),
      getDirectories: (d) => (normalize(d).startsWith(LIB_FOLDER) ? [] : sys.getDirectories(d)),
      realpath: sys.realpath,
      getModuleResolutionCache: () => this.#resolutionCache,
    };
  }
}

function enginesNodeOf(packageJson: string): string | null {
  try {
    const engines = (JSON.parse(packageJson) as { engines?: { node?: unknown } }).engines;
    return typeof engines?.node === 'string' ? engines.node : null;
  } catch {
    return null;
  }
}

function libSourceFile(key: string, options: ts.CompilerOptions): ts.SourceFile | undefined {
  const cacheKey = `${options.target ?? ''}|${key}`;
  let sourceFile = parsedLibs.get(cacheKey);
  if (!sourceFile) {
    const text = libText(key);
    if (text === undefined) return undefined;
    sourceFile = ts.createSourceFile(key, text, { languageVersion: options.target ?? ts.ScriptTarget.ES2022 }, false);
    parsedLibs.set(cacheKey, sourceFile);
  }
  return sourceFile;
}

function parse(fileName: string, text: string, options: ts.CompilerOptions): ts.SourceFile {
  const languageVersion = options.target ?? ts.ScriptTarget.ES2022;
  // Declaration files are only read by the checker, whose binder links their parents; source
  // files get parents and the shared indexes in one walk.
  if (/\.d\.[mc]?ts$/.test(fileName)) return ts.createSourceFile(fileName, text, { languageVersion }, false, scriptKindOf(fileName));
  return parseLinked(fileName, text, languageVersion, scriptKindOf(fileName));
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  if (/\.json$/.test(fileName)) return ts.ScriptKind.JSON;
  return ts.ScriptKind.TS;
}

function normalize(fileName: string): string {
  if (fileName.startsWith(LIB_FOLDER)) return fileName;
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
