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
    private readonly projectFiles: ProjectFiles = NO_PROJECT_FILES,
  ) {}

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

  /** Every request scope whose handler is declared in this file. */
  get requestScopes(): readonly RequestScope[] {
    this.#scopes ??= findRequestScopes(this.sourceFile, this.imports, this.types);
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
