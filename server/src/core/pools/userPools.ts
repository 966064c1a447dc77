import { ts } from 'ts-morph';
import { enclosingFunction, forEachEvaluated } from '../flow';
import { skipOuter } from '../scopes/appKinds';
import { elementOrigin, lazyClasses, returnedExpression, type ClassLookup } from './elements';
import { callsOfMethods } from './methodCalls';
import { resetsObject } from './objectEffects';
import type { ElementOrigin, UserPool } from './poolModel';

/** Get-like and give-back method names of a user-defined pool (RULES.md §3). */
export const TAKE_METHODS = new Set(['acquire', 'get', 'obtain', 'take', 'borrow', 'alloc']);
export const GIVE_BACK_METHODS = new Set(['release', 'put', 'return', 'free', 'recycle', 'giveBack']);

/**
 * Classes declared in this file that work as object pools: a get-like method with no required
 * parameter that takes an element out of one of the class's own collection fields with
 * `pop()`/`shift()`, and a one-parameter give-back method that adds that parameter to the same
 * field. Imported classes never count (a router's `get`/`put` are not a pool's). Only classes with
 * such a `this.F.pop()` in one of their get-like methods are looked at, found from the file's
 * shared call index, so a file without one costs no walk.
 */
export function findUserPools(sourceFile: ts.SourceFile): UserPool[] {
  const candidates: ts.ClassDeclaration[] = [];
  for (const call of callsOfMethods(sourceFile, TAKE_CALLS)) {
    if (call.arguments.length !== 0 || !thisFieldOfCall(call, TAKE_CALLS)) continue;
    const method = enclosingFunction(call);
    if (!method || !ts.isMethodDeclaration(method) || !ts.isIdentifier(method.name) || !TAKE_METHODS.has(method.name.text)) continue;
    const owner = method.parent;
    if (ts.isClassDeclaration(owner) && owner.name && !candidates.includes(owner)) candidates.push(owner);
  }
  const out: UserPool[] = [];
  for (const candidate of candidates.sort((a, b) => a.pos - b.pos)) {
    const pool = userPoolOf(candidate);
    if (pool) out.push(pool);
  }
  return out;
}

// Per file, per class: what the class is as a pool (null: not one). Keyed by the SourceFile object,
// so an edited file (a new object) starts afresh; shared by every file that uses the class.
const poolsByFile = new WeakMap<ts.SourceFile, Map<ts.ClassDeclaration, UserPool | null>>();

/** The pool a class declaration is, if it is one (see findUserPools); computed once per class. */
export function userPoolOf(declaration: ts.ClassDeclaration): UserPool | undefined {
  const sourceFile = declaration.getSourceFile();
  let pools = poolsByFile.get(sourceFile);
  if (!pools) {
    pools = new Map();
    poolsByFile.set(sourceFile, pools);
  }
  let pool = pools.get(declaration);
  if (pool === undefined) {
    pool = computeUserPool(declaration, lazyClasses(sourceFile)) ?? null;
    pools.set(declaration, pool);
  }
  return pool ?? undefined;
}

function computeUserPool(declaration: ts.ClassDeclaration, classes: ClassLookup): UserPool | undefined {
  const takes = new Map<string, ts.MethodDeclaration[]>();
  const giveBacks = new Map<string, ts.MethodDeclaration[]>();
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !member.name || !ts.isIdentifier(member.name)) continue;
    const name = member.name.text;
    if (TAKE_METHODS.has(name) && member.parameters.every(isOptional)) {
      for (const field of fieldsTakenFrom(member)) add(takes, field, member);
    }
    if (GIVE_BACK_METHODS.has(name) && member.parameters.length === 1 && ts.isIdentifier(member.parameters[0].name)) {
      for (const field of fieldsGivenTo(member, member.parameters[0].name.text)) add(giveBacks, field, member);
    }
  }
  for (const [field, takeMethods] of takes) {
    const giveBackMethods = giveBacks.get(field);
    if (!giveBackMethods) continue;
    const element = elementFromTake(takeMethods, declaration, field, classes);
    const resets =
      giveBackMethods.some((m) => resetsObject(m.body!, (m.parameters[0].name as ts.Identifier).text)) ||
      takeMethods.some((m) => resetsTakenElement(m));
    return { declaration, field, takeMethods, giveBackMethods, element, resets };
  }
  return undefined;
}

