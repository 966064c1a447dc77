// Edit builders for fixes that wait for, hand over or detach a promise-valued expression. They
// insert text around the user's expression and never reprint it, so comments and formatting stay.
import { ts } from 'ts-morph';
import type { TextEdit } from '../types';

/** The error handler a detaching fix attaches: visible in the logs, never silent. */
export const LOG_ERROR_HANDLER = '(error) => console.error(error)';

/** Whether the expression can follow a prefix operator (`await x`, `void x`) without parentheses. */
export function isUnaryOperand(expression: ts.Expression): boolean {
  return isMemberTarget(expression) || ts.isNewExpression(expression) || ts.isAwaitExpression(expression) || ts.isVoidExpression(expression);
}

/** Whether `.member` can be appended to the expression without parentheses. */
export function isMemberTarget(expression: ts.Expression): boolean {
  return (
    ts.isCallExpression(expression) ||
    ts.isPropertyAccessExpression(expression) ||
    ts.isElementAccessExpression(expression) ||
    ts.isIdentifier(expression) ||
    ts.isParenthesizedExpression(expression) ||
    ts.isTaggedTemplateExpression(expression) ||
    ts.isNonNullExpression(expression) ||
    ts.isArrayLiteralExpression(expression) ||
    expression.kind === ts.SyntaxKind.ThisKeyword ||
    (ts.isNewExpression(expression) && expression.arguments !== undefined)
  );
}

/** `before` + expression + `after`, parenthesising the expression when `needsParens` says so. */
export function surround(
  expression: ts.Expression,
  sourceFile: ts.SourceFile,
  before: string,
  after: string,
  needsParens = false,
): TextEdit[] {
  const start = expression.getStart(sourceFile);
  const end = expression.getEnd();
  const open = needsParens ? '(' : '';
  const close = needsParens ? ')' : '';
  return [
    { start, end: start, newText: before + open },
    { start: end, end, newText: close + after },
  ];
}

/** `x` -> `await x`. */
export function awaitEdits(expression: ts.Expression, sourceFile: ts.SourceFile): TextEdit[] {
  return surround(expression, sourceFile, 'await ', '', !isUnaryOperand(expression));
}

/** `x` -> `<callee>(x)`: hands the expression to a function (`Promise.all`, `ctx.waitUntil`). */
export function passToEdits(expression: ts.Expression, sourceFile: ts.SourceFile, callee: string, prefix = '', suffix = ''): TextEdit[] {
  return surround(expression, sourceFile, `${prefix}${callee}(`, `)${suffix}`, ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.CommaToken);
}

/**
 * `x` -> `void x.catch(handler)`: detached on purpose, with its failure logged. `wrapIn` names a
 * function that first turns the value into a promise with a `catch` method (`Promise.all` for an
 * array of promises, `Promise.resolve` for a bare thenable).
 */
export function detachEdits(expression: ts.Expression, sourceFile: ts.SourceFile, wrapIn?: string): TextEdit[] {
  const handler = `.catch(${LOG_ERROR_HANDLER})`;
  if (wrapIn) return passToEdits(expression, sourceFile, wrapIn, 'void ', handler);
  return surround(expression, sourceFile, 'void ', handler, !isMemberTarget(expression));
}

/** `x` -> `x.catch(handler)`, for an expression whose value must stay a promise (`wrapIn` as for `detachEdits`). */
export function catchEdits(expression: ts.Expression, sourceFile: ts.SourceFile, wrapIn?: string): TextEdit[] {
  const handler = `.catch(${LOG_ERROR_HANDLER})`;
  if (wrapIn) return passToEdits(expression, sourceFile, wrapIn, '', handler);
  return surround(expression, sourceFile, '', handler, !isMemberTarget(expression));
}

/**
 * `xs.forEach(cb)` -> `<before>xs.map(cb)<after>`: the callback's promises become an array that
 * `Promise.all` can wait for. The caller checks that `xs` is an array.
 */
export function forEachToMapEdits(call: ts.CallExpression, sourceFile: ts.SourceFile, before: string, after: string): TextEdit[] | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'forEach' || callee.questionDotToken) return undefined;
  const name = callee.name;
  return [
    { start: call.getStart(sourceFile), end: call.getStart(sourceFile), newText: before },
    { start: name.getStart(sourceFile), end: name.getEnd(), newText: 'map' },
    { start: call.getEnd(), end: call.getEnd(), newText: after },
  ];
}
