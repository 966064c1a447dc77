// What ends a request's turn in a middleware (RULES.md §2.8): passing control on (`next()`,
// `done()`, `nextCall(...)`, returning `next.handle()`), responding, throwing, or handing `next` or
// the response to another function; and the paths of a middleware on which none of that happens.
import { ts } from 'ts-morph';
import { isValueReference } from '../syntax/bindings';
import { skipOuter } from '../scopes/appKinds';
import type { Framework, RequestObjectRole, RequestScope } from '../scopes/requestScope';
import type { ValueResolver } from '../syntax/values';
import { flowGraphOf } from './buildFlowGraph';
import { isFunctionWithBody, type FunctionWithBody } from './evaluated';
import type { FlowEdgeKind, FlowNode } from './flowGraph';
import { walkPaths } from './walkPaths';

export type ControlKind = 'next' | 'done' | 'nextCall' | 'callHandler';

/** The parameter that passes control on. */
export interface ControlParameter {
  readonly name: string;
  readonly kind: ControlKind;
}

/**
 * The scope's control parameter: `scope.next`, or for a node:http-typed function written as a
 * Connect middleware (`(req: IncomingMessage, res: ServerResponse, next)`) its third parameter
 * named `next`/`done`.
 */
export function controlParameterOf(scope: RequestScope): ControlParameter | undefined {
  if (scope.next) return scope.next;
  if (scope.framework !== 'node-http' || scope.fn.parameters.length !== 3) return undefined;
  const third = scope.fn.parameters[2];
  if (!ts.isIdentifier(third.name) || !/^_*(next|done)$/.test(third.name.text)) return undefined;
  return { name: third.name.text, kind: 'next' };
}

/** Methods that respond (or close the connection) when called on a request object, by its role. */
const RESPONDING_METHODS: Partial<Record<RequestObjectRole, ReadonlySet<string>>> = {
  res: new Set(['send', 'json', 'jsonp', 'end', 'redirect', 'render', 'sendFile', 'sendStatus', 'download', 'write', 'writeHead', 'flushHeaders', 'destroy']),
  reply: new Set(['send', 'redirect', 'sendFile', 'download', 'view', 'hijack', 'callNotFound', 'end', 'write', 'writeHead', 'flushHeaders', 'destroy']),
  ctx: new Set(['redirect', 'throw', 'render', 'end', 'write', 'writeHead', 'flushHeaders', 'destroy']),
  req: new Set(['destroy']),
  request: new Set(['destroy']),
  call: new Set(['end', 'write', 'destroy', 'sendMetadata']),
};
/**
 * Methods of a Koa context (and of `ctx.response`) known not to respond: Koa's own request/response
 * helpers, `assert` (throws only when its test fails), and common plugins' non-answering methods.
 * Any other `ctx.<method>(...)` is a method the project or a plugin added to the context
 * (Strapi's `ctx.unauthorized()`, koa-respond's `ctx.ok()`, koa-boom): it may well respond, so
 * calling it settles the path (when unsure, don't report).
 */
const KOA_NON_RESPONDING = new Set([
  // Koa's context, request and response delegates.
  'get', 'set', 'append', 'remove', 'has', 'is', 'accepts', 'acceptsEncodings', 'acceptsCharsets', 'acceptsLanguages', 'vary',
  'attachment', 'assert', 'inspect', 'toJSON', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  // koa-passport: authentication state, not an answer.
  'isAuthenticated', 'isUnauthenticated', 'login', 'logIn', 'logout', 'logOut',
]);

/** Properties whose assignment responds: Koa's `ctx.body`/`ctx.status`, Hono's `c.res`. */
const RESPONDING_PROPERTIES: Partial<Record<RequestObjectRole, ReadonlySet<string>>> = {
  ctx: new Set(['body', 'status']),
  c: new Set(['res']),
};
/** Roles whose object can answer the request: handing one to another function may respond. */
const ANSWERING_ROLES: ReadonlySet<RequestObjectRole> = new Set(['res', 'reply', 'ctx', 'c', 'callback', 'call']);
/** Reading these says the response has already started or ended: both branches of such a test are settled. */
const RESPONSE_STATE = /^(headersSent|headerSent|writableEnded|writableFinished|finished|sent|finalized|destroyed)$/;

/** What the analysis of one middleware needs to know. */
export interface ControlContext {
  readonly fn: FunctionWithBody;
  readonly framework: Framework;
  readonly control: ControlParameter;
  /** Request objects by local name (parameters of `fn`). */
  readonly requestObjects: ReadonlyMap<string, RequestObjectRole>;
  /** For following `next`/`res` into project functions they are handed to. */
  readonly values?: ValueResolver;
}

