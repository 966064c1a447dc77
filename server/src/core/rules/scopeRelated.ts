import type { ts } from 'ts-morph';
import type { RelatedDescriptor } from '../ruleApi';
import type { RequestScope } from '../scopes/requestScope';

/**
 * Related information that leads from a finding back to its request handler: the scope's own
 * function and, for a helper, each call on the way in from the handler (RULES.md §1, "Helpers":
 * "related information for each handler that reaches it").
 */
export function scopeRelated(scope: RequestScope, message: string, sourceFile: ts.SourceFile): RelatedDescriptor[] {
  return [{ ...functionLocation(scope.fn, sourceFile), message }, ...viaRelated(scope)];
}

/** For a helper scope, the calls that lead to it from its request handlers; nothing otherwise. */
export function viaRelated(scope: RequestScope): RelatedDescriptor[] {
  return (scope.via ?? []).map((call) => ({ ...call }));
}

/** Where a function is named: its name, else its parameter list, else its first character. */
export function functionLocation(fn: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): { node?: ts.Node; start?: number; end?: number } {
  if (fn.name) return { node: fn.name };
  const params = fn.parameters;
  if (params.length > 0) return { start: params[0].getStart(sourceFile), end: params[params.length - 1].end };
  const start = fn.getStart(sourceFile);
  return { start, end: start + 1 };
}
