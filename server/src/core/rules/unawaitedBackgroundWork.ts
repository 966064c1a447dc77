// RULES.md §2.1: a promise created in a request scope that nobody waits for. Detect finds the
// statement that creates the work (plain data: `Work`), explain words the finding, and the fix
// builders turn it into awaited, kept-alive or explicitly detached work.
import { ts } from 'ts-morph';
import { isDetachedChain, methodName } from '../syntax/promiseChains';
import { wrapBodyInTryCatch } from '../fixes/catchInBody';
import { isAsyncFunction, makeAsyncEdits } from '../fixes/makeAsync';
import { awaitEdits, catchEdits, detachEdits, forEachToMapEdits, LOG_ERROR_HANDLER, passToEdits } from '../fixes/promiseEdits';
import { indentAt, newlineOf } from '../fixes/text';
import type { RelatedDescriptor, Rule, RuleContext } from '../ruleApi';
import type { RequestScope } from '../scopes/requestScope';
import { indexOf } from '../syntax/fileIndex';
import { functionCallFacts } from '../syntax/values';
import { packageOfFile } from '../typeInfo';
import type { Fix, TextEdit } from '../types';
import { viaRelated } from './scopeRelated';

// Syntax kinds read once: every `ts.x` goes through ts-morph's export getter, and the checks
// below run for every statement and call of every handler.
const SK = ts.SyntaxKind;

