import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { indexOf } from '../syntax/fileIndex';
import type { SignalEnv } from './signalEnv';

/** Events on a request object (or on the request's signal) that mean the request ended early. */
const END_EVENTS = new Set(['close', 'aborted', 'abort', 'cancelled']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
/** Text any binding of the request's signal needs: a signal (`.signal`, `{ signal }`, `AbortSignal.any`) or a controller. */
const MAY_BIND = /signal|AbortController/i;

/** A local name bound to the request's signal, or to a controller whose signal is the request's. */
interface SignalBinding {
  name: string;
  /** The declaration: the binding is visible after it, inside its block. */
  declaration: ts.Node;
  /** `signal` holds a signal; `controller` holds a linked AbortController (use `name.signal`). */
  kind: 'signal' | 'controller';
}

/**
 * "The request's signal" (RULES.md §1) inside one request scope: the framework's native signal, the
 * signal of a controller the scope links to the request's end (`res.once('close', () => ac.abort())`),
 * `AbortSignal.any([...])` over one of these, and local variables derived from them.
 */
export class RequestSignals {
  readonly #found: SignalBinding[] = [];
  /** The scope's local signals and linked controllers are collected on first need. */
  #collected = false;
  #mayBindCached: boolean | undefined;
  readonly #native: string | undefined;

  constructor(
    readonly scope: RequestScope,
    private readonly env: SignalEnv,
  ) {
    this.#native = scope.signal.kind === 'native' && !scope.signal.missingParameter ? scope.signal.expression : undefined;
  }

  get #bindings(): SignalBinding[] {
    if (!this.#collected) {
      this.#collected = true;
      this.#collect();
    }
    return this.#found;
  }

  /** False when nothing in the scope can be the request's signal (no native one, no local binding). */
  get mayHaveSignal(): boolean {
    return !!this.#native || this.#mayBind;
  }

  /**
   * Bindings come from `...signal...` expressions and `new AbortController()`: a body naming
   * neither has none (and needs no walk).
   */
  get #mayBind(): boolean {
    this.#mayBindCached ??= !!this.scope.fn.body && MAY_BIND.test(this.env.sourceFile.text.slice(this.scope.fn.body.pos, this.scope.fn.body.end));
    return this.#mayBindCached;
  }

  /** Whether an expression evaluates to the request's signal. */
  isRequestSignal(expression: ts.Expression): boolean {
    const target = skipOuter(expression);
    // The native signal is always written `x.signal` (`req.signal`, `c.req.raw.signal`).
    const maybeNative = this.#native && ts.isPropertyAccessExpression(target) && target.name.text === 'signal';
    if (maybeNative && compact(target.getText(this.env.sourceFile)) === this.#native) return true;
    if (ts.isIdentifier(target)) return this.#bindingFor(target.text, target, 'signal') !== undefined;
    if (ts.isPropertyAccessExpression(target) && target.name.text === 'signal') {
      const owner = skipOuter(target.expression);
      if (ts.isIdentifier(owner) && this.#bindingFor(owner.text, owner, 'controller')) return true;
    }
    if (ts.isCallExpression(target) && isAbortSignalAny(target)) {
      const list = target.arguments[0] && skipOuter(target.arguments[0]);
      return !!list && ts.isArrayLiteralExpression(list) && list.elements.some((element) => this.isRequestSignal(element));
    }
    return false;
  }

  /**
   * Text of the request's signal usable at `at` without declaring anything: a local signal
   * variable, a linked controller's `.signal`, or the native signal. Undefined when there is none.
   */
  expressionAt(at: ts.Node): string | undefined {
    const visible = this.#bindings.filter((b) => isVisibleAt(b.declaration, at) && !isShadowed(b.name, b.declaration, at, this.env));
    const signal = visible.find((b) => b.kind === 'signal');
    if (signal) return signal.name;
    const controller = visible.find((b) => b.kind === 'controller');
    if (controller) return `${controller.name}.signal`;
    if (this.#native && !isShadowed(rootName(this.#native), this.scope.fn, at, this.env)) return this.#native;
    return undefined;
  }

  #bindingFor(name: string, use: ts.Node, kind: SignalBinding['kind']): SignalBinding | undefined {
    return this.#bindings.find((b) => b.kind === kind && b.name === name && isVisibleAt(b.declaration, use));
  }

  #collect(): void {
    const body = this.scope.fn.body;
    if (!body || !this.#mayBind) return;
    // From the file's indexes rather than a walk of the body (both in source order).
    const declarations = indexOf(this.env.sourceFile).initializedVariables.filter((d) => d.pos >= body.pos && d.end <= body.end);
    const listeners = this.env.callsWithin(body).filter(isEndListener);
    const controllers = declarations.filter((d) => ts.isIdentifier(d.name) && isNewAbortController(d.initializer!));
    // Links can hang off derived signals (`signal.addEventListener('abort', ...)`), so settle in rounds.
    for (let round = 0; round < 3; round++) {
      const before = this.#found.length;
      for (const declaration of declarations) this.#noteSignalVariable(declaration);
      for (const listener of listeners) this.#noteLink(listener, controllers);
      if (this.#found.length === before) break;
    }
  }

  #noteSignalVariable(declaration: ts.VariableDeclaration): void {
    const init = skipOuter(declaration.initializer!);
    if (ts.isIdentifier(declaration.name)) {
      if (!this.#has(declaration.name.text, declaration) && this.isRequestSignal(init)) this.#add(declaration.name.text, declaration, 'signal');
      return;
    }
    // `const { signal } = controller` / `const { signal } = request`.
    if (!ts.isObjectBindingPattern(declaration.name)) return;
    const source = ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? init : undefined;
    if (!source) return;
    const element = declaration.name.elements.find((e) => ((e.propertyName ?? e.name) as ts.Node).getText(this.env.sourceFile) === 'signal');
    if (!element || !ts.isIdentifier(element.name) || this.#has(element.name.text, declaration)) return;
    const carriesRequestSignal =
      (ts.isIdentifier(source) && this.#bindingFor(source.text, source, 'controller') !== undefined) ||
      (this.#native !== undefined && `${compact(source.getText(this.env.sourceFile))}.signal` === this.#native);
    if (carriesRequestSignal) this.#add(element.name.text, declaration, 'signal');
  }

  /** `res.once('close', () => ac.abort())` links `ac` to the request's end. */
  #noteLink(listener: ts.CallExpression, controllers: ts.VariableDeclaration[]): void {
    const callee = listener.expression as ts.PropertyAccessExpression;
    const emitter = skipOuter(callee.expression);
    const onRequestObject = this.scope.requestObjects.has(rootName(compact(emitter.getText(this.env.sourceFile)))) || this.#isLocalTakenFromRequestObject(emitter);
    const isAbortListener = callee.name.text === 'addEventListener' && this.isRequestSignal(emitter);
    if (!onRequestObject && !isAbortListener) return;
    const body = this.#listenerBody(listener.arguments[1]);
    if (!body) return;
    for (const controller of controllers) {
      const name = (controller.name as ts.Identifier).text;
      if (this.#has(name, controller)) continue;
      if (callsAbortOn(body, name)) this.#add(name, controller, 'controller');
    }
  }

  /**
   * `response.once('close', ...)` where the handler declared `const response = context.switchToHttp().getResponse()`
   * (or `= req.res`): a local holding what a request object leads to is on the request too.
   */
  #isLocalTakenFromRequestObject(emitter: ts.Expression): boolean {
    if (!ts.isIdentifier(emitter)) return false;
    const declaration = this.env.declarations.lookup(emitter.text, emitter);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
    if (declaration.pos < this.scope.fn.pos || declaration.end > this.scope.fn.end) return false;
    let root = skipOuter(declaration.initializer);
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isNonNullExpression(root)) root = skipOuter(root.expression);
    return ts.isIdentifier(root) && this.scope.requestObjects.has(root.text);
  }

  #listenerBody(argument: ts.Expression | undefined): ts.Node | undefined {
    if (!argument) return undefined;
    const target = skipOuter(argument);
    if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return target.body;
    if (ts.isIdentifier(target)) {
      const declaration = this.env.declarations.lookup(target.text, target);
      if (declaration && ts.isFunctionDeclaration(declaration)) return declaration.body;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
        const init = skipOuter(declaration.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init.body;
      }
    }
    return undefined;
  }

  #has(name: string, declaration: ts.Node): boolean {
    return this.#bindings.some((b) => b.name === name && b.declaration === declaration);
  }

  #add(name: string, declaration: ts.Node, kind: SignalBinding['kind']): void {
    this.#found.push({ name, declaration, kind });
  }
}

