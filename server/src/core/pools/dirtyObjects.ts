import { ts } from 'ts-morph';
import { enclosingFunction, flowGraphOf, functionIndexOf, isFunctionWithBody, walkPaths, type FlowNode, type FunctionWithBody } from '../flow';
import { named, objectEffectsIn, objectEffectsOfName, type ObjectEffect } from './objectEffects';
import type { PoolFacts } from './poolFacts';
import type { Acquisition, ElementOrigin, GiveBack } from './poolModel';

/** A give-back reached, on some path, by an object still carrying changes. */
export interface DirtyGiveBack {
  readonly giveBack: GiveBack;
  /** The properties changed since the object was taken or last reset (`*`: its contents as a whole). */
  readonly dirtyKeys: ReadonlySet<string>;
  /** The first change that reaches the give-back, for related information. */
  readonly mutation: ts.Node;
  /** Where the object was taken from the pool, when that happens in the analysed code. */
  readonly acquisition: Acquisition | undefined;
}

/** Sorted dirty keys; key `*` stands for the object's contents as a whole. */
type Dirty = readonly string[];

interface Origin {
  /** The acquiring call, or the parameter declaration. */
  readonly key: ts.Node;
  readonly fn: FunctionWithBody;
  readonly acquisition: Acquisition | undefined;
}

/**
 * Forward analysis for `pooled-object-not-reset` (RULES.md §3.2): from where an object is taken
 * from the pool (or, in a function that gives back its parameter, from the function's entry),
 * which of its properties have been changed and not reset by the time each path reaches a
 * give-back. A give-back inside a callback sees what the object carried when the callback was
 * created and when the enclosing function finished.
 */
export function findDirtyGiveBacks(pools: PoolFacts, element: (giveBack: GiveBack) => ElementOrigin | undefined, candidates: readonly GiveBack[]): DirtyGiveBack[] {
  // Give-backs grouped by where their object's story starts: one walk per acquisition or parameter.
  const byOrigin = new Map<ts.Node, { name: string; origin: Origin; giveBacks: GiveBack[] }>();
  for (const giveBack of candidates) {
    if (!ts.isIdentifier(giveBack.object)) continue;
    const name = giveBack.object.text;
    const origin = originOf(giveBack, name, pools);
    if (!origin) continue;
    const group = byOrigin.get(origin.key) ?? { name, origin, giveBacks: [] };
    group.giveBacks.push(giveBack);
    byOrigin.set(origin.key, group);
  }
  const out: DirtyGiveBack[] = [];
  for (const { name, origin, giveBacks } of byOrigin.values()) {
    const elementOrigin = element(giveBacks[0]);
    if (giveBacks.every((g) => resetRightBefore(g, name, elementOrigin))) continue;
    if (!mutatedAnywhere(origin.fn, name, elementOrigin)) continue;
    out.push(...new DirtyWalk(name, elementOrigin, giveBacks, origin).run());
  }
  return out.sort((a, b) => a.giveBack.call.pos - b.giveBack.call.pos);
}

/**
 * Whether anything in the function (closures and helpers it hands the object to included) changes
 * the object at all: the path walk can only find dirt where some step makes it, and most pooled
 * objects are only used, never changed.
 */
function mutatedAnywhere(fn: FunctionWithBody, name: string, element: ElementOrigin | undefined): boolean {
  const effects = objectEffectsOfName(fn.body, name, element, functionIndexOf(fn).allIdentifiers(name));
  return effects.some((effect) => effect.kind === 'mutate');
}

/**
 * `x.reset(); pool.release(x);`: the statement before the give-back, in the same block, ends by
 * resetting the object, and the give-back statement changes nothing before giving it back. A
 * block's statement is reached only by completing the one before it, so every path arrives clean
 * and the walk can't find dirt here.
 */
