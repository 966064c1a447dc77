import { ts } from 'ts-morph';
import { skipOuter } from './scopes/appKinds';
import { computePoolFacts, type PoolFacts } from './pools/poolFacts';
import type { ImportTable } from './scopes/imports';
import { indexOf } from './syntax/fileIndex';
import type { RequestScope } from './scopes/requestScope';
import { findRequestScopes } from './scopes/requestScopes';
import { knownCallFacts } from './syntax/knownCalls';
import { type CallFacts, functionCallFacts, type ProjectFiles, ValueResolver } from './syntax/values';
import type { TypeInfo } from './typeInfo';
import type { AnalyzerSettings } from './types';

const NO_PROJECT_FILES: ProjectFiles = { resolveRelative: () => undefined };

/** Where helper scopes come from: the project's helper graph, or nowhere (a file on its own). */
export interface HelperScopes {
  helperScopesIn(sourceFile: ts.SourceFile): readonly RequestScope[];
}

// Registered scopes depend only on the file's syntax (types are a fallback that sees the same
// file), so they are shared by every analysis of one SourceFile object and by the helper graph.
const registeredScopes = new WeakMap<ts.SourceFile, readonly RequestScope[]>();

/** The request scopes a file registers or declares by shape (RULES.md §1), helpers excluded. */
export function registeredScopesOf(sourceFile: ts.SourceFile, types: TypeInfo): readonly RequestScope[] {
  let scopes = registeredScopes.get(sourceFile);
  if (!scopes) {
    scopes = findRequestScopes(sourceFile, indexOf(sourceFile).imports, types);
    registeredScopes.set(sourceFile, scopes);
  }
  return scopes;
}

/** What the project host can say about the runtime a file targets (optional: tests may pass less). */
export interface ProjectRuntimeSource {
  /** `engines.node` of the nearest package.json (see `ProjectHost.nodeEngines`). */
  nodeEngines?(fileName: string): string | undefined;
  readonly compilerOptions?: ts.CompilerOptions;
}

/** The runtime a file targets, as its project declares it (read as JSON, never run). */
export interface ProjectRuntime {
  /** The `engines.node` range, e.g. `>=20.3`. */
  nodeEngines?: string;
  /** The compiler's `lib` and `types` options when the config sets them. */
  lib?: readonly string[];
  types?: readonly string[];
}

/**
 * Facts about one file that several rules need, each computed on first use and then shared, so
 * the file is walked for scopes and pools once per analysis, not once per rule.
 */
export class FileFacts {
  #scopes: readonly RequestScope[] | undefined;
  #scopeByFunction: Map<ts.Node, RequestScope> | undefined;
  #pools: PoolFacts | undefined;

  #values: ValueResolver | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly types: TypeInfo,
    readonly settings: AnalyzerSettings,
    private readonly projectFiles: ProjectFiles & ProjectRuntimeSource = NO_PROJECT_FILES,
    private readonly helpers?: HelperScopes,
  ) {}

  /** The runtime the file's project declares: `engines.node`, `lib`, `types`. */
  get runtime(): ProjectRuntime {
    const options = this.projectFiles.compilerOptions;
    return {
      nodeEngines: this.projectFiles.nodeEngines?.(this.sourceFile.fileName),
      lib: options?.lib,
      types: options?.types,
    };
  }

  /** What syntax says values are, across the project's files (see `syntax/values.ts`). */
  get values(): ValueResolver {
    this.#values ??= new ValueResolver(this.projectFiles);
    return this.#values;
  }

  /**
   * What calling this does, when syntax can tell: a built-in or well-known package function, or a
   * function declared in the project. Rules ask this before the type checker.
   */
  callFacts(call: ts.CallExpression | ts.NewExpression): CallFacts | undefined {
    const callee = this.values.infoOf(call.expression);
    if (ts.isNewExpression(call)) {
      if (callee.kind === 'global') return { promise: callee.path === 'Promise', acceptsSignal: false };
      if (callee.kind === 'class') return { promise: false, acceptsSignal: false };
      return undefined;
    }
    const known = knownCallFacts(callee);
    // `pool.query(sql, (err, result) => ...)`: a package function given a callback may be its
    // callback form, which returns no promise; only its overloads (the types) can tell.
    if (known?.promise && callee.kind === 'package' && this.#mayBeCallback(call.arguments[call.arguments.length - 1])) return undefined;
    if (known) return known;
    return callee.kind === 'function' ? functionCallFacts(callee.fn) : undefined;
  }

  get imports(): ImportTable {
    return indexOf(this.sourceFile).imports;
  }

  /**
   * Every request scope whose function is declared in this file: registered handlers, and helpers
   * that handlers (here or in other project files) call with a request object or its signal.
   */
  get requestScopes(): readonly RequestScope[] {
    if (!this.#scopes) {
      const registered = registeredScopesOf(this.sourceFile, this.types);
      const helpers = this.helpers?.helperScopesIn(this.sourceFile) ?? [];
      this.#scopes = helpers.length > 0 ? [...registered, ...helpers] : registered;
    }
    return this.#scopes;
  }

  /** The request scope a node belongs to: the nearest enclosing handler, or undefined. */
  scopeOf(node: ts.Node): RequestScope | undefined {
    if (!this.#scopeByFunction) {
      this.#scopeByFunction = new Map();
      for (const scope of this.requestScopes) this.#scopeByFunction.set(scope.fn, scope);
    }
    if (this.#scopeByFunction.size === 0) return undefined;
    for (let current: ts.Node | undefined = node; current; current = current.parent) {
      const scope = this.#scopeByFunction.get(current);
      if (scope) return scope;
    }
    return undefined;
  }

  #mayBeCallback(argument: ts.Expression | undefined): boolean {
    if (!argument) return false;
    const target = skipOuter(argument);
    if (ts.isStringLiteralLike(target) || ts.isTemplateExpression(target) || ts.isNumericLiteral(target) || ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) return false;
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      const info = this.values.infoOf(target);
      return info.kind === 'function' || info.kind === 'unknown';
    }
    return true;
  }

  get pools(): PoolFacts {
    this.#pools ??= computePoolFacts(this.sourceFile, this.types, this.imports, this.values);
    return this.#pools;
  }
}
