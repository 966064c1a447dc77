// "Add it only if it isn't there yet": a Set `add(k)` / Map `set(k, v)` that runs only when
// `store.has(k)` (same store, same key) is false. Such a store gains an entry per distinct key, not
// per request; whether that is bounded depends on where the key comes from (the caller decides).
import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { Growth } from './moduleStores';

/**
 * The key expression of a Set/Map growth that only runs when `<store>.has(<key>)` is false, or
 * undefined when the growth is not guarded that way. Recognised guards, looking outwards from the
 * growth up to `boundary` (the request scope's function):
 * - `if (!store.has(k)) { ... store.add(k) ... }` (also one conjunct of `&&`), or the `else` of
 *   `if (store.has(k))` (also one disjunct of `||`);
 * - `!store.has(k) && store.add(k)`, `store.has(k) || store.add(k)`, the matching `?:` branch;
 * - an earlier statement in an enclosing block that leaves when the key is present:
 *   `if (store.has(k)) return;` (`continue`, `break`, `throw`, or a block ending with one).
 * Store and key must be spelled the same (names and property reads only: a call could return
 * something else the second time).
 */
export function hasGuardedKey(growth: Growth, boundary: ts.Node): ts.Expression | undefined {
  if (growth.method !== 'add' && growth.method !== 'set') return undefined;
  const key = growth.method === 'set' ? growth.key : growth.value;
  if (!key || !isPlainPath(skipOuter(key))) return undefined;
  const store = textOf(growth.receiver);
  const keyText = textOf(key);
  const isHas = (e: ts.Expression): boolean => {
    const call = skipOuter(e);
    if (!ts.isCallExpression(call) || call.arguments.length !== 1) return false;
    const callee = skipOuter(call.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'has' && textOf(callee.expression) === store && textOf(call.arguments[0]) === keyText;
  };
  const isNotHas = (e: ts.Expression): boolean => {
    const target = skipOuter(e);
    return ts.isPrefixUnaryExpression(target) && target.operator === ts.SyntaxKind.ExclamationToken && isHas(target.operand);
  };
  // True whenever `e` is true only if the key is absent / present.
  const impliesAbsent = (e: ts.Expression): boolean => parts(e, ts.SyntaxKind.AmpersandAmpersandToken).some(isNotHas);
  const presentImplies = (e: ts.Expression): boolean => parts(e, ts.SyntaxKind.BarBarToken).some(isHas);

  for (let node: ts.Node = growth.node; node.parent && node !== boundary; node = node.parent) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent) && parent !== boundary) return undefined;
    if (ts.isIfStatement(parent)) {
      if (parent.thenStatement === node && impliesAbsent(parent.expression)) return key;
      if (parent.elseStatement === node && presentImplies(parent.expression)) return key;
    } else if (ts.isBinaryExpression(parent) && parent.right === node) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && impliesAbsent(parent.left)) return key;
      if (op === ts.SyntaxKind.BarBarToken && presentImplies(parent.left)) return key;
    } else if (ts.isConditionalExpression(parent)) {
      if (parent.whenTrue === node && impliesAbsent(parent.condition)) return key;
      if (parent.whenFalse === node && presentImplies(parent.condition)) return key;
    } else if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const statements = parent.statements as ts.NodeArray<ts.Statement>;
      const at = statements.indexOf(node as ts.Statement);
      for (const earlier of statements.slice(0, Math.max(at, 0))) {
        if (ts.isIfStatement(earlier) && !earlier.elseStatement && presentImplies(earlier.expression) && leaves(earlier.thenStatement)) return key;
      }
    }
  }
  return undefined;
}

/** The operands of a chain of one logical operator: `a && b && c` → a, b, c. */
function parts(expression: ts.Expression, operator: ts.SyntaxKind): ts.Expression[] {
  const target = skipOuter(expression);
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === operator) return [...parts(target.left, operator), ...parts(target.right, operator)];
  return [target];
}

/** A statement that always leaves the enclosing block: `return`, `throw`, `continue`, `break`, or a block ending with one. */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isContinueStatement(statement) || ts.isBreakStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && leaves(last);
  }
  return false;
}

/** `name`, `this.x`, `a.b.c`, `a[0]`, `a['k']`: evaluating it twice gives the same value. */
function isPlainPath(expression: ts.Expression): boolean {
  const e = skipOuter(expression);
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword || ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainPath(e.expression);
  if (ts.isElementAccessExpression(e)) return isPlainPath(e.expression) && isPlainPath(e.argumentExpression);
  return false;
}

function textOf(expression: ts.Expression): string {
  return skipOuter(expression).getText().replace(/\s+/g, '').replace(/\?\./g, '.');
}