/** Removes parentheses, `as`, `!`, `satisfies` and `<T>` assertions around an expression (as `skipOuter` in scopes/appKinds). */
function skipOuter(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    switch (current.kind) {
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.NonNullExpression:
      case SK.SatisfiesExpression:
      case SK.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

const FIX_AWAIT = 'Await the background work';
const FIX_WAIT_UNTIL = 'Hand it to waitUntil';
const FIX_DETACH = 'Detach explicitly with an error handler';

export const unawaitedBackgroundWork: Rule = {
  id: 'unawaited-background-work',
  description: "A promise started while handling a request that nothing waits for: its failure is lost and it can outlive the request.",
  fixTitles: [FIX_AWAIT, FIX_WAIT_UNTIL, FIX_DETACH],
  check(ctx) {
    const scopes = ctx.facts.requestScopes;
    if (scopes.length === 0) return;
    const detector = new Detector(ctx, scopes);
    for (const work of detector.work()) {
      ctx.report({
        start: work.anchor.start,
        end: work.anchor.end,
        message: explain(work, ctx.sourceFile),
        related: [relatedToScope(work.scope, ctx.sourceFile), ...viaRelated(work.scope)],
        fixes: buildFixes(work, detector, ctx),
      });
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
  /** How the message names the call: `forEach()`, `setTimeout()`; for a listener, `res.on()` from its receiver. */
  label: string;
  /** A listener's emitter (`res` of `res.on(...)`), named in the message only when there is one. */
  emitter?: ts.Expression;
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
  readonly #scopeByFunction = new Map<ts.Node, RequestScope>();
  /** Function -> the nearest handler around it (null: none). */
  readonly #scopeAroundFunction = new Map<ts.Node, RequestScope | null>();
  readonly #safeCalls: SafeCalls;
  readonly #kinds = new Map<ts.Node, PromiseShape | undefined>();
  readonly #syntaxShapes = new Map<ts.Node, PromiseShape | 'none' | undefined>();

  constructor(
    private readonly ctx: RuleContext,
    scopes: readonly RequestScope[],
  ) {
    this.#scopeFunctions = new Set(scopes.map((s) => s.fn));
    for (const scope of scopes) this.#scopeByFunction.set(scope.fn, scope);
    this.#safeCalls = new SafeCalls(ctx.settings.safeCalls);
  }

  /**
   * Work created in the request scopes' handlers and the functions inside them; a nested handler
   * reports its own. Built from the file's shared index: the statements of each function that
   * belongs to a scope (statements only, not every expression node), and the calls that could run
   * a callback later.
   */
  work(): Work[] {
    const found: Work[] = [];
    const index = indexOf(this.ctx.sourceFile);
    for (const fn of index.functions) {
      if (fn.body.kind !== SK.Block) continue;
      const scope = this.#owner(fn);
      if (scope) this.#statementsIn(fn.body, scope, found);
    }
    // A handler the function index doesn't list (it lists functions, arrows and methods).
    for (const fn of this.#scopeFunctions) {
      if (!isFunctionWithBody(fn) && (fn as ts.FunctionLikeDeclaration).body?.kind === SK.Block) this.#statementsIn((fn as FunctionWithBody).body, this.#scopeByFunction.get(fn)!, found);
    }
    for (const call of index.calls) {
      if (!mayRunCallback(call)) continue;
      const scope = this.#owner(call);
      if (scope) this.#callbackCall(call, scope, found);
    }
    return found.length > 1 ? found.sort(inSourceOrder) : found;
  }

  /** The request scope whose handler body a node (or function) is in, with no other handler between. */
  #owner(node: ts.Node): RequestScope | undefined {
    const scope = this.#scopeAround(node);
    const body = scope?.fn.body;
    if (!scope || !body) return undefined;
    if (node === scope.fn) return scope;
    // Inside the handler's body, not in its parameters' default values.
    return node.pos >= body.pos && node.end <= body.end ? scope : undefined;
  }

  /**
   * The nearest handler around a node (the node itself when it is one). What was found for a
   * function is remembered, so functions nested in it stop their walk up there.
   */
  #scopeAround(node: ts.Node): RequestScope | undefined {
    const functions: ts.Node[] = [];
    let found: RequestScope | null = null;
    for (let current: ts.Node | undefined = node; current; current = current.parent) {
      const known = this.#scopeAroundFunction.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      const scope = this.#scopeByFunction.get(current);
      if (scope) {
        found = scope;
        functions.push(current);
        break;
      }
      if (ts.isFunctionLike(current)) functions.push(current);
    }
    for (const fn of functions) this.#scopeAroundFunction.set(fn, found);
    return found ?? undefined;
  }

  /** Expression and variable statements, following nested statements but not nested functions (they are visited on their own). */
  #statementsIn(node: ts.Node, scope: RequestScope, out: Work[]): void {
    switch (node.kind) {
      case SK.ExpressionStatement:
        return this.#statement(node as ts.ExpressionStatement, scope, out);
      case SK.VariableStatement:
        return this.#variables(node as ts.VariableStatement, scope, out);
      case SK.Block:
      case SK.CaseClause:
      case SK.DefaultClause:
        for (const statement of (node as ts.Block | ts.CaseOrDefaultClause).statements) this.#statementsIn(statement, scope, out);
        return;
      case SK.IfStatement: {
        const statement = node as ts.IfStatement;
        this.#statementsIn(statement.thenStatement, scope, out);
        if (statement.elseStatement) this.#statementsIn(statement.elseStatement, scope, out);
        return;
      }
      case SK.ForStatement:
      case SK.ForInStatement:
      case SK.ForOfStatement:
      case SK.WhileStatement:
      case SK.DoStatement:
      case SK.LabeledStatement:
      case SK.WithStatement:
        return this.#statementsIn((node as ts.IterationStatement | ts.LabeledStatement | ts.WithStatement).statement, scope, out);
      case SK.TryStatement: {
        const statement = node as ts.TryStatement;
        this.#statementsIn(statement.tryBlock, scope, out);
        if (statement.catchClause) this.#statementsIn(statement.catchClause.block, scope, out);
        if (statement.finallyBlock) this.#statementsIn(statement.finallyBlock, scope, out);
        return;
      }
      case SK.SwitchStatement:
        for (const clause of (node as ts.SwitchStatement).caseBlock.clauses) this.#statementsIn(clause, scope, out);
        return;
      case SK.ClassDeclaration:
        // Methods are functions of their own; constructors, accessors and static blocks are not.
        for (const member of (node as ts.ClassDeclaration).members) {
          if ((ts.isConstructorDeclaration(member) || ts.isAccessor(member) || ts.isClassStaticBlockDeclaration(member)) && member.body) this.#statementsIn(member.body, scope, out);
        }
        return;
    }
  }

  #statement(statement: ts.ExpressionStatement, scope: RequestScope, out: Work[]): void {
    const expression = skipOuter(statement.expression);
    const promise = this.unwaitedPromise(expression, scope);
    if (promise) out.push({ kind: 'statement', statement, expression, promise, scope, anchor: this.#anchor(statement) });
  }

  #variables(statement: ts.VariableStatement, scope: RequestScope, out: Work[]): void {
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      // Cheapest first: only a call (or `new`, or a tagged template) starts work; most values are
      // used, usually in the next statement or two, and a used value is not lost work.
      if (!startsWork(skipOuter(declaration.initializer))) continue;
      if (usedInLaterStatements(declaration.name, statement)) continue;
      if (!this.#couldBePromise(skipOuter(declaration.initializer))) continue;
      if (isReferenced(declaration.name, this.ctx.sourceFile)) continue;
      const promise = this.unwaitedPromise(skipOuter(declaration.initializer), scope);
      if (!promise) continue;
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
    const kind = expression.kind;
    if (kind !== SK.CallExpression && kind !== SK.NewExpression && kind !== SK.TaggedTemplateExpression) return undefined;
    if (isDetachedChain(expression) || isPlainlySynchronous(expression, scope)) return undefined;
    if (kind === SK.CallExpression && mayRunCallback(expression as ts.CallExpression) && this.callbackApi(expression as ts.CallExpression)) return undefined;
    const calls = chainCalls(expression);
    if (!this.#safeCalls.isEmpty && calls.some((call) => this.#safeCalls.matches(call))) return undefined;
    if (isNextCall(calls[calls.length - 1], scope) || delegatesToMiddleware(calls[calls.length - 1], scope)) return undefined;
    if (rootsAtReply(expression, scope)) return undefined;
    return this.promiseShape(expression);
  }

  /**
   * What syntax alone can rule out without asking anything: only calls, `new` and tagged templates
   * (or a conditional / logical of them) make promises, and a call syntax knows to be plainly
   * synchronous makes none. The full answer is `unwaitedPromise`.
   */
  #couldBePromise(expression: ts.Expression): boolean {
    if (ts.isConditionalExpression(expression) || isLogical(expression)) {
      const operands = ts.isConditionalExpression(expression) ? [expression.whenTrue, expression.whenFalse] : [expression.left, expression.right];
      return operands.some((operand) => this.#couldBePromise(skipOuter(operand)));
    }
    if (!ts.isCallExpression(expression) && !ts.isNewExpression(expression) && !ts.isTaggedTemplateExpression(expression)) return false;
    return this.#syntaxShape(expression) !== 'none';
  }

  /**
   * Syntax first (RULES.md §2.1): what the call is known to give (a well-known package or built-in
   * call, a project function's declaration); the type checker only where syntax can't tell; the
   * call's shape where types don't resolve either (untyped code).
   */
  promiseShape(expression: ts.Expression): PromiseShape | undefined {
    if (this.#kinds.has(expression)) return this.#kinds.get(expression);
    const syntax = this.#syntaxShape(expression);
    let shape: PromiseShape | undefined;
    if (syntax !== undefined) {
      shape = syntax === 'none' ? undefined : syntax;
    } else {
      const type = this.ctx.types.typeOf(expression);
      shape = this.ctx.types.isKnown(type) ? shapeOfType(type, this.ctx.types.checker) : this.#shapeFromSyntax(expression);
    }
    this.#kinds.set(expression, shape);
    return shape;
  }

  /**
   * The shape the types would give, when syntax alone is sure of it: `none` for a value that is
   * no promise (nor array of them), undefined when only the type checker can say.
   */
  #syntaxShape(expression: ts.Expression): PromiseShape | 'none' | undefined {
    if (this.#syntaxShapes.has(expression)) return this.#syntaxShapes.get(expression);
    this.#syntaxShapes.set(expression, undefined); // cycles (`const p = p.then(...)`) stay unknown
    const shape = this.#computeSyntaxShape(expression);
    this.#syntaxShapes.set(expression, shape);
    return shape;
  }

  #computeSyntaxShape(expression: ts.Expression): PromiseShape | 'none' | undefined {
    if (ts.isNewExpression(expression)) {
      const callee = this.ctx.facts.values.infoOf(expression.expression);
      // A project class could be thenable (a `then` member, or one it inherits): types decide.
      if (callee.kind === 'class' && (callee.cls.heritageClauses?.length || callee.cls.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === 'then'))) {
        return undefined;
      }
      const facts = this.ctx.facts.callFacts(expression);
      if (!facts) return undefined;
      return facts.promise ? this.#trusted(expression, 'one') : 'none';
    }
    if (!ts.isCallExpression(expression)) return undefined;
    const callee = skipOuter(expression.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = skipOuter(callee.expression);
      // `p.then(...)`, `p.catch(...)`, `p.finally(...)` on a real promise give a promise.
      if ((method === 'then' || method === 'catch' || method === 'finally') && (ts.isCallExpression(receiver) || ts.isNewExpression(receiver))) {
        return this.isRealPromise(receiver) ? 'one' : undefined;
      }
    }
    const info = this.ctx.facts.values.infoOf(expression.expression);
    if (info.kind === 'function') {
      // A project function: what its declaration says, read the way the type checker reads it.
      const promise = declaredPromise(info.fn);
      if (promise === undefined) return undefined;
      return promise ? this.#trusted(expression, 'one') : 'none';
    }
    const facts = this.ctx.facts.callFacts(expression);
    if (!facts) return undefined;
    if (facts.promise) return this.#trusted(expression, 'one');
    // Not a promise, but maybe an array of them.
    if (info.kind === 'global' && /^new Array\.map$/.test(info.path) && expression.arguments.length > 0) {
      const returns = this.#callbackGivesPromise(expression.arguments[0]);
      return returns === undefined ? undefined : returns ? this.#trusted(expression, 'many') : 'none';
    }
    if (info.kind === 'global' && ARRAY_RESULTS.test(info.path)) return undefined;
    return 'none';
  }

  /**
   * A positive answer from syntax stands only if no name on the way to the callee could be bound by
   * something the declaration index doesn't follow (destructuring, a catch variable, ...).
   */
  #trusted(expression: ts.Expression, shape: PromiseShape): PromiseShape | undefined {
    const root = chainRoot(expression);
    if (root && unindexedBindingsOf(this.ctx.sourceFile).has(root.text)) return undefined;
    const callee = ts.isCallExpression(expression) || ts.isNewExpression(expression) ? expression.expression : expression;
    return this.#throughDeclaredType(callee, 0) ? undefined : shape;
  }

  /**
   * Whether the way to a value passes a declared type the checker would use instead of what the
   * syntactic resolver follows (`const svc: Service = new Impl()`, a typed class property, a
   * function's declared return type, `x as T`): then the types, not the initializer, say what
   * calling it gives. Followed within this file.
   */
  #throughDeclaredType(expression: ts.Expression, depth: number): boolean {
    if (depth > 12) return true;
    let current = expression;
    for (;;) {
      if (current.kind === SK.AsExpression || current.kind === SK.TypeAssertionExpression) return true;
      if (current.kind !== SK.ParenthesizedExpression && current.kind !== SK.NonNullExpression && current.kind !== SK.SatisfiesExpression) break;
      current = (current as ts.ParenthesizedExpression).expression;
    }
    switch (current.kind) {
      case SK.Identifier: {
        const declaration = indexOf(this.ctx.sourceFile).declarations.lookup((current as ts.Identifier).text, current);
        if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isParameter(declaration))) return false;
        if (declaration.type) return true;
        return !!declaration.initializer && this.#throughDeclaredType(declaration.initializer, depth + 1);
      }
      case SK.PropertyAccessExpression: {
        const access = current as ts.PropertyAccessExpression;
        if (this.#throughDeclaredType(access.expression, depth + 1)) return true;
        const owner = this.ctx.facts.values.infoOf(access.expression);
        if (owner.kind !== 'instance' && owner.kind !== 'class') return false;
        const name = access.name.text;
        return owner.cls.members.some((m) => ts.isPropertyDeclaration(m) && !!m.type && !!m.name && ts.isIdentifier(m.name) && m.name.text === name);
      }
      case SK.CallExpression: {
        const call = current as ts.CallExpression;
        if (this.#throughDeclaredType(call.expression, depth + 1)) return true;
        const callee = this.ctx.facts.values.infoOf(call.expression);
        return callee.kind === 'function' && !!callee.fn.type;
      }
      case SK.AwaitExpression:
        return this.#throughDeclaredType((current as ts.AwaitExpression).expression, depth + 1);
      default:
        return false;
    }
  }

  /** The value is a real `Promise` (it has `catch` and `finally`), as far as syntax can tell. */
  isRealPromise(expression: ts.Expression): boolean {
    const target = skipOuter(expression);
    if (!ts.isCallExpression(target) && !ts.isNewExpression(target)) return false;
    if (this.#syntaxShape(target) !== 'one') return false;
    if (ts.isNewExpression(target)) return true;
    const callee = skipOuter(target.expression);
    if (ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text)) return true;
    const info = this.ctx.facts.values.infoOf(target.expression);
    if (info.kind === 'package' || info.kind === 'global') return true;
    if (info.kind !== 'function') return false;
    const fn = info.fn;
    if (fn.type) return annotatedPromise(fn.type, fn, 0) === true && unionWithoutNullish(fn.type).every((part) => isPromiseReference(part, 'Promise'));
    return isAsyncFunction(fn) && !fn.asteriskToken;
  }

  /** Whether a callback surely returns a promise (true), surely doesn't (false), or syntax can't tell. */
  #callbackGivesPromise(callback: ts.Expression): boolean | undefined {
    const target = skipOuter(callback);
    if (isFunctionWithBody(target)) {
      if (target.asteriskToken) return false;
      const promise = declaredPromise(target);
      if (promise !== undefined) return promise;
      if (!ts.isBlock(target.body)) {
        const body = skipOuter(target.body);
        const shape = ts.isCallExpression(body) || ts.isNewExpression(body) ? this.#syntaxShape(body) : undefined;
        return shape === 'one' ? true : shape === 'none' ? false : undefined;
      }
      return undefined;
    }
    const info = this.ctx.facts.values.infoOf(target);
    if (info.kind !== 'function') return undefined;
    const promise = declaredPromise(info.fn);
    return promise && !this.#trusted(target, 'one') ? undefined : promise;
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
      return this.#isAsyncDeclaration(callee) ? 'one' : undefined;
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
    return !!indexOf(this.ctx.sourceFile).declarations.lookup(identifier.text, identifier);
  }

  /** The function or method a name (`save`, `this.save`, `jobs.save`) refers to, when declared in this file. */
  #localFunction(target: ts.Expression): FunctionWithBody | undefined {
    if (ts.isIdentifier(target)) {
      const declaration = indexOf(this.ctx.sourceFile).declarations.lookup(target.text, target);
      return declaration && functionOfDeclaration(declaration);
    }
    if (!ts.isPropertyAccessExpression(target)) return undefined;
    const info = this.ctx.facts.values.infoOf(target);
    return info.kind === 'function' && isFunctionWithBody(info.fn) && info.fn.getSourceFile() === this.ctx.sourceFile ? info.fn : undefined;
  }

  /** The callee refers to an `async` function or method declared in this file. */
  #isAsyncDeclaration(target: ts.Expression): boolean {
    const fn = this.#localFunction(target);
    return !!fn && isAsyncFunction(fn) && !fn.asteriskToken;
  }

  /** A callback that is async, or returns a promise: `async x => ...`, `x => save(x)`, a named async function. */
  #returnsPromise(callback: ts.Expression): boolean {
    const target = skipOuter(callback);
    const fn = isFunctionWithBody(target) ? target : undefined;
    if (fn) return (isAsyncFunction(fn) && !fn.asteriskToken) || (!ts.isBlock(fn.body) && this.promiseShape(skipOuter(fn.body)) === 'one');
    return (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) && this.#isAsyncDeclaration(target);
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
      return { kind: 'listener', callback: call.arguments[1], label: `.${method}()`, emitter: receiver };
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
      const local = this.#localFunction(target);
      if (local) return this.#functionRejects(local, strict, scope);
      // Declared elsewhere: whether calling it gives a promise, from syntax when it can tell.
      const info = this.ctx.facts.values.infoOf(target);
      const promise = info.kind === 'function' ? declaredPromise(info.fn) : undefined;
      if (promise === false) return false;
      if (promise && this.#trusted(target, 'one')) return true;
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

  get isEmpty(): boolean {
    return this.#names.size === 0 && this.#anyReceiver.size === 0 && this.#methods.length === 0;
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
  if (ts.isAwaitExpression(awaitNode) && isDetachedChain(awaitNode.expression)) return true;
  for (let child = awaitNode, parent = awaitNode.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isTryStatement(parent) && parent.catchClause && child === parent.tryBlock) return true;
  }
  return false;
}