/** A way a path of the middleware reaches its end without passing control on, responding or throwing. */
export interface DroppingPath {
  /** The last step executed on the path. */
  readonly from: FlowNode;
  /** The statement of that step: the anchor (a `return`, an `if` whose branch ends the function, ...). */
  readonly statement: ts.Node;
  /** The edge taken out of `from` (`false` for an `if` whose missing `else` ends the function). */
  readonly edge: FlowEdgeKind | undefined;
  /**
   * Whether only dropping paths run through the place a fix would insert code: before a `return`
   * or jump, after the last statement, or into a missing `else`.
   */
  readonly onlyDropping: boolean;
}

interface PathState {
  readonly settled: boolean;
  readonly edge?: FlowEdgeKind;
}

/**
 * Every dropping path of the middleware, one per distinct last step and edge, in source order.
 * Thrown exceptions are followed into `catch` blocks (a swallowed error is a classic way to hang a
 * request) but leaving the function by an exception is not a drop.
 */
export function droppingPaths(context: ControlContext): DroppingPath[] {
  const graph = flowGraphOf(context.fn);
  const scanner = new SettleScanner(context);
  const enteredSettled = new Set<FlowNode>();
  const drops = new Map<string, { from: FlowNode; edge: FlowEdgeKind | undefined }>();
  walkPaths<PathState>(graph, [{ node: graph.entry, state: { settled: false } }], {
    key: (state) => `${state.settled ? 1 : 0}${state.edge ?? ''}`,
    step: (node, state) => {
      if (state.settled) enteredSettled.add(node);
      const settles = state.settled || scanner.settles(node);
      const next: PathState = { settled: settles };
      const thrown = node.role === 'throw' || mayThrow(node, context.control) ? [next] : [];
      if (node.role === 'throw') return { thrown };
      return { next, thrown };
    },
    edge: (edge, from, state) => {
      if (!state.settled && from.role === 'condition' && from.ast && settledBranch(from.ast, edge.kind, context.requestObjects)) return { settled: true };
      return { settled: state.settled, edge: from.role === 'condition' || from.role === 'iteration' ? edge.kind : undefined };
    },
    reachedExit: (exit, state, from) => {
      if (exit !== graph.exit || state.settled || !from || !from.statement) return;
      const key = `${from.id}:${state.edge ?? ''}`;
      if (!drops.has(key)) drops.set(key, { from, edge: state.edge });
    },
  });
  const out: DroppingPath[] = [];
  for (const { from, edge } of drops.values()) {
    out.push({ from, statement: from.statement!, edge, onlyDropping: !graph.stepsOf(from.ast!).some((step) => enteredSettled.has(step)) });
  }
  return out.sort((a, b) => a.statement.getStart() - b.statement.getStart() || a.from.id - b.from.id);
}

/** Whether a step may raise an exception a `catch` sees: it calls, awaits or constructs something. */
function mayThrow(node: FlowNode, control: ControlParameter): boolean {
  if (!node.ast || node.role === 'catch' || node.role === 'jump' || node.role === 'iteration') return node.awaits.length > 0;
  if (node.awaits.length > 0) return true;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || isFunctionWithBody(current) || ts.isClassLike(current)) return;
    // `next()` does not throw: Express and Connect catch what downstream throws.
    const controlCall = ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === control.name;
    if ((ts.isCallExpression(current) && !controlCall) || ts.isNewExpression(current)) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node.ast);
  return found;
}

/**
 * Whether the branch `edge` of a condition runs only once the response went out: the `true` branch
 * of `res.headersSent` / `reply.sent || res.writableEnded`, the `false` branch of `!res.headersSent`.
 * Any other test that reads such a property leaves both branches settled (unsure).
 */
function settledBranch(condition: ts.Node, edge: FlowEdgeKind, requestObjects: ReadonlyMap<string, RequestObjectRole>): boolean {
  if (edge !== 'true' && edge !== 'false') return false;
  if (!readsResponseState(condition, requestObjects)) return false;
  const polarity = responseStatePolarity(condition as ts.Expression, requestObjects);
  if (polarity === undefined) return true;
  return polarity === (edge === 'true');
}

