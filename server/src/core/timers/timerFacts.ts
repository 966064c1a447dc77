// What the timer rules share (RULES.md §2.4, §2.6, §2.7): which calls start a Node timer, what
// holds the handle a timer call returns, whether a timeout timer is a *cleanup* timer (one that
// aborts a controller or rejects a promise raced with work — Go vet's `lostcancel`), and which
// calls clear a given handle. Syntax only: the callee names, declarations and imports decide.
import { ts } from 'ts-morph';
import { importOf, type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import { isNewAbortController } from '../signals/requestSignals';

export type TimerKind = 'setTimeout' | 'setInterval' | 'setImmediate';

const TIMER_NAMES = new Set<string>(['setTimeout', 'setInterval', 'setImmediate']);
const CLEAR_NAMES = new Set<string>(['clearTimeout', 'clearInterval']);
/** Modules whose `setTimeout`/`setInterval` are the callback timers (not `timers/promises`). */
const TIMER_MODULES = new Set(['timers']);
/** Methods on a handle that neither clear it nor hand it on. */
const HANDLE_METHODS = new Set(['unref', 'ref', 'refresh', 'hasRef']);

/** What `setTimeout`/`setInterval`/`clearTimeout` ... means at a callee: the global (or `timers`) function, or undefined. */
function globalTimerName(callee: ts.Expression, names: ReadonlySet<string>, declarations: LocalDeclarations, imports: ImportTable): string | undefined {
  const target = skipOuter(callee);
  if (ts.isIdentifier(target)) {
    if (!names.has(target.text)) return undefined;
    const imported = imports.get(target.text);
    if (imported) return TIMER_MODULES.has(imported.module) && imported.name === target.text ? target.text : undefined;
    return declarations.lookup(target.text, target) ? undefined : target.text;
  }
  if (ts.isPropertyAccessExpression(target) && names.has(target.name.text)) {
    const receiver = skipOuter(target.expression);
    if (ts.isIdentifier(receiver) && (receiver.text === 'globalThis' || receiver.text === 'global')) return target.name.text;
    const imported = importOf(imports, target);
    if (imported && TIMER_MODULES.has(imported.module)) return target.name.text;
  }
  return undefined;
}

/** `setTimeout(...)`, `setInterval(...)`, `setImmediate(...)` of the global timers (or `node:timers`). */
export function timerKindOf(call: ts.CallExpression, declarations: LocalDeclarations, imports: ImportTable): TimerKind | undefined {
  return globalTimerName(call.expression, TIMER_NAMES, declarations, imports) as TimerKind | undefined;
}

/** `clearTimeout(x)` / `clearInterval(x)` (either clears any handle in Node): the cleared expression. */
export function clearedExpression(call: ts.CallExpression, declarations: LocalDeclarations, imports: ImportTable): ts.Expression | undefined {
  if (call.arguments.length === 0) return undefined;
  if (!globalTimerName(call.expression, CLEAR_NAMES, declarations, imports)) return undefined;
  return skipOuter(call.arguments[0]);
}

/** Where the handle a timer call returns goes. */
export type TimerHandle =
  /** Dropped: a statement, `void`, or only `.unref()`ed. Nothing can ever clear it. */
  | { kind: 'none'; unref: boolean }
  /** Kept in a variable (declared with it, or assigned to one declared elsewhere). */
  | { kind: 'variable'; name: string; declaration: ts.Declaration | undefined; holder: ts.Node; unref: boolean }
  /** Kept in a property (`this.timer = ...`, `state.timer = ...`): `text` is the target without spaces. */
  | { kind: 'property'; text: string; target: ts.Expression; holder: ts.Node; unref: boolean }
  /** Handed on: returned, passed to a call, stored in a literal. The analyser can't follow it. */
  | { kind: 'escapes'; unref: boolean };

/**
 * What holds the handle of `call`: looks through parentheses and `.unref()` / `.ref()` chains
 * (they return the same handle) to the statement, declaration or assignment around it.
 */
export function timerHandleOf(call: ts.CallExpression, declarations: LocalDeclarations): TimerHandle {
  let current: ts.Expression = call;
  let unref = false;
  for (;;) {
    const parent = current.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current && (parent.name.text === 'unref' || parent.name.text === 'ref') && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      if (parent.name.text === 'unref') unref = true;
      current = parent.parent;
      continue;
    }
    break;
  }
  const parent = current.parent;
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return { kind: 'none', unref };
  // `new Promise((_, reject) => setTimeout(...))`: an executor's return value is dropped.
  if (ts.isArrowFunction(parent) && parent.body === current && isExecutor(parent)) return { kind: 'none', unref };
  if (ts.isVariableDeclaration(parent) && parent.initializer === current) {
    if (!ts.isIdentifier(parent.name)) return { kind: 'escapes', unref };
    return { kind: 'variable', name: parent.name.text, declaration: parent, holder: parent, unref };
  }
  if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipOuter(parent.left);
    if (ts.isIdentifier(left)) return { kind: 'variable', name: left.text, declaration: declarations.lookup(left.text, left), holder: parent, unref };
    if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) {
      return { kind: 'property', text: compact(left.getText()), target: left, holder: parent, unref };
    }
  }
  return { kind: 'escapes', unref };
}

