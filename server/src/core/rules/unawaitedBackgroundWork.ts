// RULES.md §2.1: a promise created in a request scope that nobody waits for. Detect finds the
// statement that creates the work (plain data: `Work`), explain words the finding, and the fix
// builders turn it into awaited, kept-alive or explicitly detached work.
import { ts } from 'ts-morph';
import { wrapBodyInTryCatch } from '../fixes/catchInBody';
import { isAsyncFunction, makeAsyncEdits } from '../fixes/makeAsync';
import { awaitEdits, catchEdits, detachEdits, forEachToMapEdits, LOG_ERROR_HANDLER, passToEdits } from '../fixes/promiseEdits';
import { indentAt, newlineOf } from '../fixes/text';
import type { RelatedDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { packageOfFile } from '../typeInfo';
import type { Fix, TextEdit } from '../types';

const FIX_AWAIT = 'Await the background work';
const FIX_WAIT_UNTIL = 'Hand it to waitUntil';
const FIX_DETACH = 'Detach explicitly with an error handler';

export const unawaitedBackgroundWork: Rule = {
  id: 'unawaited-background-work',
  description: 'A promise started in a request scope that nobody waits for.',
  fixTitles: [FIX_AWAIT, FIX_WAIT_UNTIL, FIX_DETACH],
  check(ctx) {
    const scopes = ctx.facts.requestScopes;
    if (scopes.length === 0) return;
    const detector = new Detector(ctx, scopes);
    for (const scope of scopes) {
      for (const work of detector.workIn(scope)) {
        ctx.report({
          start: work.anchor.start,
          end: work.anchor.end,
          message: explain(work, ctx.sourceFile),
          related: [relatedToScope(scope, ctx.sourceFile)],
          fixes: buildFixes(work, detector, ctx),
        });
      }
    }
  },
};

// ----- detect ---------------------------------------------------------------------------------------

/** One promise (or array of promises) nobody waits for, and the statement that creates it. */
type Work =
  | { kind: 'statement'; statement: ts.ExpressionStatement; expression: ts.Expression; promise: PromiseShape; scope: RequestScope; anchor: Span }
  | {
      kind: 'variable';
      statement: ts.VariableStatement;
      declaration: ts.VariableDeclaration & { name: ts.Identifier; initializer: ts.Expression };
      promise: PromiseShape;
      scope: RequestScope;
      anchor: Span;
    }
  | { kind: 'callback'; statement: ts.Statement; call: ts.CallExpression; api: CallbackApi; scope: RequestScope; anchor: Span };

/** `one`: a promise; `many`: an array of them (`xs.map(async ...)`). */
type PromiseShape = 'one' | 'many';

interface Span {
  start: number;
  end: number;
}

/** A call that runs a callback later without waiting for what the callback returns. */
interface CallbackApi {
  kind: 'forEach' | 'timer' | 'listener';
  callback: ts.Expression;
  /** How the message names the call: `forEach()`, `setTimeout()`, `res.on()`. */
  label: string;
}

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.ConciseBody };

const TIMER_FUNCTIONS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask']);
/**
 * Methods of the Express / node:http response that never return a promise: answering is the most
 * common statement in a handler, and recognising it from syntax spares a type query per line.
 */
const RESPONSE_METHODS = new Set([
  'status', 'json', 'jsonp', 'send', 'sendStatus', 'end', 'set', 'setHeader', 'header', 'type', 'cookie', 'clearCookie',
  'redirect', 'render', 'sendFile', 'download', 'write', 'writeHead', 'append', 'location', 'vary', 'attachment',
  'links', 'format', 'flushHeaders', 'removeHeader', 'getHeader',
]);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const PROMISE_STATICS = new Set(['all', 'allSettled', 'race', 'any', 'resolve', 'reject']);
/** Node's promise modules and the names in them that do not return a promise. */
const PROMISE_MODULES = new Map<string, Set<string>>([
  ['fs/promises', new Set(['watch', 'constants'])],
  ['dns/promises', new Set(['Resolver'])],
  ['stream/promises', new Set()],
]);
const TIMER_PROMISES = new Set(['setTimeout', 'setImmediate']);
const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch']);

class Detector {
  readonly #scopeFunctions: ReadonlySet<ts.Node>;
  readonly #safeCalls: SafeCalls;
  readonly #kinds = new Map<ts.Node, PromiseShape | undefined>();

  constructor(
    private readonly ctx: RuleContext,
    scopes: readonly RequestScope[],
  ) {
    this.#scopeFunctions = new Set(scopes.map((s) => s.fn));
    this.#safeCalls = new SafeCalls(ctx.settings.safeCalls);
  }

