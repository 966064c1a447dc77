import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';

/**
 * RULES.md §2.1's "explicitly detached" chain: its last link before any `.finally(...)` calls is
 * `.catch(f)` or `.then(f, g)`. Shared by the rules that exempt detached work.
 */
export function isDetachedChain(expression: ts.Expression): boolean {
  let current = skipOuter(expression);
  while (ts.isCallExpression(current) && methodName(current) === 'finally') current = skipOuter((current.expression as ts.PropertyAccessExpression).expression);
  if (!ts.isCallExpression(current)) return false;
  const method = methodName(current);
  return (method === 'catch' && current.arguments.length >= 1) || (method === 'then' && current.arguments.length >= 2);
}

/** `x.m(...)` -> `m`. */
export function methodName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
