import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { RequestObjectRole, RequestScope, SignalSource } from '../scopes/requestScope';
import type { RequestSignals } from './requestSignals';
import type { FunctionWithBody } from '../syntax/fileIndex';
import type { SignalEnv } from './signalEnv';

export type { FunctionWithBody };

/** A function that receives a cancellation signal as a parameter and should pass it on. */
export interface HelperSignal {
  fn: FunctionWithBody;
  /** The parameter the signal arrives in (for related information). */
  parameter: ts.ParameterDeclaration;
  /** Text evaluating to the signal inside the helper: `signal`, `s`, `options.signal`. */
  expression: string;
  /** Request scopes that hand their signal to this helper, directly or through another helper. */
  callers: RequestScope[];
}

const SIGNAL_NAMES = new Set(['signal', 'abortSignal']);
/** Helpers are followed this many calls deep from a request scope (RULES.md §1, "Helpers"). */
const MAX_DEPTH = 2;

/**
 * Helpers declared in this file that receive a signal (RULES.md §2.2: "a helper that receives a
 * signal parameter"): a parameter named or typed as one (`signal: AbortSignal`, `{ signal }`,
 * `options: { signal?: AbortSignal }`), or one that a request scope passes its signal to, followed
 * two calls deep.
 */
export function findHelperSignals(env: SignalEnv, scopes: readonly RequestScope[], signalsOf: (scope: RequestScope) => RequestSignals): Map<ts.Node, HelperSignal> {
  const helpers = new Map<ts.Node, HelperSignal>();
  const scopeFns = new Set<ts.Node>(scopes.map((s) => s.fn));
  const mayNameSignals = /signal/i.test(env.sourceFile.text);

  if (mayNameSignals) {
    for (const fn of env.functions) {
      if (scopeFns.has(fn) || fn.parameters.length === 0) continue;
      const declared = declaredSignalParameter(fn, env);
      if (declared) helpers.set(fn, { fn, ...declared, callers: [] });
    }
  }

  // Follow the request's signal into the helpers it is passed to, then one level further; the
  // helpers that declare a signal parameter pass theirs on one level too.
  type Source = { fn: ts.Node; isSignal: (argument: ts.Expression) => boolean };
  const helperSource = (helper: HelperSignal): Source => ({ fn: helper.fn, isSignal: (a) => compact(a.getText(env.sourceFile)) === helper.expression });
  // A scope with no signal to speak of (none native, no local one) passes none on.
  const withSignals = scopes.filter((scope) => signalsOf(scope).mayHaveSignal);
  let frontier: Source[] = withSignals.map((scope) => ({ fn: scope.fn, isSignal: (argument) => signalsOf(scope).isRequestSignal(argument) }));
  const declared = [...helpers.values()];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const next: Source[] = depth === 0 ? declared.map(helperSource) : [];
    for (const from of frontier) {
      for (const call of callsIn(from.fn, env)) {
        if (call.arguments.length === 0) continue;
        const target = env.localFunction(call);
        if (!target || scopeFns.has(target) || helpers.has(target)) continue;
        const index = call.arguments.findIndex((argument) => from.isSignal(argument));
        const parameter = index >= 0 ? target.parameters[index] : undefined;
        if (!parameter || !ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) continue;
        const helper: HelperSignal = { fn: target, parameter, expression: parameter.name.text, callers: [] };
        helpers.set(target, helper);
        next.push(helperSource(helper));
      }
    }
    frontier = next;
  }
  noteCallers(helpers, scopes, env);
  return helpers;
}

/** Which request scopes reach each helper: calls from the scope, or from a helper the scope calls. */
function noteCallers(helpers: Map<ts.Node, HelperSignal>, scopes: readonly RequestScope[], env: SignalEnv): void {
  if (helpers.size === 0) return;
  for (const scope of scopes) {
    for (const call of callsIn(scope.fn, env)) {
      const helper = helpers.get(env.localFunction(call) as ts.Node);
      if (helper && !helper.callers.includes(scope)) helper.callers.push(scope);
    }
  }
  for (const helper of [...helpers.values()]) {
    for (const call of callsIn(helper.fn, env)) {
      const inner = helpers.get(env.localFunction(call) as ts.Node);
      if (!inner || inner === helper) continue;
      for (const caller of helper.callers) if (!inner.callers.includes(caller)) inner.callers.push(caller);
    }
  }
}

/** A parameter that is a signal by its declaration, and how to read the signal from it. */
function declaredSignalParameter(fn: FunctionWithBody, env: SignalEnv): { parameter: ts.ParameterDeclaration; expression: string } | undefined {
  for (const parameter of fn.parameters) {
    const name = parameter.name;
    if (ts.isObjectBindingPattern(name)) {
      const element = name.elements.find((e) => {
        const key = e.propertyName ?? e.name;
        return ts.isIdentifier(key) && SIGNAL_NAMES.has(key.text) && ts.isIdentifier(e.name);
      });
      if (element) return { parameter, expression: (element.name as ts.Identifier).text };
      continue;
    }
    if (!ts.isIdentifier(name)) continue;
    if (parameter.type) {
      if (namesAbortSignal(parameter.type)) return { parameter, expression: name.text };
      if (ts.isTypeLiteralNode(parameter.type) && parameter.type.members.some((m) => ts.isPropertySignature(m) && m.name.getText(env.sourceFile) === 'signal' && !!m.type && namesAbortSignal(m.type))) {
        return { parameter, expression: `${name.text}${parameter.questionToken ? '?.' : '.'}signal` };
      }
      continue;
    }
    if (SIGNAL_NAMES.has(name.text) && !isProcessSignalHandler(fn, env)) return { parameter, expression: name.text };
    if (/^(opts|options|init|config)$/.test(name.text) && readsSignalOf(fn.body, name.text)) return { parameter, expression: `${name.text}.signal` };
  }
  return undefined;
}