/** Any use of the variable's name in its function (conservative: shadowing counts as a use). */
function isReferenced(name: ts.Identifier, sourceFile: ts.SourceFile): boolean {
  const container = enclosingFunction(name) ?? sourceFile;
  const uses = referenceIndexOf(sourceFile).get(name.text);
  return !!uses && uses.some((use) => use !== name && use.pos >= container.pos && use.end <= container.end);
}

/** A call, `new` or tagged template, or a conditional / logical expression with one among its operands. */
function startsWork(expression: ts.Expression): boolean {
  switch (expression.kind) {
    case SK.CallExpression:
    case SK.NewExpression:
    case SK.TaggedTemplateExpression:
      return true;
    case SK.ConditionalExpression: {
      const conditional = expression as ts.ConditionalExpression;
      return startsWork(skipOuter(conditional.whenTrue)) || startsWork(skipOuter(conditional.whenFalse));
    }
    case SK.BinaryExpression:
      return isLogical(expression) && (startsWork(skipOuter(expression.left)) || startsWork(skipOuter(expression.right)));
    default:
      return false;
  }
}

/**
 * A quick proof of use: the name appears in a later declaration of the same statement or in a
 * statement after it in its block, searched in order and stopping at the first use. False only
 * means "not found there"; `isReferenced` gives the full answer.
 */
