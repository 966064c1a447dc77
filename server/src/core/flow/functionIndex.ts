import { ts } from 'ts-morph';
import { callsWithin } from '../syntax/fileIndex';

export { callsWithin };
import { isFunctionWithBody, type FunctionWithBody } from './evaluated';

/**
 * What one walk of a function's body finds, shared by every analysis of the function (each
 * acquisition in it, each rule), so that following a resource through the function's steps looks
 * names up instead of walking each step again.
 */
export interface FunctionIndex {
  readonly fn: FunctionWithBody;
  /**
   * Identifiers named `name` that the function's own code contains — not those inside nested
   * functions or classes — in source order.
   */
  ownIdentifiers(name: string): readonly ts.Identifier[];
  /** Identifiers named `name` anywhere in the body, nested functions included, in source order. */
  allIdentifiers(name: string): readonly ts.Identifier[];
  /** Functions and classes the function's own code creates (the outermost ones), in source order. */
  readonly closures: readonly ts.Node[];
  /** `await` expressions of the function's own code, in evaluation order (an operand's first). */
  readonly awaits: readonly ts.AwaitExpression[];
  /**
   * What `forEachEvaluated(fn.body)` meets that can declare a local function: variable
   * declarations with a name and an initializer in the function's own code, and function
   * declarations it creates; in source order.
   */
  readonly localFunctions: readonly (ts.VariableDeclaration | ts.FunctionDeclaration)[];
}

const EMPTY: readonly ts.Identifier[] = [];
const indexes = new WeakMap<ts.Node, FunctionIndex>();

/** The index of `fn`, built on first use by one walk of its body. */
export function functionIndexOf(fn: FunctionWithBody): FunctionIndex {
  let index = indexes.get(fn);
  if (!index) {
    index = buildIndex(fn);
    indexes.set(fn, index);
  }
  return index;
}

function buildIndex(fn: FunctionWithBody): FunctionIndex {
  const own = new Map<string, ts.Identifier[]>();
  const all = new Map<string, ts.Identifier[]>();
  const closures: ts.Node[] = [];
  const awaits: ts.AwaitExpression[] = [];
  const localFunctions: (ts.VariableDeclaration | ts.FunctionDeclaration)[] = [];
  const add = (map: Map<string, ts.Identifier[]>, identifier: ts.Identifier): void => {
    const list = map.get(identifier.text);
    if (list) list.push(identifier);
    else map.set(identifier.text, [identifier]);
  };
  // Nested code: only identifiers are collected there.
  const visitNested = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.Identifier) add(all, node as ts.Identifier);
    else ts.forEachChild(node, visitNested);
  };
  const visitOwn = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        add(own, node as ts.Identifier);
        add(all, node as ts.Identifier);
        return;
      case ts.SyntaxKind.VariableDeclaration: {
        const declaration = node as ts.VariableDeclaration;
        if (ts.isIdentifier(declaration.name) && declaration.initializer) localFunctions.push(declaration);
        break;
      }
      case ts.SyntaxKind.AwaitExpression:
        ts.forEachChild(node, visitOwn);
        awaits.push(node as ts.AwaitExpression);
        return;
    }
    if (isFunctionWithBody(node) || ts.isClassLike(node)) {
      closures.push(node);
      if (ts.isFunctionDeclaration(node)) localFunctions.push(node);
      ts.forEachChild(node, visitNested);
      return;
    }
    if (ts.isFunctionLike(node)) {
      // Signatures and function types: no code runs, their names are not the function's values.
      ts.forEachChild(node, visitNested);
      return;
    }
    ts.forEachChild(node, visitOwn);
  };
  if (ts.isBlock(fn.body)) ts.forEachChild(fn.body, visitOwn);
  else visitOwn(fn.body);
  return {
    fn,
    ownIdentifiers: (name) => own.get(name) ?? EMPTY,
    allIdentifiers: (name) => all.get(name) ?? EMPTY,
    closures,
    awaits,
    localFunctions,
  };
}

/** Whether `node` is code `fn` runs itself: not inside a function, class or signature nested in it. */
export function isOwnCode(node: ts.Node, fn: FunctionWithBody): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return false;
  }
  return true;
}

/** Whether `inner` lies within `outer` (both of one file). */
export function within(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

