import { ts } from 'ts-morph';
import { functionLocation, viaRelated } from './scopeRelated';
import { requestSignalFor, signalOptionEdits } from '../fixes/requestSignal';
import type { RelatedDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { argumentShape } from '../signals/argumentShapes';
import { findHelperScopes, findHelperSignals, type HelperScope, type HelperSignal } from '../signals/helperSignals';
import { knownSignalApi } from '../signals/knownSignalApis';
import { isSharedAcrossRequests, outlivesRequest } from '../signals/outlivesRequest';
import { requestSignalsOf, type RequestSignals } from '../signals/requestSignals';
import type { SignalApi, SignalPlacement } from '../signals/signalApi';
import { signalUse } from '../signals/signalApi';
import { signalEnvOf, type SignalEnv } from '../signals/signalEnv';
import { isAbortSignalType, typedSignalApi, worthTypeQuery } from '../signals/typedSignalApis';
import { functionAcceptsSignal } from '../syntax/values';
import type { Fix, TextEdit } from '../types';

const FIX_TITLE = "Pass the request's cancellation signal";
const NO_NAMES: ReadonlySet<string> = new Set();

/** Fastify hooks that run once the response is over: their work is meant to outlive the request. */
const AFTER_RESPONSE_HOOK = /^Fastify (onResponse|onRequestAbort) hook/;

/**
 * Whose signal a call should get: its request scope's (a handler, or a helper the handler passed its
 * request objects to, with the handlers that reach it), or the signal a helper receives.
 */
type SignalOwner = { kind: 'scope'; scope: RequestScope; callers?: RequestScope[] } | { kind: 'helper'; helper: HelperSignal };

/** A call to a signal-accepting API that passes no signal (plain data; see `detect`). */
interface MissingSignal {
  call: ts.CallExpression;
  api: SignalApi;
  placement: SignalPlacement;
  owner: SignalOwner;
}

export const missingCancellationSignal: Rule = {
  id: 'missing-cancellation-signal',
  description: "A call that accepts an AbortSignal is made without the request's signal, so it keeps running after the client has gone.",
  fixTitles: [FIX_TITLE],
  check(ctx) {
    const analysis = new FileAnalysis(ctx);
    for (const missing of analysis.detect()) {
      ctx.report({
        node: skipOuter(missing.call.expression),
        message: explain(missing),
        related: relatedOf(missing),
        fixes: analysis.fix(missing),
      });
    }
  },
};

/** The per-file state detect and fix share: the signal environment and each scope's signals. */
class FileAnalysis {
  readonly env: SignalEnv;
  readonly #namesByScope = new Map<RequestScope, ReadonlySet<string> | null>();

  constructor(private readonly ctx: RuleContext) {
    this.env = signalEnvOf(ctx.facts);
  }

  signalsOf(scope: RequestScope): RequestSignals {
    return requestSignalsOf(scope, this.env);
  }

  /** Every call in a request scope or signal-receiving helper that should pass a signal and doesn't. */
  detect(): MissingSignal[] {
    const scopes = this.ctx.facts.requestScopes;
    // Without a request scope only helpers that name a signal can be reported: skip files that can't have one.
    if (scopes.length === 0 && !/signal/i.test(this.ctx.text)) return [];
    const helpers = findHelperSignals(this.env, scopes, (scope) => this.signalsOf(scope));
    if (scopes.length === 0 && helpers.size === 0) return [];
    const helperScopes = scopes.length > 0 ? findHelperScopes(this.env, scopes) : new Map<ts.Node, HelperScope>();

    const found: MissingSignal[] = [];
    forEachOwnedCall(this.env.calls, scopes, helpers, helperScopes, (call, owner) => {
      const missing = this.#missingSignal(call, owner);
      if (missing) found.push(missing);
    });
    return found;
  }

  #missingSignal(call: ts.CallExpression, owner: SignalOwner): MissingSignal | undefined {
    const boundary = owner.kind === 'scope' ? owner.scope.fn : owner.helper.fn;
    const requestObjectNames = owner.kind === 'scope' ? this.#requestObjectNames(owner.scope) : NO_NAMES;
    if (!requestObjectNames) return undefined;
    // Syntax first: an API §2.2 lists, or a call syntax knows takes no signal (a built-in, a
    // well-known package function, a project function whose parameters can't carry one). Only
    // what syntax can't decide is left to the type checker, and only after the cheap filters.
    const known = knownSignalApi(call, this.env);
    if (!known && !this.#mayTakeSignal(call, requestObjectNames)) return undefined;
    if (outlivesRequest(call, boundary, this.env.imports, this.env.declarations)) return undefined;
    if (isSharedAcrossRequests(call, boundary, this.env.declarations)) return undefined;
    const api = known ?? typedSignalApi(call, this.env);
    if (!api) return undefined;
    if (waitsOnRequestObject(call, requestObjectNames)) return undefined;
    // `pipeline(createReadStream(p), res)`: the closed response tears the whole pipeline down.
    if (ts.isCallExpression(call.parent) && call.parent.arguments.includes(call) && waitsOnRequestObject(call.parent, requestObjectNames)) return undefined;
    const use = signalUse(call, api, (argument) => argumentShape(argument, this.env), (argument) => ts.isSpreadElement(argument));
    if (use?.kind !== 'missing') return undefined;
    if (call.arguments.some((argument) => this.#carriesSignal(argument, owner))) return undefined;
    return { call, api, placement: use.placement, owner };
  }

  /** Whether a call syntax doesn't list could take a signal: worth asking the types. */
  #mayTakeSignal(call: ts.CallExpression, requestObjectNames: ReadonlySet<string>): boolean {
    if (!worthTypeQuery(call, requestObjectNames, this.env)) return false;
    // A function declared in this file (`parseId(...)`) says it from its parameters, no resolving needed.
    const local = this.env.localFunction(call);
    if (local) return functionAcceptsSignal(local);
    const facts = this.ctx.facts.callFacts(call);
    if (facts) return facts.acceptsSignal;
    // A project function whose result syntax can't tell may still plainly take no signal.
    const callee = this.ctx.facts.values.infoOf(call.expression);
    return callee.kind !== 'function' || functionAcceptsSignal(callee.fn);
  }

  /** The scope's request object names; undefined for scopes whose work is meant to outlive the response. */
  #requestObjectNames(scope: RequestScope): ReadonlySet<string> | undefined {
    let names = this.#namesByScope.get(scope);
    if (names === undefined) {
      names = AFTER_RESPONSE_HOOK.test(scope.reason) ? null : new Set(scope.requestObjects.keys());
      this.#namesByScope.set(scope, names);
    }
    return names ?? undefined;
  }

  /** `fetch(request)` forwards a Request, which brings its own signal. */
  #carriesSignal(argument: ts.Expression, owner: SignalOwner): boolean {
    const target = skipOuter(argument);
    if (ts.isNewExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'Request') return true;
    if (owner.kind === 'scope') {
      const text = target.getText(this.ctx.sourceFile).replace(/\s+/g, '');
      const role = owner.scope.requestObjects.get(text);
      if (role === 'fetchRequest') return true;
      if (/\.req\.raw$/.test(text) && owner.scope.requestObjects.get(text.split('.')[0]) === 'c') return true;
    }
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target) && !ts.isCallExpression(target) && !ts.isAwaitExpression(target)) return false;
    const type = this.ctx.types.typeOf(target);
    if (!this.ctx.types.isKnown(type)) return false;
    const signal = type.getProperty('signal');
    return !!signal && isAbortSignalType(this.ctx.types.checker.getTypeOfSymbol(signal));
  }

  /** "Pass the request's cancellation signal", or nothing when no safe edit exists. */
  fix(missing: MissingSignal): Fix[] {
    const { call, placement, owner } = missing;
    const sourceFile = this.ctx.sourceFile;
    let signal: { expression: string; edits: TextEdit[] } | undefined;
    if (owner.kind === 'scope') {
      signal = requestSignalFor(owner.scope, call, this.signalsOf(owner.scope), sourceFile, this.env.imports);
    } else if (!this.#shadowsHelperSignal(owner.helper, call)) {
      signal = { expression: owner.helper.expression, edits: [] };
    }
    if (!signal) return [];
    const edits = [...signal.edits, ...signalOptionEdits(call, placement, signal.expression, sourceFile)];
    if (overlapping(edits)) return [];
    return [{ title: FIX_TITLE, preferred: true, edits }];
  }

  /** The helper's signal name means something else at the call (a nested parameter of the same name). */
  #shadowsHelperSignal(helper: HelperSignal, call: ts.CallExpression): boolean {
    const root = /^[\w$]+/.exec(helper.expression)?.[0];
    if (!root) return true;
    const declaration = this.env.declarations.lookup(root, call);
    if (!declaration || declaration === helper.parameter) return false;
    return declaration.pos > helper.fn.pos && declaration.end <= helper.fn.end;
  }
}