function usedInLaterStatements(name: ts.Identifier, statement: ts.VariableStatement): boolean {
  wantedName = name.text;
  const declarations = statement.declarationList.declarations;
  for (let i = declarations.indexOf(name.parent as ts.VariableDeclaration) + 1; i < declarations.length; i++) {
    if (mentionsWantedName(declarations[i])) return true;
  }
  const container = statement.parent as ts.Node & { statements?: ts.NodeArray<ts.Statement> };
  const statements = container.statements;
  if (!statements) return false;
  for (let i = statements.indexOf(statement) + 1; i < statements.length; i++) {
    if (mentionsWantedName(statements[i])) return true;
  }
  return false;
}

let wantedName = '';

/** The node has an identifier spelling `wantedName` that is not a property name. */
function mentionsWantedName(node: ts.Node): boolean {
  if (node.kind === SK.Identifier) {
    if ((node as ts.Identifier).text !== wantedName) return false;
    const parent = node.parent;
    return !((parent.kind === SK.PropertyAccessExpression && (parent as ts.PropertyAccessExpression).name === node) || (parent.kind === SK.PropertyAssignment && (parent as ts.PropertyAssignment).name === node));
  }
  return ts.forEachChild(node, mentionsWantedName) ?? false;
}

// Per-file indexes, keyed by the SourceFile object like `indexOf`, each built the first time it's
// needed: most files never need them.
const referenceIndexes = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.Identifier[]>>();
const unindexedBindingSets = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/** Name -> the identifiers that spell it, other than property names (`a.name`, `{ name: x }`): one walk of the file. */
function referenceIndexOf(sourceFile: ts.SourceFile): ReadonlyMap<string, readonly ts.Identifier[]> {
  let names = referenceIndexes.get(sourceFile) as Map<string, ts.Identifier[]> | undefined;
  if (names) return names;
  const index = new Map<string, ts.Identifier[]>();
  const visit = (node: ts.Node): void => {
    if (node.kind === SK.Identifier) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isPropertyName) {
        const text = (node as ts.Identifier).text;
        const list = index.get(text);
        if (list) list.push(node as ts.Identifier);
        else index.set(text, [node as ts.Identifier]);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  names = index;
  referenceIndexes.set(sourceFile, names);
  return names;
}

/**
 * Names bound where the shared declaration index doesn't look (destructuring, catch variables,
 * named function expressions, enums, namespaces): a use of one may not be what the syntactic value
 * resolver says it is. Such bindings live in statements and parameters, so the statements of the
 * file and of its functions are enough; expressions are not walked.
 */
function unindexedBindingsOf(sourceFile: ts.SourceFile): ReadonlySet<string> {
  let names = unindexedBindingSets.get(sourceFile);
  if (names) return names;
  const found = new Set<string>();
  for (const statement of sourceFile.statements) collectStatementBindings(statement, sourceFile, found);
  for (const fn of indexOf(sourceFile).functions) {
    for (const parameter of fn.parameters) if (!ts.isIdentifier(parameter.name)) collectBindingNames(parameter.name, found);
    if (ts.isFunctionExpression(fn) && fn.name) found.add(fn.name.text);
    if (ts.isBlock(fn.body)) collectStatementBindings(fn.body, sourceFile, found);
  }
  names = found;
  unindexedBindingSets.set(sourceFile, names);
  return names;
}

function collectStatementBindings(node: ts.Node, sourceFile: ts.SourceFile, out: Set<string>): void {
  switch (node.kind) {
    case SK.VariableStatement: {
      const statement = node as ts.VariableStatement;
      for (const declaration of statement.declarationList.declarations) {
        // `const { send } = require('./mailer')` at module level is an import, which the import table follows.
        if (ts.isIdentifier(declaration.name) || (statement.parent === sourceFile && isRequireCall(declaration.initializer))) continue;
        collectBindingNames(declaration.name, out);
      }
      return;
    }
    case SK.Block:
    case SK.CaseClause:
    case SK.DefaultClause:
    case SK.ModuleBlock:
      for (const statement of (node as ts.Block | ts.CaseOrDefaultClause | ts.ModuleBlock).statements) collectStatementBindings(statement, sourceFile, out);
      return;
    case SK.IfStatement:
      collectStatementBindings((node as ts.IfStatement).thenStatement, sourceFile, out);
      if ((node as ts.IfStatement).elseStatement) collectStatementBindings((node as ts.IfStatement).elseStatement!, sourceFile, out);
      return;
    case SK.ForStatement:
    case SK.ForInStatement:
    case SK.ForOfStatement: {
      const initializer = (node as ts.ForStatement | ts.ForInOrOfStatement).initializer;
      if (initializer && ts.isVariableDeclarationList(initializer)) {
        for (const declaration of initializer.declarations) if (!ts.isIdentifier(declaration.name)) collectBindingNames(declaration.name, out);
      }
      collectStatementBindings((node as ts.IterationStatement).statement, sourceFile, out);
      return;
    }
    case SK.WhileStatement:
    case SK.DoStatement:
    case SK.LabeledStatement:
    case SK.WithStatement:
      collectStatementBindings((node as ts.IterationStatement | ts.LabeledStatement | ts.WithStatement).statement, sourceFile, out);
      return;
    case SK.TryStatement: {
      const statement = node as ts.TryStatement;
      collectStatementBindings(statement.tryBlock, sourceFile, out);
      if (statement.catchClause) {
        // A catch variable is indexed, but with the scope of the block around the `try`.
        const variable = statement.catchClause.variableDeclaration;
        if (variable) collectBindingNames(variable.name, out);
        collectStatementBindings(statement.catchClause.block, sourceFile, out);
      }
      if (statement.finallyBlock) collectStatementBindings(statement.finallyBlock, sourceFile, out);
      return;
    }
    case SK.SwitchStatement:
      for (const clause of (node as ts.SwitchStatement).caseBlock.clauses) collectStatementBindings(clause, sourceFile, out);
      return;
    case SK.EnumDeclaration:
      out.add((node as ts.EnumDeclaration).name.text);
      return;
    case SK.ModuleDeclaration: {
      const declaration = node as ts.ModuleDeclaration;
      if (ts.isIdentifier(declaration.name)) out.add(declaration.name.text);
      if (declaration.body) collectStatementBindings(declaration.body, sourceFile, out);
      return;
    }
    case SK.ImportEqualsDeclaration: {
      const declaration = node as ts.ImportEqualsDeclaration;
      if (!(declaration.parent === sourceFile && ts.isExternalModuleReference(declaration.moduleReference))) out.add(declaration.name.text);
      return;
    }
    case SK.ClassDeclaration:
      // Constructors, accessors and static blocks are not in the function index; methods are.
      for (const member of (node as ts.ClassDeclaration).members) {
        if (ts.isConstructorDeclaration(member) || ts.isAccessor(member)) {
          for (const parameter of member.parameters) if (!ts.isIdentifier(parameter.name)) collectBindingNames(parameter.name, out);
        }
        if ((ts.isConstructorDeclaration(member) || ts.isAccessor(member) || ts.isClassStaticBlockDeclaration(member)) && member.body) {
          collectStatementBindings(member.body, sourceFile, out);
        }
      }
      return;
  }
}

function collectBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) {
    out.add(name.text);
    return;
  }
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, out);
}

