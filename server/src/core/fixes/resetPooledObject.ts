import { ts } from 'ts-morph';
import { initialValues, resetMethodOf } from '../pools/elements';
import type { ElementOrigin } from '../pools/poolModel';
import { skipOuter } from '../scopes/appKinds';
import type { TextEdit } from '../types';
import { indentAt, lineStartOf, newlineOf } from './text';

/**
 * The statements that put a pooled object back in its fresh state, in RULES.md §3.2's order of
 * preference: its own reset-like method, `length = 0` (arrays), `clear()` (Map/Set), `fill(0)`
 * (buffers, typed arrays), or one assignment per changed property restoring the value the pool's
 * factory or class gives a fresh object. `undefined` when none of these is known to be right.
 */
export function resetStatements(
  object: string,
  element: ElementOrigin | undefined,
  dirtyKeys: ReadonlySet<string>,
  isPortable: (value: ts.Expression) => boolean,
): string[] | undefined {
  const method = resetMethodOf(element);
  if (method) return [`${object}.${method}();`];
  switch (element?.kind) {
    case 'array':
      return [`${object}.length = 0;`];
    case 'map':
    case 'set':
      return [`${object}.clear();`];
    case 'buffer':
    case 'typedArray':
      return [`${object}.fill(0);`];
  }
  if (dirtyKeys.size === 0 || dirtyKeys.has('*')) return undefined;
  const initial = initialValues(element);
  const out: string[] = [];
  // In declaration order, so the fix reads like the class or factory it mirrors.
  for (const [key, value] of initial) {
    if (!dirtyKeys.has(key)) continue;
    // An empty collection is emptied in place: the same object stays (a `readonly` field, or one
    // someone else holds), as the pool's own reset would.
    const emptied = emptiedInPlace(`${object}.${key}`, value);
    if (emptied) {
      out.push(emptied);
      continue;
    }
    if (isReadonlyField(value) || !isPortable(value)) return undefined;
    out.push(`${object}.${key} = ${skipOuter(value).getText()};`);
  }
  return out.length === dirtyKeys.size ? out : undefined;
}

/** `x.lines.length = 0;` for a field that starts as `[]`, `x.seen.clear();` for `new Map()` / `new Set()`. */
function emptiedInPlace(target: string, initial: ts.Expression): string | undefined {
  const value = skipOuter(initial);
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 0) return `${target}.length = 0;`;
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && /^(Map|Set)$/.test(value.expression.text) && (value.arguments?.length ?? 0) === 0) return `${target}.clear();`;
  return undefined;
}

function isReadonlyField(initial: ts.Expression): boolean {
  const declaration = initial.parent;
  return ts.isPropertyDeclaration(declaration) && !!declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
}

/** Inserts statements just before `statement`, on their own lines when it starts its line. */
export function insertBefore(sourceFile: ts.SourceFile, statement: ts.Statement, lines: readonly string[]): TextEdit {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() === '') {
    const indent = indentAt(text, start);
    const newline = newlineOf(text);
    return { start: lineStart, end: lineStart, newText: lines.map((l) => `${indent}${l}${newline}`).join('') };
  }
  return { start, end: start, newText: `${lines.join(' ')} ` };
}

/**
 * Whether an initial value can be copied to another place in the file and mean the same there:
 * literals, empty collections, and names of module-level constants that nothing shadows.
 */
export function portableValue(resolvesToModuleLevel: (name: ts.Identifier) => boolean): (value: ts.Expression) => boolean {
  const portable = (value: ts.Expression): boolean => {
    const target = skipOuter(value);
    switch (target.kind) {
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.BigIntLiteral:
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return true;
    }
    if (ts.isIdentifier(target)) return target.text === 'undefined' || target.text === 'NaN' || target.text === 'Infinity' || resolvesToModuleLevel(target);
    if (ts.isPrefixUnaryExpression(target)) return portable(target.operand);
    if (ts.isArrayLiteralExpression(target)) return target.elements.every((e) => !ts.isSpreadElement(e) && portable(e));
    if (ts.isObjectLiteralExpression(target)) return target.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && portable(p.initializer));
    if (ts.isNewExpression(target)) return ts.isIdentifier(target.expression) && /^(Map|Set|Array)$/.test(target.expression.text) && (target.arguments?.length ?? 0) === 0;
    if (ts.isPropertyAccessExpression(target)) return portable(target.expression);
    return false;
  };
  return portable;
}
