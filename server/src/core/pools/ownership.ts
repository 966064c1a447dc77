import { ts } from 'ts-morph';
import { isValueReference } from '../syntax/bindings';
import { callsWithin, flowGraphOf, functionIndexOf, isFunctionWithBody, walkPaths, within, type FlowNode, type FunctionWithBody } from '../flow';
import { skipOuter } from '../scopes/appKinds';
import type { TypeInfo } from '../typeInfo';
import type { PoolFacts } from './poolFacts';
import type { Acquisition } from './poolModel';
import { callsOfMethod, callsOfMethods } from './methodCalls';
import { isReleaseCall, isReleaseMethod, releaseMethodNames, releasesArgument } from './releases';

/** How a path leaves while the resource is still held. */
export type LeakKind = 'return' | 'end' | 'throw' | 'reject' | 'loop' | 'overwrite';

export interface Leak {
  readonly kind: LeakKind;
  /**
   * Where: the `return`, the `throw`, the `await` that may reject, the loop that acquires again,
   * the assignment that overwrites the variable, or the function body whose end is reached.
   */
  readonly at: ts.Node;
  /** The function the path leaves (the acquiring one, or a callback the resource was passed on to). */
  readonly fn: FunctionWithBody;
}

export interface OwnershipReport {
  /** Leaking paths, most telling first (an early `return` before a rejected `await`). */
  readonly leaks: readonly Leak[];
  /** Nothing in the function gives the resource back or hands it on: it is simply never released. */
  readonly neverReleased: boolean;
}

// Most telling first: an early return or throw is the bug people recognise; a loop coming round is
// more precise than "reaches its end" when both happen; a rejected await is the subtle one.
const LEAK_ORDER: Record<LeakKind, number> = { return: 0, throw: 1, loop: 2, overwrite: 3, end: 4, reject: 5 };

/** The resource being followed through one function. */
interface Tracked {
  readonly fn: FunctionWithBody;
  readonly names: ReadonlySet<string>;
  /** Local functions whose call releases it: pg's `done`, `const release = () => client.release()`. */
  readonly releaseFunctions: ReadonlySet<string>;
  /** Initialisers of those functions: creating them is not a hand-on. */
  readonly releaseFunctionBodies: ReadonlySet<ts.Node>;
  /** A callback's error parameter: when it is set, nothing was acquired. */
  readonly errorName: string | undefined;
  readonly acquisition: Acquisition;
  /** The acquiring call, when the walk starts there rather than at the function's entry. */
  readonly start: ts.CallExpression | undefined;
  /**
   * The function releases the resource somewhere itself, so it keeps ownership: handing the
   * resource to code we cannot see is then a use, not a hand-on.
   */
  readonly releasesSomewhere: boolean;
}

type EventKind = 'release' | 'handOn' | 'await' | 'acquire' | 'overwrite';

interface StepEvent {
  readonly kind: EventKind;
  /** Evaluation order: the end of the node (an `await` completes after its operand). */
  readonly pos: number;
  /** Tie-break at one position: a release before the `await` on it, the `await` before the acquisition it yields. */
  readonly rank: number;
  readonly node: ts.Node;
  /** A callback continuing the work with the resource (`conn.query(sql, (err, rows) => ...)`): checked in turn. */
  readonly continuation?: FunctionWithBody;
}

const RANK: Record<EventKind, number> = { release: 0, handOn: 0, await: 1, acquire: 2, overwrite: 3 };

interface PathState {
  /** Inside the acquiring step: only what happens after this position counts. */
  readonly resume?: number;
  /** Why the path is heading for an exit: the `return`, `throw` or rejected `await` it passed. */
  readonly cause?: { kind: 'return' | 'throw' | 'reject'; node: ts.Node };
}

/**
 * Follows pooled resources along every path of the function that acquires them (RULES.md §3.1):
 * a path leaks when it reaches the function's exit — a `return`, the end of the body, a `throw`,
 * or a rejected `await` not caught by a `try` that releases — or acquires into the variable again,
 * while the resource is neither released nor handed on. Handed on: returned, stored in an object
 * (a field of a class that releases it, a request object, a collection), passed to a function
 * that releases it on every path (followed two calls deep) or to code we cannot see when the
 * function never releases it itself, or captured by a callback that releases it (callbacks that
 * continue the resource's own work, `conn.query(sql, (err) => ...)`, are checked in turn).
 */
