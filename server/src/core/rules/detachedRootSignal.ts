import { ts } from 'ts-morph';
import { requestSignalFor } from '../fixes/requestSignal';
import type { RelatedDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { supportsAbortSignalAny } from '../signals/abortSignalAny';
import { knownSignalApi } from '../signals/knownSignalApis';
import { isSharedAcrossRequests, outlivesRequest } from '../signals/outlivesRequest';
import { isAbortSignalAny, isNewAbortController, requestSignalsOf, type RequestSignals } from '../signals/requestSignals';
import type { SignalApi } from '../signals/signalApi';
import { signalEnvOf, type SignalEnv } from '../signals/signalEnv';
import { typedSignalApi } from '../signals/typedSignalApis';
import { functionAcceptsSignal } from '../syntax/values';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_TITLE = "Link to the request's cancellation signal";
const SIGNAL_KEYS = new Set(['signal', 'abortSignal']);
/** Fastify hooks that run once the response is over: their work is meant to outlive the request. */
const AFTER_RESPONSE_HOOK = /^Fastify (onResponse|onRequestAbort) hook/;
/** How many local variables a signal is followed through (`const s = ac.signal; const t = s;`). */
const MAX_HOPS = 4;

/** Where a fresh root signal is handed to a signal-accepting call: the options property. */
interface SignalPass {
  call: ts.CallExpression;
  api: SignalApi;
  property: ts.PropertyAssignment | ts.ShorthandPropertyAssignment;
}

/** A `new AbortController()` / `AbortSignal.timeout(ms)` in a request scope whose signal reaches calls unlinked (plain data). */
interface DetachedRoot {
  root: ts.Expression;
  kind: 'controller' | 'timeout';
  scope: RequestScope;
  passes: SignalPass[];
}

export const detachedRootSignal: Rule = {
  id: 'detached-root-signal',
  description: "A signal-accepting call in a request scope gets a fresh root signal that the request's end never aborts.",
  fixTitles: [FIX_TITLE],
  check(ctx) {
    const analysis = new FileAnalysis(ctx);
    for (const found of analysis.detect()) {
      ctx.report({ node: found.root, message: explain(found), related: relatedOf(found, ctx.sourceFile), fixes: analysis.fix(found) });
    }
  },
};

class FileAnalysis {
  readonly env: SignalEnv;

  constructor(private readonly ctx: RuleContext) {
    this.env = signalEnvOf(ctx.facts);
  }

  signalsOf(scope: RequestScope): RequestSignals {
    return requestSignalsOf(scope, this.env);
  }

  /** Each fresh root signal in a request scope, with every signal-accepting call it is passed to. */
  detect(): DetachedRoot[] {
    // A root signal is written `new AbortController()` or `AbortSignal.timeout(...)`.
    if (!/AbortController|AbortSignal\s*\.\s*timeout/.test(this.ctx.text) || this.ctx.facts.requestScopes.length === 0) return [];
    const byRoot = new Map<ts.Expression, DetachedRoot>();
    for (const call of this.env.calls) {
      const property = signalProperty(call);
      if (!property) continue;
      const scope = this.ctx.facts.scopeOf(call);
      if (!scope || AFTER_RESPONSE_HOOK.test(scope.reason)) continue;
      const root = this.#rootOf(property, scope);
      if (!root) continue;
      const api = this.#signalApi(call);
      if (!api) continue;
      if (outlivesRequest(call, scope.fn, this.env.imports, this.env.declarations)) continue;
      if (isSharedAcrossRequests(call, scope.fn, this.env.declarations)) continue;
      let found = byRoot.get(root.expression);
      if (!found) {
        found = { root: root.expression, kind: root.kind, scope, passes: [] };
        byRoot.set(root.expression, found);
      }
      found.passes.push({ call, api, property });
    }
    return [...byRoot.values()];
  }

  /** The fresh root the property's value is, directly or through local `const`s; undefined for anything else. */
  #rootOf(property: SignalPass['property'], scope: RequestScope): { expression: ts.Expression; kind: DetachedRoot['kind'] } | undefined {
    // Syntax first: only a chain that ends at a fresh root asks what the request's signal is
    // (which walks the scope); any hop that is the request's signal then makes it no root.
    // A controller's other uses are looked at last (a walk of its block).
    const visited: ts.Expression[] = [];
    const root = this.#syntacticRootOf(property, scope, visited);
    if (!root) return undefined;
    const signals = this.signalsOf(scope);
    if (visited.some((hop) => signals.isRequestSignal(hop))) return undefined;
    // A controller handed to other code (`linkToRequest(req, ac)`) may be linked there: unsure.
    if (root.controller && this.#controllerEscapes(root.controller.owner, root.controller.init)) return undefined;
    return { expression: root.expression, kind: root.kind };
  }

  /**
   * `#rootOf` without the request-signal test (every expression it passes is put in `visited`) and
   * without the controller-escape test (the controller variable to test is returned).
   */
  #syntacticRootOf(
    property: SignalPass['property'],
    scope: RequestScope,
    visited: ts.Expression[],
  ): { expression: ts.Expression; kind: DetachedRoot['kind']; controller?: { owner: ts.Identifier; init: ts.Expression } } | undefined {
    const value = ts.isShorthandPropertyAssignment(property) ? property.name : property.initializer;
    let current = skipOuter(value);
    for (let hop = 0; hop <= MAX_HOPS; hop++) {
      visited.push(current);
      if (ts.isCallExpression(current)) {
        if (isAbortSignalTimeout(current)) return this.#inScope(current, scope) ? { expression: current, kind: 'timeout' } : undefined;
        // `AbortSignal.any([...])` without the request's signal, or any other call: not a fresh root on its own.
        if (isAbortSignalAny(current)) return undefined;
        return undefined;
      }
      if (ts.isPropertyAccessExpression(current) && current.name.text === 'signal') {
        const owner = skipOuter(current.expression);
        if (isNewAbortController(owner)) return this.#inScope(owner, scope) ? { expression: owner, kind: 'controller' } : undefined;
        if (!ts.isIdentifier(owner)) return undefined;
        const init = this.#constInitializer(owner);
        if (!init || !isNewAbortController(init) || !this.#inScope(init, scope)) return undefined;
        return { expression: skipOuter(init), kind: 'controller', controller: { owner, init } };
      }
      if (!ts.isIdentifier(current)) return undefined;
      const init = this.#constInitializer(current);
      if (!init) return undefined;
      current = skipOuter(init);
    }
    return undefined;
  }

  /** The initializer of the `const` an identifier names (declared in this file). */
  #constInitializer(identifier: ts.Identifier): ts.Expression | undefined {
    const declaration = this.env.declarations.lookup(identifier.text, identifier);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    return declaration.initializer;
  }

  #inScope(node: ts.Node, scope: RequestScope): boolean {
    return this.ctx.facts.scopeOf(node) === scope;
  }

  /** Whether the controller variable is used other than as `ac.signal` / `ac.abort(...)`. */
  #controllerEscapes(use: ts.Identifier, init: ts.Expression): boolean {
    const declaration = init.parent as ts.VariableDeclaration;
    const name = use.text;
    const home = declaration.parent.parent.parent;
    let escapes = false;
    const visit = (node: ts.Node): void => {
      if (escapes) return;
      if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && this.env.declarations.lookup(name, node) === declaration) {
        const parent = node.parent;
        const isMember = ts.isPropertyAccessExpression(parent) && parent.expression === node && (parent.name.text === 'signal' || parent.name.text === 'abort');
        const isPropertyName = ts.isPropertyAccessExpression(parent) && parent.name === node;
        if (!isMember && !isPropertyName) escapes = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(home);
    return escapes;
  }

  /** The call's signal API: one syntax knows, a local function taking a signal, else the types. */
  #signalApi(call: ts.CallExpression): SignalApi | undefined {
    const known = knownSignalApi(call, this.env);
    if (known) return known;
    const local = this.env.localFunction(call);
    if (local) return functionAcceptsSignal(local) ? { label: labelOf(call, this.ctx.sourceFile), slots: [] } : undefined;
    return typedSignalApi(call, this.env);
  }

  /**
   * "Link to the request's cancellation signal": every place the root is passed gets
   * `signal: AbortSignal.any([requestSignal, <the signal>])`, declaring the request's signal as
   * §2.2's fix does when the handler has none. Not offered where the project can't use
   * `AbortSignal.any` (Node < 20.3 by `engines.node`, or no declaration of it by `lib`/`types`).
   */
  fix(found: DetachedRoot): Fix[] {
    if (!supportsAbortSignalAny(this.ctx.facts.runtime)) return [];
    const sourceFile = this.ctx.sourceFile;
    const signals = this.signalsOf(found.scope);
    const edits: TextEdit[] = [];
    let expression: string | undefined;
    for (const pass of found.passes) {
      const signal = requestSignalFor(found.scope, pass.call, signals, sourceFile, this.env.imports);
      if (!signal || (expression !== undefined && signal.expression !== expression)) return [];
      if (expression === undefined) edits.push(...signal.edits);
      expression = signal.expression;
      const property = pass.property;
      if (ts.isShorthandPropertyAssignment(property)) {
        if (property.objectAssignmentInitializer) return [];
        const name = property.name.text;
        edits.push({ start: property.getStart(sourceFile), end: property.end, newText: `${name}: AbortSignal.any([${expression}, ${name}])` });
      } else {
        const value = property.initializer;
        const start = value.getStart(sourceFile);
        edits.push({ start, end: value.end, newText: `AbortSignal.any([${expression}, ${sourceFile.text.slice(start, value.end)}])` });
      }
    }
    if (edits.length === 0 || overlapping(edits)) return [];
    return [{ title: FIX_TITLE, preferred: true, edits }];
  }
}