/** `require('x')` or `require('x').y`: what the import table reads as an import. */
function isRequireCall(expression: ts.Expression | undefined): boolean {
  let current = expression;
  while (current && ts.isPropertyAccessExpression(current)) current = current.expression;
  return !!current && ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === 'require';
}

/** The name a chain starts from: `pool` of `pool.query().then()`, `audit` of `audit(x)`. */
function chainRoot(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuter(expression);
  for (;;) {
    if (ts.isCallExpression(current) || ts.isNewExpression(current) || ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      current = skipOuter(current.expression);
    } else if (ts.isTaggedTemplateExpression(current)) {
      current = skipOuter(current.tag);
    } else if (ts.isAwaitExpression(current)) {
      current = skipOuter(current.expression);
    } else {
      return ts.isIdentifier(current) ? current : undefined;
    }
  }
}


// ----- what a project function's declaration says ----------------------------------------------------

const declaredPromises = new WeakMap<ts.FunctionLikeDeclaration, boolean | null>();

/**
 * Whether calling a project function gives a thenable, read from its declaration the way the type
 * checker reads it: async, a `Promise<T>` / `PromiseLike<T>` return type, or a body that returns
 * only plain values. Undefined when only the types can tell: a declared type around the function
 * (`const f: Handler = async () => ...`, `fn as Handler`) that callers see instead of its own, or a
 * return type that may be a promise in disguise or an array of them.
 */