function resetRightBefore(giveBack: GiveBack, name: string, element: ElementOrigin | undefined): boolean {
  const statement = giveBackStatement(giveBack.call);
  if (!statement || !ts.isBlock(statement.parent)) return false;
  const statements = statement.parent.statements;
  const before = statements[statements.indexOf(statement) - 1];
  if (!before || !ts.isExpressionStatement(before)) return false;
  const effects = objectEffectsIn(before, named(name), element);
  if (effects.length === 0 || effects[effects.length - 1].kind !== 'reset') return false;
  return objectEffectsIn(statement, named(name), element).length === 0;
}

/** The function the object's story starts in: where it was acquired, or whose parameter it is. */
function originOf(giveBack: GiveBack, name: string, pools: PoolFacts): Origin | undefined {
  const declaration = pools.declarations.lookup(name, giveBack.call);
  if (!declaration) return undefined;
  if (ts.isParameter(declaration)) {
    const fn = declaration.parent;
    return isFunctionWithBody(fn) ? { key: declaration, fn, acquisition: undefined } : undefined;
  }
  const acquisition = pools.acquisitions.find(
    (a) => a.holder.kind === 'variable' && a.holder.identifier.text === name && pools.declarations.lookup(name, a.call) === declaration,
  );
  return acquisition ? { key: acquisition.call, fn: acquisition.fn, acquisition } : undefined;
}

interface StepEvent {
  readonly kind: 'acquire' | 'await' | 'effect' | 'giveBack' | 'closure';
  readonly pos: number;
  readonly rank: number;
  readonly effect?: ObjectEffect;
  readonly giveBack?: GiveBack;
  readonly closure?: FunctionWithBody;
}

class DirtyWalk {
  readonly #results = new Map<ts.CallExpression, { keys: Set<string>; giveBack: GiveBack }>();
  readonly #effects = new Map<ts.Node, ObjectEffect[]>();
  readonly #events = new Map<FlowNode, StepEvent[]>();
  readonly #firstMutation = new Map<string, ts.Node>();

  constructor(
    private readonly name: string,
    private readonly element: ElementOrigin | undefined,
    private readonly giveBacks: readonly GiveBack[],
    private readonly origin: Origin,
  ) {}

  run(): DirtyGiveBack[] {
    this.#walk(this.origin.fn, this.origin.acquisition?.call, [], 0);
    const out: DirtyGiveBack[] = [];
    for (const { keys, giveBack } of this.#results.values()) {
      if (keys.size === 0) continue;
      const mutation = [...this.#firstMutation.entries()].filter(([key]) => keys.has(key)).map(([, node]) => node).sort((a, b) => a.pos - b.pos)[0];
      if (!mutation) continue;
      out.push({ giveBack, dirtyKeys: keys, mutation, acquisition: this.origin.acquisition });
    }
    return out.sort((a, b) => a.giveBack.call.pos - b.giveBack.call.pos);
  }

  /** Walks `fn` from `start` (or its entry); returns the union of dirt at its exits. */
  #walk(fn: FunctionWithBody, start: ts.CallExpression | undefined, initial: Dirty, depth: number): Set<string> {
    const graph = flowGraphOf(fn);
    const atExit = new Set<string>();
    const closures = new Map<FunctionWithBody, Set<string>>();
    type State = { dirty: Dirty; resume?: number };
    const starts = start
      ? graph.stepsContaining(start).map((node) => ({ node, state: { dirty: initial, resume: this.origin.acquisition!.value.end } as State }))
      : [{ node: graph.entry, state: { dirty: initial } as State }];

    walkPaths<State>(graph, starts, {
      key: (state) => `${state.resume ?? ''}|${state.dirty.join(',')}`,
      step: (node, state) => {
        let dirty = new Set(state.dirty);
        const thrown: State[] = [];
        let events = this.#events.get(node);
        if (!events) {
          events = this.#eventsOf(node, fn, start);
          this.#events.set(node, events);
        }
        for (const event of events) {
          if (state.resume !== undefined && event.pos <= state.resume) continue;
          switch (event.kind) {
            case 'acquire':
              dirty = new Set();
              break;
            case 'await':
              thrown.push({ dirty: sorted(dirty) });
              break;
            case 'effect':
              dirty = this.#apply(event.effect!, dirty);
              break;
            case 'giveBack':
              this.#record(event.giveBack!, dirty);
              dirty = new Set();
              break;
            case 'closure': {
              const seen = closures.get(event.closure!) ?? new Set<string>();
              for (const key of dirty) seen.add(key);
              closures.set(event.closure!, seen);
              break;
            }
          }
        }
        if (node.role === 'throw') return { thrown: [...thrown, { dirty: sorted(dirty) }] };
        return { next: { dirty: sorted(dirty) }, thrown };
      },
      reachedExit: (_exit, state) => {
        for (const key of state.dirty) atExit.add(key);
      },
    });

    if (depth < 2) {
      for (const [closure, seen] of closures) {
        for (const key of atExit) seen.add(key);
        this.#walk(closure, undefined, sorted(seen), depth + 1);
      }
    }
    return atExit;
  }