export class Ownership {
  readonly #helperVerdicts = new Map<string, boolean>();
  readonly #inProgress = new Set<ts.Node>();

  constructor(
    private readonly facts: PoolFacts,
    private readonly types: TypeInfo,
    private readonly useTypes: boolean,
  ) {}

  reportFor(acquisition: Acquisition): OwnershipReport | undefined {
    const holder = acquisition.holder;
    if (holder.kind === 'handedOn') return undefined;
    if (holder.kind === 'discarded') {
      return { leaks: [{ kind: 'end', at: holder.statement, fn: acquisition.fn }], neverReleased: true };
    }
    // Most acquisitions are written the safe way; proving that from the statements around them
    // is far cheaper than following every path.
    if (releasedOnEveryPath(acquisition)) return { leaks: [], neverReleased: false };
    const tracked =
      holder.kind === 'variable'
        ? this.#track(acquisition.fn, new Set([holder.identifier.text]), new Set(), undefined, acquisition, acquisition.call)
        : this.#track(holder.fn, new Set([holder.resource.text]), new Set(holder.releaseFunction ? [holder.releaseFunction.text] : []), holder.error?.text, acquisition, undefined);
    const result = this.#walk(tracked, 0);
    const leaks = [...result.leaks].sort((a, b) => LEAK_ORDER[a.kind] - LEAK_ORDER[b.kind] || a.at.getStart() - b.at.getStart());
    return { leaks, neverReleased: leaks.length > 0 && !tracked.releasesSomewhere && !result.handedOn };
  }

  /** Whether `fn` gives back (or hands on) what it receives as parameter `index`, on every path. */
  releasesParameter(fn: FunctionWithBody, index: number, acquisition: Acquisition, depth: number): boolean {
    const parameter = fn.parameters[index];
    if (!parameter || !ts.isIdentifier(parameter.name)) return true;
    const key = `${fn.pos}:${fn.end}:${index}:${acquisition.release.kind}`;
    const known = this.#helperVerdicts.get(key);
    if (known !== undefined) return known;
    if (depth > 2 || this.#inProgress.has(fn)) return true;
    this.#inProgress.add(fn);
    try {
      const tracked = this.#track(fn, new Set([parameter.name.text]), new Set(), undefined, acquisition, undefined);
      const verdict = this.#walk(tracked, depth + 1).leaks.length === 0;
      this.#helperVerdicts.set(key, verdict);
      return verdict;
    } finally {
      this.#inProgress.delete(fn);
    }
  }

  #track(
    fn: FunctionWithBody,
    names: ReadonlySet<string>,
    releaseFunctions: ReadonlySet<string>,
    errorName: string | undefined,
    acquisition: Acquisition,
    start: ts.CallExpression | undefined,
  ): Tracked {
    const functions = new Set(releaseFunctions);
    const bodies = new Set<ts.Node>();
    // `const release = () => client.release()` / `function done() { client.release(); }`
    for (const node of functionIndexOf(fn).localFunctions) {
      if (ts.isVariableDeclaration(node)) {
        const init = skipOuter(node.initializer!);
        if (isFunctionWithBody(init) && containsRelease(init, names, functions, acquisition)) {
          functions.add((node.name as ts.Identifier).text);
          bodies.add(init);
        }
      } else if (node.name && node.body && containsRelease(node, names, functions, acquisition)) {
        functions.add(node.name.text);
        bodies.add(node);
      }
    }
    return {
      fn,
      names,
      releaseFunctions: functions,
      releaseFunctionBodies: bodies,
      errorName,
      acquisition,
      start,
      releasesSomewhere: containsRelease(fn.body, names, functions, acquisition),
    };
  }

  #walk(tracked: Tracked, depth: number): { leaks: Leak[]; handedOn: boolean } {
    const graph = flowGraphOf(tracked.fn);
    const leaks: Leak[] = [];
    let handedOn = false;
    const events = new Map<ts.Node, StepEvent[]>();
    const eventsOf = (node: FlowNode): StepEvent[] => {
      if (!node.ast) return [];
      let list = events.get(node.ast);
      if (!list) {
        list = this.#events(node, tracked, depth);
        events.set(node.ast, list);
      }
      return list;
    };

    const starts = tracked.start
      ? graph.stepsContaining(tracked.start).map((node) => ({ node, state: { resume: tracked.acquisition.value.end } as PathState }))
      : [{ node: graph.entry, state: {} as PathState }];