  /** Work created in the scope's handler and the functions inside it (nested handlers report their own). */
  workIn(scope: RequestScope): Work[] {
    const found: Work[] = [];
    const visit = (node: ts.Node): void => {
      if (node !== scope.fn && this.#scopeFunctions.has(node)) return;
      if (ts.isExpressionStatement(node)) this.#statement(node, scope, found);
      else if (ts.isVariableStatement(node)) this.#variables(node, scope, found);
      if (ts.isCallExpression(node)) this.#callbackCall(node, scope, found);
      ts.forEachChild(node, visit);
    };
    if (scope.fn.body) visit(scope.fn.body);
    return found;
  }

  #statement(statement: ts.ExpressionStatement, scope: RequestScope, out: Work[]): void {
    const expression = skipOuter(statement.expression);
    const promise = this.unwaitedPromise(expression, scope);
    if (promise) out.push({ kind: 'statement', statement, expression, promise, scope, anchor: this.#anchor(statement) });
  }

  #variables(statement: ts.VariableStatement, scope: RequestScope, out: Work[]): void {
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const promise = this.unwaitedPromise(skipOuter(declaration.initializer), scope);
      if (!promise || isReferenced(declaration.name, this.ctx.sourceFile)) continue;
      out.push({
        kind: 'variable',
        statement,
        declaration: declaration as ts.VariableDeclaration & { name: ts.Identifier; initializer: ts.Expression },
        promise,
        scope,
        anchor: this.#anchor(statement),
      });
    }
  }

