import { ts } from 'ts-morph';
import { isDetachedChain } from '../syntax/promiseChains';
import { importOf, type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';

/** Events after which the request is over: work started from their listeners runs after it. */
const AFTER_REQUEST_EVENTS = new Set(['close', 'finish', 'abort', 'aborted', 'cancelled']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);

/**
 * Whether `node` is part of work meant to outlive the request (RULES.md §2.1/§2.2), looking up to
 * `boundary` (the handler or helper): handed to `waitUntil(...)` or Next.js `after(...)`,
 * explicitly detached (`void p`, a statement chain ending in `.catch(f)` / `.then(f, g)` followed
 * only by `.finally(...)`), or started by a listener for the request's end (`res.on('close', ...)`).
 * A promise stored in a local `const` follows the variable: `const p = fetch(...);
 * ctx.waitUntil(p)` or `void p` in the same function, or `const p = fetch(...).catch(f)`, as long
 * as `p` is not also awaited, returned or yielded (then the request waits on it after all).
 */
export function outlivesRequest(node: ts.Node, boundary: ts.Node, imports: ImportTable, declarations: LocalDeclarations): boolean {
  return outlivesDirectly(node, boundary, imports) || storedAndDetached(node, boundary, imports, declarations);
}

function outlivesDirectly(node: ts.Node, boundary: ts.Node, imports: ImportTable): boolean {
  for (let current = node; current !== boundary && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isVoidExpression(parent)) return true;
    if (ts.isExpressionStatement(parent) && isDetachedChain(current as ts.Expression)) return true;
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      if (isKeepAlive(parent, imports)) return true;
      if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && isAfterRequestListener(parent)) return true;
    }
  }
  return false;
}

/** `const p = <node>...; waitUntil(p)` / `void p`, or `const p = <node>.catch(f)`, with `p` never awaited. */
function storedAndDetached(node: ts.Node, boundary: ts.Node, imports: ImportTable, declarations: LocalDeclarations): boolean {
  // Up through wrappers and promise chains to the expression the variable holds.
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return false;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) current = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === current && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && /^(then|catch|finally)$/.test(parent.name.text)) current = parent.parent;
    else break;
  }
  const declaration = current.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== current || !ts.isIdentifier(declaration.name)) return false;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return false;
  if (declaration.pos < boundary.pos || declaration.end > boundary.end) return false;
  const name = declaration.name.text;
  const home = enclosingFunction(declaration);
  let detached = isDetachedChain(current as ts.Expression);
  let awaited = false;
  const visit = (child: ts.Node): void => {
    if (awaited) return;
    if (ts.isIdentifier(child) && child.text === name && child !== declaration.name && isReference(child) && declarations.lookup(name, child) === declaration) {
      if (outlivesDirectly(child, boundary, imports)) {
        if (enclosingFunction(child) === home) detached = true;
      } else if (isAwaited(child)) {
        awaited = true;
      }
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(boundary, visit);
  return detached && !awaited;
}

/** An identifier that reads a variable (not a property name, a declared name or a label). */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  return true;
}

/** Whether the expression's value is waited on: awaited, returned or yielded, directly or through what contains it. */
function isAwaited(node: ts.Node): boolean {
  for (let current = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent) || ts.isReturnStatement(parent)) return true;
    // `() => p`: the inner function returns it.
    if (ts.isArrowFunction(parent) && parent.body === current) return true;
    if (ts.isStatement(parent) || ts.isFunctionLike(parent)) return false;
  }
  return false;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

/** `ctx.waitUntil(p)`, `c.executionCtx.waitUntil(p)`, `waitUntil(p)`, Next.js `after(fn)`. */
function isKeepAlive(call: ts.CallExpression, imports: ImportTable): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === 'waitUntil') return true;
  const target = importOf(imports, callee);
  return !!target && (target.module === 'next/server' || target.module === 'next/after') && /^(unstable_)?after$/.test(target.name);
}



/** `res.on('close', fn)`, `res.once('finish', fn)`, `signal.addEventListener('abort', fn)`. */
function isAfterRequestListener(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text)) return false;
  const event = call.arguments[0];
  return !!event && ts.isStringLiteralLike(event) && AFTER_REQUEST_EVENTS.has(event.text);
}

const STORE_METHODS = new Set(['set', 'add', 'push', 'unshift']);
const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);

/**
 * Whether the promise a call starts (or a `.then` chain on it) is stored where other requests will
 * use it: a module-level or outer variable (`configPromise ??= fetch(...)`), a field
 * (`this.pending = ...`), or a shared collection (`inflight.set(key, fetch(...))`). One client's
 * signal must not cancel work other requests wait on.
 */
export function isSharedAcrossRequests(node: ts.Expression, boundary: ts.Node, declarations: LocalDeclarations): boolean {
  let current: ts.Node = node;
  for (;;) {
    const parent = current.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) current = parent;
    else if (ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && /^(then|catch|finally)$/.test(parent.name.text)) current = parent.parent;
    else break;
  }
  const parent = current.parent;
  const isOuter = (target: ts.Expression): boolean => {
    let root = skipOuter(target);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (!ts.isIdentifier(root)) return false;
    const declaration = declarations.lookup(root.text, root);
    return !declaration || declaration.pos < boundary.pos || declaration.end > boundary.end;
  };
  if (ts.isBinaryExpression(parent) && parent.right === current && ASSIGNMENTS.has(parent.operatorToken.kind)) return isOuter(parent.left);
  if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
    const callee = skipOuter(parent.expression);
    return ts.isPropertyAccessExpression(callee) && STORE_METHODS.has(callee.name.text) && isOuter(callee.expression);
  }
  return false;
}