/**
 * Every reference to a variable handle other than its declaration: each classified as a clear
 * (`clearTimeout(t)`), a harmless use (`t.unref()`, `if (t)`), or an escape (returned, passed to a
 * call, stored somewhere, assigned to another variable). `scopeNode` bounds the search (the
 * declaring function, or the file).
 */
export interface HandleUses {
  clears: ts.CallExpression[];
  escapes: ts.Node[];
  unref: boolean;
}

export function variableHandleUses(name: string, declaration: ts.Declaration | undefined, scopeNode: ts.Node, declarations: LocalDeclarations, imports: ImportTable): HandleUses {
  const out: HandleUses = { clears: [], escapes: [], unref: false };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && isReference(node) && declarations.lookup(name, node) === declaration) classifyUse(node, out, declarations, imports);
    ts.forEachChild(node, visit);
  };
  visit(scopeNode);
  return out;
}

function classifyUse(identifier: ts.Identifier, out: HandleUses, declarations: LocalDeclarations, imports: ImportTable): void {
  let current: ts.Node = identifier;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAsExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isCallExpression(parent) && parent.arguments[0] === current && clearedExpression(parent, declarations, imports)) {
    out.clears.push(parent);
    return;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
    if (HANDLE_METHODS.has(parent.name.text)) {
      if (parent.name.text === 'unref') out.unref = true;
      return;
    }
    return;
  }
  // Being assigned (the timer call itself, or `t = undefined`), tested, compared: not handed on.
  if (ts.isBinaryExpression(parent) && parent.left === current) return;
  if (ts.isBinaryExpression(parent) && parent.right === current && isAssignment(parent.operatorToken.kind)) {
    out.escapes.push(identifier);
    return;
  }
  if (ts.isBinaryExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isIfStatement(parent) || ts.isConditionalExpression(parent) || ts.isTypeOfExpression(parent)) return;
  if (ts.isVariableDeclaration(parent) && parent.name === current) return;
  out.escapes.push(identifier);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** An identifier that reads or writes a variable (not a property name, declared name or label). */
export function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isBindingElement(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  return true;
}

// ----- cleanup timers (§2.6) -----------------------------------------------------------------------

/** Why a timeout timer is a cleanup timer. */
export type CleanupTimer =
  /** The callback aborts `controller` (`() => ac.abort()`); `onlyAborts` when that is all it does. */
  | { kind: 'abort'; controller: ts.Identifier; onlyAborts: boolean; callback: ts.Expression }
  /** The callback rejects `promise`, which is raced with other work in `Promise.race([...])`. */
  | { kind: 'reject'; promise: ts.NewExpression; executor: ts.FunctionLikeDeclaration };

/**
 * A `setTimeout` that aborts a controller or rejects a promise given to `Promise.race` (RULES.md
 * §2.6): a deadline for work that should be cancelled together with the work.
 */
export function cleanupTimerOf(call: ts.CallExpression, declarations: LocalDeclarations): CleanupTimer | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const callback = skipOuter(first);
  const aborted = abortedController(callback, declarations);
  if (aborted) return { kind: 'abort', controller: aborted.controller, onlyAborts: aborted.only, callback };
  const executor = enclosingExecutor(call);
  if (!executor) return undefined;
  const reject = executor.fn.parameters[1];
  if (!reject || !ts.isIdentifier(reject.name)) return undefined;
  const rejectName = reject.name.text;
  const rejects = ts.isIdentifier(callback)
    ? callback.text === rejectName && declarations.lookup(rejectName, callback) === reject
    : callsIdentifier(functionBodyOf(callback, declarations), rejectName, reject, declarations);
  if (!rejects) return undefined;
  if (!isRaced(executor.promise, declarations)) return undefined;
  return { kind: 'reject', promise: executor.promise, executor: executor.fn };
}

/** `() => ac.abort()`, `function () { ac.abort(new Error('timeout')) }`, `ac.abort.bind(ac)`, a local function doing it. */
function abortedController(callback: ts.Expression, declarations: LocalDeclarations): { controller: ts.Identifier; only: boolean } | undefined {
  if (ts.isCallExpression(callback)) {
    // `ac.abort.bind(ac)`
    const callee = skipOuter(callback.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
      const method = skipOuter(callee.expression);
      if (ts.isPropertyAccessExpression(method) && method.name.text === 'abort') {
        const receiver = skipOuter(method.expression);
        if (ts.isIdentifier(receiver) && isController(receiver, declarations)) return { controller: receiver, only: false };
      }
    }
    return undefined;
  }
  const body = functionBodyOf(callback, declarations);
  if (!body) return undefined;
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'abort') {
        const receiver = skipOuter(callee.expression);
        if (ts.isIdentifier(receiver) && isController(receiver, declarations)) {
          found = receiver;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  if (!found) return undefined;
  const only = isSingleCall(body, found);
  return { controller: found, only };
}

/** The body is just `ac.abort()` (an expression body, or a block with that one statement). */
function isSingleCall(body: ts.Node, receiver: ts.Identifier): boolean {
  let expression: ts.Node | undefined = body;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1 || !ts.isExpressionStatement(body.statements[0])) return false;
    expression = body.statements[0].expression;
  }
  if (!ts.isExpression(expression as ts.Node)) return false;
  const call = skipOuter(expression as ts.Expression);
  return ts.isCallExpression(call) && call.arguments.length === 0 && ts.isPropertyAccessExpression(call.expression) && skipOuter(call.expression.expression) === receiver;
}