  #callbackCall(call: ts.CallExpression, scope: RequestScope, out: Work[]): void {
    const api = this.callbackApi(call);
    if (!api || this.#safeCalls.matches(call)) return;
    if (!this.#callbackRejects(api.callback, api.kind === 'forEach', scope)) return;
    const statement = enclosingStatement(call);
    if (statement) out.push({ kind: 'callback', statement, call, api, scope, anchor: this.#anchor(statement) });
  }

  /**
   * The shape of the promise an expression creates when nothing waits for it: not awaited or
   * voided, not explicitly detached, not `next()`, not a Fastify reply, not a safe call.
   */
  unwaitedPromise(expression: ts.Expression, scope: RequestScope): PromiseShape | undefined {
    if (ts.isConditionalExpression(expression) || isLogical(expression)) {
      const operands = ts.isConditionalExpression(expression) ? [expression.whenTrue, expression.whenFalse] : [expression.left, expression.right];
      const shapes = operands.map((operand) => this.unwaitedPromise(skipOuter(operand), scope)).filter((s) => s !== undefined);
      return shapes.length > 0 && shapes.every((s) => s === shapes[0]) ? shapes[0] : undefined;
    }
    if (!ts.isCallExpression(expression) && !ts.isNewExpression(expression) && !ts.isTaggedTemplateExpression(expression)) return undefined;
    if (isDetached(expression) || isPlainlySynchronous(expression, scope)) return undefined;
    if (ts.isCallExpression(expression) && this.callbackApi(expression)) return undefined;
    const calls = chainCalls(expression);
    if (calls.some((call) => this.#safeCalls.matches(call))) return undefined;
    if (isNextCall(calls[calls.length - 1], scope) || delegatesToMiddleware(calls[calls.length - 1], scope)) return undefined;
    if (rootsAtReply(expression, scope)) return undefined;
    return this.promiseShape(expression);
  }

  /** From types where they resolve; from the call's shape where they don't (RULES.md §2.1, untyped). */
  promiseShape(expression: ts.Expression): PromiseShape | undefined {
    if (this.#kinds.has(expression)) return this.#kinds.get(expression);
    const type = this.ctx.types.typeOf(expression);
    const shape = this.ctx.types.isKnown(type) ? shapeOfType(type, this.ctx.types.checker) : this.#shapeFromSyntax(expression);
    this.#kinds.set(expression, shape);
    return shape;
  }

  #shapeFromSyntax(expression: ts.Expression): PromiseShape | undefined {
    if (ts.isNewExpression(expression)) {
      return ts.isIdentifier(expression.expression) && expression.expression.text === 'Promise' && !this.#declaredInFile(expression.expression) ? 'one' : undefined;
    }
    if (!ts.isCallExpression(expression)) return undefined;
    const callee = skipOuter(expression.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = skipOuter(callee.expression);
      // A `.then(callback)` call tells us its receiver is thenable; `.catch`/`.finally` must build on a known promise.
      if (method === 'then' && expression.arguments.length > 0) return 'one';
      if ((method === 'catch' || method === 'finally') && this.promiseShape(receiver) === 'one') return 'one';
      if (method === 'map' && expression.arguments.length > 0 && this.#returnsPromise(expression.arguments[0])) return 'many';
      if (ts.isIdentifier(receiver) && receiver.text === 'Promise' && PROMISE_STATICS.has(method) && !this.#declaredInFile(receiver)) return 'one';
      if (this.#isPromiseModuleMember(receiver, method)) return 'one';
      return this.#isAsyncDeclaration(callee.name) ? 'one' : undefined;
    }
    if (ts.isIdentifier(callee)) {
      const imported = this.ctx.facts.imports.get(callee.text);
      if (imported) {
        const isFetch = FETCH_MODULES.has(imported.module) && ['fetch', 'default', '*'].includes(imported.name);
        return isFetch || isPromiseModuleExport(imported.module, imported.name) ? 'one' : undefined;
      }
      if (callee.text === 'fetch' && !this.#declaredInFile(callee)) return 'one';
      return this.#isAsyncDeclaration(callee) ? 'one' : undefined;
    }
    return undefined;
  }

  /** `fsp.readFile`, `fs.promises.readFile`, `timers.setTimeout` from `timers/promises`. */
  #isPromiseModuleMember(receiver: ts.Expression, method: string): boolean {
    if (ts.isIdentifier(receiver)) {
      const imported = this.ctx.facts.imports.get(receiver.text);
      if (!imported) return false;
      // `const fsp = require('fs').promises` / `const { promises: fsp } = require('fs')`.
      if (imported.module === 'fs' && imported.name === 'promises') return isPromiseModuleExport('fs/promises', method);
      return (imported.name === '*' || imported.name === 'default') && isPromiseModuleExport(imported.module, method);
    }
    if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'promises' && ts.isIdentifier(receiver.expression)) {
      const imported = this.ctx.facts.imports.get(receiver.expression.text);
      return !!imported && imported.module === 'fs' && isPromiseModuleExport('fs/promises', method);
    }
    return false;
  }

  #declaredInFile(identifier: ts.Identifier): boolean {
    const declaration = this.ctx.types.symbolOf(identifier)?.declarations?.[0];
    return !!declaration && declaration.getSourceFile() === this.ctx.sourceFile;
  }

  /** The name refers to an `async` function or method declared in this file. */
  #isAsyncDeclaration(name: ts.Node): boolean {
    const declaration = this.ctx.types.symbolOf(name)?.declarations?.[0];
    if (!declaration || declaration.getSourceFile() !== this.ctx.sourceFile) return false;
    const fn = functionOfDeclaration(declaration);
    return !!fn && isAsyncFunction(fn) && !fn.asteriskToken;
  }

  /** A callback that is async, or returns a promise: `async x => ...`, `x => save(x)`, a named async function. */
  #returnsPromise(callback: ts.Expression): boolean {
    const target = skipOuter(callback);
    const fn = isFunctionWithBody(target) ? target : undefined;
    if (fn) return (isAsyncFunction(fn) && !fn.asteriskToken) || (!ts.isBlock(fn.body) && this.promiseShape(skipOuter(fn.body)) === 'one');
    return (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) && this.#isAsyncDeclaration(ts.isPropertyAccessExpression(target) ? target.name : target);
  }

  /** `xs.forEach(cb)`, `setTimeout(cb)` and friends, `emitter.on(event, cb)`. */
  callbackApi(call: ts.CallExpression): CallbackApi | undefined {
    const callee = skipOuter(call.expression);
    if (ts.isIdentifier(callee) && TIMER_FUNCTIONS.has(callee.text) && call.arguments.length > 0) {
      const imported = this.ctx.facts.imports.get(callee.text);
      if (imported && imported.module !== 'timers') return undefined;
      return { kind: 'timer', callback: call.arguments[0], label: `${callee.text}()` };
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const receiver = skipOuter(callee.expression);
    if (method === 'forEach' && call.arguments.length > 0) return { kind: 'forEach', callback: call.arguments[0], label: 'forEach()' };
    if (ts.isIdentifier(receiver) && call.arguments.length > 0) {
      if (receiver.text === 'process' && method === 'nextTick') return { kind: 'timer', callback: call.arguments[0], label: 'process.nextTick()' };
      if ((receiver.text === 'globalThis' || receiver.text === 'global') && TIMER_FUNCTIONS.has(method)) {
        return { kind: 'timer', callback: call.arguments[0], label: `${method}()` };
      }
    }
    if (LISTENER_METHODS.has(method) && call.arguments.length === 2) {
      return { kind: 'listener', callback: call.arguments[1], label: `${shortText(receiver, this.ctx.sourceFile)}.${method}()` };
    }
    return undefined;
  }

  /**
   * Whether the promise a callback returns can reject with nobody listening. `forEach` callers
   * almost always meant to wait, so any `await` counts there; timers and listeners are meant to
   * run later, so only an `await` outside a `try` with a `catch` (or a returned promise) counts.
   */
  #callbackRejects(callback: ts.Expression, strict: boolean, scope: RequestScope): boolean {
    const target = skipOuter(callback);
    if (isFunctionWithBody(target)) return this.#functionRejects(target, strict, scope);
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      if (this.#safeCalls.matchesName(target, this.ctx.sourceFile)) return false;
      const name = ts.isPropertyAccessExpression(target) ? target.name : target;
      const declaration = this.ctx.types.symbolOf(name)?.declarations?.[0];
      const local = declaration && declaration.getSourceFile() === this.ctx.sourceFile ? functionOfDeclaration(declaration) : undefined;
      if (local) return this.#functionRejects(local, strict, scope);
      const type = this.ctx.types.typeOf(target);
      if (!this.ctx.types.isKnown(type)) return false;
      const signatures = type.getCallSignatures();
      return signatures.length > 0 && signatures.every((s) => shapeOfType(s.getReturnType(), this.ctx.types.checker) === 'one');
    }
    return false;
  }

  #functionRejects(fn: FunctionWithBody, strict: boolean, scope: RequestScope): boolean {
    if (fn.asteriskToken) return false;
    const async = isAsyncFunction(fn);
    if (!ts.isBlock(fn.body)) {
      const body = skipOuter(fn.body);
      if (async && awaitsIn(body).some((a) => strict || !isProtected(a, fn))) return true;
      return this.unwaitedPromise(body, scope) !== undefined;
    }
    if (async && awaitsIn(fn.body).some((a) => strict || !isProtected(a, fn))) return true;
    return returnsOf(fn.body).some((r) => !!r.expression && !ts.isAwaitExpression(skipOuter(r.expression)) && this.unwaitedPromise(skipOuter(r.expression), scope) !== undefined);
  }

  /** The function is a callback whose promise the calling API drops (timers, listeners, forEach). */
  isDroppedCallback(fn: ts.Node): boolean {
    const parent = skipParentsOuter(fn);
    return !!parent && ts.isCallExpression(parent) && skipOuter(this.callbackApi(parent)?.callback ?? parent) === fn;
  }

  /**
   * The statement's span on its first line: the anchor starts where the statement does, and a
   * multi-line statement (a listener with a long body) is underlined only where it begins.
   */
  #anchor(statement: ts.Statement): Span {
    const text = this.ctx.text;
    const start = statement.getStart(this.ctx.sourceFile);
    let end = statement.getEnd();
    const lineBreak = text.indexOf('\n', start);
    if (lineBreak >= 0 && lineBreak < end) {
      end = lineBreak;
      while (end > start && /\s/.test(text[end - 1])) end--;
    }
    return { start, end };
  }
}

/** `safeCalls` patterns: `name`, `obj.method`, `*.method`. */
class SafeCalls {
  readonly #names = new Set<string>();
  readonly #anyReceiver = new Set<string>();
  readonly #methods: { receiver: string; method: string }[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const pattern = raw.trim();
      const dot = pattern.lastIndexOf('.');
      if (dot < 0) this.#names.add(pattern);
      else if (pattern.startsWith('*.')) this.#anyReceiver.add(pattern.slice(2));
      else this.#methods.push({ receiver: pattern.slice(0, dot), method: pattern.slice(dot + 1) });
    }
  }