/** The `signal` / `abortSignal` property of an object literal argument, if the call has one. */
function signalProperty(call: ts.CallExpression): SignalPass['property'] | undefined {
  for (const argument of call.arguments) {
    const object = skipOuter(argument);
    if (!ts.isObjectLiteralExpression(object)) continue;
    for (const property of object.properties) {
      if ((ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && SIGNAL_KEYS.has(property.name.text)) {
        return property;
      }
    }
  }
  return undefined;
}

function isAbortSignalTimeout(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'timeout' && ts.isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal';
}

function labelOf(call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  const text = skipOuter(call.expression).getText(sourceFile).replace(/\s+/g, '');
  return text.length <= 40 ? `${text}()` : 'this call';
}

function explain(found: DetachedRoot): string {
  const labels = [...new Set(found.passes.map((p) => p.api.label))];
  const target = labels.length === 1 ? labels[0] : `${labels[0]} and ${labels.length - 1} more call${labels.length > 2 ? 's' : ''}`;
  if (found.kind === 'timeout') {
    return `AbortSignal.timeout() gives ${target} a deadline but no link to the request, so the call outlives a client that disconnects and keeps tying up connections and work for a response nobody will read.`;
  }
  return `This AbortController's signal goes to ${target}, but nothing aborts it when the request ends, so the call outlives a client that disconnects and keeps tying up connections and work for a response nobody will read.`;
}

function relatedOf(found: DetachedRoot, sourceFile: ts.SourceFile): RelatedDescriptor[] {
  const related = scopeRelated(found.scope, `the request scope (${found.scope.reason}) whose end should cancel this signal`, sourceFile);
  for (const pass of found.passes) related.push({ node: pass.property, message: `the signal is passed to ${pass.api.label} here` });
  return related;
}

function overlapping(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((edit, i) => i > 0 && edit.start < sorted[i - 1].end);
}
