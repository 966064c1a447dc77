import { ts } from 'ts-morph';
import { forEachEvaluated, isFunctionWithBody } from '../flow';
import { skipOuter } from '../scopes/appKinds';
import type { ElementOrigin } from './poolModel';

/** Methods that put an object back in its initial state, in the order the reset fix prefers them. */
export const RESET_METHODS = ['reset', 'clear', 'reinit', 'recycle'] as const;

const TYPED_ARRAYS = /^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array$/;

/** Classes of a file by name; `get` is all element recognition needs, so the map can be built lazily. */
export interface ClassLookup {
  get(name: string): ts.ClassLikeDeclaration | undefined;
}

/**
 * What a fresh pooled object is, from the expression that creates it: `new Parser()` of a class in
 * this file, an object literal, `[]`, `new Map()`, `Buffer.alloc(n)`, `new Uint8Array(n)`; calls of
 * functions or methods declared here are followed to what they return (two calls deep).
 */
export function elementOrigin(expression: ts.Expression | undefined, classes: ClassLookup, depth = 0): ElementOrigin | undefined {
  if (!expression || depth > 2) return undefined;
  const target = skipOuter(expression);
  if (ts.isAwaitExpression(target)) return elementOrigin(target.expression, classes, depth);
  if (ts.isObjectLiteralExpression(target)) return { kind: 'object', literal: target };
  if (ts.isArrayLiteralExpression(target)) return { kind: 'array' };
  if (ts.isNewExpression(target) && ts.isIdentifier(target.expression)) {
    const name = target.expression.text;
    const declared = classes.get(name);
    if (declared) return { kind: 'class', declaration: declared };
    if (name === 'Map' || name === 'WeakMap') return { kind: 'map' };
    if (name === 'Set' || name === 'WeakSet') return { kind: 'set' };
    if (name === 'Array') return { kind: 'array' };
    if (TYPED_ARRAYS.test(name)) return { kind: 'typedArray' };
    return undefined;
  }
  if (ts.isCallExpression(target)) {
    const callee = skipOuter(target.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      if (callee.expression.text === 'Buffer' && /^(alloc|allocUnsafe|allocUnsafeSlow|from)$/.test(callee.name.text)) return { kind: 'buffer' };
      if (callee.expression.text === 'Array' && /^(from|of)$/.test(callee.name.text)) return { kind: 'array' };
    }
    const fn = calledFunction(target);
    if (fn) return elementOrigin(returnedExpression(fn), classes, depth + 1);
  }
  // `(free.pop() ?? create())`: the fallback shows what the list holds.
  if (ts.isBinaryExpression(target) && (target.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || target.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return elementOrigin(target.right, classes, depth) ?? elementOrigin(target.left, classes, depth);
  }
  if (ts.isConditionalExpression(target)) return elementOrigin(target.whenFalse, classes, depth) ?? elementOrigin(target.whenTrue, classes, depth);
  return undefined;
}

// Keyed by the SourceFile object: a file's new text is a new object, so entries never go stale.
const classesByFile = new WeakMap<ts.SourceFile, ReadonlyMap<string, ts.ClassLikeDeclaration>>();

/** Classes declared in the file, by name (one walk per file, shared). */
export function classesOf(sourceFile: ts.SourceFile): ReadonlyMap<string, ts.ClassLikeDeclaration> {
  let classes = classesByFile.get(sourceFile);
  if (!classes) {
    classes = collectClasses(sourceFile);
    classesByFile.set(sourceFile, classes);
  }
  return classes;
}

/** A lookup of the file's classes that walks the file only when something is looked up. */
export function lazyClasses(sourceFile: ts.SourceFile): ClassLookup {
  return { get: (name) => classesOf(sourceFile).get(name) };
}

function collectClasses(sourceFile: ts.SourceFile): Map<string, ts.ClassLikeDeclaration> {
  const out = new Map<string, ts.ClassLikeDeclaration>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name) out.set(node.name.text, node);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isClassExpression(skipOuter(node.initializer))) {
      out.set(node.name.text, skipOuter(node.initializer) as ts.ClassExpression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** A function or method declared in this file that `call` calls (`create()`, `this.create()`). */
function calledFunction(call: ts.CallExpression): (ts.FunctionLikeDeclaration & { body: ts.ConciseBody }) | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = ts.findAncestor(call, ts.isClassLike);
    const member = owner?.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === callee.name.text);
    if (member && isFunctionWithBody(member)) return member;
    if (member && ts.isPropertyDeclaration(member) && member.initializer && isFunctionWithBody(skipOuter(member.initializer))) {
      return skipOuter(member.initializer) as ts.ArrowFunction;
    }
    return undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const file = call.getSourceFile();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === callee.text && statement.body) return statement as ts.FunctionDeclaration & { body: ts.Block };
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === callee.text && d.initializer && isFunctionWithBody(skipOuter(d.initializer))) {
          return skipOuter(d.initializer) as ts.ArrowFunction;
        }
      }
    }
  }
  return undefined;
}

/** The single expression a function returns, when it has exactly one `return` (or an expression body). */
export function returnedExpression(fn: ts.FunctionLikeDeclaration & { body: ts.ConciseBody }): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return fn.body;
  const returns: ts.ReturnStatement[] = [];
  forEachEvaluated(fn.body, (node) => {
    if (ts.isReturnStatement(node)) returns.push(node);
  });
  return returns.length === 1 ? returns[0].expression : undefined;
}

/** The reset-like method an object of this origin has, in the fix's order of preference. */
export function resetMethodOf(origin: ElementOrigin | undefined): string | undefined {
  if (!origin) return undefined;
  if (origin.kind === 'class') {
    for (const name of RESET_METHODS) if (findMethod(origin.declaration, name)) return name;
    return undefined;
  }
  if (origin.kind === 'object') {
    for (const name of RESET_METHODS) {
      const property = origin.literal.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
      if (property && (ts.isMethodDeclaration(property) || (ts.isPropertyAssignment(property) && isFunctionWithBody(skipOuter(property.initializer))))) return name;
    }
  }
  return undefined;
}

export function findMethod(declaration: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  for (const member of declaration.members) {
    if (ts.isMethodDeclaration(member) && member.body && member.name && ts.isIdentifier(member.name) && member.name.text === name) return member;
  }
  return undefined;
}

/**
 * Initial value of each property of a fresh object, as source text: class field initialisers and
 * constructor assignments of values that do not depend on constructor arguments, or an object
 * literal's properties.
 */
export function initialValues(origin: ElementOrigin | undefined): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  if (!origin) return out;
  if (origin.kind === 'object') {
    for (const property of origin.literal.properties) {
      if (ts.isPropertyAssignment(property) && property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
        out.set(property.name.text, property.initializer);
      }
    }
    return out;
  }
  if (origin.kind !== 'class') return out;
  for (const member of origin.declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.initializer && !isStatic(member)) {
      out.set(member.name.text, member.initializer);
    }
  }
  const constructor = origin.declaration.members.find(ts.isConstructorDeclaration);
  if (constructor?.body) {
    const parameters = new Set(constructor.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')));
    for (const statement of constructor.body.statements) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, operatorToken, right } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      if (mentionsAny(right, parameters) || mentionsThis(right)) continue;
      out.set(left.name.text, right);
    }
  }
  return out;
}

function isStatic(member: ts.ClassElement): boolean {
  return !!ts.getCombinedModifierFlags(member as ts.Declaration) && (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static) !== 0;
}

export function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(current) && names.has(current.text)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function mentionsThis(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (current.kind === ts.SyntaxKind.ThisKeyword) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