  matches(call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): boolean {
    if (!ts.isCallExpression(call)) return false;
    return this.matchesName(skipOuter(call.expression), call.getSourceFile());
  }

  /** The callee (or a function passed by name) matches a pattern. */
  matchesName(callee: ts.Expression, sourceFile: ts.SourceFile): boolean {
    if (ts.isIdentifier(callee)) return this.#names.has(callee.text);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const method = callee.name.text;
    if (this.#anyReceiver.has(method)) return true;
    if (this.#methods.length === 0) return false;
    const receiver = callee.expression.getText(sourceFile).replace(/\s+/g, '').replace(/\?\./g, '.');
    return this.#methods.some((p) => p.method === method && (receiver === p.receiver || receiver.endsWith(`.${p.receiver}`)));
  }
}

function isPromiseModuleExport(module: string, name: string): boolean {
  if (module === 'timers/promises') return TIMER_PROMISES.has(name);
  const excluded = PROMISE_MODULES.get(module);
  return !!excluded && name !== '*' && name !== 'default' && !excluded.has(name);
}

/** Promise or array of promises, from the type: every part that is not `undefined`/`null` must be thenable. */
function shapeOfType(type: ts.Type, checker: ts.TypeChecker): PromiseShape | undefined {
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  // `void | Promise<void>` is an API that may or may not be async (Express handlers): unsure, so quiet.
  if (parts.length === 0 || parts.some((t) => t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return undefined;
  if (parts.every((t) => isThenableType(t, checker) && !isFastifyReply(t))) return 'one';
  const isArrayOfPromises = (t: ts.Type): boolean => {
    if (!checker.isArrayType(t) && !checker.isTupleType(t)) return false;
    const elements = checker.getTypeArguments(t as ts.TypeReference);
    return elements.length > 0 && elements.every((e) => shapeOfType(e, checker) === 'one');
  };
  return parts.every(isArrayOfPromises) ? 'many' : undefined;
}

function isThenableType(type: ts.Type, checker: ts.TypeChecker): boolean {
  const then = type.getProperty('then');
  const declaration = then?.valueDeclaration ?? then?.declarations?.[0];
  if (!then || !declaration) return false;
  return checker.getTypeOfSymbolAtLocation(then, declaration).getCallSignatures().length > 0;
}

/** Fastify's reply is thenable so that `return reply` works; it is not background work (RULES.md §2.1). */
function isFastifyReply(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  return !!symbol && !!declaration && /^FastifyReply/.test(symbol.getName()) && packageOfFile(declaration.getSourceFile().fileName) === 'fastify';
}

/** A chain whose last link before any `.finally(...)` is `.catch(f)` or `.then(f, g)`. */
function isDetached(expression: ts.Expression): boolean {
  let current = skipOuter(expression);
  while (ts.isCallExpression(current) && methodName(current) === 'finally') current = skipOuter((current.expression as ts.PropertyAccessExpression).expression);
  if (!ts.isCallExpression(current)) return false;
  const method = methodName(current);
  return (method === 'catch' && current.arguments.length >= 1) || (method === 'then' && current.arguments.length >= 2);
}

function methodName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The calls of a chain, outermost first: `a().b().c()` -> [c(), b(), a()]. */
function chainCalls(expression: ts.Expression): (ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression)[] {
  const calls: (ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression)[] = [];
  let current: ts.Expression = skipOuter(expression);
  for (;;) {
    if (ts.isCallExpression(current)) {
      calls.push(current);
      current = skipOuter(current.expression);
    } else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      current = skipOuter(current.expression);
    } else {
      if (ts.isNewExpression(current) || ts.isTaggedTemplateExpression(current)) calls.push(current);
      return calls;
    }
  }
}

/** `next()` of a Koa / Hono middleware is `unawaited-next`'s (RULES.md §2.9). */
function isNextCall(call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression | undefined, scope: RequestScope): boolean {
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = skipOuter(call.expression);
  return ts.isIdentifier(callee) && (callee.text === scope.next?.name || callee.text === 'next');
}

/** `console.log(...)`, `res.status(404).json(...)`: calls whose result is known without asking the type checker. */
function isPlainlySynchronous(expression: ts.Expression, scope: RequestScope): boolean {
  if (!ts.isCallExpression(expression)) return false;
  let current: ts.Expression = skipOuter(expression);
  let firstMethod: string | undefined;
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current)) {
    if (ts.isPropertyAccessExpression(current)) firstMethod = current.name.text;
    current = skipOuter(current.expression);
  }
  if (!ts.isIdentifier(current) || !firstMethod) return false;
  if (current.text === 'console') return true;
  const role = scope.requestObjects.get(current.text);
  const isResponse = role === 'res' && (scope.framework === 'express' || scope.framework === 'node-http');
  return isResponse && RESPONSE_METHODS.has(firstMethod);
}

/** `authenticate(req, res, next)`: the callee was handed the chain and answers for it (RULES.md §2.8). */
function delegatesToMiddleware(call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression | undefined, scope: RequestScope): boolean {
  if (!call || !ts.isCallExpression(call) || !scope.next) return false;
  const next = scope.next.name;
  return call.arguments.some((arg) => ts.isIdentifier(arg) && arg.text === next);
}

function rootsAtReply(expression: ts.Expression, scope: RequestScope): boolean {
  let current = skipOuter(expression);
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuter(current.expression);
  return ts.isIdentifier(current) && scope.requestObjects.get(current.text) === 'reply';
}

function isLogical(expression: ts.Expression): expression is ts.BinaryExpression {
  if (!ts.isBinaryExpression(expression)) return false;
  const operator = expression.operatorToken.kind;
  return operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken;
}

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

function functionOfDeclaration(declaration: ts.Declaration): FunctionWithBody | undefined {
  if (isFunctionWithBody(declaration)) return declaration;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
    const init = skipOuter(declaration.initializer);
    if (isFunctionWithBody(init)) return init;
  }
  return undefined;
}