/** `AbortSignal`, `AbortSignal | undefined`, `AbortSignal | null`. */
function namesAbortSignal(type: ts.TypeNode): boolean {
  if (ts.isUnionTypeNode(type)) return type.types.some(namesAbortSignal);
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'AbortSignal';
}

/** `process.on('SIGTERM', (signal) => ...)`: a POSIX signal name, not an AbortSignal. */
function isProcessSignalHandler(fn: FunctionWithBody, env: SignalEnv): boolean {
  const parent = fn.parent;
  if (ts.isCallExpression(parent)) {
    const callee = skipOuter(parent.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'process') return true;
  }
  if (fn.name && /shutdown|terminate|exit|kill/i.test(fn.name.getText(env.sourceFile))) return true;
  return /['"`]SIG[A-Z]+['"`]/.test(fn.body.getText(env.sourceFile));
}

function readsSignalOf(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'signal' && ts.isIdentifier(node.expression) && node.expression.text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The calls in a function's body, nested functions included (from the file's shared index). */
function callsIn(fn: ts.Node, env: SignalEnv): readonly ts.CallExpression[] {
  const body = (fn as FunctionWithBody).body;
  return body ? env.callsWithin(body) : [];
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** A helper a request scope hands its request objects to (`proxy(req, res)`), analysed in that role. */
export interface HelperScope {
  /** The helper as a request scope: its parameters stand for the objects it received. */
  scope: RequestScope;
  /** Request scopes that reach it, directly or through another helper. */
  callers: RequestScope[];
  /** False when the helper got only `req` (or a Fastify `request`): it can't see the response close. */
  signalKnown: boolean;
}

/**
 * Helpers declared in this file that request scopes call with a request object as an argument
 * (RULES.md §1, "Helpers"), followed two calls deep. The helper's parameters take the roles of
 * the objects passed to them, and its signal comes from those: `res` (or `ctx.res`, `reply.raw`)
 * closing, `request.signal`, `c.req.raw.signal`. A helper given only `req` has no signal to derive.
 */
export function findHelperScopes(env: SignalEnv, scopes: readonly RequestScope[]): Map<ts.Node, HelperScope> {
  const helpers = new Map<ts.Node, HelperScope>();
  const scopeFns = new Set<ts.Node>(scopes.map((s) => s.fn));
  let frontier: { scope: RequestScope; callers: RequestScope[] }[] = scopes.map((scope) => ({ scope, callers: [scope] }));
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const from of frontier) {
      for (const call of callsIn(from.scope.fn, env)) {
        // Only a call handing over a request object makes a helper; one to a known helper adds a caller.
        if (!ts.isIdentifier(skipOuter(call.expression)) || (helpers.size === 0 && !passesRequestObject(call, from.scope))) continue;
        const target = env.localFunction(call);
        if (!target || scopeFns.has(target)) continue;
        const existing = helpers.get(target);
        if (existing) {
          for (const caller of from.callers) if (!existing.callers.includes(caller)) existing.callers.push(caller);
          continue;
        }
        const found = helperScopeOf(target, call, from.scope);
        if (!found) continue;
        const helper = { ...found, callers: [...from.callers] };
        helpers.set(target, helper);
        next.push(helper);
      }
    }
    frontier = next;
  }
  return helpers;
}

function passesRequestObject(call: ts.CallExpression, caller: RequestScope): boolean {
  return call.arguments.some((argument) => {
    const target = skipOuter(argument);
    return ts.isIdentifier(target) && caller.requestObjects.has(target.text);
  });
}

function helperScopeOf(fn: FunctionWithBody, call: ts.CallExpression, caller: RequestScope): { scope: RequestScope; signalKnown: boolean } | undefined {
  const requestObjects = new Map<string, RequestObjectRole>();
  call.arguments.forEach((argument, index) => {
    const target = skipOuter(argument);
    const role = ts.isIdentifier(target) ? caller.requestObjects.get(target.text) : undefined;
    const parameter = fn.parameters[index];
    if (role && parameter && ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken) requestObjects.set(parameter.name.text, role);
  });
  if (requestObjects.size === 0) return undefined;
  const named = (role: RequestObjectRole): string | undefined => [...requestObjects].find(([, r]) => r === role)?.[0];
  const argumentNames = call.arguments.map((a) => a.getText()).join(', ');
  const signal = signalOfHelper(named);
  const scope: RequestScope = {
    fn,
    framework: caller.framework,
    role: 'handler',
    requestObjects,
    signal: signal ?? { kind: 'native', expression: '' },
    mustStaySync: false,
    reason: `helper called with (${argumentNames}) from a request handler`,
  };
  return { scope, signalKnown: signal !== undefined };
}

/** The helper's signal, from the request objects it received; undefined when none gives one. */
function signalOfHelper(named: (role: RequestObjectRole) => string | undefined): SignalSource | undefined {
  const res = named('res');
  if (res) return { kind: 'derive', closeEmitter: res, event: 'close', finishedCheck: `${res}.writableFinished` };
  const ctx = named('ctx');
  if (ctx) return { kind: 'derive', closeEmitter: `${ctx}.res`, event: 'close', finishedCheck: `${ctx}.res.writableFinished` };
  const reply = named('reply');
  if (reply) return { kind: 'derive', closeEmitter: `${reply}.raw`, event: 'close', finishedCheck: `${reply}.raw.writableFinished` };
  const c = named('c');
  if (c) return { kind: 'native', expression: `${c}.req.raw.signal` };
  const request = named('fetchRequest');
  if (request) return { kind: 'native', expression: `${request}.signal` };
  return undefined;
}