    walkPaths<PathState>(graph, starts, {
      key: (state) => (state.resume !== undefined ? 'start' : ''),
      step: (node, state) => {
        const thrown: PathState[] = [];
        for (const event of eventsOf(node)) {
          if (state.resume !== undefined && (event.pos < state.resume || (event.pos === state.resume && event.rank <= RANK.acquire))) continue;
          switch (event.kind) {
            case 'await':
              thrown.push({ cause: { kind: 'reject', node: event.node } });
              break;
            case 'release':
              return { thrown };
            case 'handOn':
              handedOn = true;
              if (event.continuation) leaks.push(...this.#continuationLeaks(event.continuation, tracked, depth));
              return { thrown };
            case 'acquire':
              leaks.push({ kind: 'loop', at: loopAround(tracked.start!, tracked.fn) ?? tracked.start!, fn: tracked.fn });
              return { thrown };
            case 'overwrite':
              leaks.push({ kind: 'overwrite', at: event.node, fn: tracked.fn });
              return { thrown };
          }
        }
        if (node.role === 'throw') return { thrown: [...thrown, { cause: { kind: 'throw', node: node.ast! } }] };
        if (node.role === 'return' || node.role === 'expressionBody') return { next: { cause: { kind: 'return', node: node.ast! } }, thrown };
        if (node.role === 'catch') return { next: {}, thrown };
        return { next: { cause: state.cause }, thrown };
      },
      edge: (edge, from, state) => {
        if (from.role !== 'condition' || edge.kind === 'next' || !from.ast || !ts.isExpression(from.ast)) return state;
        const truth = truthWhileHeld(from.ast, tracked);
        if (truth === true && edge.kind === 'false') return undefined;
        if (truth === false && edge.kind === 'true') return undefined;
        return state;
      },
      reachedExit: (exit, state) => {
        if (exit === graph.throwExit) {
          const cause = state.cause;
          if (cause && cause.kind !== 'return') leaks.push({ kind: cause.kind, at: cause.node, fn: tracked.fn });
        } else if (state.cause?.kind === 'return') {
          leaks.push({ kind: 'return', at: state.cause.node, fn: tracked.fn });
        } else {
          leaks.push({ kind: 'end', at: tracked.fn.body, fn: tracked.fn });
        }
      },
    });
    return { leaks, handedOn };
  }

  #continuationLeaks(callback: FunctionWithBody, outer: Tracked, depth: number): Leak[] {
    if (depth > 3) return [];
    const shadowed = new Set(callback.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
    const names = new Set([...outer.names].filter((n) => !shadowed.has(n)));
    if (names.size === 0) return [];
    const functions = new Set([...outer.releaseFunctions].filter((n) => !shadowed.has(n)));
    const tracked = this.#track(callback, names, functions, undefined, outer.acquisition, undefined);
    return this.#walk(tracked, depth + 1).leaks;
  }