/** Visits a function body's own code, not the functions and classes nested in it. */
function forEachOwnNode(body: ts.Node, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    visit(node);
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, walk);
  };
  walk(body);
}

function awaitsIn(body: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  forEachOwnNode(body, (node) => {
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found.push(node);
  });
  return found;
}

function returnsOf(body: ts.Block): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  forEachOwnNode(body, (node) => {
    if (ts.isReturnStatement(node)) found.push(node);
  });
  return found;
}

/** The await sits in a `try` block that has a `catch`, or awaits an already detached chain. */
function isProtected(awaitNode: ts.Node, fn: ts.Node): boolean {
  if (ts.isAwaitExpression(awaitNode) && isDetached(awaitNode.expression)) return true;
  for (let child = awaitNode, parent = awaitNode.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isTryStatement(parent) && parent.catchClause && child === parent.tryBlock) return true;
  }
  return false;
}

/** Any use of the variable's name after its declaration (conservative: shadowing counts as a use). */
function isReferenced(name: ts.Identifier, sourceFile: ts.SourceFile): boolean {
  const container = enclosingFunction(name) ?? sourceFile;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isPropertyName) used = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(container);
  return used;
}

function enclosingFunction(node: ts.Node): FunctionWithBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionWithBody(current)) return current;
    if (ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return undefined;
  }
  return undefined;
}