/**
 * Each call in a request scope or helper, with its owner: the nearest enclosing one (a helper's own
 * signal parameter beats the request objects it got). One pass over the file's calls in source
 * order, keeping the owners that enclose the current position on a stack.
 */
function forEachOwnedCall(
  calls: readonly ts.CallExpression[],
  scopes: readonly RequestScope[],
  helpers: ReadonlyMap<ts.Node, HelperSignal>,
  helperScopes: ReadonlyMap<ts.Node, HelperScope>,
  visit: (call: ts.CallExpression, owner: SignalOwner) => void,
): void {
  const owners = new Map<ts.Node, SignalOwner>();
  for (const [fn, helperScope] of helperScopes) owners.set(fn, { kind: 'scope', scope: helperScope.scope, callers: helperScope.callers });
  for (const [fn, helper] of helpers) owners.set(fn, { kind: 'helper', helper });
  for (const scope of scopes) owners.set(scope.fn, { kind: 'scope', scope });
  if (owners.size === 0) return;
  // Outer functions first: they start earlier, or at the same place and end later.
  const fns = [...owners.keys()].sort((a, b) => a.pos - b.pos || b.end - a.end);
  const open: ts.Node[] = [];
  let next = 0;
  for (const call of calls) {
    while (next < fns.length && fns[next].pos <= call.pos) {
      const fn = fns[next++];
      while (open.length > 0 && open[open.length - 1].end <= fn.pos) open.pop();
      open.push(fn);
    }
    while (open.length > 0 && open[open.length - 1].end <= call.pos) open.pop();
    // The innermost open function around the call (one the call itself contains, `function () {}()`, is not).
    for (let i = open.length - 1; i >= 0; i--) {
      const fn = open[i];
      if (call.pos >= fn.pos && call.end <= fn.end && call.pos !== fn.pos) {
        visit(call, owners.get(fn)!);
        break;
      }
    }
  }
}