  /** What a step does to the resource, in evaluation order. */
  #events(node: FlowNode, tracked: Tracked, depth: number): StepEvent[] {
    const out: StepEvent[] = node.awaits.map((a) => ({ kind: 'await' as const, pos: a.end, rank: RANK.await, node: a }));
    if (node.role === 'catch' || node.role === 'iteration' || node.role === 'jump') return out;
    const add = (kind: EventKind, at: ts.Node, continuation?: FunctionWithBody): void => {
      out.push({ kind, pos: at.end, rank: RANK[kind], node: at, continuation });
    };
    // What a walk of the step would meet, in its order (ancestors before what they contain): the
    // closures it creates, the acquiring call, and references to the resource and its release
    // functions in the function's own code — looked up in the function's index, not walked.
    const ast = node.ast!;
    const index = functionIndexOf(tracked.fn);
    const met: ts.Node[] = [];
    for (const closure of index.closures) if (within(closure, ast)) met.push(closure);
    if (tracked.start && within(tracked.start, ast)) met.push(tracked.start);
    for (const name of tracked.names) for (const identifier of index.ownIdentifiers(name)) if (within(identifier, ast)) met.push(identifier);
    for (const name of tracked.releaseFunctions) {
      if (tracked.names.has(name)) continue;
      for (const identifier of index.ownIdentifiers(name)) if (within(identifier, ast)) met.push(identifier);
    }
    if (met.length > 1) met.sort((a, b) => a.pos - b.pos || b.end - a.end);
    for (const current of met) {
      if (current === tracked.start) add('acquire', tracked.acquisition.value);
      else if (!ts.isIdentifier(current)) this.#closure(current, tracked, add);
      else if (isValueReference(current)) {
        if (tracked.names.has(current.text)) this.#reference(current, tracked, depth, add);
        else this.#releaseFunctionReference(current, add);
      }
    }
    return out.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
  }

  #closure(fn: ts.Node, tracked: Tracked, add: (kind: EventKind, at: ts.Node, continuation?: FunctionWithBody) => void): void {
    if (!isFunctionWithBody(fn) || tracked.releaseFunctionBodies.has(fn)) return;
    if (!containsRelease(fn, tracked.names, tracked.releaseFunctions, tracked.acquisition)) return;
    add('handOn', fn, continuesResourceWork(fn, tracked.names) ? fn : undefined);
  }

  /** `done()` releases; passing `done` on hands the release over. */
  #releaseFunctionReference(identifier: ts.Identifier, add: (kind: EventKind, at: ts.Node) => void): void {
    const parent = identifier.parent;
    if (ts.isCallExpression(parent) && parent.expression === identifier) add('release', parent);
    else if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(identifier)) add('handOn', identifier);
  }

  #reference(identifier: ts.Identifier, tracked: Tracked, depth: number, add: (kind: EventKind, at: ts.Node) => void): void {
    let expression: ts.Expression = identifier;
    while (isTransparent(expression.parent)) expression = expression.parent as ts.Expression;
    const parent = expression.parent;

    // client.release() / client.query(...)
    if (ts.isPropertyAccessExpression(parent) && parent.expression === expression) {
      if (ts.isPrivateIdentifier(parent.name) || !isReleaseMethod(parent.name.text, tracked.acquisition.release)) return;
      const call = parent.parent;
      if (ts.isCallExpression(call) && call.expression === parent) add('release', call);
      // `stream.on('end', client.release.bind(client))`: the release is handed to someone else.
      else add('handOn', parent);
      return;
    }
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(expression)) {
      this.#passed(parent, parent.arguments.indexOf(expression), true, tracked, depth, add, identifier);
      return;
    }
    if (ts.isBinaryExpression(parent) && parent.left === expression && isAssignment(parent.operatorToken.kind)) {
      if (!containsNode(parent.right, tracked.acquisition.call)) add('overwrite', parent);
      return;
    }
    this.#carried(expression, tracked, depth, add, identifier);
  }

  /** The resource as (part of) a value: returned, stored, or passed inside an object or array. */
  #carried(expression: ts.Expression, tracked: Tracked, depth: number, add: (kind: EventKind, at: ts.Node) => void, identifier: ts.Identifier): void {
    let value: ts.Node = expression;
    while (carriesValue(value.parent, value)) value = value.parent;
    const parent = value.parent;
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === value) || ts.isYieldExpression(parent)) {
      add('handOn', value);
    } else if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(value as ts.Expression)) {
      this.#passed(parent, parent.arguments.indexOf(value as ts.Expression), value === expression, tracked, depth, add, identifier);
    } else if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (this.#storedWhereReleased(parent.left)) add('handOn', parent);
    } else if (ts.isVariableDeclaration(parent) && parent.initializer === value) {
      // An alias or an object holding the resource: where it goes next is not followed.
      add('handOn', parent);
    } else if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) {
      add('handOn', parent);
    }
  }

  /** Storing into `this.f` hands on only when the class releases `this.f` somewhere; any other store does. */
  #storedWhereReleased(target: ts.Expression): boolean {
    const left = skipOuter(target);
    if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) return true;
    const owner = ts.findAncestor(left, ts.isClassLike);
    if (!owner) return true;
    return classReleasesField(owner, left.name.text);
  }

  /**
   * `new UnitOfWork(client)`: the constructor stores the argument in a field (a parameter property
   * or `this.f = param`) of a project class that has a method releasing that field (RULES.md §3).
   * Syntax only: a class of this file, or one `syntax/values.ts` finds in another project file.
   */
  #constructedOwner(call: ts.NewExpression, index: number): boolean {
    const callee = skipOuter(call.expression);
    if (!ts.isIdentifier(callee)) return false;
    const local = this.facts.classes.get(callee.text);
    const info = local ? undefined : this.facts.values?.infoOf(callee);
    const cls = local ?? (info?.kind === 'class' ? info.cls : undefined);
    if (!cls || cls.getSourceFile().isDeclarationFile) return false;
    const constructor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    const parameter = constructor?.parameters[index];
    if (!constructor || !parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return false;
    const name = parameter.name.text;
    const fields: string[] = [];
    if (ts.getModifiers(parameter)?.length) fields.push(name);
    for (const statement of constructor.body!.statements) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      const value = skipOuter(right);
      if (ts.isIdentifier(value) && value.text === name) fields.push(left.name.text);
    }
    return fields.some((field) => classReleasesField(cls, field));
  }

  #passed(
    call: ts.CallExpression | ts.NewExpression,
    index: number,
    direct: boolean,
    tracked: Tracked,
    depth: number,
    add: (kind: EventKind, at: ts.Node) => void,
    identifier: ts.Identifier,
  ): void {
    if (direct && releasesArgument(call, index, tracked.acquisition)) {
      add('release', call);
      return;
    }
    const callee = skipOuter(call.expression);
    if (ts.isIdentifier(callee) && tracked.releaseFunctions.has(callee.text)) {
      add('release', call);
      return;
    }
    if (direct && ts.isNewExpression(call) && this.#constructedOwner(call, index)) {
      add('handOn', identifier);
      return;
    }
    const helper = direct && ts.isCallExpression(call) ? this.#resolveCallee(call) : undefined;
    if (helper) {
      if (helper === tracked.fn || this.#inProgress.has(helper)) add('handOn', identifier);
      else if (this.releasesParameter(helper, index, tracked.acquisition, depth)) add('release', call);
      return;
    }
    if (!tracked.releasesSomewhere) add('handOn', identifier);
  }

  /** The function a call runs, when its body is in the project: local first, then from types. */
  #resolveCallee(call: ts.CallExpression): FunctionWithBody | undefined {
    const callee = skipOuter(call.expression);
    if (ts.isIdentifier(callee)) {
      const declaration = this.facts.declarations.lookup(callee.text, callee);
      if (declaration && isFunctionWithBody(declaration)) return declaration;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isFunctionWithBody(skipOuter(declaration.initializer))) {
        return skipOuter(declaration.initializer) as FunctionWithBody;
      }
      if (declaration) return undefined;
    }
    if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = ts.findAncestor(call, ts.isClassLike);
      const member = owner?.members.find((m) => m.name?.getText() === callee.name.text);
      if (member && isFunctionWithBody(member)) return member;
    }
    if (!this.useTypes || (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee))) return undefined;
    // Syntax across the project's files next: a project function is followed into its body; a
    // package function, a built-in or anything else syntax names has no body we could follow.
    const info = this.facts.values?.infoOf(callee);
    if (info && info.kind !== 'unknown') return info.kind === 'function' && isNamedFunction(info.fn) ? info.fn : undefined;
    const symbol = this.types.symbolOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return undefined;
    const file = declaration.getSourceFile();
    if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return undefined;
    if (isFunctionWithBody(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isFunctionWithBody(skipOuter(declaration.initializer))) {
      return skipOuter(declaration.initializer) as FunctionWithBody;
    }
    return undefined;
  }
}