function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isStatement(current)) return current;
    if (ts.isFunctionLike(current) && current !== node) return undefined;
  }
  return undefined;
}

/** The parent of a node, skipping the parentheses and type assertions around it. */
function skipParentsOuter(node: ts.Node): ts.Node | undefined {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent))) {
    parent = parent.parent;
  }
  return parent;
}

function shortText(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ----- explain --------------------------------------------------------------------------------------

const CONSEQUENCE = 'so the work can outlive the request and a failure becomes an unhandled rejection';

function explain(work: Work, sourceFile: ts.SourceFile): string {
  switch (work.kind) {
    case 'statement': {
      const what = describeExpression(work.expression, sourceFile);
      return work.promise === 'many'
        ? `The promises from ${what} are never awaited, ${CONSEQUENCE}.`
        : `The promise from ${what} is never awaited, ${CONSEQUENCE}.`;
    }
    case 'variable':
      return work.promise === 'many'
        ? `The promises stored in '${work.declaration.name.text}' are never awaited, ${CONSEQUENCE}.`
        : `The promise stored in '${work.declaration.name.text}' is never awaited, ${CONSEQUENCE}.`;
    case 'callback': {
      const what = work.api.kind === 'listener' ? 'its async listener' : 'its async callback';
      return `${work.api.label} does not wait for ${what}, ${CONSEQUENCE}.`;
    }
  }
}

/** `sendMail()`, `new Promise()`, `db.query().then()`: the call that makes the promise, named briefly. */
function describeExpression(expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const target = skipOuter(expression);
  if (ts.isConditionalExpression(target) || isLogical(target)) {
    const operands = ts.isConditionalExpression(target) ? [target.whenTrue, target.whenFalse] : [target.left, target.right];
    const call = operands.map((o) => skipOuter(o)).find((o) => ts.isCallExpression(o) || ts.isNewExpression(o));
    return call ? describeExpression(call, sourceFile) : 'this expression';
  }
  if (ts.isCallExpression(target) && ts.isFunctionLike(skipOuter(target.expression))) return 'this immediately invoked async function';
  const label = chainLabel(target, sourceFile);
  return label.length > 60 ? `${label.slice(0, 57)}...` : label;
}

/** A call chain with its arguments left out: `db.collection().insertOne()`, `fetch().then()`. */
function chainLabel(expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target) || target.kind === ts.SyntaxKind.ThisKeyword) return target.getText(sourceFile);
  if (ts.isPropertyAccessExpression(target)) return `${chainLabel(target.expression, sourceFile)}.${target.name.text}`;
  if (ts.isElementAccessExpression(target)) return `${chainLabel(target.expression, sourceFile)}[...]`;
  if (ts.isCallExpression(target)) return `${chainLabel(target.expression, sourceFile)}()`;
  if (ts.isNewExpression(target)) return `new ${chainLabel(target.expression, sourceFile)}()`;
  if (ts.isTaggedTemplateExpression(target)) return `${chainLabel(target.tag, sourceFile)}\`...\``;
  return shortText(target, sourceFile);
}

function relatedToScope(scope: RequestScope, sourceFile: ts.SourceFile): RelatedDescriptor {
  const message = `The request handler this work outlives (${scope.reason}).`;
  const fn = scope.fn;
  if (fn.name) return { node: fn.name, message };
  // An anonymous handler is pointed at by its parameter list, `(req, res)`.
  const text = sourceFile.text;
  const start = fn.getStart(sourceFile);
  let end = fn.parameters.end;
  while (end < text.length && /\s/.test(text[end])) end++;
  // `x => ...` has no parentheses; `(req, res)` ends at its `)`.
  end = text[end] === ')' ? end + 1 : fn.parameters.end;
  return { start, end: Math.max(end, start), message };
}

