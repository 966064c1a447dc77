import type { ts } from 'ts-morph';
import { computePoolFacts, type PoolFacts } from './pools/poolFacts';
import { ImportTable } from './scopes/imports';
import type { RequestScope } from './scopes/requestScope';
import { findRequestScopes } from './scopes/requestScopes';
import type { TypeInfo } from './typeInfo';
import type { AnalyzerSettings } from './types';

/**
 * Facts about one file that several rules need, each computed on first use and then shared, so
 * the file is walked for scopes and pools once per analysis, not once per rule.
 */
export class FileFacts {
  #imports: ImportTable | undefined;
  #scopes: readonly RequestScope[] | undefined;
  #scopeByFunction: Map<ts.Node, RequestScope> | undefined;
  #pools: PoolFacts | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly types: TypeInfo,
    readonly settings: AnalyzerSettings,
  ) {}

  get imports(): ImportTable {
    this.#imports ??= new ImportTable(this.sourceFile);
    return this.#imports;
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

  get pools(): PoolFacts {
    this.#pools ??= computePoolFacts(this.sourceFile, this.types, this.imports);
    return this.#pools;
  }
}