  #apply(effect: ObjectEffect, dirty: Set<string>): Set<string> {
    if (effect.kind === 'reset') return new Set();
    const next = new Set(dirty);
    if (effect.kind === 'restore') {
      next.delete(effect.key);
      return next;
    }
    for (const key of effect.keys) {
      next.add(key);
      const first = this.#firstMutation.get(key);
      if (!first || effect.node.pos < first.pos) this.#firstMutation.set(key, effect.node);
    }
    return next;
  }

  #record(giveBack: GiveBack, dirty: ReadonlySet<string>): void {
    const entry = this.#results.get(giveBack.call) ?? { keys: new Set<string>(), giveBack };
    for (const key of dirty) entry.keys.add(key);
    this.#results.set(giveBack.call, entry);
  }

  /** What a step does, in evaluation order (the same for every path through it). */
  #eventsOf(node: FlowNode, fn: FunctionWithBody, start: ts.CallExpression | undefined): StepEvent[] {
    const ast = node.ast;
    const events: StepEvent[] = node.awaits.map((a) => ({ kind: 'await' as const, pos: a.end, rank: 1 }));
    if (!ast || node.role === 'catch' || node.role === 'jump' || node.role === 'iteration') return events;
    let effects = this.#effects.get(ast);
    if (!effects) {
      effects = objectEffectsOfName(ast, this.name, this.element, functionIndexOf(fn).allIdentifiers(this.name));
      this.#effects.set(ast, effects);
    }
    for (const effect of effects) events.push({ kind: 'effect', pos: effect.node.end, rank: 0, effect });
    for (const giveBack of this.giveBacks) {
      if (!within(giveBack.call, ast)) continue;
      const inner = enclosingFunction(giveBack.call);
      if (inner === fn) events.push({ kind: 'giveBack', pos: giveBack.call.end, rank: 2, giveBack });
      else if (inner) {
        // The outermost callback created by this step that contains the give-back.
        let closure: ts.Node = inner;
        for (let up = enclosingFunction(closure); up && up !== fn; up = enclosingFunction(up)) closure = up;
        events.push({ kind: 'closure', pos: closure.end, rank: 2, closure: closure as FunctionWithBody });
      }
    }
    if (start && within(start, ast)) events.push({ kind: 'acquire', pos: this.origin.acquisition!.value.end, rank: -1 });
    return events.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
  }
}

function sorted(keys: Iterable<string>): Dirty {
  return [...keys].sort();
}

function within(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** `pool.release(x);` / `await pool.release(x);` as a statement of its own: where a reset can go. */
export function giveBackStatement(call: ts.CallExpression): ts.Statement | undefined {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  const statement = node.parent;
  if (!ts.isExpressionStatement(statement)) return undefined;
  const parent = statement.parent;
  return ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isSourceFile(parent) ? statement : undefined;
}

