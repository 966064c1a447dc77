import { ts } from 'ts-morph';
import { enclosingFunction } from '../flow';
import { LocalDeclarations, skipOuter } from '../scopes/appKinds';
import { elementOrigin, type ClassLookup } from './elements';
import { callsOfMethods } from './methodCalls';
import type { FreeList, UserPool } from './poolModel';
import { elementFromArrayType, elementFromFieldType } from './userPools';

/**
 * Free lists (RULES.md §3): a module-level or field array from which an element is taken with
 * `pop()`/`shift()` and to which the same kind of element is pushed back. "The same kind" is what
 * tells a free list from a work queue: either a take falls back to creating a fresh element when
 * the list is empty (`free.pop() ?? Buffer.alloc(n)`), or a function pushes back the very element
 * it took.
 */
export function findFreeLists(
  sourceFile: ts.SourceFile,
  declarations: LocalDeclarations,
  userPools: readonly UserPool[],
  classes: ClassLookup,
): FreeList[] {
  const candidates = new Map<ts.Node, { name: string; ownerClass: ts.ClassLikeDeclaration | undefined; takes: ts.CallExpression[]; pushes: ts.CallExpression[] }>();
  const poolClasses = new Set<ts.Node>(userPools.map((p) => p.declaration));

  for (const node of callsOfMethods(sourceFile, LIST_METHODS)) {
    const callee = skipOuter(node.expression) as ts.PropertyAccessExpression;
    const method = callee.name.text;
    const isTake = (method === 'pop' || method === 'shift') && node.arguments.length === 0;
    const isPush = (method === 'push' || method === 'unshift') && node.arguments.length === 1;
    if (!isTake && !isPush) continue;
    const list = listDeclaration(callee.expression, declarations);
    if (!list || (list.ownerClass && poolClasses.has(list.ownerClass))) continue;
    let entry = candidates.get(list.declaration);
    if (!entry) {
      entry = { name: list.name, ownerClass: list.ownerClass, takes: [], pushes: [] };
      candidates.set(list.declaration, entry);
    }
    (isTake ? entry.takes : entry.pushes).push(node);
  }

  const out: FreeList[] = [];
  for (const [declaration, entry] of candidates) {
    if (entry.takes.length === 0) continue;
    const pushesVariables = entry.pushes.filter((p) => ts.isIdentifier(skipOuter(p.arguments[0])));
    if (pushesVariables.length === 0) continue;
    const fallbacks = entry.takes.map(fallbackOf).filter((f): f is ts.Expression => !!f);
    if (fallbacks.length === 0 && !pushesBackWhatItTook(entry.takes, pushesVariables)) continue;
    const element =
      fallbacks.map((f) => elementOrigin(f, classes)).find((e) => !!e) ??
      (entry.ownerClass ? elementFromFieldType(entry.ownerClass, entry.name.replace(/^this\./, ''), classes) : elementFromDeclaredType(declaration, classes));
    out.push({ name: entry.name, declaration, ownerClass: entry.ownerClass, element });
  }
  return out;
}

const LIST_METHODS: ReadonlySet<string> = new Set(['pop', 'shift', 'push', 'unshift']);

/** The array declaration behind `free` (module level) or `this.free` (a field), if it is one. */
export function listDeclaration(
  expression: ts.Expression,
  declarations: LocalDeclarations,
): { name: string; declaration: ts.Node; ownerClass: ts.ClassLikeDeclaration | undefined } | undefined {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target)) {
    const declaration = declarations.lookup(target.text, target);
    if (!declaration || !ts.isVariableDeclaration(declaration)) return undefined;
    const statement = declaration.parent?.parent;
    if (!statement || !ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return undefined;
    if (!isArrayInitialiser(declaration.initializer, declaration.type)) return undefined;
    return { name: target.text, declaration, ownerClass: undefined };
  }
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const ownerClass = ts.findAncestor(target, ts.isClassLike);
    if (!ownerClass) return undefined;
    const field = target.name.text;
    for (const member of ownerClass.members) {
      if (ts.isPropertyDeclaration(member) && member.name && member.name.getText() === field && isArrayInitialiser(member.initializer, member.type)) {
        return { name: `this.${field}`, declaration: member, ownerClass };
      }
    }
    const constructor = ownerClass.members.find(ts.isConstructorDeclaration);
    for (const statement of constructor?.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === field && isArrayInitialiser(right, undefined)) {
        return { name: `this.${field}`, declaration: statement, ownerClass };
      }
    }
  }
  return undefined;
}

function isArrayInitialiser(initializer: ts.Expression | undefined, type: ts.TypeNode | undefined): boolean {
  if (!initializer) return !!type && (ts.isArrayTypeNode(type) || (ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Array'));
  const value = skipOuter(initializer);
  if (ts.isArrayLiteralExpression(value)) return true;
  if ((ts.isNewExpression(value) || ts.isCallExpression(value)) && /^Array(\.from|\.of)?$/.test(skipOuter(value.expression).getText())) return true;
  return false;
}

/** `free.pop() ?? create()`, `free.pop() || create()`, `free.length ? free.pop()! : create()`: the creation. */
export function fallbackOf(take: ts.CallExpression): ts.Expression | undefined {
  let value: ts.Expression = take;
  while (ts.isParenthesizedExpression(value.parent) || ts.isNonNullExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if (ts.isBinaryExpression(parent) && parent.left === value) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return parent.right;
  }
  if (ts.isConditionalExpression(parent) && parent.whenTrue === value) return parent.whenFalse;
  return undefined;
}

/** Some function takes an element into a variable and pushes that same variable back. */
function pushesBackWhatItTook(takes: readonly ts.CallExpression[], pushes: readonly ts.CallExpression[]): boolean {
  for (const take of takes) {
    const holder = variableHolding(take);
    if (!holder) continue;
    const fn = enclosingFunction(take);
    if (pushes.some((p) => enclosingFunction(p) === fn && (skipOuter(p.arguments[0]) as ts.Identifier).text === holder)) return true;
  }
  return false;
}

function variableHolding(take: ts.CallExpression): string | undefined {
  let value: ts.Node = take;
  while (ts.isParenthesizedExpression(value.parent) || ts.isNonNullExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.right === value && ts.isIdentifier(parent.left)) return parent.left.text;
  return undefined;
}

function elementFromDeclaredType(declaration: ts.Node, classes: ClassLookup) {
  if (ts.isVariableDeclaration(declaration) && declaration.type) return elementFromArrayType(declaration.type, classes);
  return undefined;
}