function declaredPromise(fn: ts.FunctionLikeDeclaration): boolean | undefined {
  let promise = declaredPromises.get(fn);
  if (promise === undefined) {
    promise = computeDeclaredPromise(fn) ?? null;
    declaredPromises.set(fn, promise);
  }
  return promise ?? undefined;
}

function computeDeclaredPromise(fn: ts.FunctionLikeDeclaration): boolean | undefined {
  if (!hasOwnType(fn) || hasOverloads(fn)) return undefined;
  if (fn.asteriskToken) return false;
  const jsDoc = !fn.type && isJavaScriptFile(fn.getSourceFile()) ? ts.getJSDocReturnType(fn) : undefined;
  const type = fn.type ?? jsDoc;
  if (type) {
    const annotated = annotatedPromise(type, fn, 0);
    // A JSDoc comment can be out of date; a visible body that is not async and returns no
    // promise is what runs (RULES.md: when unsure, don't report).
    if (annotated && jsDoc && fn.body && !isAsyncFunction(fn) && functionCallFacts(fn)?.promise === false) return false;
    return annotated;
  }
  if (isAsyncFunction(fn)) return true;
  return functionCallFacts(fn)?.promise;
}

/** Callers of an overloaded function see its overload signatures, not the implementation. */
function hasOverloads(fn: ts.FunctionLikeDeclaration): boolean {
  if (!ts.isFunctionDeclaration(fn) || !fn.name) return false;
  const container = fn.parent as ts.Node & { statements?: ts.NodeArray<ts.Statement> };
  const name = fn.name.text;
  return !!container.statements?.some((s) => s !== fn && ts.isFunctionDeclaration(s) && !s.body && s.name?.text === name);
}

