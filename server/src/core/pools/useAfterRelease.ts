import { ts } from 'ts-morph';
import { isValueReference } from '../syntax/bindings';
import { flowGraphOf, functionIndexOf, isFunctionWithBody, walkPaths, within, type FlowNode, type FunctionWithBody } from '../flow';
import { skipOuter } from '../scopes/appKinds';
import type { TypeInfo } from '../typeInfo';
import { lazyClasses } from './elements';
import { LIBRARY_POOLS, type LibraryPoolKind } from './libraryPools';
import { elementOf } from './objectPools';
import { containsRelease } from './ownership';
import type { PoolFacts } from './poolFacts';
import type { Acquisition, ElementOrigin, GiveBack, ReleaseStyle } from './poolModel';
import { isObjectTyped, isViewMethod, kindFromType, propertyKindFromSyntax, viewKind, type ValueKind, type ValueQuestions } from './pooledValues';
import { pooledParameters } from './pooledParameters';
import { isReleaseCall } from './releases';

// Forward analysis for `pooled-object-used-after-release` (RULES.md §3.3). From where a pooled
// object is taken (or, in a function that gives back its parameter, from the function's entry),
// every path through the control-flow graph is followed: after a give-back, the first use of the
// object or of an alias of it is a finding; before it, an alias that escapes (returned, stored,
// captured by a callback that can run later, passed to a call not awaited) is remembered, and a
// finding when a give-back follows on the same path.

export type EscapeHow = 'returned' | 'stored' | 'listener' | 'timer' | 'unawaited' | 'written';

export interface ReleasedUse {
  /** `use`: used after the give-back; `again`: given back a second time; `escape`: escaped before it. */
  readonly kind: 'use' | 'again' | 'escape';
  readonly how: EscapeHow | undefined;
  /** The anchor: the reference used after the give-back, or the escaping expression. */
  readonly anchor: ts.Node;
  /** The tracked name the anchor refers to. */
  readonly name: TrackedName;
  /** The value that escapes or is used: an alias of the pooled object (for the copy fix). */
  readonly value: ts.Expression | undefined;
  readonly valueKind: ValueKind;
  /** Give-backs that the use follows on some path (or that follow the escape). */
  readonly releases: readonly ts.Node[];
  readonly origin: Origin;
  /** Every name the walk followed: the object's variable and its aliases. */
  readonly names: readonly string[];
}

export interface TrackedName {
  readonly name: string;
  /** Its declaration (variable, parameter or binding element); references are matched against it. */
  readonly declaration: ts.Node | undefined;
  readonly kind: ValueKind;
  /** Undefined for the pooled object's own variable; the declaration making the alias otherwise. */
  readonly alias: { declaration: ts.VariableDeclaration | ts.BindingElement | ts.BinaryExpression; initializer: ts.Expression | undefined; same: boolean } | undefined;
}

export interface Origin {
  readonly fn: FunctionWithBody;
  readonly root: TrackedName;
  readonly acquisition: Acquisition | undefined;
  /** The acquiring call when the walk starts there. */
  readonly start: ts.CallExpression | undefined;
  readonly release: Pick<Acquisition, 'release' | 'kind'>;
  readonly releaseFunctions: ReadonlySet<string>;
  readonly element: ElementOrigin | undefined;
  /** For an origin without an acquisition: the object is a connection or session, not a reusable object. */
  readonly connections?: boolean;
}

export interface UseAfterReleaseHost {
  readonly pools: PoolFacts;
  readonly types: TypeInfo | undefined;
  /** Whether a call returns a promise (syntax first, types when allowed); undefined when unknown. */
  promiseCall(call: ts.CallExpression): boolean | undefined;
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick']);
const COLLECTION_STORES = new Set(['push', 'unshift', 'set', 'add']);
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);
const COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

