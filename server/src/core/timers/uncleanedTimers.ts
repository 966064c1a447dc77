// RULES.md §2.6 as plain data: the timers started in a request scope that are never cleared — a
// `setInterval` whose handle never reaches `clearInterval`, or a cleanup timeout (it aborts a
// controller or rejects a raced promise) not cleared on every path from its start, nor by a
// listener on the request's end registered on every path. Shared with §2.4, which must not report
// a timer this rule reports (`isReportedByTimerWithoutCleanup`).
import { ts } from 'ts-morph';
import type { FileFacts } from '../fileFacts';
import { enclosingFunction, flowGraphOf, type FlowNode, type FunctionWithBody, walkPaths } from '../flow';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import type { RequestScope } from '../scopes/requestScope';
import { RequestSignals } from '../signals/requestSignals';
import { SignalEnv } from '../signals/signalEnv';
import { callsWithin, indexOf } from '../syntax/fileIndex';
import {
  type CleanupTimer,
  cleanupTimerOf,
  clearedExpression,
  functionBodyOf,
  type TimerHandle,
  timerHandleOf,
  timerKindOf,
  variableHandleUses,
} from './timerFacts';

const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Events on a request object that mean the request is over (`close` also follows a normal finish). */
const END_EVENTS = new Set(['close', 'cancelled', 'aborted']);

export interface UncleanedTimer {
  call: ts.CallExpression;
  kind: 'interval' | 'timeout';
  scope: RequestScope;
  handle: TimerHandle;
  /** For timeouts: why it is a cleanup timer. */
  cleanup?: CleanupTimer;
  /** The function whose paths were followed (where the handle is declared), when there is a handle. */
  home?: FunctionWithBody;
}

const cache = new WeakMap<FileFacts, UncleanedTimer[]>();

/** Every timer §2.6 reports in the file, in source order. */
export function uncleanedTimers(facts: FileFacts): UncleanedTimer[] {
  let found = cache.get(facts);
  if (!found) {
    found = new TimerAnalysis(facts).run();
    cache.set(facts, found);
  }
  return found;
}

/** Whether §2.6 reports this timer call (so §2.4 does not report it again). */
export function isReportedByTimerWithoutCleanup(call: ts.CallExpression, facts: FileFacts): boolean {
  return uncleanedTimers(facts).some((timer) => timer.call === call);
}

class TimerAnalysis {
  readonly #sourceFile: ts.SourceFile;
  readonly #declarations: LocalDeclarations;
  readonly #imports: ImportTable;
  #env: SignalEnv | undefined;
  readonly #signals = new Map<RequestScope, RequestSignals>();

  constructor(private readonly facts: FileFacts) {
    this.#sourceFile = facts.sourceFile;
    this.#declarations = indexOf(facts.sourceFile).declarations;
    this.#imports = facts.imports;
  }