/** Callers see the function's own signature: no declared type of a variable, property or assertion is laid over it. */
function hasOwnType(fn: ts.FunctionLikeDeclaration): boolean {
  let node: ts.Node = fn;
  for (;;) {
    const parent = node.parent;
    if (!parent) return true;
    switch (parent.kind) {
      case SK.ParenthesizedExpression:
      case SK.SatisfiesExpression:
      case SK.ObjectLiteralExpression:
        node = parent;
        continue;
      case SK.PropertyAssignment:
        node = parent.parent;
        continue;
      case SK.AsExpression:
      case SK.TypeAssertionExpression:
        return false;
      case SK.VariableDeclaration:
      case SK.PropertyDeclaration: {
        const declaration = parent as ts.VariableDeclaration | ts.PropertyDeclaration;
        if (declaration.type) return false;
        return !(isJavaScriptFile(declaration.getSourceFile()) && (ts.getJSDocType(declaration) || ts.getJSDocTags(ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration).some(ts.isJSDocTypeTag)));
      }
      default:
        if (isJavaScriptFile(fn.getSourceFile()) && (ts.getJSDocType(fn) || ts.getJSDocTags(fn).some(ts.isJSDocTypeTag))) return false;
        return true;
    }
  }
}

function isJavaScriptFile(sourceFile: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(sourceFile.fileName);
}

/** A declared return type: true for `Promise<T>` / `PromiseLike<T>` (or with `| undefined | null`), false for types that can't be thenable. */
function annotatedPromise(type: ts.TypeNode, at: ts.Node, depth: number): boolean | undefined {
  const parts = unionWithoutNullish(type);
  if (parts.length > 0 && parts.every((part) => isPromiseReference(part, 'Promise') || isPromiseReference(part, 'PromiseLike'))) return true;
  // JSDoc type nodes have no parent chain to a source file: read their text through `at`'s.
  if (depth > 3 || /Promise|Thenable|then/i.test(at.getSourceFile().text.slice(type.pos, type.end))) return undefined;
  // A type alias declared at the top of the same file is followed; other names are interfaces,
  // classes or imported types, which rarely hide a promise.
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    const alias = at.getSourceFile().statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
    if (alias) return annotatedPromise(alias.type, alias, depth + 1);
  }
  return false;
}

function unionWithoutNullish(type: ts.TypeNode): ts.TypeNode[] {
  let current = type;
  while (ts.isParenthesizedTypeNode(current)) current = current.type;
  const parts = ts.isUnionTypeNode(current) ? [...current.types] : [current];
  return parts.filter((part) => part.kind !== SK.UndefinedKeyword && !(ts.isLiteralTypeNode(part) && part.literal.kind === SK.NullKeyword));
}

function isPromiseReference(type: ts.TypeNode | undefined, name: 'Promise' | 'PromiseLike'): boolean {
  return !!type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === name;
}

/** A cheap look at the callee: could `callbackApi` recognise this call? */
function mayRunCallback(call: ts.CallExpression): boolean {
  if (call.arguments.length === 0) return false;
  const callee = skipOuter(call.expression);
  if (callee.kind === SK.Identifier) return TIMER_FUNCTIONS.has((callee as ts.Identifier).text);
  if (callee.kind !== SK.PropertyAccessExpression) return false;
  const method = (callee as ts.PropertyAccessExpression).name.text;
  return method === 'forEach' || method === 'nextTick' || TIMER_FUNCTIONS.has(method) || LISTENER_METHODS.has(method);
}