/** Whether a method of the class releases `this.<field>` (or passes it to a call, which may). */
function classReleasesField(owner: ts.ClassLikeDeclaration, field: string): boolean {
  let released = false;
  const visit = (node: ts.Node): void => {
    if (released) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      const receiver = ts.isPropertyAccessExpression(callee) ? skipOuter(callee.expression) : undefined;
      if (receiver && ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword && receiver.name.text === field) {
        if (/^(release|end|close|destroy|endSession)$/.test((callee as ts.PropertyAccessExpression).name.text)) released = true;
      }
      if (node.arguments.some((a) => /^this\.\w+$/.test(skipOuter(a).getText()) && skipOuter(a).getText() === `this.${field}`)) released = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) if (isFunctionWithBody(member)) visit(member.body);
  return released;
}

/**
 * Whether the statements right after the acquisition plainly give the resource back on every
 * path, so the path walk could find no leak: `const x = await pool.connect();` followed, in the
 * same block, by statements that cannot leave it (no `await`, `return`, `throw`, `break`,
 * `continue` or `yield`) and then either a release statement or a `try` whose `finally` starts
 * with one; nothing on the way assigns the variable, and no other code of the function releases
 * it (so no callback or local function takes the release over). Anything else is left to the walk.
 */
export function releasedOnEveryPath(acquisition: Acquisition): boolean {
  const holder = acquisition.holder;
  if (holder.kind !== 'variable' || !holder.declaration || !holder.statement || holder.declaration.initializer !== acquisition.value) return false;
  const statement = holder.statement;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1 || !ts.isBlock(statement.parent)) return false;
  const name = holder.identifier.text;
  const names = new Set([name]);
  const statements = statement.parent.statements;
  const text = statement.getSourceFile().text;
  let release: ts.CallExpression | undefined;
  let last: ts.Statement | undefined;
  for (let i = statements.indexOf(statement) + 1; i < statements.length && !release; i++) {
    last = statements[i];
    release = releaseStatementCall(last, names, acquisition);
    if (release) break;
    if (ts.isTryStatement(last)) {
      const first = last.finallyBlock?.statements[0];
      release = first && releaseStatementCall(first, names, acquisition);
      if (!release) return false;
    } else if (mayLeave(text, last.pos, last.end)) {
      return false;
    }
  }
  if (!release || mayAssign(text, statement.end, last!.end, name)) return false;
  const body = acquisition.fn.body;
  const sourceFile = statement.getSourceFile();
  for (const method of releaseMethodNames(acquisition)) {
    for (const call of callsOfMethod(sourceFile, method)) {
      if (call !== release && within(call, body) && isReleaseCall(call, names, acquisition)) return false;
    }
  }
  return true;
}