// ----- fix ------------------------------------------------------------------------------------------

function buildFixes(work: Work, detector: Detector, ctx: RuleContext): Fix[] {
  const fixes: Fix[] = [];
  const awaited = awaitFix(work, detector, ctx);
  if (awaited) fixes.push({ title: FIX_AWAIT, preferred: true, edits: awaited });
  const handed = waitUntilFix(work, ctx);
  if (handed) fixes.push({ title: FIX_WAIT_UNTIL, preferred: false, edits: handed });
  const detached = detachFix(work, detector, ctx);
  if (detached) fixes.push({ title: FIX_DETACH, preferred: false, edits: detached });
  return fixes;
}

function awaitFix(work: Work, detector: Detector, ctx: RuleContext): TextEdit[] | undefined {
  const sf = ctx.sourceFile;
  let edits: TextEdit[] | undefined;
  switch (work.kind) {
    case 'statement':
      edits = work.promise === 'many' ? passToEdits(work.expression, sf, 'Promise.all', 'await ') : awaitEdits(work.expression, sf);
      break;
    case 'variable': {
      // `const p: Promise<T> = ...` would no longer type-check once `p` holds the awaited value.
      if (work.declaration.type) return undefined;
      const init = work.declaration.initializer;
      edits = work.promise === 'many' ? passToEdits(init, sf, 'Promise.all', 'await ') : awaitEdits(init, sf);
      break;
    }
    case 'callback':
      if (work.api.kind !== 'forEach' || !isWholeStatement(work.call, work.statement) || !canMapOver(work.call, ctx)) return undefined;
      edits = forEachToMapEdits(work.call, sf, 'await Promise.all(', ')');
      break;
  }
  if (!edits) return undefined;
  const asyncEdits = makeAwaitable(work.statement, work.scope, detector, ctx);
  return asyncEdits && [...asyncEdits, ...edits];
}

/**
 * Edits that let the statement's function contain `await`: none when it is async already, `async`
 * added to the handler itself or to a `.then/.catch/.finally` callback (the chain waits for what
 * they return). Elsewhere an `await` would change what the surrounding code waits for, so no fix.
 */
function makeAwaitable(statement: ts.Statement, scope: RequestScope, detector: Detector, ctx: RuleContext): TextEdit[] | undefined {
  const fn = enclosingFunction(statement);
  if (!fn) return undefined;
  if (isAsyncFunction(fn)) return detector.isDroppedCallback(fn) ? undefined : [];
  if (fn === scope.fn) {
    if (scope.mustStaySync || !asyncResultAccepted(fn, ctx)) return undefined;
    return makeAsyncEdits(fn, ctx.sourceFile);
  }
  const parent = skipParentsOuter(fn);
  if (parent && ts.isCallExpression(parent)) {
    const method = methodName(parent);
    const index = parent.arguments.findIndex((arg) => skipOuter(arg) === fn);
    const chains = (method === 'then' && index <= 1) || ((method === 'catch' || method === 'finally') && index === 0);
    if (chains && index >= 0) return makeAsyncEdits(fn, ctx.sourceFile);
  }
  return undefined;
}

/**
 * Whether whoever calls the handler accepts a promise from it. Only types can say no: a contextual
 * signature whose return type has no `void`, `any`, `unknown` or thenable part (say, `Response`).
 */
function asyncResultAccepted(fn: FunctionWithBody, ctx: RuleContext): boolean {
  if (!/\.[cm]?tsx?$/.test(ctx.fileName)) return true;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return true;
  const contextual = ctx.types.checker.getContextualType(fn);
  if (!contextual) return true;
  const checker = ctx.types.checker;
  return contextual.getCallSignatures().every((signature) => {
    const returnType = signature.getReturnType();
    const parts = returnType.isUnion() ? returnType.types : [returnType];
    return parts.some((t) => t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown) || isThenableType(t, checker));
  });
}

function waitUntilFix(work: Work, ctx: RuleContext): TextEdit[] | undefined {
  const keepAlive = work.scope.waitUntil;
  if (!keepAlive || isShadowed(keepAlive, work.statement, work.scope)) return undefined;
  const sf = ctx.sourceFile;
  switch (work.kind) {
    case 'statement':
      // `a && p()` may hand waitUntil a non-promise.
      if (ts.isConditionalExpression(work.expression) || isLogical(work.expression)) return undefined;
      return work.promise === 'many'
        ? passToEdits(work.expression, sf, `${keepAlive}(Promise.all`, '', ')')
        : passToEdits(work.expression, sf, keepAlive);
    case 'variable': {
      const name = work.declaration.name.text;
      const value = work.promise === 'many' ? `Promise.all(${name})` : name;
      return [statementAfter(work.statement, `${keepAlive}(${value})`, ctx)];
    }
    case 'callback':
      if (work.api.kind !== 'forEach' || !isWholeStatement(work.call, work.statement) || !canMapOver(work.call, ctx)) return undefined;
      return forEachToMapEdits(work.call, sf, `${keepAlive}(Promise.all(`, '))');
  }
}

