import { ts } from 'ts-morph';

/** A function-like node with a body: what has its own control flow. */
export type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.ConciseBody };

export function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    !!node.body
  );
}

/** Code that does not run when the enclosing code runs: nested functions and class bodies. */
export function isDeferredCode(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/**
 * Visits the descendants of `node` that run when `node` runs, in source order: nested functions
 * and classes are visited themselves (so callers can see closures being created) but not entered.
 */
export function forEachEvaluated(node: ts.Node, visit: (child: ts.Node) => void): void {
  const walk = (current: ts.Node): void => {
    visit(current);
    if (isDeferredCode(current)) return;
    ts.forEachChild(current, walk);
  };
  ts.forEachChild(node, walk);
}

/** The nearest function with a body around `node` (not `node` itself). */
export function enclosingFunction(node: ts.Node): FunctionWithBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionWithBody(current)) return current;
  }
  return undefined;
}

/** `await` expressions evaluated by `node` itself, outside nested functions, in evaluation order. */
export function awaitPointsIn(node: ts.Node): ts.AwaitExpression[] {
  const out: ts.AwaitExpression[] = [];
  const walk = (current: ts.Node): void => {
    if (isDeferredCode(current)) return;
    ts.forEachChild(current, walk);
    // After the children: an await completes after its operand is evaluated.
    if (ts.isAwaitExpression(current)) out.push(current);
  };
  if (ts.isAwaitExpression(node)) walk(node);
  else ts.forEachChild(node, walk);
  return out;
}
