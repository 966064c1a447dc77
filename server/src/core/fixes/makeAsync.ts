// Makes a function `async` so a fix can put an `await` inside it. Shared by every fix that awaits
// something (`unawaited-background-work`, and later `unawaited-next`).
import { ts } from 'ts-morph';
import type { TextEdit } from '../types';

export type AsyncCapableFunction = ts.FunctionLikeDeclaration;

export function isAsyncFunction(fn: ts.Node): boolean {
  return ts.canHaveModifiers(fn) && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/**
 * The edits that make `fn` async: the `async` keyword where the function's syntax puts it, and a
 * declared return type `T` rewritten to `Promise<T>`. `[]` when it is async already; `undefined`
 * when it can't become async without changing what it is (generators, accessors, constructors,
 * type predicates and assertion signatures).
 */
export function makeAsyncEdits(fn: ts.Node, sourceFile: ts.SourceFile): TextEdit[] | undefined {
  if (!isFunctionWithBody(fn)) return undefined;
  if (isAsyncFunction(fn)) return [];
  if (fn.asteriskToken) return undefined;
  const at = asyncKeywordPosition(fn, sourceFile);
  if (at === undefined) return undefined;
  const edits: TextEdit[] = [{ start: at, end: at, newText: 'async ' }];
  if (fn.type) {
    const returnType = promisedReturnType(fn.type, sourceFile);
    if (returnType === undefined) return undefined;
    if (returnType !== fn.type.getText(sourceFile)) {
      edits.push({ start: fn.type.getStart(sourceFile), end: fn.type.getEnd(), newText: returnType });
    }
  }
  return edits;
}

function isFunctionWithBody(
  node: ts.Node,
): node is ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

/** Arrows and function expressions start with their own syntax; declarations and methods may carry modifiers first. */
function asyncKeywordPosition(
  fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration,
  sourceFile: ts.SourceFile,
): number | undefined {
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return fn.getStart(sourceFile);
  if (ts.isMethodDeclaration(fn)) return fn.name.getStart(sourceFile);
  const keyword = fn.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
  return keyword?.getStart(sourceFile);
}

/** `T` -> `Promise<T>`; a declared `Promise<T>` stays as it is (the function already returned one). */
function promisedReturnType(type: ts.TypeNode, sourceFile: ts.SourceFile): string | undefined {
  if (ts.isTypePredicateNode(type)) return undefined;
  const text = type.getText(sourceFile);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise') return text;
  return `Promise<${text}>`;
}