function isOptional(parameter: ts.ParameterDeclaration): boolean {
  return !!parameter.questionToken || !!parameter.initializer || !!parameter.dotDotDotToken;
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `this.F` of a call `this.F.<method>(...)`, if the callee has that shape. */
export function thisFieldOfCall(call: ts.CallExpression, methods: ReadonlySet<string>): string | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  const receiver = skipOuter(callee.expression);
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) return receiver.name.text;
  // `this.#free.pop()`
  if (ts.isPropertyAccessExpression(receiver) && ts.isPrivateIdentifier(receiver.name) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) return receiver.name.text;
  return undefined;
}

const TAKE_CALLS = new Set(['pop', 'shift']);
const PUT_CALLS = new Set(['push', 'unshift']);

function fieldsTakenFrom(method: ts.MethodDeclaration): Set<string> {
  const fields = new Set<string>();
  forEachEvaluated(method.body!, (node) => {
    if (ts.isCallExpression(node) && node.arguments.length === 0) {
      const field = thisFieldOfCall(node, TAKE_CALLS);
      if (field) fields.add(field);
    }
  });
  return fields;
}

function fieldsGivenTo(method: ts.MethodDeclaration, parameter: string): Set<string> {
  const fields = new Set<string>();
  forEachEvaluated(method.body!, (node) => {
    if (!ts.isCallExpression(node)) return;
    const field = thisFieldOfCall(node, PUT_CALLS);
    if (field && node.arguments.some((a) => ts.isIdentifier(skipOuter(a)) && (skipOuter(a) as ts.Identifier).text === parameter)) fields.add(field);
  });
  return fields;
}

/** What a fresh element is: the creation next to `this.F.pop()` in a take method, or `F`'s element type. */
function elementFromTake(
  methods: readonly ts.MethodDeclaration[],
  declaration: ts.ClassDeclaration,
  field: string,
  classes: ClassLookup,
): ElementOrigin | undefined {
  for (const method of methods) {
    const returned = returnedExpression(method as ts.MethodDeclaration & { body: ts.Block });
    const fromReturn = elementOrigin(returned, classes);
    if (fromReturn) return fromReturn;
    let found: ElementOrigin | undefined;
    forEachEvaluated(method.body!, (node) => {
      if (!found && (ts.isNewExpression(node) || ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node) || ts.isCallExpression(node))) {
        if (ts.isCallExpression(node) && thisFieldOfCall(node, TAKE_CALLS)) return;
        found = elementOrigin(node as ts.Expression, classes);
      }
    });
    if (found) return found;
  }
  return elementFromFieldType(declaration, field, classes);
}

/** `private idle: Parser[] = []` -> the `Parser` class. */
export function elementFromFieldType(declaration: ts.ClassLikeDeclaration, field: string, classes: ClassLookup): ElementOrigin | undefined {
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || member.name.getText() !== field || !member.type) continue;
    return elementFromArrayType(member.type, classes);
  }
  return undefined;
}

export function elementFromArrayType(type: ts.TypeNode, classes: ClassLookup): ElementOrigin | undefined {
  let elementType: ts.TypeNode | undefined;
  if (ts.isArrayTypeNode(type)) elementType = type.elementType;
  else if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Array') elementType = type.typeArguments?.[0];
  if (!elementType || !ts.isTypeReferenceNode(elementType) || !ts.isIdentifier(elementType.typeName)) return undefined;
  const name = elementType.typeName.text;
  const declared = classes.get(name);
  if (declared) return { kind: 'class', declaration: declared };
  if (name === 'Buffer') return { kind: 'buffer' };
  if (name === 'Map') return { kind: 'map' };
  if (name === 'Set') return { kind: 'set' };
  if (/^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64)Array$/.test(name)) return { kind: 'typedArray' };
  return undefined;
}

/** A take method that cleans what it hands out: `const o = this.free.pop(); o.reset(); return o;`. */
function resetsTakenElement(method: ts.MethodDeclaration): boolean {
  const locals = new Set<string>();
  forEachEvaluated(method.body!, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) locals.add(node.name.text);
  });
  for (const local of locals) if (resetsObject(method.body!, local)) return true;
  return false;
}