  run(): UncleanedTimer[] {
    if (!/set(Timeout|Interval)/.test(this.#sourceFile.text)) return [];
    if (this.facts.requestScopes.length === 0) return [];
    const out: UncleanedTimer[] = [];
    for (const call of indexOf(this.#sourceFile).calls) {
      const kind = timerKindOf(call, this.#declarations, this.#imports);
      if (kind !== 'setTimeout' && kind !== 'setInterval') continue;
      const scope = this.facts.scopeOf(call);
      if (!scope) continue;
      const found = kind === 'setInterval' ? this.#interval(call, scope) : this.#timeout(call, scope);
      if (found) out.push(found);
    }
    return out;
  }

  #interval(call: ts.CallExpression, scope: RequestScope): UncleanedTimer | undefined {
    const handle = timerHandleOf(call, this.#declarations);
    if (handle.kind === 'none') return { call, kind: 'interval', scope, handle };
    if (handle.kind !== 'variable' || !handle.declaration || ts.isParameter(handle.declaration)) return undefined;
    const uses = variableHandleUses(handle.name, handle.declaration, searchRoot(handle.declaration), this.#declarations, this.#imports);
    if (uses.clears.length > 0 || uses.escapes.length > 0) return undefined;
    return { call, kind: 'interval', scope, handle, home: enclosingFunction(handle.declaration) };
  }

  #timeout(call: ts.CallExpression, scope: RequestScope): UncleanedTimer | undefined {
    const cleanup = cleanupTimerOf(call, this.#declarations);
    if (!cleanup) return undefined;
    const handle = timerHandleOf(call, this.#declarations);
    if (handle.kind === 'none') return { call, kind: 'timeout', scope, handle, cleanup };
    if (handle.kind !== 'variable' || !handle.declaration || ts.isParameter(handle.declaration)) return undefined;
    const declaration = handle.declaration;
    const uses = variableHandleUses(handle.name, declaration, searchRoot(declaration), this.#declarations, this.#imports);
    if (uses.escapes.length > 0) return undefined;
    const home = enclosingFunction(declaration);
    if (uses.clears.length === 0) return { call, kind: 'timeout', scope, handle, cleanup, home };
    // A handle declared outside the request scope (module state) is cleared somewhere else: unsure.
    if (!home || declaration.pos < scope.fn.pos || declaration.end > scope.fn.end) return undefined;
    if (this.#clearedOnEveryPath(home, call, declaration, scope)) return undefined;
    return { call, kind: 'timeout', scope, handle, cleanup, home };
  }

  /**
   * Follows every path of `home` from its entry: the timer's step arms it; a step that clears the
   * handle (directly, in a Promise executor or `.finally` callback it runs, or through a local
   * function it calls) disarms it; a step registering a listener on the request's end that clears
   * it covers every later path. A path leaving the function armed leaks the timer.
   */
  #clearedOnEveryPath(home: FunctionWithBody, call: ts.CallExpression, declaration: ts.Declaration, scope: RequestScope): boolean {
    const graph = flowGraphOf(home);
    const timerSteps = new Set(graph.stepsContaining(call));
    if (timerSteps.size === 0) return true;
    const effects = new Map<FlowNode, Effect>();
    const effectOf = (node: FlowNode): Effect => {
      let effect = effects.get(node);
      if (effect === undefined) {
        effect = this.#effectOf(node, declaration, scope);
        effects.set(node, effect);
      }
      return effect;
    };
    type State = 'idle' | 'armed' | 'listening';
    let leaked = false;
    walkPaths<State>(graph, [{ node: graph.entry, state: 'idle' }], {
      key: (state) => state,
      step(node, incoming) {
        let state = incoming;
        if (timerSteps.has(node) && state !== 'listening') state = 'armed';
        const effect = effectOf(node);
        if (effect === 'listen') state = 'listening';
        else if (effect === 'clear' && state === 'armed') state = 'idle';
        const mayThrow = node.awaits.length > 0 || node.role === 'throw';
        return { next: state, thrown: mayThrow ? [state] : undefined };
      },
      reachedExit(_exit, state) {
        if (state === 'armed') leaked = true;
      },
    });
    return !leaked;
  }

  #effectOf(node: FlowNode, declaration: ts.Declaration, scope: RequestScope): Effect {
    const ast = node.ast;
    if (node.kind !== 'step' || !ast || node.role === 'catch') return 'none';
    // `for (;;)` has the whole statement as its condition step: its body has steps of its own.
    if (node.role === 'condition' && ast === node.statement && !ts.isExpression(ast)) return 'none';
    let effect: Effect = 'none';
    for (const call of callsWithin(ast, this.#sourceFile)) {
      const clears = this.#clearsHandle(call, declaration);
      if (!clears) continue;
      const chain = this.#chain(call, ast, scope);
      if (chain === 'listener') return 'listen';
      if (chain === 'sync') effect = 'clear';
    }
    return effect;
  }

  /** `clearTimeout(t)`, or a call of a local function whose own code does that. */
  #clearsHandle(call: ts.CallExpression, declaration: ts.Declaration): boolean {
    if (this.#isClearOf(call, declaration)) return true;
    const callee = skipOuter(call.expression);
    if (!ts.isIdentifier(callee)) return false;
    const body = functionBodyOf(callee, this.#declarations);
    if (!body) return false;
    return callsWithin(body, this.#sourceFile).some((inner) => this.#isClearOf(inner, declaration) && this.#chain(inner, body, undefined) === 'sync');
  }

  #isClearOf(call: ts.CallExpression, declaration: ts.Declaration): boolean {
    const cleared = clearedExpression(call, this.#declarations, this.#imports);
    return !!cleared && ts.isIdentifier(cleared) && this.#declarations.lookup(cleared.text, cleared) === declaration;
  }

  /**
   * How code at `call` runs when the step `top` runs: `sync` when every function between them runs
   * then (a Promise executor, a `.finally` callback), `listener` when one of them is a listener on
   * the request's end, `other` when it may never run.
   */
  #chain(call: ts.Node, top: ts.Node, scope: RequestScope | undefined): 'sync' | 'listener' | 'other' {
    let listener = false;
    for (let current: ts.Node = call; current !== top && current.parent; current = current.parent) {
      if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) {
        if (ts.isFunctionLike(current) || ts.isClassLike(current)) return 'other';
        continue;
      }
      let outer: ts.Node = current;
      while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      const parent = outer.parent;
      if (ts.isNewExpression(parent) && parent.arguments?.[0] === outer && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise') continue;
      if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
        const callee = skipOuter(parent.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'finally') continue;
        if (scope && this.#isRequestEndListener(parent, outer, scope)) {
          listener = true;
          continue;
        }
      }
      return 'other';
    }
    return listener ? 'listener' : 'sync';
  }

  /** `res.once('close', fn)`, `call.on('cancelled', fn)`, `signal.addEventListener('abort', fn)`, `onFinished(res, fn)`. */
  #isRequestEndListener(registration: ts.CallExpression, fn: ts.Node, scope: RequestScope): boolean {
    const callee = skipOuter(registration.expression);
    const args = registration.arguments;
    if (ts.isIdentifier(callee) && (callee.text === 'onFinished' || callee.text === 'finished')) {
      return args[1] === fn && !!args[0] && this.#isRequestObject(args[0], scope);
    }
    if (!ts.isPropertyAccessExpression(callee) || args[1] !== fn) return false;
    const event = args[0];
    if (!event || !ts.isStringLiteralLike(event)) return false;
    if (callee.name.text === 'addEventListener') return event.text === 'abort' && this.#signalsOf(scope).isRequestSignal(callee.expression);
    return LISTEN_METHODS.has(callee.name.text) && END_EVENTS.has(event.text) && this.#isRequestObject(callee.expression, scope);
  }

  #isRequestObject(expression: ts.Expression, scope: RequestScope): boolean {
    let root = skipOuter(expression);
    while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
    return ts.isIdentifier(root) && scope.requestObjects.has(root.text);
  }

  #signalsOf(scope: RequestScope): RequestSignals {
    let signals = this.#signals.get(scope);
    if (!signals) {
      this.#env ??= new SignalEnv(this.#sourceFile, this.#imports, this.facts.types);
      signals = new RequestSignals(scope, this.#env);
      this.#signals.set(scope, signals);
    }
    return signals;
  }
}

type Effect = 'none' | 'clear' | 'listen';

/** Where a handle's references can be: the function declaring it, or the whole file. */
function searchRoot(declaration: ts.Declaration): ts.Node {
  return enclosingFunction(declaration) ?? declaration.getSourceFile();
}
