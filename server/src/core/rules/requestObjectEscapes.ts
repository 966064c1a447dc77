import { ts } from 'ts-morph';
import { copyRequestValuesEdits } from '../fixes/copyRequestValues';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import { chainRoot, RequestObjectRefs } from '../scopes/requestObjectRefs';
import type { RequestScope } from '../scopes/requestScope';
import { type LongLivedState, moduleStoresOf, type ModuleStores } from '../stores/moduleStores';
import { indexOf } from '../syntax/fileIndex';
import { enclosingExecutor, functionBodyOf, timerHandleOf, timerKindOf, variableHandleUses } from '../timers/timerFacts';
import { isReportedByTimerWithoutCleanup } from '../timers/uncleanedTimers';
import type { Fix } from '../types';
import { scopeRelated } from './scopeRelated';

const COPY_FIX = 'Copy the needed values before the callback';

export const requestObjectEscapes: Rule = {
  id: 'request-object-escapes',
  description: 'A request object is kept alive after the response by a timer, listener, unawaited continuation or long-lived store.',
  fixTitles: [COPY_FIX],
  check(ctx) {
    if (ctx.facts.requestScopes.length === 0) return;
    for (const escape of new Detector(ctx).run()) ctx.report({ ...explain(escape, ctx), fixes: fix(escape, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

type Escape =
  | { kind: 'timer'; scope: RequestScope; anchor: ts.Node; callee: string; callbacks: ts.Node[] }
  | { kind: 'listener'; scope: RequestScope; anchor: ts.Node; emitter: string }
  | { kind: 'continuation'; scope: RequestScope; anchor: ts.Node; callbacks: ts.Node[] }
  | { kind: 'store'; scope: RequestScope; anchor: ts.Node; state: LongLivedState };

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
const REMOVE_METHODS = new Set(['off', 'removeListener', 'removeEventListener']);
const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);
const STORE_METHODS = new Set(['set', 'add', 'push', 'unshift']);
const SHRINK_METHODS = new Set(['delete', 'clear', 'splice', 'shift', 'pop', 'remove', 'filter']);
/** Events on a request object after which the request is over (RULES.md §1, "The request ends"). */
const END_EVENTS = new Set(['close', 'finish', 'aborted', 'abort', 'cancelled']);
const ANSWERING = new Set(['res', 'reply', 'ctx', 'c', 'call', 'callback']);
/** Collections a request object can be put into (a package client's `set` serialises instead). */
const COLLECTIONS = new Set(['map', 'set', 'array', 'object', 'bounded']);

class Detector {
  readonly #declarations: LocalDeclarations;
  readonly #stores: ModuleStores;
  readonly #refs = new Map<RequestScope, RequestObjectRefs>();
  readonly #found: Escape[] = [];

  constructor(private readonly ctx: RuleContext) {
    this.#declarations = indexOf(ctx.sourceFile).declarations;
    this.#stores = moduleStoresOf(ctx.sourceFile);
  }

  run(): Escape[] {
    const calls = indexOf(this.ctx.sourceFile).calls;
    for (const call of calls) {
      const callee = skipOuter(call.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const isTimer = ts.isIdentifier(callee) || (method !== undefined && /^set(Timeout|Interval|Immediate)$/.test(method));
      if (!isTimer && !(method && (LISTEN_METHODS.has(method) || CHAIN_METHODS.has(method) || STORE_METHODS.has(method)))) continue;
      const scope = this.ctx.facts.scopeOf(call);
      if (!scope || scope.requestObjects.size === 0) continue;
      const refs = this.#refsOf(scope);
      if (isTimer) this.#timer(call, scope, refs);
      else if (LISTEN_METHODS.has(method!)) this.#listener(call, callee as ts.PropertyAccessExpression, scope, refs);
      else if (CHAIN_METHODS.has(method!)) this.#continuation(call, scope, refs);
      else this.#storeCall(call, callee as ts.PropertyAccessExpression, scope, refs);
    }
    for (const scope of this.ctx.facts.requestScopes) {
      if (scope.requestObjects.size === 0 || !scope.fn.body) continue;
      this.#storeAssignments(scope);
    }
    return this.#found.sort((a, b) => a.anchor.getStart(this.ctx.sourceFile) - b.anchor.getStart(this.ctx.sourceFile));
  }

  #refsOf(scope: RequestScope): RequestObjectRefs {
    let refs = this.#refs.get(scope);
    if (!refs) {
      refs = new RequestObjectRefs(scope, this.#declarations);
      this.#refs.set(scope, refs);
    }
    return refs;
  }

  // Timers: captured by a callback whose handle is not cleared, unless the callback responds.
  #timer(call: ts.CallExpression, scope: RequestScope, refs: RequestObjectRefs): void {
    const kind = timerKindOf(call, this.#declarations, this.ctx.facts.imports);
    if (!kind || call.arguments.length === 0) return;
    if (isReportedByTimerWithoutCleanup(call, this.ctx.facts)) return;
    const callback = skipOuter(call.arguments[0]);
    const body = functionBodyOf(callback, this.#declarations);
    if (!body) return;
    if (this.#isCleared(call, callback, scope)) return;
    if (refs.completesResponse(body)) return;
    if (settlesEnclosingPromise(call, body, this.#declarations)) return;
    const passed = call.arguments.slice(kind === 'setImmediate' ? 1 : 2).find((a) => refs.isRequestObjectExpression(a));
    const anchor = captured(body, refs)[0] ?? passed;
    if (!anchor) return;
    const inline = ts.isArrowFunction(callback) || ts.isFunctionExpression(callback);
    this.#found.push({ kind: 'timer', scope, anchor, callee: kind, callbacks: inline && !passed ? [callback] : [] });
  }

  /** The handle is kept and passed to `clearTimeout`/`clearInterval` outside the callback, or handed somewhere we can't follow. */
  #isCleared(call: ts.CallExpression, callback: ts.Expression, scope: RequestScope): boolean {
    const handle = timerHandleOf(call, this.#declarations);
    if (handle.kind === 'none') return false;
    if (handle.kind !== 'variable') return true;
    const home = handle.declaration ? enclosingFunctionOrFile(handle.declaration) : scope.fn;
    const uses = variableHandleUses(handle.name, handle.declaration, home, this.#declarations, this.ctx.facts.imports);
    if (uses.escapes.length > 0) return true;
    return uses.clears.some((clear) => clear.pos < callback.pos || clear.end > callback.end);
  }

  // Listeners on a long-lived emitter that are never removed.
  #listener(call: ts.CallExpression, callee: ts.PropertyAccessExpression, scope: RequestScope, refs: RequestObjectRefs): void {
    if (call.arguments.length < 2) return;
    if (!this.#isLongLived(callee.expression, scope, refs)) return;
    const options = call.arguments[2];
    if (options && (!ts.isObjectLiteralExpression(skipOuter(options)) || hasProperty(skipOuter(options) as ts.ObjectLiteralExpression, 'signal'))) return;
    const listener = skipOuter(call.arguments[1]);
    const body = functionBodyOf(listener, this.#declarations);
    if (!body) return;
    if (ts.isIdentifier(listener) && this.#isRemoved(listener.text, callee.expression)) return;
    if (this.#removesAll(callee.expression)) return;
    const anchor = captured(body, refs)[0];
    if (!anchor) return;
    this.#found.push({ kind: 'listener', scope, anchor, emitter: compact(callee.expression.getText(this.ctx.sourceFile)) });
  }

  /** RULES.md §1 "Long-lived emitter". */
  #isLongLived(expression: ts.Expression, scope: RequestScope, refs: RequestObjectRefs): boolean {
    const target = skipOuter(expression);
    if (ts.isPropertyAccessExpression(target) && (target.name.text === 'socket' || target.name.text === 'connection')) return true;
    if (ts.isIdentifier(target)) {
      if (refs.kindOf(target)) return false;
      const declaration = this.#declarations.lookup(target.text, target);
      if (!declaration) return target.text === 'process' || this.ctx.facts.imports.get(target.text) !== undefined;
      if (ts.isParameter(declaration)) return declaration.parent !== scope.fn && contains(declaration.parent, scope.fn);
      if (ts.isVariableDeclaration(declaration)) {
        if (!contains(scope.fn, declaration)) return true;
        const init = declaration.initializer && skipOuter(declaration.initializer);
        return !!init && ts.isPropertyAccessExpression(init) && init.name.text === 'socket';
      }
      return false;
    }
    if (chainRoot(target) && refs.kindOf(chainRoot(target)!)) return false;
    return this.#stores.rootStateOf(target) !== undefined;
  }

  #isRemoved(listenerName: string, emitter: ts.Expression): boolean {
    const emitterText = compact(emitter.getText(this.ctx.sourceFile));
    return indexOf(this.ctx.sourceFile).calls.some((call) => {
      const callee = skipOuter(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !REMOVE_METHODS.has(callee.name.text)) return false;
      const argument = call.arguments[1] && skipOuter(call.arguments[1]);
      return !!argument && ts.isIdentifier(argument) && argument.text === listenerName && compact(callee.expression.getText(this.ctx.sourceFile)) === emitterText;
    });
  }

  #removesAll(emitter: ts.Expression): boolean {
    const emitterText = compact(emitter.getText(this.ctx.sourceFile));
    return indexOf(this.ctx.sourceFile).calls.some((call) => {
      const callee = skipOuter(call.expression);
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'removeAllListeners' && compact(callee.expression.getText(this.ctx.sourceFile)) === emitterText;
    });
  }

  // Continuations of a promise chain nobody waits for (a statement, or `void`).
  #continuation(call: ts.CallExpression, scope: RequestScope, refs: RequestObjectRefs): void {
    const outerCall = outer(call);
    const parent = outerCall.parent;
    // Only the top of a chain: `a.then(f).catch(g)` is seen once, at `.catch`.
    if (ts.isPropertyAccessExpression(parent) && CHAIN_METHODS.has(parent.name.text)) return;
    if (!ts.isExpressionStatement(parent) && !ts.isVoidExpression(parent)) return;
    const callbacks: ts.Node[] = [];
    let current: ts.Expression = call;
    for (;;) {
      const link = skipOuter(current);
      if (!ts.isCallExpression(link)) break;
      const linkCallee = skipOuter(link.expression);
      if (!ts.isPropertyAccessExpression(linkCallee) || !CHAIN_METHODS.has(linkCallee.name.text)) break;
      for (const argument of link.arguments) {
        const target = skipOuter(argument);
        if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) callbacks.unshift(target);
      }
      current = linkCallee.expression;
    }
    // `reply.then(...)`: a thenable request object, not background work.
    const root = chainRoot(current);
    if (root && refs.kindOf(root)) return;
    if (callbacks.some((callback) => refs.completesResponse(callback))) return;
    if (this.#insideDeferredCallback(call, scope)) return;
    for (const callback of callbacks) {
      const anchor = captured(callback, refs)[0];
      if (anchor) {
        this.#found.push({ kind: 'continuation', scope, anchor, callbacks });
        return;
      }
    }
  }

  /** Inside a timer, listener or continuation callback: that callback is what outlives the request (or not). */
  #insideDeferredCallback(node: ts.Node, scope: RequestScope): boolean {
    for (let current = node.parent; current && current !== scope.fn; current = current.parent) {
      if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue;
      const call = outer(current).parent;
      if (!ts.isCallExpression(call) || !call.arguments.includes(outer(current))) continue;
      const callee = skipOuter(call.expression);
      if (timerKindOf(call, this.#declarations, this.ctx.facts.imports)) return true;
      if (ts.isPropertyAccessExpression(callee) && (LISTEN_METHODS.has(callee.name.text) || CHAIN_METHODS.has(callee.name.text))) return true;
    }
    return false;
  }

  // Stores: `map.set(k, req)`, `set.add(res)`, `arr.push(ctx)` into long-lived state.
  #storeCall(call: ts.CallExpression, callee: ts.PropertyAccessExpression, scope: RequestScope, refs: RequestObjectRefs): void {
    const state = this.#stores.rootStateOf(callee.expression);
    if (!state) return;
    if (!this.#isCollection(state, callee.expression)) return;
    const values = callee.name.text === 'set' ? call.arguments.slice(1, 2) : call.arguments;
    for (const value of values) {
      const stored = this.#storedRequestObject(value, refs);
      if (stored) {
        this.#noteStore(stored, value, state, scope, refs);
        return;
      }
    }
  }

  /** Assignments in the scope's body (from the file index, in source order) that store into long-lived state. */
  #storeAssignments(scope: RequestScope): void {
    const body = scope.fn.body!;
    for (const node of indexOf(this.ctx.sourceFile).assignments) {
      if (node.pos < body.pos || node.end > body.end || !isStoringAssignment(node.operatorToken.kind)) continue;
      const state = this.#stores.rootStateOf(node.left);
      if (state && this.#stores.collectionKind(state) !== 'weak') {
        const refs = this.#refsOf(scope);
        const stored = this.#storedRequestObject(node.right, refs);
        if (stored && this.ctx.facts.scopeOf(node) === scope) this.#noteStore(stored, node.right, state, scope, refs);
      }
    }
  }

  #isCollection(state: LongLivedState, receiver: ts.Expression): boolean {
    const kind = this.#stores.collectionKind(state);
    if (COLLECTIONS.has(kind)) return true;
    if (kind !== 'unknown') return false;
    // Reached through `.get(...)` / a property (`rooms.get(id).add(res)`): a collection inside the state.
    if (this.#stores.stateOf(receiver) === undefined) return true;
    if (state.holder !== 'imported') return false;
    const info = this.ctx.facts.values.infoOf(receiver);
    return info.kind === 'global' && /^new (Map|Set|Array)$/.test(info.path);
  }

  /** The request object a stored value keeps: the value itself, or one held by a literal or closure. */
  #storedRequestObject(value: ts.Expression, refs: RequestObjectRefs): ts.Node | undefined {
    const target = skipOuter(value);
    if (refs.isRequestObjectExpression(target)) return target;
    if (ts.isObjectLiteralExpression(target)) {
      for (const property of target.properties) {
        if (ts.isPropertyAssignment(property) && refs.isRequestObjectExpression(property.initializer)) return target;
        if (ts.isShorthandPropertyAssignment(property) && refs.kindOf(property.name)) return target;
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(target)) return target.elements.some((e) => refs.isRequestObjectExpression(e)) ? target : undefined;
    if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return refs.referencesIn(target.body).length > 0 ? target : undefined;
    return undefined;
  }

  #noteStore(stored: ts.Node, value: ts.Expression, state: LongLivedState, scope: RequestScope, refs: RequestObjectRefs): void {
    if (this.#removedAtEnd(state, scope, refs)) return;
    // A store that something drains may be a queue whose consumer answers the request (a batch
    // flushed by a timer): then the request does not end before the entry leaves. Unsure: quiet.
    if (this.#holdsAnswering(stored, refs) && this.#shrinksAnywhere(state)) return;
    if (state.holder === 'imported' && this.#hasEndContext(scope, refs)) return;
    this.#found.push({ kind: 'store', scope, anchor: skipOuter(value), state });
  }

  #holdsAnswering(stored: ts.Node, refs: RequestObjectRefs): boolean {
    const roots = ts.isIdentifier(stored) ? [stored] : refs.referencesIn(stored);
    if (ts.isPropertyAccessExpression(stored)) {
      const root = chainRoot(stored);
      if (root) roots.push(root);
    }
    return roots.some((root) => ANSWERING.has(refs.kindOf(root) ?? ''));
  }

  #shrinksAnywhere(state: LongLivedState): boolean {
    const uses = this.#stores.usesOf(state);
    if (uses.shrinks.length > 0 || uses.unknown.length > 0) return true;
    return indexOf(this.ctx.sourceFile).calls.some((call) => {
      const callee = skipOuter(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !SHRINK_METHODS.has(callee.name.text)) return false;
      const found = this.#stores.rootStateOf(callee.expression);
      return !!found && this.#stores.sameState(found, state);
    });
  }

  /** Removed in a listener for the request's end, or in a `finally` of the handler. */
  #removedAtEnd(state: LongLivedState, scope: RequestScope, refs: RequestObjectRefs): boolean {
    return this.#endContexts(scope, refs).some((body) => this.#shrinksIn(body, state, 0));
  }

  #hasEndContext(scope: RequestScope, refs: RequestObjectRefs): boolean {
    return this.#endContexts(scope, refs).length > 0;
  }

  #endContexts(scope: RequestScope, refs: RequestObjectRefs): ts.Node[] {
    const out: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isTryStatement(node) && node.finallyBlock) out.push(node.finallyBlock);
      if (ts.isCallExpression(node)) {
        const callee = skipOuter(node.expression);
        const event = node.arguments[0] && skipOuter(node.arguments[0]);
        if (ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && event && ts.isStringLiteralLike(event) && END_EVENTS.has(event.text) && node.arguments[1]) {
          const root = chainRoot(callee.expression);
          const onRequest = (root && refs.kindOf(root)) || callee.name.text === 'addEventListener';
          const body = onRequest ? functionBodyOf(skipOuter(node.arguments[1]), this.#declarations) : undefined;
          if (body) out.push(body);
        }
        // `onFinished(res, fn)` / `finished(res, fn)`.
        if (ts.isIdentifier(callee) && /^(onFinished|finished|eos)$/.test(callee.text) && node.arguments.length >= 2) {
          const body = functionBodyOf(skipOuter(node.arguments[node.arguments.length - 1]), this.#declarations);
          if (body) out.push(body);
        }
      }
      ts.forEachChild(node, visit);
    };
    if (scope.fn.body) visit(scope.fn.body);
    return out;
  }

  #shrinksIn(body: ts.Node, state: LongLivedState, depth: number): boolean {
    let found = false;
    const sameState = (expression: ts.Expression): boolean => {
      const other = this.#stores.rootStateOf(expression);
      return !!other && this.#stores.sameState(other, state);
    };
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const callee = skipOuter(node.expression);
        if (ts.isPropertyAccessExpression(callee) && SHRINK_METHODS.has(callee.name.text) && sameState(callee.expression)) found = true;
        else if (ts.isIdentifier(callee) && depth < 1) {
          const called = functionBodyOf(callee, this.#declarations);
          if (called && this.#shrinksIn(called, state, depth + 1)) found = true;
        }
      } else if (ts.isDeleteExpression(node)) {
        const operand = skipOuter(node.expression);
        if ((ts.isElementAccessExpression(operand) || ts.isPropertyAccessExpression(operand)) && sameState(operand.expression)) found = true;
      } else if (ts.isBinaryExpression(node) && isStoringAssignment(node.operatorToken.kind) && sameState(node.left)) {
        found = true;
      }
      if (!found) ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  }
}

/**
 * References to request objects a callback keeps, in source order. A call on the request's own
 * logger (`request.log.warn(...)`, pino-http's `req.log`) is not counted: that is the framework's
 * per-request logger, used for exactly this, and copying it would keep the same objects.
 */
function captured(body: ts.Node, refs: RequestObjectRefs): ts.Identifier[] {
  return refs.referencesIn(body).filter((reference) => !isLoggerCall(reference));
}

function isLoggerCall(reference: ts.Identifier): boolean {
  const log = reference.parent;
  if (!ts.isPropertyAccessExpression(log) || log.expression !== reference || log.name.text !== 'log') return false;
  const method = log.parent;
  return ts.isPropertyAccessExpression(method) && method.expression === log && ts.isCallExpression(method.parent) && method.parent.expression === method;
}

/**
 * `new Promise((resolve) => setTimeout(() => resolve(req.body), 10))`: the timer settles a promise,
 * which the handler typically waits for (a delay, a retry back-off), so the request is not over
 * before the callback runs. Unsure either way: quiet.
 */
function settlesEnclosingPromise(call: ts.CallExpression, body: ts.Node, declarations: LocalDeclarations): boolean {
  const executor = enclosingExecutor(call);
  if (!executor) return false;
  const settlers = executor.fn.parameters.slice(0, 2).map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined)).filter((n): n is string => !!n);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(skipOuter(node.expression))) {
      const name = (skipOuter(node.expression) as ts.Identifier).text;
      const declaration = declarations.lookup(name, node);
      if (settlers.includes(name) && declaration && ts.isParameter(declaration) && declaration.parent === executor.fn) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function isStoringAssignment(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
}

function hasProperty(object: ts.ObjectLiteralExpression, name: string): boolean {
  return object.properties.some((p) => ts.isSpreadAssignment(p) || (p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === name));
}

function contains(container: ts.Node, node: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

function enclosingFunctionOrFile(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  return node.getSourceFile();
}

function outer(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  return current;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

// ----- explain -----------------------------------------------------------------------------------

const HOLDERS: Record<LongLivedState['holder'], string> = {
  module: 'module-level',
  imported: 'imported module-level',
  static: 'static',
  singleton: 'singleton',
};

function explain(escape: Escape, ctx: RuleContext): ReportDescriptor {
  const name = shortText(escape.anchor, ctx.sourceFile);
  let message: string;
  switch (escape.kind) {
    case 'timer':
      message = `\`${name}\` is captured by a ${escape.callee} callback that is not cleared when the request ends, so the request's objects stay in memory after the response until the timer fires.`;
      break;
    case 'listener':
      message = `\`${name}\` is captured by a listener on \`${escape.emitter}\`, a long-lived emitter, that is never removed, so every request's objects stay in memory for as long as the emitter lives.`;
      break;
    case 'continuation':
      message = `\`${name}\` is captured by a continuation of a promise nobody waits for, so the request's objects stay in memory after the response until that promise settles.`;
      break;
    case 'store':
      message = `\`${name}\` is stored in ${HOLDERS[escape.state.holder]} \`${escape.state.name}\` and not removed when the request ends, so every request's objects stay in memory long after the response.`;
      break;
  }
  const related: RelatedDescriptor[] = scopeRelated(escape.scope, 'the request scope whose object escapes', ctx.sourceFile);
  return { node: escape.anchor, message, related };
}

function shortText(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = compact(node.getText(sourceFile));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ----- fix ---------------------------------------------------------------------------------------

function fix(escape: Escape, ctx: RuleContext): Fix[] {
  if (escape.kind !== 'timer' && escape.kind !== 'continuation') return [];
  if (escape.callbacks.length === 0) return [];
  const refs = new RequestObjectRefs(escape.scope, indexOf(ctx.sourceFile).declarations);
  const typed = !/\.[cm]?jsx?$/.test(ctx.fileName);
  const edits = copyRequestValuesEdits(escape.callbacks, refs, ctx.sourceFile, (node) => (typed ? isPrimitiveType(node, ctx) : undefined));
  return edits ? [{ title: COPY_FIX, preferred: true, edits }] : [];
}

function isPrimitiveType(node: ts.Expression, ctx: RuleContext): boolean | undefined {
  const type = ctx.types.typeOf(node);
  if (!ctx.types.isKnown(type)) return undefined;
  const parts = type.isUnion() ? type.types : [type];
  const primitive = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null;
  return parts.every((part) => (part.flags & primitive) !== 0);
}