function detachFix(work: Work, detector: Detector, ctx: RuleContext): TextEdit[] | undefined {
  const sf = ctx.sourceFile;
  switch (work.kind) {
    case 'statement':
      return detachEdits(work.expression, sf, promiseWrapper(work.expression, work.promise, ctx));
    case 'variable': {
      // A new statement keeps the variable's value (and any declared type) as it was.
      const name = work.declaration.name.text;
      const wrapper = promiseWrapper(work.declaration.initializer, work.promise, ctx);
      const value = wrapper ? `${wrapper}(${name})` : name;
      return [statementAfter(work.statement, `void ${value}.catch(${LOG_ERROR_HANDLER})`, ctx)];
    }
    case 'callback':
      return detachCallback(work, detector, ctx);
  }
}

/** Detaching callbacks: `Promise.all(xs.map(cb))` for forEach, a caught promise or try/catch for timers and listeners. */
function detachCallback(work: Extract<Work, { kind: 'callback' }>, detector: Detector, ctx: RuleContext): TextEdit[] | undefined {
  const { call, api, statement } = work;
  const sf = ctx.sourceFile;
  if (api.kind === 'forEach') {
    if (!isWholeStatement(call, statement) || !canMapOver(call, ctx)) return undefined;
    return forEachToMapEdits(call, sf, 'void Promise.all(', `).catch(${LOG_ERROR_HANDLER})`);
  }
  const fn = skipOuter(api.callback);
  if (!isFunctionWithBody(fn)) return undefined;
  if (!ts.isBlock(fn.body)) {
    const body = skipOuter(fn.body);
    const shape = detector.unwaitedPromise(body, work.scope);
    if (!shape) return undefined;
    const wrapper = promiseWrapper(body, shape, ctx);
    // An async arrow keeps returning a promise, now one that can't reject; a plain one returns nothing.
    if (isAsyncFunction(fn)) return awaitsIn(body).length === 0 ? catchEdits(body, sf, wrapper) : undefined;
    return detachEdits(body, sf, wrapper);
  }
  if (!isAsyncFunction(fn) || returnsOf(fn.body).some((r) => r.expression)) return undefined;
  const edit = wrapBodyInTryCatch(fn.body, sf, `console.error(error);`);
  return edit && [edit];
}

/**
 * `Promise.all` for arrays of promises; `Promise.resolve` for thenables without a `catch` method
 * and for `a && p()` / `c ? p() : q()`, whose value may be no promise at all.
 */
function promiseWrapper(expression: ts.Expression, shape: PromiseShape, ctx: RuleContext): string | undefined {
  if (shape === 'many') return 'Promise.all';
  if (ts.isConditionalExpression(expression) || isLogical(expression)) return 'Promise.resolve';
  const type = ctx.types.typeOf(expression);
  if (!ctx.types.isKnown(type)) return undefined;
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  return parts.every((t) => t.getProperty('catch')) ? undefined : 'Promise.resolve';
}

/** `xs.forEach(...)` can become `xs.map(...)`: an array (or a value types can't see, as in plain JavaScript). */
function canMapOver(call: ts.CallExpression, ctx: RuleContext): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken) return false;
  const type = ctx.types.typeOf(callee.expression);
  if (!ctx.types.isKnown(type)) return true;
  const checker = ctx.types.checker;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => checker.isArrayType(t) || checker.isTupleType(t));
}

function isWholeStatement(call: ts.CallExpression, statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) && skipOuter(statement.expression) === call;
}

/** A new statement on the line after `statement`, indented like it, with the file's semicolon style. */
function statementAfter(statement: ts.Statement, code: string, ctx: RuleContext): TextEdit {
  const end = statement.getEnd();
  const semicolon = ctx.text[end - 1] === ';' ? ';' : '';
  const indent = indentAt(ctx.text, statement.getStart(ctx.sourceFile));
  return { start: end, end, newText: `${newlineOf(ctx.text)}${indent}${code}${semicolon}` };
}

/** The keep-alive's root name (`ctx` of `ctx.waitUntil`) is redeclared by a function between the statement and the handler. */
function isShadowed(keepAlive: string, statement: ts.Node, scope: RequestScope): boolean {
  const root = keepAlive.split('.')[0];
  for (let current = statement.parent; current && current !== scope.fn; current = current.parent) {
    if (ts.isFunctionLike(current) && current.parameters.some((p) => bindsName(p.name, root))) return true;
  }
  return false;
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, wanted));
}