/** `true`: the test is true when the response went out; `false`: when it did not; undefined: can't tell. */
function responseStatePolarity(expression: ts.Expression, requestObjects: ReadonlyMap<string, RequestObjectRole>): boolean | undefined {
  const target = skipOuter(expression);
  if (ts.isPrefixUnaryExpression(target) && target.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = responseStatePolarity(target.operand, requestObjects);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isPropertyAccessExpression(target) && RESPONSE_STATE.test(target.name.text) && readsResponseState(target, requestObjects)) return true;
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
    const left = responseStatePolarity(target.left, requestObjects);
    const right = responseStatePolarity(target.right, requestObjects);
    return left === true && right === true ? true : undefined;
  }
  return undefined;
}

/** `res.headersSent`, `!reply.sent`, `ctx.res.writableEnded`: a test of whether the response already went out. */
function readsResponseState(condition: ts.Node, requestObjects: ReadonlyMap<string, RequestObjectRole>): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(current) && RESPONSE_STATE.test(current.name.text)) {
      let root: ts.Expression = current.expression;
      while (ts.isPropertyAccessExpression(root)) root = root.expression;
      if (ts.isIdentifier(root) && requestObjects.has(root.text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(condition);
  return found;
}

/**
 * Decides whether a step ends the request's turn. A reference to `next` anywhere in the step
 * counts (a call, or `next` handed on, also inside a callback created there); so does a responding
 * call or assignment on a request object, and handing an answering request object to a function
 * — unless that function is declared in the project and plainly does nothing with it.
 */
export class SettleScanner {
  readonly #localSettlers = new Set<string>();
  readonly #localFunctionBodies = new Set<ts.Node>();
  readonly #helperVerdicts = new Map<string, boolean>();

  constructor(
    private readonly context: ControlContext,
    private readonly depth = 0,
  ) {
    // `const deny = () => res.sendStatus(403)`: calling `deny()` settles; creating it does not.
    const body = context.fn.body;
    if (!ts.isBlock(body)) return;
    for (const statement of body.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        this.#localFunctionBodies.add(statement);
        if (this.#settlesWithin(statement.body)) this.#localSettlers.add(statement.name.text);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer && skipOuter(declaration.initializer);
          if (!init || !ts.isIdentifier(declaration.name) || !isFunctionWithBody(init)) continue;
          this.#localFunctionBodies.add(init);
          if (this.#settlesWithin(init.body)) this.#localSettlers.add(declaration.name.text);
        }
      }
    }
  }

  settles(node: FlowNode): boolean {
    const ast = node.ast;
    if (!ast) return false;
    const { control, framework } = this.context;
    const returned = node.role === 'return' ? (ast as ts.ReturnStatement).expression : node.role === 'expressionBody' ? (ast as ts.Expression) : undefined;
    // Nest interceptors and Hono middleware answer by what they return: `next.handle()...`, another
    // Observable, a `Response` or `c.json(...)`.
    if ((control.kind === 'callHandler' || framework === 'hono') && returned && !isVoid(returned)) return true;
    // A bare `next.handle();` is a cold Observable: only returning it passes control.
    if (control.kind === 'callHandler') return false;
    if (node.role === 'catch' || node.role === 'jump') return false;
    return this.#settlesWithin(ast);
  }

  #settlesWithin(root: ts.Node): boolean {
    let found = false;
    const visit = (current: ts.Node): void => {
      if (found) return;
      if (current !== root && this.#localFunctionBodies.has(current)) return;
      if (ts.isIdentifier(current) && this.#identifierSettles(current)) {
        found = true;
        return;
      }
      ts.forEachChild(current, visit);
    };
    visit(root);
    return found;
  }

  #identifierSettles(identifier: ts.Identifier): boolean {
    if (!isValueReference(identifier) || ts.isTypeOfExpression(identifier.parent)) return false;
    const name = identifier.text;
    const { control, requestObjects } = this.context;
    if (name === control.name) return control.kind !== 'callHandler' && !this.#shadowed(identifier);
    if (this.#localSettlers.has(name)) return !this.#shadowed(identifier);
    const role = requestObjects.get(name);
    if (!role || this.#shadowed(identifier)) return false;
    return this.#requestObjectSettles(identifier, role);
  }

  #requestObjectSettles(identifier: ts.Identifier, role: RequestObjectRole): boolean {
    let expression: ts.Expression = identifier;
    while (isTransparent(expression.parent)) expression = expression.parent as ts.Expression;
    const parent = expression.parent;
    // gRPC `callback(...)`.
    if (role === 'callback' && ts.isCallExpression(parent) && parent.expression === expression) return true;
    // Handed to a function: `proxy.web(req, res)`, `stream.pipe(res)`, `authorize(ctx)`.
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(expression)) {
      if (!ANSWERING_ROLES.has(role)) return false;
      return this.#handedTo(parent, parent.arguments.indexOf(expression), role);
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === expression) return this.#memberSettles(parent, role);
    // Aliased or stored: `const response = res`, `{ res }`, `return ctx`: followed no further.
    if (!ANSWERING_ROLES.has(role)) return false;
    return (
      (ts.isVariableDeclaration(parent) && parent.initializer === expression) ||
      ts.isShorthandPropertyAssignment(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === expression) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isReturnStatement(parent) ||
      (ts.isBinaryExpression(parent) && parent.right === expression && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    );
  }

  /** `res.status(403).json(...)`, `ctx.body = ...`, `reply.raw.end()`, `ctx.res.end()`. */
  #memberSettles(first: ts.PropertyAccessExpression, role: RequestObjectRole): boolean {
    const methods = RESPONDING_METHODS[role];
    const properties = RESPONDING_PROPERTIES[role];
    let current: ts.Expression = first;
    let depth = 0;
    for (;;) {
      const parent = current.parent;
      if (ts.isPropertyAccessExpression(current)) {
        const name = current.name.text;
        const called = ts.isCallExpression(parent) && parent.expression === current;
        if (called && methods?.has(name)) return true;
        // `ctx.unauthorized(...)`, `ctx.response.forbidden()`: a responder added to the Koa context.
        if (called && role === 'ctx' && !KOA_NON_RESPONDING.has(name) && (depth === 0 || isKoaResponse(current.expression))) return true;
        // `ctx.body = x`, `ctx.response.status = 403`, `c.res = new Response(...)`.
        if (properties?.has(name) && ts.isBinaryExpression(parent) && parent.left === current && isAssignment(parent.operatorToken.kind)) {
          const base = skipOuter(current.expression);
          if (depth === 0 || (ts.isPropertyAccessExpression(base) && base.name.text === 'response')) return true;
        }
      }
      if (!(ts.isPropertyAccessExpression(parent) && parent.expression === current) && !(ts.isCallExpression(parent) && parent.expression === current)) {
        return false;
      }
      current = parent as ts.Expression;
      depth++;
    }
  }

  /** Whether handing `next` or a request object to `call` as argument `index` may settle the request. */
  #handedTo(call: ts.CallExpression | ts.NewExpression, index: number, role: RequestObjectRole): boolean {
    const values = this.context.values;
    if (!values || this.depth >= 2) return true;
    if (call.arguments!.slice(0, index).some((a) => ts.isSpreadElement(a))) return true;
    const callee = values.infoOf(call.expression);
    if (callee.kind !== 'function' || !isFunctionWithBody(callee.fn)) return true;
    const fn = callee.fn as FunctionWithBody;
    const parameter = fn.parameters[index];
    if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return true;
    const key = `${fn.getSourceFile().fileName}:${fn.pos}:${index}:${role}`;
    const known = this.#helperVerdicts.get(key);
    if (known !== undefined) return known;
    this.#helperVerdicts.set(key, true); // recursion: unsure
    const helper = new SettleScanner(
      {
        fn,
        framework: this.context.framework,
        // A control parameter nobody can name: only the request object is followed.
        control: { name: '\0', kind: this.context.control.kind === 'callHandler' ? 'next' : this.context.control.kind },
        requestObjects: new Map([[parameter.name.text, role]]),
        values,
      },
      this.depth + 1,
    );
    const verdict = helper.#settlesWithin(fn.body);
    this.#helperVerdicts.set(key, verdict);
    return verdict;
  }

  /** A parameter or variable of a function nested in the middleware hides the name. */
  #shadowed(identifier: ts.Identifier): boolean {
    const name = identifier.text;
    for (let current: ts.Node | undefined = identifier.parent; current && current !== this.context.fn; current = current.parent) {
      if (ts.isFunctionLike(current) && current.parameters.some((p) => bindsName(p.name, name))) return true;
      if (ts.isBlock(current) && current !== this.context.fn.body) {
        for (const statement of current.statements) {
          if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => bindsName(d.name, name))) return true;
        }
      }
    }
    return false;
  }
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, wanted));
}

/** `ctx.response`: the object Koa's (and the project's) response methods live on. */
function isKoaResponse(expression: ts.Expression): boolean {
  const base = skipOuter(expression);
  return ts.isPropertyAccessExpression(base) && base.name.text === 'response' && ts.isIdentifier(skipOuter(base.expression));
}

function isVoid(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  return ts.isVoidExpression(target) || (ts.isIdentifier(target) && target.text === 'undefined');
}

function isTransparent(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