/**
 * `once(res, 'finish')`, `pipeline(file, res)`: waiting on, or streaming through, the request's own
 * objects ends with the request anyway (a closed response destroys the pipeline).
 */
function waitsOnRequestObject(call: ts.CallExpression, requestObjectNames: ReadonlySet<string>): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const streams = name === 'once' || name === 'on' ? call.arguments.slice(0, 1) : name === 'pipeline' || name === 'finished' ? call.arguments : [];
  return streams.some((argument) => {
    let root = skipOuter(argument);
    while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
    return ts.isIdentifier(root) && requestObjectNames.has(root.text);
  });
}

function explain(missing: MissingSignal): string {
  const label = missing.api.label;
  if (missing.owner.kind === 'helper') {
    return `${label} does not get the signal this function receives (${missing.owner.helper.expression}), so it outlives a cancelled request and keeps tying up connections and work for a response nobody will read.`;
  }
  return `${label} runs without the request's cancellation signal, so it outlives a client that disconnects and keeps tying up connections and work for a response nobody will read.`;
}

function relatedOf(missing: MissingSignal): RelatedDescriptor[] {
  const owner = missing.owner;
  if (owner.kind === 'scope' && !owner.callers) {
    return [{ ...functionLocation(owner.scope.fn, owner.scope.fn.getSourceFile()), message: `the request handler (${owner.scope.reason}) whose signal this call should get` }, ...viaRelated(owner.scope)];
  }
  const related: RelatedDescriptor[] =
    owner.kind === 'scope'
      ? [{ ...functionLocation(owner.scope.fn, owner.scope.fn.getSourceFile()), message: `this function handles the request for its callers (${owner.scope.reason})` }]
      : [{ node: owner.helper.parameter, message: 'the signal this function receives' }];
  const callers = owner.kind === 'scope' ? owner.callers ?? [] : owner.helper.callers;
  for (const caller of callers) related.push({ ...functionLocation(caller.fn, caller.fn.getSourceFile()), message: `reached from this request handler (${caller.reason})` });
  if (owner.kind === 'scope') related.push(...viaRelated(owner.scope));
  return related;
}


function overlapping(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((edit, i) => i > 0 && edit.start < sorted[i - 1].end);
}
