import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import { indexOf } from '../syntax/fileIndex';
import { findMethod, initialValues, RESET_METHODS } from './elements';
import type { ElementOrigin } from './poolModel';

/**
 * What a piece of code does to one object's state, for `pooled-object-not-reset`: `mutate` marks
 * properties dirty (`*`: the object as a whole — array, Map, Set or buffer contents, or an unknown
 * key), `reset` cleans everything, `restore` puts one property back to its initial value.
 */
export type ObjectEffect =
  | { kind: 'mutate'; keys: readonly string[]; node: ts.Node }
  | { kind: 'reset'; node: ts.Node }
  | { kind: 'restore'; key: string; node: ts.Node };

const RESET_NAMES: ReadonlySet<string> = new Set(RESET_METHODS);
const CONTAINER_MUTATORS = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', // arrays, typed arrays
  'set', 'delete', 'add', // Map, Set, typed arrays
  'write', 'swap16', 'swap32', 'swap64', // Buffer
]);
const COMPOUND_ASSIGNMENTS = new Set([
  ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.AsteriskAsteriskEqualsToken, ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken, ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Recognises the object: an identifier named `name`, or `this` when analysing the object's own class. */
export type ObjectMatcher = (expression: ts.Expression) => boolean;

export function named(name: string): ObjectMatcher {
  return (expression) => ts.isIdentifier(expression) && expression.text === name;
}

const isThis: ObjectMatcher = (expression) => expression.kind === ts.SyntaxKind.ThisKeyword;

/**
 * Effects of `node` on the object, in evaluation order. Nested functions count where they are
 * created: a callback that mutates the object (`items.forEach((i) => list.push(i))`) may run there.
 */
export function objectEffectsIn(node: ts.Node, isObject: ObjectMatcher, element: ElementOrigin | undefined, depth = 0): ObjectEffect[] {
  const out: ObjectEffect[] = [];
  const initial = initialValuesOf(element);
  const visit = (current: ts.Node): void => {
    ts.forEachChild(current, visit);
    if (ts.isExpression(current) && isObject(skipOuter(current)) && !isPartOfLargerObjectReference(current)) {
      const effect = effectOfReference(current, element, initial, depth);
      if (effect) out.push(effect);
    } else if (ts.isCallExpression(current)) {
      out.push(...effectsOfCallOn(current, isObject, element, depth));
    }
  };
  visit(node);
  return out;
}

/**
 * `objectEffectsIn(node, named(name), element)`, from the places the name occurs rather than a walk
 * of `node`: `identifiers` are those named `name` in code around `node` (a function index's
 * `allIdentifiers(name)`); only those inside `node` count. Same effects, same order.
 */
export function objectEffectsOfName(node: ts.Node, name: string, element: ElementOrigin | undefined, identifiers: readonly ts.Identifier[]): ObjectEffect[] {
  // What the walk would test, in its order (what a node contains before the node): each
  // occurrence of the name with the wrappers around it, and the calls taking it as first argument.
  const met: ts.Expression[] = [];
  for (const identifier of identifiers) {
    if (identifier.pos < node.pos || identifier.end > node.end) continue;
    let current: ts.Expression = identifier;
    for (;;) {
      met.push(current);
      const parent = current.parent;
      if (!isWrapper(parent) || parent.pos < node.pos || parent.end > node.end) break;
      current = parent as ts.Expression;
    }
    const call = current.parent;
    if (ts.isCallExpression(call) && call.expression !== current && call.arguments.includes(current) && call.pos >= node.pos && call.end <= node.end) met.push(call);
  }
  if (met.length === 0) return [];
  if (met.length > 1) met.sort((a, b) => a.end - b.end || b.pos - a.pos);
  const isObject = named(name);
  const initial = initialValuesOf(element);
  const out: ObjectEffect[] = [];
  for (const current of met) {
    if (ts.isCallExpression(current)) {
      out.push(...effectsOfCallOn(current, isObject, element));
      continue;
    }
    const effect = !isPartOfLargerObjectReference(current) ? effectOfReference(current, element, initial, 0) : undefined;
    if (effect) out.push(effect);
  }
  return out;
}

/** What `skipOuter` looks through. */
function isWrapper(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

const NO_INITIAL_VALUES: ReadonlyMap<string, ts.Expression> = new Map();
const initialValuesByOrigin = new WeakMap<ts.Node, ReadonlyMap<string, ts.Expression>>();

/** `initialValues(element)`, computed once per class or object literal. */
function initialValuesOf(element: ElementOrigin | undefined): ReadonlyMap<string, ts.Expression> {
  const key = element?.kind === 'class' ? element.declaration : element?.kind === 'object' ? element.literal : undefined;
  if (!key) return NO_INITIAL_VALUES;
  let values = initialValuesByOrigin.get(key);
  if (!values) {
    values = initialValues(element);
    initialValuesByOrigin.set(key, values);
  }
  return values;
}

/** `(x)` inside `(x)!`: only the outermost wrapper is looked at. */
function isPartOfLargerObjectReference(expression: ts.Expression): boolean {
  const parent = expression.parent;
  return ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent);
}

function effectOfReference(
  reference: ts.Expression,
  element: ElementOrigin | undefined,
  initial: ReadonlyMap<string, ts.Expression>,
  depth: number,
): ObjectEffect | undefined {
  const parent = reference.parent;
  // x[k] = v, x[k]++
  if (ts.isElementAccessExpression(parent) && parent.expression === reference) {
    if (!isWritten(parent)) return undefined;
    const key = ts.isStringLiteral(parent.argumentExpression) ? parent.argumentExpression.text : '*';
    return { kind: 'mutate', keys: [key], node: parent };
  }
  if (!ts.isPropertyAccessExpression(parent) || parent.expression !== reference) return undefined;
  const key = parent.name.text;
  const outer = parent.parent;
  // x.m(...)
  if (ts.isCallExpression(outer) && outer.expression === parent) return effectOfMethodCall(outer, key, element, depth);
  // x.p = v / x.p += v / x.p++ / delete x.p
  if (isWritten(parent)) {
    const assignment = outer as ts.BinaryExpression;
    if (ts.isBinaryExpression(outer) && outer.operatorToken.kind === ts.SyntaxKind.EqualsToken && outer.left === parent) {
      if (key === 'length' && isZero(assignment.right)) return { kind: 'reset', node: outer };
      if (restoresInitial(assignment.right, initial.get(key))) return { kind: 'restore', key, node: outer };
    }
    return { kind: 'mutate', keys: [key], node: outer };
  }
  // x.p.q = v, x.p.push(v), x.p[i] = v: the property's contents change.
  if ((ts.isPropertyAccessExpression(outer) || ts.isElementAccessExpression(outer)) && outer.expression === parent) {
    const inner = outer.parent;
    if (ts.isPropertyAccessExpression(outer) && ts.isCallExpression(inner) && inner.expression === outer) {
      const method = outer.name.text;
      if (isContainerReset(inner, method)) return restoresInitialContainer(initial.get(key)) ? { kind: 'restore', key, node: inner } : { kind: 'mutate', keys: [key], node: inner };
      if (CONTAINER_MUTATORS.has(method) || /^write/.test(method)) return { kind: 'mutate', keys: [key], node: inner };
      return undefined;
    }
    if (isWritten(outer)) {
      if (ts.isPropertyAccessExpression(outer) && outer.name.text === 'length' && ts.isBinaryExpression(outer.parent) && isZero(outer.parent.right)) {
        return restoresInitialContainer(initial.get(key)) ? { kind: 'restore', key, node: outer.parent } : { kind: 'mutate', keys: [key], node: outer.parent };
      }
      return { kind: 'mutate', keys: [key], node: outer.parent };
    }
  }
  return undefined;
}

/** Effects on the object through a call that takes it: `Object.assign(x, ...)`, `src.copy(x)`. */
function effectsOfCallOn(call: ts.CallExpression, isObject: ObjectMatcher, element: ElementOrigin | undefined, depth = 0): ObjectEffect[] {
  const effect = effectOfCallOn(call, isObject, element);
  return effect ? [effect] : effectsOfHelperCall(call, isObject, element, depth);
}

function effectOfCallOn(call: ts.CallExpression, isObject: ObjectMatcher, element: ElementOrigin | undefined): ObjectEffect | undefined {
  const callee = skipOuter(call.expression);
  const first = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!first || !isObject(first)) return undefined;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign') {
    const keys: string[] = [];
    for (const source of call.arguments.slice(1)) {
      const literal = skipOuter(source);
      if (!ts.isObjectLiteralExpression(literal)) return { kind: 'mutate', keys: ['*'], node: call };
      for (const property of literal.properties) {
        if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) keys.push(property.name.text);
        else return { kind: 'mutate', keys: ['*'], node: call };
      }
    }
    return { kind: 'mutate', keys, node: call };
  }
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'copy' && (element?.kind === 'buffer' || element?.kind === 'typedArray')) {
    return { kind: 'mutate', keys: ['*'], node: call };
  }
  return undefined;
}