/** A local `new AbortController()`, or (without a declaration to read) a name that says it is one. */
function isController(receiver: ts.Identifier, declarations: LocalDeclarations): boolean {
  const declaration = declarations.lookup(receiver.text, receiver);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return isNewAbortController(declaration.initializer);
  if (declaration && ts.isParameter(declaration)) return /controller|^ac$|abort/i.test(receiver.text);
  return false;
}

/** The body of an inline callback, or of the local function an identifier names. */
export function functionBodyOf(callback: ts.Expression, declarations: LocalDeclarations): ts.Node | undefined {
  if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) return callback.body;
  if (ts.isIdentifier(callback)) {
    const declaration = declarations.lookup(callback.text, callback);
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration.body;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuter(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init.body;
    }
  }
  return undefined;
}

function callsIdentifier(body: ts.Node | undefined, name: string, declaration: ts.Declaration, declarations: LocalDeclarations): boolean {
  if (!body) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isIdentifier(callee) && callee.text === name && declarations.lookup(name, callee) === declaration) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The `new Promise((resolve, reject) => ...)` executor around `node`, if `node` is inside one. */
export function enclosingExecutor(node: ts.Node): { fn: ts.FunctionLikeDeclaration; promise: ts.NewExpression } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      let outer: ts.Node = current;
      while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      const parent = outer.parent;
      if (ts.isNewExpression(parent) && parent.arguments?.[0] === outer && isPromiseConstructor(parent)) return { fn: current, promise: parent };
      // A timer inside a nested callback of the executor is still the executor's timer; a function
      // that is not an executor ends the search.
      continue;
    }
    if (ts.isFunctionLike(current) || ts.isClassLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** `fn` is the executor of a `new Promise(fn)`. */
export function isExecutor(fn: ts.Node): boolean {
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  return ts.isNewExpression(parent) && parent.arguments?.[0] === outer && isPromiseConstructor(parent);
}

export function isPromiseConstructor(expression: ts.NewExpression): boolean {
  const callee = skipOuter(expression.expression);
  return ts.isIdentifier(callee) && callee.text === 'Promise';
}

/**
 * `Promise.race([work, <promise>])`, `const t = <promise>; ... Promise.race([work, t])`, or a local
 * function returning it whose call is raced: `Promise.race([work, timeout(ms)])`.
 */
function isRaced(promise: ts.NewExpression, declarations: LocalDeclarations): boolean {
  const holder = outerExpression(promise);
  if (isRaceElement(holder)) return true;
  const parent = holder.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === holder && ts.isIdentifier(parent.name)) {
    return referencesOf(parent.name.text, parent, enclosingBlockOrFile(parent), declarations).some(isRaceElement);
  }
  // `return new Promise(...)` / `() => new Promise(...)` in a local function.
  let fn: ts.Node | undefined;
  if (ts.isReturnStatement(parent)) fn = functionAround(parent);
  else if (ts.isArrowFunction(parent) && parent.body === holder) fn = parent;
  if (!fn) return false;
  const name = functionName(fn);
  if (!name) return false;
  return referencesOf(name.text, name.parent as ts.Declaration, enclosingBlockOrFile(name.parent), declarations).some((reference) => {
    const call = reference.parent;
    return ts.isCallExpression(call) && call.expression === reference && isRaceElement(outerExpression(call));
  });
}

function outerExpression(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent)) current = current.parent;
  return current;
}

function isRaceElement(node: ts.Node): boolean {
  const array = node.parent;
  if (!ts.isArrayLiteralExpression(array)) return false;
  const outer = outerExpression(array);
  const call = outer.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== outer) return false;
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'race' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

function functionAround(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return ts.isFunctionDeclaration(current) || ts.isArrowFunction(current) || ts.isFunctionExpression(current) ? current : undefined;
  }
  return undefined;
}

/** A function's name: its own, or the `const` it initialises. */
function functionName(fn: ts.Node): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name;
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  return undefined;
}

function enclosingBlockOrFile(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}

/** References to a declared name under `within` that resolve to `declaration`. */
export function referencesOf(name: string, declaration: ts.Declaration, within: ts.Node, declarations: LocalDeclarations): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && isReference(node) && declarations.lookup(name, node) === declaration) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(within);
  return out;
}

export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