/** `x.on('close', fn)`, `signal.addEventListener('abort', fn)`, ... */
function isEndListener(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text)) return false;
  const event = call.arguments[0];
  return !!event && ts.isStringLiteralLike(event) && END_EVENTS.has(event.text) && call.arguments.length >= 2;
}

const shared = new WeakMap<RequestScope, RequestSignals>();

/**
 * The scope's `RequestSignals`, one per scope object, shared by every rule that asks: its answers
 * depend only on the scope and its file, so the walk of the scope's body is done once.
 */
export function requestSignalsOf(scope: RequestScope, env: SignalEnv): RequestSignals {
  let signals = shared.get(scope);
  if (!signals) {
    signals = new RequestSignals(scope, env);
    shared.set(scope, signals);
  }
  return signals;
}

export function isNewAbortController(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  return ts.isNewExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'AbortController';
}

export function isAbortSignalAny(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'any' && ts.isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal';
}

function callsAbortOn(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'abort' && ts.isIdentifier(callee.expression) && callee.expression.text === name) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** Visible at `at`: declared earlier, in a block (or function) that contains `at`. */
function isVisibleAt(declaration: ts.Node, at: ts.Node): boolean {
  if (declaration.end > at.getStart()) return false;
  let container: ts.Node | undefined = declaration.parent;
  while (container && !ts.isBlock(container) && !ts.isSourceFile(container) && !ts.isFunctionLike(container) && !ts.isCaseBlock(container)) container = container.parent;
  return !!container && at.pos >= container.pos && at.end <= container.end;
}

/**
 * Whether `name` at `at` resolves to something declared after `declaredAt` (a nested parameter or
 * variable of the same name) rather than to the binding (or the handler's parameter) itself.
 */
function isShadowed(name: string, declaredAt: ts.Node, at: ts.Node, env: SignalEnv): boolean {
  const found = env.declarations.lookup(name, at);
  if (!found || found === declaredAt) return false;
  if (ts.isParameter(found) && found.parent === declaredAt) return false;
  return found.pos > declaredAt.pos;
}

function rootName(text: string): string {
  return /^[\w$]+/.exec(text)?.[0] ?? text;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