/**
 * A function declared in this file that the object is passed to (`fillDraft(draft, body)`):
 * what it does to its parameter is done to the object at the call (RULES.md §1, "Helpers": two
 * calls deep).
 */
function effectsOfHelperCall(call: ts.CallExpression, isObject: ObjectMatcher, element: ElementOrigin | undefined, depth: number): ObjectEffect[] {
  if (depth >= 2 || !ts.isIdentifier(call.expression)) return [];
  const index = call.arguments.findIndex((argument) => isObject(skipOuter(argument)));
  if (index < 0 || call.arguments.slice(0, index + 1).some(ts.isSpreadElement)) return [];
  const helper = localFunction(call.expression);
  const parameter = helper?.parameters[index];
  if (!helper?.body || !parameter || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return [];
  return objectEffectsIn(helper.body, named(parameter.name.text), element, depth + 1).map((effect) => ({ ...effect, node: call }));
}

/** `name` declared in this file as a function or a `const` bound to one. */
function localFunction(name: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const declaration = indexOf(name.getSourceFile()).declarations.lookup(name.text, name);
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
    const initializer = skipOuter(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

function effectOfMethodCall(call: ts.CallExpression, method: string, element: ElementOrigin | undefined, depth: number): ObjectEffect | undefined {
  if (RESET_NAMES.has(method)) return { kind: 'reset', node: call };
  if (isContainerReset(call, method)) return { kind: 'reset', node: call };
  if (element?.kind === 'class') {
    const declared = findMethod(element.declaration, method);
    if (declared) {
      const keys = depth < 2 ? fieldsMutatedBy(declared, element, depth + 1) : ['*'];
      return keys.length > 0 ? { kind: 'mutate', keys, node: call } : undefined;
    }
  }
  // Method names alone say nothing about other objects (`redis.set(k, v)` on a pooled client
  // changes the database, not the client): they count only on known containers.
  if (isContainer(element) && (CONTAINER_MUTATORS.has(method) || /^write/.test(method))) return { kind: 'mutate', keys: ['*'], node: call };
  return undefined;
}

function isContainer(element: ElementOrigin | undefined): boolean {
  return element?.kind === 'array' || element?.kind === 'map' || element?.kind === 'set' || element?.kind === 'buffer' || element?.kind === 'typedArray';
}

/** `fill(0)`, `splice(0)`, `splice(0, x.length)` empty a container; `clear()` is a reset method. */
function isContainerReset(call: ts.CallExpression, method: string): boolean {
  if (method === 'clear') return call.arguments.length === 0;
  if (method === 'fill') return call.arguments.length === 1 && isZero(call.arguments[0]);
  if (method === 'splice') return call.arguments.length >= 1 && call.arguments.length <= 2 && isZero(call.arguments[0]) && (call.arguments.length === 1 || /\.length$/.test(call.arguments[1].getText()));
  return false;
}

const mutatedByMethod = new WeakMap<ts.MethodDeclaration, (readonly string[] | undefined)[]>();

/** Fields of `this` a method of the object's class changes, following `this.m()` calls (once per method and depth). */
function fieldsMutatedBy(method: ts.MethodDeclaration, element: ElementOrigin, depth: number): readonly string[] {
  let byDepth = mutatedByMethod.get(method);
  if (!byDepth) {
    byDepth = [];
    mutatedByMethod.set(method, byDepth);
  }
  return (byDepth[depth] ??= computeFieldsMutatedBy(method, element, depth));
}

function computeFieldsMutatedBy(method: ts.MethodDeclaration, element: ElementOrigin, depth: number): string[] {
  const keys = new Set<string>();
  for (const effect of objectEffectsIn(method.body!, isThis, element, depth)) {
    // A counter the object keeps about its own use (`this.rendered += 1`) is not state one caller
    // leaves for the next; what callers hand a method (`this.lines.push(line)`) is.
    if (effect.kind === 'mutate' && isCounterUpdate(effect.node)) continue;
    if (effect.kind === 'mutate' || effect.kind === 'restore') {
      const changed = effect.kind === 'mutate' ? effect.keys : [effect.key];
      for (const key of changed) keys.add(key);
    }
  }
  return [...keys];
}

/** `this.n++`, `--this.n`, `this.n += 1`, `this.n -= 2`: a numeric literal step. */
function isCounterUpdate(node: ts.Node): boolean {
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || node.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) &&
    ts.isNumericLiteral(skipOuter(node.right))
  );
}

function isWritten(target: ts.Expression): boolean {
  const parent = target.parent;
  if (ts.isBinaryExpression(parent) && parent.left === target) {
    return parent.operatorToken.kind === ts.SyntaxKind.EqualsToken || COMPOUND_ASSIGNMENTS.has(parent.operatorToken.kind);
  }
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(parent);
}

function isZero(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  return ts.isNumericLiteral(target) && Number(target.text) === 0;
}

const EMPTY_VALUES = new Set(['null', 'undefined', '0', "''", '""', '``', 'false', '[]', '{}', 'newMap()', 'newSet()', 'void0']);

/** Whether assigning `value` puts the property back as a fresh object has it. */
function restoresInitial(value: ts.Expression, initial: ts.Expression | undefined): boolean {
  const assigned = normalize(value);
  if (!initial) return EMPTY_VALUES.has(assigned);
  const expected = normalize(initial);
  if (assigned === expected) return true;
  const nullish = new Set(['null', 'undefined', 'void0']);
  return nullish.has(assigned) && nullish.has(expected);
}

function restoresInitialContainer(initial: ts.Expression | undefined): boolean {
  if (!initial) return true;
  // `new Map<string, number>()` is as empty as `new Map()`.
  return /^(\[\]|newMap(<.*>)?\(\)|newSet(<.*>)?\(\)|newArray(<.*>)?\(\))$/.test(normalize(initial));
}

export function normalize(expression: ts.Expression): string {
  return skipOuter(expression).getText().replace(/\s+/g, '').replace(/"/g, "'");
}

/**
 * Whether `body` cleans the object named `name` anywhere: a reset-like method, `length = 0`,
 * `fill(0)`, or handing it to a function whose name says it resets (`this.reset(obj)`).
 */
export function resetsObject(body: ts.Node, name: string): boolean {
  if (objectEffectsIn(body, named(name), undefined).some((e) => e.kind === 'reset' || e.kind === 'restore')) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.arguments.some((a) => named(name)(skipOuter(a)))) {
      const callee = skipOuter(node.expression);
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (/reset|clear|clean|scrub|wipe|zero|reinit/i.test(calleeName)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