/** Words of code that can leave a statement other than by its end (or suspend it). */
const MAY_LEAVE = /\b(?:await|return|throw|break|continue|yield)\b/;

/** Whether `text` between `start` and `end` has one of the MAY_LEAVE words (comments and strings too). */
function mayLeave(text: string, start: number, end: number): boolean {
  return MAY_LEAVE.test(text.slice(start, end));
}

/** `x.release()` / `await pool.release(x)` as a whole statement, evaluating nothing that could leave first. */
function releaseStatementCall(statement: ts.Statement, names: ReadonlySet<string>, acquisition: Acquisition): ts.CallExpression | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  let expression = statement.expression;
  while (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression) || ts.isVoidExpression(expression)) expression = expression.expression;
  if (!ts.isCallExpression(expression) || !isReleaseCall(expression, names, acquisition)) return undefined;
  return mayLeave(statement.getSourceFile().text, expression.pos, expression.end) ? undefined : expression;
}

/**
 * Whether `text` between `start` and `end` may assign the variable `name` (`name = ...`,
 * `name ??= ...`, `(name as T) = ...`): any occurrence of the name followed by an assignment
 * operator, or by a cast, counts.
 */
function mayAssign(text: string, start: number, end: number, name: string): boolean {
  for (let at = text.indexOf(name, start); at >= 0 && at + name.length <= end; at = text.indexOf(name, at + name.length)) {
    if (IDENTIFIER_PART.test(text[at - 1] ?? '') || IDENTIFIER_PART.test(text[at + name.length] ?? '')) continue;
    const after = text.slice(at + name.length, Math.min(end, at + name.length + 16));
    if (ASSIGNED.test(after) || CAST.test(after)) return true;
  }
  return false;
}

const IDENTIFIER_PART = /[\w$]/;
const ASSIGNED = /^[\s)!]*(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?![=>])/;
const CAST = /^[\s)]*(as|satisfies)\b/;

/**
 * A function the callee's symbol would name: a function or method declaration, or a variable's
 * function initializer (not a property's arrow, not a function some call returns), as the types
 * fallback follows them.
 */
function isNamedFunction(fn: ts.FunctionLikeDeclaration): fn is FunctionWithBody {
  if (!isFunctionWithBody(fn) || fn.getSourceFile().isDeclarationFile) return false;
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return true;
  let holder: ts.Node = fn;
  while (isTransparent(holder.parent)) holder = holder.parent;
  return ts.isVariableDeclaration(holder.parent) && holder.parent.initializer === holder;
}