/** Source order, and a statement's own finding before those of the callbacks in it (as one walk of the handler gives). */
function inSourceOrder(a: Work, b: Work): number {
  return a.anchor.start - b.anchor.start || workRank(a) - workRank(b) || workNode(a).pos - workNode(b).pos || workNode(b).end - workNode(a).end;
}

function workRank(work: Work): number {
  return work.kind === 'callback' ? 1 : 0;
}

function workNode(work: Work): ts.Node {
  return work.kind === 'callback' ? work.call : work.kind === 'variable' ? work.declaration : work.statement;
}

/** Built-in calls that give an array, which may be an array of promises. */
const ARRAY_RESULTS = /^(new Array\.(map|filter|slice|concat|flat|flatMap|reverse|sort|splice|toSorted|toReversed|toSpliced|with|fill|copyWithin)|Array\.(from|of))$/;

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
      const label = work.api.emitter ? `${shortText(work.api.emitter, sourceFile)}${work.api.label}` : work.api.label;
      return `${label} does not wait for ${what}, ${CONSEQUENCE}.`;
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
    // A helper's callers call it for its effect, not its result: made async, each of them would
    // start a promise nobody waits for (in files this fix can't edit).
    if (scope.role === 'helper' || isCalledForEffect(fn, ctx.sourceFile)) return undefined;
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

/** `auditAction(req, 'x');` somewhere in the file: a caller that ignores what the function returns. */
function isCalledForEffect(fn: FunctionWithBody, sourceFile: ts.SourceFile): boolean {
  const name = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  if (!name) return false;
  const index = indexOf(sourceFile);
  return index.calls.some((call) => {
    if (!ts.isIdentifier(call.expression) || call.expression.text !== name.text || !ts.isExpressionStatement(call.parent)) return false;
    const declaration = index.declarations.lookup(name.text, call);
    return declaration === fn || declaration === fn.parent;
  });
}

/**
 * Whether whoever calls the handler accepts a promise from it. Only types can say no: a contextual
 * signature whose return type has no `void`, `any`, `unknown` or thenable part (say, `Response`).
 */
function asyncResultAccepted(fn: FunctionWithBody, ctx: RuleContext): boolean {
  if (!/\.[cm]?tsx?$/.test(ctx.fileName)) return true;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return true;
  if (!mayReturnTypeBeFixed(fn, ctx)) return true;
  const contextual = ctx.types.checker.getContextualType(fn);
  if (!contextual) return true;
  const checker = ctx.types.checker;
  return contextual.getCallSignatures().every((signature) => {
    const returnType = signature.getReturnType();
    const parts = returnType.isUnion() ? returnType.types : [returnType];
    return parts.some((t) => t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown) || isThenableType(t, checker));
  });
}

/** Frameworks whose route and middleware signatures accept a promise from a handler. */
const PROMISE_ACCEPTING_FRAMEWORKS = new Set(['express', 'koa', '@koa/router', 'fastify', 'hono']);

/**
 * Whether something could give the function a contextual type that rules out a promise; false when
 * syntax shows it can't (an untyped variable's initializer, a handler a known framework takes).
 */
function mayReturnTypeBeFixed(fn: FunctionWithBody, ctx: RuleContext): boolean {
  let child: ts.Node = fn;
  let parent = fn.parent;
  while (ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isVariableDeclaration(parent)) return !!parent.type;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== child) {
    const callee = ctx.facts.values.infoOf(parent.expression);
    return !(callee.kind === 'package' && PROMISE_ACCEPTING_FRAMEWORKS.has(callee.module));
  }
  return true;
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
      return detachEdits(work.expression, sf, promiseWrapper(work.expression, work.promise, detector, ctx));
    case 'variable': {
      // A new statement keeps the variable's value (and any declared type) as it was.
      const name = work.declaration.name.text;
      const wrapper = promiseWrapper(work.declaration.initializer, work.promise, detector, ctx);
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
    const wrapper = promiseWrapper(body, shape, detector, ctx);
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
function promiseWrapper(expression: ts.Expression, shape: PromiseShape, detector: Detector, ctx: RuleContext): string | undefined {
  if (shape === 'many') return 'Promise.all';
  if (ts.isConditionalExpression(expression) || isLogical(expression)) return 'Promise.resolve';
  if (detector.isRealPromise(expression)) return undefined;
  const type = ctx.types.typeOf(expression);
  if (!ctx.types.isKnown(type)) return undefined;
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  return parts.every((t) => t.getProperty('catch')) ? undefined : 'Promise.resolve';
}

/** `xs.forEach(...)` can become `xs.map(...)`: an array (or a value types can't see, as in plain JavaScript). */
function canMapOver(call: ts.CallExpression, ctx: RuleContext): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken) return false;
  const receiver = ctx.facts.values.infoOf(callee.expression);
  if (receiver.kind === 'global' && receiver.path === 'new Array') return true;
  if (receiver.kind === 'global' && /^new (Set|Map|WeakMap|WeakSet|Headers|URLSearchParams|FormData)$/.test(receiver.path)) return false;
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