/** Every use after a give-back and every escape before one, in the file, in source order. */
export function findUsesAfterRelease(host: UseAfterReleaseHost): ReleasedUse[] {
  const out = new Map<ts.Node, ReleasedUse>();
  for (const origin of originsOf(host)) {
    for (const found of new ReleaseWalk(origin, host).run()) {
      const known = out.get(found.anchor);
      if (known) out.set(found.anchor, { ...known, releases: unique([...known.releases, ...found.releases]) });
      else out.set(found.anchor, found);
    }
  }
  return [...out.values()].sort((a, b) => a.anchor.pos - b.anchor.pos);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

// ----- where objects come from -------------------------------------------------------------------

function originsOf(host: UseAfterReleaseHost): Origin[] {
  const { pools } = host;
  const out: Origin[] = [];
  const seen = new Set<ts.Node>();
  for (const acquisition of pools.acquisitions) {
    const holder = acquisition.holder;
    const element = elementOf(acquisition, holder.kind === 'variable' ? holder.identifier : undefined, host.types, pools.values);
    if (holder.kind === 'variable') {
      const declaration = pools.declarations.lookup(holder.identifier.text, acquisition.call) ?? holder.declaration;
      if (declaration) seen.add(declaration);
      const root: TrackedName = { name: holder.identifier.text, declaration, kind: element?.kind, alias: undefined };
      out.push(makeOrigin(acquisition.fn, root, acquisition, acquisition.call, acquisition, new Set(), element));
    } else if (holder.kind === 'callback') {
      const declaration = holder.resource.parent;
      seen.add(declaration);
      const root: TrackedName = { name: holder.resource.text, declaration, kind: element?.kind, alias: undefined };
      out.push(makeOrigin(holder.fn, root, acquisition, undefined, acquisition, new Set(holder.releaseFunction ? [holder.releaseFunction.text] : []), element));
    }
  }
  // A function giving back what it receives: `function finish(buf) { free.push(buf); ... }`.
  for (const giveBack of pools.giveBacks) {
    if (!ts.isIdentifier(giveBack.object)) continue;
    const declaration = pools.declarations.lookup(giveBack.object.text, giveBack.call);
    if (!declaration || !ts.isParameter(declaration) || seen.has(declaration) || !isFunctionWithBody(declaration.parent)) continue;
    seen.add(declaration);
    const release = releaseOfGiveBack(giveBack);
    if (!release) continue;
    const element = elementOf(giveBack, giveBack.object, host.types, pools.values);
    const root: TrackedName = { name: giveBack.object.text, declaration, kind: element?.kind, alias: undefined };
    out.push(makeOrigin(declaration.parent, root, undefined, undefined, release, new Set(), element));
  }
  // A function giving back a connection it receives: `function markCharged(client: PoolClient) { ... client.release(); }`.
  for (const found of pooledParameters(pools, host.types, seen)) {
    seen.add(found.parameter);
    const root: TrackedName = { name: found.parameter.name.text, declaration: found.parameter, kind: undefined, alias: undefined };
    out.push({ ...makeOrigin(found.fn, root, undefined, undefined, found.release, new Set(), undefined), connections: found.connections });
  }
  return out;
}

function releaseOfGiveBack(giveBack: GiveBack): Pick<Acquisition, 'release' | 'kind'> | undefined {
  let style: ReleaseStyle | undefined;
  if (giveBack.userPool) {
    style = { kind: 'poolMethod', names: giveBack.userPool.giveBackMethods.map((m) => (m.name as ts.Identifier).text), returnsPromise: false, discarding: [] };
  } else if (giveBack.freeList) {
    style = { kind: 'push', list: giveBack.freeList.name };
  } else if (giveBack.kind in LIBRARY_POOLS) {
    style = LIBRARY_POOLS[giveBack.kind as LibraryPoolKind].release;
  }
  return style && { release: style, kind: giveBack.kind };
}

function makeOrigin(
  fn: FunctionWithBody,
  root: TrackedName,
  acquisition: Acquisition | undefined,
  start: ts.CallExpression | undefined,
  release: Pick<Acquisition, 'release' | 'kind'>,
  releaseFunctions: Set<string>,
  element: ElementOrigin | undefined,
): Origin {
  // `const release = () => client.release()` / `function done() { client.release(); }`
  const names = new Set([root.name]);
  for (const node of functionIndexOf(fn).localFunctions) {
    if (ts.isVariableDeclaration(node)) {
      const init = skipOuter(node.initializer!);
      if (isFunctionWithBody(init) && containsRelease(init, names, releaseFunctions, release as Acquisition)) releaseFunctions.add((node.name as ts.Identifier).text);
    } else if (node.name && node.body && containsRelease(node, names, releaseFunctions, release as Acquisition)) {
      releaseFunctions.add(node.name.text);
    }
  }
  return { fn, root, acquisition, start, release, releaseFunctions, element };
}

// ----- what a reference does ---------------------------------------------------------------------

type RefMeaning =
  | { kind: 'ignore' }
  | { kind: 'kill' }
  | { kind: 'release'; call: ts.CallExpression }
  | { kind: 'use' }
  | { kind: 'alias'; value: ts.Expression; valueKind: ValueKind; target: ts.VariableDeclaration | ts.BinaryExpression }
  | { kind: 'destructure'; value: ts.Expression; valueKind: ValueKind; pattern: ts.ObjectBindingPattern; declaration: ts.VariableDeclaration }
  | { kind: 'escape'; how: EscapeHow; value: ts.Expression; valueKind: ValueKind; promiseVar: string | undefined };

interface Climbed {
  /** The alias-valued expression reached from the reference. */
  readonly expression: ts.Expression;
  readonly kind: ValueKind;
  /** Property or element reads on the way, which are aliases only if they read objects. */
  readonly parts: readonly { node: ts.Expression; known: ValueKind | null }[];
  /** Where the climb stopped because the value became a use (a method call, a primitive read). */
  readonly stoppedAtUse: boolean;
  readonly release: ts.CallExpression | undefined;
}

class ReleaseWalk {
  readonly #names = new Map<string, TrackedName[]>();
  readonly #meanings = new Map<ts.Identifier, RefMeaning>();
  readonly #found: ReleasedUse[] = [];
  readonly #q: ValueQuestions;
  readonly #events = new Map<ts.Node, StepEvent[]>();
  readonly #sameNames = new Set<string>();
  /** `lines = batch.rows`: assignments that make a tracked variable an alias again (not a kill). */
  readonly #aliasAssignments = new Set<ts.Node>();
  #allEvents: readonly { event: StepEvent; witness: ts.Node }[] | undefined;

  constructor(
    private readonly origin: Origin,
    private readonly host: UseAfterReleaseHost,
    private readonly depth = 0,
  ) {
    this.#q = { classes: lazyClasses(origin.fn.getSourceFile()), types: host.types };
    this.#add(origin.root);
  }

  run(): ReleasedUse[] {
    this.#collectAliases();
    this.#walk();
    return this.#found;
  }

  #add(tracked: TrackedName): void {
    const list = this.#names.get(tracked.name) ?? [];
    list.push(tracked);
    this.#names.set(tracked.name, list);
    if (!tracked.alias || tracked.alias.same) this.#sameNames.add(tracked.name);
  }

  /** The tracked name an identifier refers to, if it is one. */
  #trackedOf(identifier: ts.Identifier): TrackedName | undefined {
    const list = this.#names.get(identifier.text);
    if (!list) return undefined;
    const declaration = this.host.pools.declarations.lookup(identifier.text, identifier);
    for (const tracked of list) {
      if (tracked.declaration && ts.isBindingElement(tracked.declaration)) {
        if (!declaration || !within(declaration, this.origin.fn)) return tracked;
      } else if (declaration === tracked.declaration) {
        return tracked;
      }
    }
    return undefined;
  }

  /** Aliases declared in the function: `const c = client`, `const rows = batch.rows`, `const view = buf.subarray(0, n)`. */
  #collectAliases(): void {
    const index = functionIndexOf(this.origin.fn);
    const work = [this.origin.root];
    while (work.length > 0) {
      const tracked = work.pop()!;
      for (const identifier of index.ownIdentifiers(tracked.name)) {
        if (!isValueReference(identifier) || this.#trackedOf(identifier) !== tracked) continue;
        const meaning = this.#meaning(identifier, tracked);
        if (meaning.kind === 'alias') {
          const name = ts.isVariableDeclaration(meaning.target) ? meaning.target.name : meaning.target.left;
          if (ts.isBinaryExpression(meaning.target)) this.#aliasAssignments.add(meaning.target);
          if (!ts.isIdentifier(name) || this.#names.has(name.text)) continue;
          const declaration = ts.isVariableDeclaration(meaning.target) ? meaning.target : this.host.pools.declarations.lookup(name.text, name);
          if (!declaration || !within(declaration, this.origin.fn)) continue;
          const next: TrackedName = {
            name: name.text,
            declaration,
            kind: meaning.valueKind,
            alias: { declaration: meaning.target, initializer: meaning.value, same: skipOuter(meaning.value) === identifier || (ts.isIdentifier(skipOuter(meaning.value)) && this.#sameNames.has(tracked.name)) },
          };
          this.#add(next);
          work.push(next);
        } else if (meaning.kind === 'destructure') {
          for (const element of meaning.pattern.elements) {
            if (element.dotDotDotToken || !ts.isIdentifier(element.name) || this.#names.has(element.name.text)) continue;
            const property = element.propertyName ? (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName) ? element.propertyName.text : undefined) : element.name.text;
            if (!property) continue;
            const known = propertyKindFromSyntax(meaning.valueKind, this.origin.element, property, this.#q);
            if (known === null) continue;
            if (known === undefined && !(this.host.types && isObjectTyped(element.name, this.host.types))) continue;
            const next: TrackedName = {
              name: element.name.text,
              declaration: element,
              kind: known ?? (this.host.types ? kindFromType(element.name, this.host.types) : undefined),
              alias: { declaration: element, initializer: undefined, same: false },
            };
            this.#add(next);
            work.push(next);
          }
        }
      }
    }
  }

  /** What a reference to a tracked name does (cached). */
  #meaning(identifier: ts.Identifier, tracked: TrackedName): RefMeaning {
    let meaning = this.#meanings.get(identifier);
    if (!meaning) {
      meaning = this.#computeMeaning(identifier, tracked);
      this.#meanings.set(identifier, meaning);
    }
    return meaning;
  }

  #computeMeaning(identifier: ts.Identifier, tracked: TrackedName): RefMeaning {
    const climbed = this.#climb(identifier, tracked);
    if (climbed.release) return { kind: 'release', call: climbed.release };
    if (climbed.stoppedAtUse) return { kind: 'use' };
    const expression = climbed.expression;
    const parent = expression.parent;
    if (expression === identifier || climbed.parts.length === 0) {
      if (ts.isBinaryExpression(parent) && parent.left === expression && isAssignment(parent.operatorToken.kind)) {
        if (expression !== identifier) return { kind: 'use' };
        // `client = await pool.connect()` is the acquisition itself, not another value.
        const start = this.origin.start;
        return start && within(start, parent.right) ? { kind: 'ignore' } : { kind: 'kill' };
      }
      if (expression === identifier && isTestPosition(expression)) return { kind: 'ignore' };
    }
    if (ts.isBinaryExpression(parent) && parent.left === expression && isAssignment(parent.operatorToken.kind)) return { kind: 'use' };

    let value: ts.Expression = expression;
    while (carriesValue(value.parent, value)) value = value.parent as ts.Expression;
    const context = value.parent;
    const aliasOk = (): boolean => this.#partsAreObjects(climbed);
    const valueKind = value === expression ? climbed.kind : undefined;

    if (ts.isReturnStatement(context) || (ts.isArrowFunction(context) && context.body === value) || ts.isYieldExpression(context)) {
      return aliasOk() ? { kind: 'escape', how: 'returned', value, valueKind, promiseVar: undefined } : { kind: 'use' };
    }
    if (ts.isVariableDeclaration(context) && context.initializer === value) {
      if (ts.isObjectBindingPattern(context.name) && value === expression) {
        return aliasOk() ? { kind: 'destructure', value, valueKind, pattern: context.name, declaration: context } : { kind: 'use' };
      }
      if (ts.isIdentifier(context.name) && aliasOk()) return { kind: 'alias', value, valueKind, target: context };
      return { kind: 'use' };
    }
    if (ts.isBinaryExpression(context) && context.right === value && context.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (!aliasOk()) return { kind: 'use' };
      const left = skipOuter(context.left);
      if (ts.isIdentifier(left)) {
        const declaration = this.host.pools.declarations.lookup(left.text, left);
        if (declaration && within(declaration, this.origin.fn)) return { kind: 'alias', value, valueKind, target: context };
      }
      return { kind: 'escape', how: 'stored', value, valueKind, promiseVar: undefined };
    }
    if ((ts.isCallExpression(context) || ts.isNewExpression(context)) && context.arguments?.includes(value)) {
      const how = ts.isCallExpression(context) ? this.#argumentEscape(context, value, valueKind) : undefined;
      if (how && aliasOk()) return { kind: 'escape', how: how.how, value, valueKind, promiseVar: how.promiseVar };
    }
    return { kind: 'use' };
  }

  /** Climbs from a reference through what keeps aliasing the object: property reads, views. */
  #climb(identifier: ts.Identifier, tracked: TrackedName): Climbed {
    let expression: ts.Expression = identifier;
    let kind = tracked.kind;
    const parts: { node: ts.Expression; known: ValueKind | null }[] = [];
    const same = this.#sameNames.has(tracked.name);
    for (;;) {
      const parent = expression.parent;
      if (isTransparent(parent)) {
        expression = parent as ts.Expression;
        continue;
      }
      if (ts.isPropertyAccessExpression(parent) && parent.expression === expression && !ts.isPrivateIdentifier(parent.name)) {
        const name = parent.name.text;
        const call = parent.parent;
        if (ts.isCallExpression(call) && call.expression === parent) {
          if (same && parts.length === 0) {
            if (isReleaseCall(call, this.#sameNames, this.origin.release)) return { expression, kind, parts, stoppedAtUse: false, release: call };
          }
          if (isViewMethod(name, kind)) {
            expression = call;
            kind = viewKind(kind);
            continue;
          }
          return { expression, kind, parts, stoppedAtUse: true, release: undefined };
        }
        const known = parts.length === 0 || kind ? propertyKindFromSyntax(kind, parts.length === 0 ? this.origin.element : undefined, name, this.#q) : undefined;
        if (known === null) return { expression, kind, parts, stoppedAtUse: true, release: undefined };
        parts.push({ node: parent, known });
        kind = known ?? undefined;
        expression = parent;
        continue;
      }
      if (ts.isElementAccessExpression(parent) && parent.expression === expression) {
        if (kind === 'buffer' || kind === 'typedArray') return { expression, kind, parts, stoppedAtUse: true, release: undefined };
        parts.push({ node: parent, known: undefined });
        kind = undefined;
        expression = parent;
        continue;
      }
      break;
    }
    // `pool.release(x)`, `free.push(x)`, `done(x)`.
    const parent = expression.parent;
    if (same && parts.length === 0 && ts.isCallExpression(parent) && parent.arguments.includes(expression) && isReleaseCall(parent, this.#sameNames, this.origin.release)) {
      return { expression, kind, parts, stoppedAtUse: false, release: parent };
    }
    return { expression, kind, parts, stoppedAtUse: false, release: undefined };
  }

  #partsAreObjects(climbed: Climbed): boolean {
    for (const part of climbed.parts) {
      if (part.known) continue;
      if (part.known === null) return false;
      if (!this.host.types || isObjectTyped(part.node, this.host.types) !== true) return false;
    }
    return true;
  }

  /** How an argument outlives the call: stored in a collection, given to a timer, a promise not awaited, a stream write. */
  #argumentEscape(call: ts.CallExpression, value: ts.Expression, kind: ValueKind): { how: EscapeHow; promiseVar: string | undefined } | undefined {
    const callee = skipOuter(call.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (method && TIMERS.has(method) && call.arguments.indexOf(value) > 0) return { how: 'timer', promiseVar: undefined };
    if (ts.isPropertyAccessExpression(callee) && method && COLLECTION_STORES.has(method) && !this.#isLocal(callee.expression)) {
      if ((method === 'set' && call.arguments.indexOf(value) === 1) || (method !== 'set' && method !== undefined)) return { how: 'stored', promiseVar: undefined };
    }
    if (ts.isPropertyAccessExpression(callee) && (method === 'write' || method === 'end') && call.arguments.indexOf(value) === 0) {
      const bytes = kind === 'buffer' || kind === 'typedArray' || (kind === undefined && !!this.host.types && /^(buffer|typedArray)$/.test(kindFromType(value, this.host.types) ?? ''));
      if (bytes) return { how: 'written', promiseVar: undefined };
    }
    const awaited = awaitOf(call);
    if (awaited.awaited) return undefined;
    if (this.host.promiseCall(call) === true) return { how: 'unawaited', promiseVar: awaited.variable };
    return undefined;
  }

  /** Whether the receiver of a store is a local variable of the function (an array built to be returned is followed no further). */
  #isLocal(receiver: ts.Expression): boolean {
    let root = skipOuter(receiver);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (root.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (!ts.isIdentifier(root)) return false;
    if (root !== skipOuter(receiver)) return false;
    const declaration = this.host.pools.declarations.lookup(root.text, root);
    return !!declaration && within(declaration, this.origin.fn) && !ts.isParameter(declaration);
  }

  // ----- closures ----------------------------------------------------------------------------------

  /** References to tracked names inside a closure the function creates, first one first. */
  #referencesIn(closure: ts.Node): ts.Identifier[] {
    const index = functionIndexOf(this.origin.fn);
    const out: ts.Identifier[] = [];
    for (const name of this.#names.keys()) {
      for (const identifier of index.allIdentifiers(name)) {
        if (within(identifier, closure) && isValueReference(identifier) && this.#trackedOf(identifier)) out.push(identifier);
      }
    }
    return out.sort((a, b) => a.pos - b.pos);
  }

  /** What creating a closure that mentions the object means: an escape (runs later) or a use now. */
  #closureMeaning(closure: ts.Node): { how: EscapeHow | undefined; promiseVar: string | undefined } {
    let value: ts.Node = closure;
    while (carriesValue(value.parent, value)) value = value.parent;
    const context = value.parent;
    if (ts.isReturnStatement(context) || (ts.isArrowFunction(context) && context.body === value)) return { how: 'returned', promiseVar: undefined };
    if (ts.isBinaryExpression(context) && context.right === value && context.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuter(context.left);
      if (!ts.isIdentifier(left)) return { how: 'stored', promiseVar: undefined };
      return { how: undefined, promiseVar: undefined };
    }
    if (ts.isCallExpression(context) && context.arguments.includes(value as ts.Expression)) {
      const callee = skipOuter(context.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (method && LISTENER_METHODS.has(method) && ts.isPropertyAccessExpression(callee)) return { how: 'listener', promiseVar: undefined };
      if (method && TIMERS.has(method)) return { how: 'timer', promiseVar: undefined };
      const awaited = awaitOf(context);
      if (awaited.awaited) return { how: undefined, promiseVar: undefined };
      if ((method && PROMISE_METHODS.has(method) && ts.isPropertyAccessExpression(callee)) || this.host.promiseCall(context) === true) return { how: 'unawaited', promiseVar: awaited.variable };
    }
    return { how: undefined, promiseVar: undefined };
  }

  // ----- the walk ----------------------------------------------------------------------------------

  #walk(): void {
    if (this.#mayFind()) this.#walkPaths();
    this.#walkNested();
  }

  #walkPaths(): void {
    const fn = this.origin.fn;
    const graph = flowGraphOf(fn);
    const start = this.origin.start;
    const resume = start ? this.origin.acquisition!.value.end : undefined;
    const starts = start
      ? graph.stepsContaining(start).map((node) => ({ node, state: { resume, pending: [], dead: [] } as State }))
      : [{ node: graph.entry, state: { pending: [], dead: [] } as State }];
    const escapes: Escape[] = [];
    const escapeIds = new Map<ts.Node, number>();
    const escapeId = (escape: Escape): number => {
      let id = escapeIds.get(escape.anchor);
      if (id === undefined) {
        id = escapes.length;
        escapes.push(escape);
        escapeIds.set(escape.anchor, id);
      }
      return id;
    };
    const releaseIds = new Map<ts.Node, number>();
    const releaseId = (node: ts.Node): number => {
      let id = releaseIds.get(node);
      if (id === undefined) {
        id = releaseIds.size;
        releaseIds.set(node, id);
      }
      return id;
    };

    walkPaths<State>(graph, starts, {
      key: (s) => `${s.resume ?? ''}|${s.released ? releaseId(s.released) : ''}|${s.pending.join(',')}|${s.dead.join(',')}`,
      step: (node, state) => {
        let current: State = state;
        const thrown: State[] = [];
        for (const event of this.#eventsOf(node)) {
          if (current.resume !== undefined) {
            if (event.pos < current.resume || (event.pos === current.resume && event.kind !== 'acquire')) continue;
          }
          switch (event.kind) {
            case 'acquire':
              current = { pending: [], dead: [] };
              break;
            case 'await': {
              const awaitNode = event.node;
              const pending = current.pending.filter((id) => {
                const escape = escapes[id];
                if (escape.how === 'written') return false;
                if (!escape.promiseVar) return true;
                return !functionIndexOf(fn).ownIdentifiers(escape.promiseVar).some((i) => within(i, awaitNode));
              });
              current = { ...current, pending };
              thrown.push(current);
              break;
            }
            case 'release':
              if (current.dead.includes(event.tracked!.name)) break;
              if (current.released) {
                this.#report('again', undefined, event.anchor!, event.tracked!, undefined, undefined, current.released);
                return { thrown };
              }
              for (const id of current.pending) {
                const escape = escapes[id];
                this.#report('escape', escape.how, escape.anchor, escape.tracked, escape.value, escape.valueKind, event.node);
              }
              current = { ...current, released: event.node, pending: [] };
              break;
            case 'kill':
              if (!current.dead.includes(event.tracked!.name)) current = { ...current, dead: [...current.dead, event.tracked!.name].sort() };
              break;
            case 'revive':
              if (current.dead.includes(event.tracked!.name)) current = { ...current, dead: current.dead.filter((n) => n !== event.tracked!.name) };
              break;
            case 'use':
            case 'escape': {
              if (current.dead.includes(event.tracked!.name)) break;
              if (current.released) {
                const value = event.kind === 'escape' && event.escape?.how === 'returned' ? event.escape.value : undefined;
                this.#report('use', event.escape?.how, event.anchor!, event.tracked!, value ?? event.escape?.value, event.escape?.valueKind, current.released);
                return { thrown };
              }
              if (event.kind === 'escape') current = { ...current, pending: [...current.pending, escapeId(event.escape!)].sort((a, b) => a - b) };
              break;
            }
          }
        }
        if (current.resume !== undefined) current = { ...current, resume: undefined };
        if (node.role === 'throw') return { thrown: [...thrown, current] };
        return { next: current, thrown };
      },
      reachedExit: () => {},
    });

  }

  /**
   * Callbacks that give the object back themselves (`pool.connect((err, client, done) => ...)`,
   * `client.query(sql, (err) => { done(); ... })`) are followed in turn.
   */
  #walkNested(): void {
    const fn = this.origin.fn;
    if (this.depth < 2) {
      for (const closure of functionIndexOf(fn).closures) {
        if (!isFunctionWithBody(closure)) continue;
        const names = new Set([...this.#sameNames].filter((n) => !closure.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === n)));
        if (names.size === 0 || !containsRelease(closure, names, this.origin.releaseFunctions, this.origin.release as Acquisition)) continue;
        if (!ts.isBlock(closure.body)) continue;
        const nested = new ReleaseWalk({ ...this.origin, fn: closure, start: undefined }, this.host, this.depth + 1);
        for (const found of nested.run()) this.#found.push(found);
      }
    }
  }

  #report(kind: ReleasedUse['kind'], how: EscapeHow | undefined, anchor: ts.Node, tracked: TrackedName, value: ts.Expression | undefined, valueKind: ValueKind, release: ts.Node): void {
    this.#found.push({ kind, how, anchor, name: tracked, value, valueKind, releases: [release], origin: this.origin, names: [...this.#names.keys()] });
  }

  /** What a step does to the object, in evaluation order. */
  #eventsOf(node: FlowNode): StepEvent[] {
    if (!node.ast) return [];
    let list = this.#events.get(node.ast);
    if (list) return list;
    list = node.awaits.map((a) => ({ kind: 'await' as const, pos: a.end, rank: 1, node: a }));
    if (node.role === 'catch' || node.role === 'iteration' || node.role === 'jump') {
      this.#events.set(node.ast, list);
      return list;
    }
    const ast = node.ast;
    for (const { event, witness } of this.#functionEvents()) if (within(witness, ast)) list.push(event);
    list.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
    this.#events.set(node.ast, list);
    return list;
  }

  /**
   * Every event of the function's own code (awaits aside), computed once, each with the node whose
   * place decides which steps have it (`#eventsOf` keeps those within the step), in the order the
   * steps list them before sorting.
   */
  #functionEvents(): readonly { event: StepEvent; witness: ts.Node }[] {
    if (this.#allEvents) return this.#allEvents;
    const out: { event: StepEvent; witness: ts.Node }[] = [];
    const index = functionIndexOf(this.origin.fn);
    const start = this.origin.start;
    if (start) out.push({ witness: start, event: { kind: 'acquire', pos: this.origin.acquisition!.value.end, rank: 2, node: start } });
    // `let buf = free.pop() ?? ...` run again (a loop) binds the variable to another object.
    const declaration = this.origin.root.declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && !(start && within(start, declaration))) {
      out.push({ witness: declaration, event: { kind: 'kill', pos: declaration.end, rank: 3, node: declaration, tracked: this.origin.root } });
    }
    for (const name of this.#names.keys()) {
      for (const identifier of index.ownIdentifiers(name)) {
        if (!isValueReference(identifier)) continue;
        const tracked = this.#trackedOf(identifier);
        if (!tracked) continue;
        const meaning = this.#meaning(identifier, tracked);
        const push = (event: StepEvent): void => {
          out.push({ witness: identifier, event });
        };
        switch (meaning.kind) {
          case 'ignore':
          case 'alias':
          case 'destructure':
            // Making an alias before the give-back is fine; reading the object to make it afterwards is a use.
            if (meaning.kind !== 'ignore') push({ kind: 'use', pos: identifier.end, rank: 0, node: identifier, anchor: identifier, tracked, onlyAfter: true });
            break;
          case 'kill':
            // `lines = batch.rows` binds the variable to (part of) the object again: alive, not dead.
            push({ kind: this.#aliasAssignments.has(identifier.parent) ? 'revive' : 'kill', pos: identifier.parent.end, rank: 3, node: identifier, tracked });
            break;
          case 'release':
            push({ kind: 'release', pos: meaning.call.end, rank: 0, node: meaning.call, anchor: identifier, tracked });
            break;
          case 'use':
            push({ kind: 'use', pos: identifier.end, rank: 0, node: identifier, anchor: identifier, tracked });
            break;
          case 'escape':
            push({
              kind: 'escape',
              pos: identifier.end,
              rank: 0,
              node: identifier,
              anchor: meaning.value,
              tracked,
              escape: { anchor: meaning.value, how: meaning.how, tracked, value: meaning.value, valueKind: meaning.valueKind, promiseVar: meaning.promiseVar },
            });
            break;
        }
      }
    }
    for (const name of this.origin.releaseFunctions) {
      for (const identifier of index.ownIdentifiers(name)) {
        const parent = identifier.parent;
        if (ts.isCallExpression(parent) && parent.expression === identifier) {
          out.push({ witness: identifier, event: { kind: 'release', pos: parent.end, rank: 0, node: parent, anchor: parent, tracked: this.origin.root } });
        }
      }
    }
    for (const closure of index.closures) {
      if (!isFunctionWithBody(closure)) continue;
      if (this.#releasesItself(closure)) continue;
      const references = this.#referencesIn(closure);
      if (references.length === 0) continue;
      const first = references[0];
      const tracked = this.#trackedOf(first)!;
      const meaning = this.#closureMeaning(closure);
      if (meaning.how) {
        out.push({
          witness: closure,
          event: {
            kind: 'escape',
            pos: closure.end,
            rank: 0,
            node: closure,
            anchor: first,
            tracked,
            escape: { anchor: first, how: meaning.how, tracked, value: undefined, valueKind: undefined, promiseVar: meaning.promiseVar },
          },
        });
      } else {
        out.push({ witness: closure, event: { kind: 'use', pos: closure.end, rank: 0, node: closure, anchor: first, tracked } });
      }
    }
    this.#allEvents = out;
    return out;
  }

  /**
   * Whether walking the paths can find anything: a give-back followed by a use or another give-back,
   * or an escape (which a later give-back turns into a finding). Without a loop around a give-back
   * a path meets events in source order, so when every use and other give-back lies before the
   * first give-back, and nothing escapes, no path can report and the flow graph is not built.
   */
  #mayFind(): boolean {
    const events = this.#functionEvents();
    let first: StepEvent | undefined;
    for (const { event } of events) {
      if (event.kind === 'escape') return true;
      if (event.kind === 'release' && (!first || event.pos < first.pos)) first = event;
    }
    if (!first) return false;
    for (const { event } of events) {
      if (event === first || (event.kind !== 'use' && event.kind !== 'release')) continue;
      if (event.pos >= first.pos) return true;
    }
    for (const { event } of events) {
      if (event.kind !== 'release') continue;
      for (let node = event.node.parent; node && node !== this.origin.fn; node = node.parent) {
        if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isLabeledStatement(node)) return true;
      }
    }
    return false;
  }

  /** A release function's body or a callback that gives the object back: followed on its own. */
  #releasesItself(closure: FunctionWithBody): boolean {
    return containsRelease(closure, this.#sameNames, this.origin.releaseFunctions, this.origin.release as Acquisition);
  }
}

interface Escape {
  readonly anchor: ts.Node;
  readonly how: EscapeHow;
  readonly tracked: TrackedName;
  readonly value: ts.Expression | undefined;
  readonly valueKind: ValueKind;
  readonly promiseVar: string | undefined;
}

interface State {
  readonly resume?: number;
  readonly released?: ts.Node;
  /** Escapes seen on the path since the object was taken, by id. */
  readonly pending: readonly number[];
  /** Names assigned something else since. */
  readonly dead: readonly string[];
}

interface StepEvent {
  readonly kind: 'acquire' | 'await' | 'release' | 'use' | 'escape' | 'kill' | 'revive';
  readonly pos: number;
  readonly rank: number;
  readonly node: ts.Node;
  readonly anchor?: ts.Node;
  readonly tracked?: TrackedName;
  readonly escape?: Escape;
  /** An alias being made: a use only once the object was given back. */
  readonly onlyAfter?: boolean;
}

// ----- syntax helpers ----------------------------------------------------------------------------

/** Whether a call's promise is awaited where it is made, or the local variable it is kept in. */
function awaitOf(call: ts.CallExpression): { awaited: boolean; variable: string | undefined } {
  let value: ts.Node = call;
  for (;;) {
    const parent = value.parent;
    if (isTransparent(parent)) {
      value = parent;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && PROMISE_METHODS.has(parent.name.text) && ts.isCallExpression(parent.parent)) {
      value = parent.parent;
    } else if (ts.isArrayLiteralExpression(parent) && isCombinatorArgument(parent)) {
      value = parent.parent;
    } else if (ts.isAwaitExpression(parent)) {
      return { awaited: true, variable: undefined };
    } else if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) {
      return { awaited: false, variable: parent.name.text };
    } else {
      return { awaited: false, variable: undefined };
    }
  }
}

function isCombinatorArgument(array: ts.ArrayLiteralExpression): boolean {
  const call = array.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(array)) return false;
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && COMBINATORS.has(callee.name.text);
}

/** `x === null`, `!x`, `typeof x`, `if (x)`, `x && ...`: the reference only tests the variable. */
function isTestPosition(expression: ts.Expression): boolean {
  const parent = expression.parent;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (ts.isTypeOfExpression(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return true;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken && parent.left === expression) return true;
  }
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === expression) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === expression) return true;
  return false;
}

function isTransparent(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

/** Whether `parent` passes the value of `child` on as (part of) its own value; spreads copy, so they don't. */
function carriesValue(parent: ts.Node, child: ts.Node): boolean {
  if (isTransparent(parent) || ts.isArrayLiteralExpression(parent) || ts.isObjectLiteralExpression(parent)) return true;
  if ((ts.isPropertyAssignment(parent) && parent.initializer === child) || ts.isShorthandPropertyAssignment(parent)) return ts.isObjectLiteralExpression(parent.parent);
  if (ts.isConditionalExpression(parent)) return parent.condition !== child;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken) return parent.right === child;
    return op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || (op === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === child);
  }
  return false;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