/** Whether `node` (nested functions included) releases the resource or calls a release function. */
export function containsRelease(node: ts.Node, names: ReadonlySet<string>, releaseFunctions: ReadonlySet<string>, acquisition: Acquisition): boolean {
  const sourceFile = node.getSourceFile();
  // Without release functions, only calls of the release methods can release.
  const candidates = releaseFunctions.size === 0 ? callsOfMethods(sourceFile, releaseMethodNames(acquisition)).filter((c) => within(c, node)) : callsWithin(node, sourceFile);
  for (const call of candidates) {
    if (isReleaseCall(call, names, acquisition)) return true;
    const callee = skipOuter(call.expression);
    if (ts.isIdentifier(callee) && releaseFunctions.has(callee.text)) return true;
    if (call.arguments.some((a) => ts.isIdentifier(a) && releaseFunctions.has(a.text))) return true;
  }
  return false;
}

/** A callback passed to a method of the resource itself, or of something it returned: `conn.query(sql, cb)`. */
function continuesResourceWork(fn: FunctionWithBody, names: ReadonlySet<string>): boolean {
  let argument: ts.Node = fn;
  while (ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(argument as ts.Expression)) return false;
  let receiver: ts.Expression = skipOuter(call.expression);
  while (ts.isPropertyAccessExpression(receiver) || ts.isCallExpression(receiver) || ts.isElementAccessExpression(receiver)) {
    receiver = skipOuter(receiver.expression);
  }
  return ts.isIdentifier(receiver) && names.has(receiver.text);
}

/**
 * What the condition evaluates to while the resource is held: `client`, `client != null` are
 * true; a callback's `err` is false (the pool handed out a resource, so there was no error).
 */
function truthWhileHeld(expression: ts.Expression, tracked: Tracked): boolean | undefined {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target)) {
    if (tracked.names.has(target.text)) return true;
    if (target.text === tracked.errorName) return false;
    return undefined;
  }
  if (ts.isPrefixUnaryExpression(target) && target.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = truthWhileHeld(target.operand, tracked);
    return inner === undefined ? undefined : !inner;
  }
  if (!ts.isBinaryExpression(target)) return undefined;
  const op = target.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
    const left = truthWhileHeld(target.left, tracked);
    const right = truthWhileHeld(target.right, tracked);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return left === false || right === false ? false : left === true && right === true ? true : undefined;
    return left === true || right === true ? true : left === false && right === false ? false : undefined;
  }
  const negated = op === ts.SyntaxKind.ExclamationEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  const equal = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken;
  if (!negated && !equal) return undefined;
  const strict = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken;
  const sides: [ts.Expression, ts.Expression][] = [[target.left, target.right], [target.right, target.left]];
  for (const [subject, other] of sides) {
    const s = skipOuter(subject);
    const subjectValue = typeofOperand(s) ?? s;
    if (!ts.isIdentifier(subjectValue) || !isNullish(skipOuter(other), s !== subjectValue)) continue;
    if (tracked.names.has(subjectValue.text)) return negated;
    // `err !== null` says nothing when pools pass `undefined` for no error; `err != null` does.
    if (subjectValue.text === tracked.errorName && !strict) return !negated;
  }
  return undefined;
}

function typeofOperand(expression: ts.Expression): ts.Expression | undefined {
  return ts.isTypeOfExpression(expression) ? skipOuter(expression.expression) : undefined;
}

function isNullish(expression: ts.Expression, typeofComparison: boolean): boolean {
  if (typeofComparison) return ts.isStringLiteral(expression) && expression.text === 'undefined';
  if (expression.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(expression) && expression.text === 'undefined') return true;
  return ts.isVoidExpression(expression);
}

function isTransparent(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

/** Whether `parent` passes the value of `child` on as (part of) its own value. */
function carriesValue(parent: ts.Node, child: ts.Node): boolean {
  if (isTransparent(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent) || ts.isObjectLiteralExpression(parent)) return true;
  if ((ts.isPropertyAssignment(parent) && parent.initializer === child) || ts.isShorthandPropertyAssignment(parent) || ts.isSpreadAssignment(parent)) {
    return ts.isObjectLiteralExpression(parent.parent);
  }
  if (ts.isConditionalExpression(parent)) return parent.condition !== child;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken) && (op !== ts.SyntaxKind.CommaToken || parent.right === child);
  }
  return false;
}


function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function containsNode(haystack: ts.Node, needle: ts.Node): boolean {
  return needle.pos >= haystack.pos && needle.end <= haystack.end && needle.getSourceFile() === haystack.getSourceFile();
}

/** The loop statement around the acquisition inside `fn`, for "acquires again" leaks. */
function loopAround(node: ts.Node, fn: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return current;
  }
  return undefined;
}
