import { ts } from 'ts-morph';
import { enclosingFunction, isFunctionWithBody, type FunctionWithBody } from '../flow';
import { LocalDeclarations, skipOuter } from '../scopes/appKinds';
import { packageOfFile, type TypeInfo } from '../typeInfo';
import { listDeclaration } from './freeLists';
import { callsOfMethods } from './methodCalls';
import { LIBRARY_ACQUIRE_METHODS, LIBRARY_POOLS, libraryPoolFromTypes, type LibraryPoolKind } from './libraryPools';
import type { PoolOrigin, PoolOrigins, SyntaxVerdict } from './poolOrigins';
import type { Acquisition, CreatedPool, FreeList, GiveBack, Holder, PoolKind, ReleaseStyle, UserPool } from './poolModel';
import { GIVE_BACK_METHODS, TAKE_METHODS } from './userPools';

/** Every method whose calls can acquire or give back: the only calls the scan looks at. */
const SCANNED_METHODS: ReadonlySet<string> = new Set([...LIBRARY_ACQUIRE_METHODS, 'release', 'destroy', ...TAKE_METHODS, ...GIVE_BACK_METHODS]);
const SCANNED_METHODS_WITH_FREE_LISTS: ReadonlySet<string> = new Set([...SCANNED_METHODS, 'pop', 'shift', 'push', 'unshift']);

/** Methods an untyped `pool`-named receiver may acquire with; the library is then unknown. */
const GUESSED_ACQUIRE_METHODS = new Set(['connect', 'getConnection', 'acquire']);

export interface AcquisitionScan {
  acquisitions: Acquisition[];
  giveBacks: GiveBack[];
}

interface PoolMatch {
  kind: PoolKind;
  userPool?: UserPool;
  freeList?: FreeList;
  created?: CreatedPool;
}

/**
 * Every acquisition (a call handing out a pooled resource) and every give-back to an object pool
 * in the file. Syntax decides first (what created the pool, what the receiver is annotated with);
 * the type checker is asked only about calls of an acquiring method on a receiver the syntax
 * could not place; a receiver whose types did not resolve is judged by its name.
 */
export class AcquisitionFinder {
  readonly #freeListsByDeclaration = new Map<ts.Node, FreeList>();

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly declarations: LocalDeclarations,
    private readonly origins: PoolOrigins,
    freeLists: readonly FreeList[],
    private readonly types: TypeInfo,
    private readonly mayUseTypes: boolean,
  ) {
    for (const list of freeLists) this.#freeListsByDeclaration.set(list.declaration, list);
  }

  run(): AcquisitionScan {
    const scan: AcquisitionScan = { acquisitions: [], giveBacks: [] };
    const methods = this.#freeListsByDeclaration.size > 0 ? SCANNED_METHODS_WITH_FREE_LISTS : SCANNED_METHODS;
    for (const call of callsOfMethods(this.sourceFile, methods)) this.#visitCall(call, scan);
    return scan;
  }

  #visitCall(call: ts.CallExpression, scan: AcquisitionScan): void {
    const callee = skipOuter(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || ts.isPrivateIdentifier(callee.name)) return;
    const method = callee.name.text;
    const receiver = callee.expression;

    if (this.#freeListsByDeclaration.size > 0 && /^(pop|shift|push|unshift)$/.test(method)) {
      const list = listDeclaration(receiver, this.declarations);
      const freeList = list && this.#freeListsByDeclaration.get(list.declaration);
      if (freeList) {
        if ((method === 'pop' || method === 'shift') && call.arguments.length === 0) {
          this.#addAcquisition(call, receiver, { kind: 'free-list', freeList }, { kind: 'push', list: freeList.name }, scan);
        } else if (call.arguments.length === 1 && ts.isIdentifier(skipOuter(call.arguments[0]))) {
          scan.giveBacks.push({ call, object: skipOuter(call.arguments[0]), kind: 'free-list', userPool: undefined, freeList, created: undefined, discards: false });
        }
        return;
      }
    }

    const isGiveBackToLibrary = (method === 'release' || method === 'destroy') && call.arguments.length === 1;
    const isLibraryMethod = LIBRARY_ACQUIRE_METHODS.has(method) || isGiveBackToLibrary;
    // Pool classes of this file match any call of their methods; classes of other project files
    // are looked up through types, only for calls shaped like a take (no argument) or a give-back
    // (one argument), so the checker is not asked about every `map.get(key)`.
    const isUserPoolMethod =
      (this.origins.hasUserPools && (TAKE_METHODS.has(method) || GIVE_BACK_METHODS.has(method))) ||
      (this.mayUseTypes && ((TAKE_METHODS.has(method) && call.arguments.length === 0) || (GIVE_BACK_METHODS.has(method) && call.arguments.length === 1)));
    if (!isLibraryMethod && !isUserPoolMethod) return;
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) return;

    // The file's own syntax first, then syntax across the project's files; the type checker only
    // for what neither can tell.
    const local = this.origins.originOf(receiver);
    const syntax = local ? undefined : this.origins.fromValues(receiver);
    const origin = local ?? fromVerdict(syntax, isUserPoolMethod) ?? (syntax?.user === undefined ? this.#userPoolFromTypes(receiver, isUserPoolMethod) : undefined);
    if (origin?.kind === 'user') {
      this.#userPoolCall(call, receiver, method, origin.pool, scan);
      return;
    }
    if (origin?.kind === 'library') {
      this.#libraryCall(call, receiver, method, origin.library, origin.created, scan);
      return;
    }
    if (syntax?.library === null) return;
    if (isGiveBackToLibrary) {
      this.#typedObjectPoolGiveBack(call, receiver, method, scan);
      return;
    }
    if (!LIBRARY_ACQUIRE_METHODS.has(method)) return;
    const fromTypes = this.mayUseTypes ? libraryPoolFromTypes(call, this.types) : undefined;
    if (fromTypes) {
      this.#libraryCall(call, receiver, method, fromTypes, undefined, scan);
      return;
    }
    if (fromTypes === undefined && this.#looksLikeUntypedPool(call, receiver, method)) {
      this.#addAcquisition(call, receiver, { kind: 'unknown' }, { kind: 'any' }, scan);
    }
  }

  #userPoolFromTypes(receiver: ts.Expression, isUserPoolMethod: boolean): PoolOrigin | undefined {
    if (!isUserPoolMethod || !this.mayUseTypes) return undefined;
    const pool = this.origins.userPoolFromTypes(receiver);
    return pool ? { kind: 'user', pool } : undefined;
  }

  #userPoolCall(call: ts.CallExpression, receiver: ts.Expression, method: string, pool: UserPool, scan: AcquisitionScan): void {
    const takes = pool.takeMethods.map((m) => (m.name as ts.Identifier).text);
    const gives = pool.giveBackMethods.map((m) => (m.name as ts.Identifier).text);
    if (takes.includes(method)) {
      const returnsPromise = pool.giveBackMethods.some((m) => !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword));
      this.#addAcquisition(call, receiver, { kind: 'user-pool', userPool: pool }, { kind: 'poolMethod', names: gives, returnsPromise, discarding: [] }, scan);
    } else if (gives.includes(method) && call.arguments.length === 1) {
      scan.giveBacks.push({ call, object: skipOuter(call.arguments[0]), kind: 'user-pool', userPool: pool, freeList: undefined, created: undefined, discards: false });
    }
  }

  #libraryCall(call: ts.CallExpression, receiver: ts.Expression, method: string, kind: LibraryPoolKind, created: CreatedPool | undefined, scan: AcquisitionScan): void {
    const api = LIBRARY_POOLS[kind];
    if (method === api.acquire) {
      this.#addAcquisition(call, receiver, { kind, created }, api.release, scan);
      return;
    }
    if (api.release.kind === 'poolMethod' && api.release.names.includes(method) && call.arguments.length === 1) {
      scan.giveBacks.push({
        call,
        object: skipOuter(call.arguments[0]),
        kind,
        userPool: undefined,
        freeList: undefined,
        created,
        discards: api.release.discarding.includes(method),
      });
    }
  }

  /** `pool.release(x)` on a generic-pool or tarn pool known only from types. */
  #typedObjectPoolGiveBack(call: ts.CallExpression, receiver: ts.Expression, method: string, scan: AcquisitionScan): void {
    if (!this.mayUseTypes || call.arguments.length !== 1) return;
    const symbol = this.types.symbolOf((skipOuter(call.expression) as ts.PropertyAccessExpression).name);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const pkg = file && packageOfFile(file);
    if (pkg !== 'generic-pool' && pkg !== 'tarn') return;
    this.#libraryCall(call, receiver, method, pkg, undefined, scan);
  }

  /**
   * Without types: `pool.connect()`, `this.pool.getConnection()`, `db.acquire()` whose result is
   * released somewhere in the function — the receiver's name or the release says it is pooled.
   */
  #looksLikeUntypedPool(call: ts.CallExpression, receiver: ts.Expression, method: string): boolean {
    if (!GUESSED_ACQUIRE_METHODS.has(method)) return false;
    if (call.arguments.some((a) => !isFunctionWithBody(skipOuter(a)))) return false;
    const name = lastName(receiver);
    if (name && /pool/i.test(name)) return true;
    const { holder } = holderOf(call);
    const fn = enclosingFunction(call);
    return holder.kind === 'variable' && !!fn && callsMethodOn(fn, holder.identifier.text, 'release');
  }

  #addAcquisition(call: ts.CallExpression, pool: ts.Expression, match: PoolMatch, release: ReleaseStyle, scan: AcquisitionScan): void {
    const fn = enclosingFunction(call);
    if (!fn) return;
    const { holder, value } = holderOf(call);
    if (match.kind === 'free-list' && holder.kind !== 'variable') return;
    const connections = match.kind !== 'user-pool' && match.kind !== 'free-list';
    const reusableObject = match.kind === 'user-pool' || match.kind === 'free-list' || match.kind === 'generic-pool' || match.kind === 'tarn';
    scan.acquisitions.push({
      call,
      kind: match.kind,
      pool,
      userPool: match.userPool,
      freeList: match.freeList,
      created: match.created,
      value,
      holder,
      fn,
      release,
      connections,
      reusableObject,
    });
  }
}

/** A pool syntax found across files; pool classes of other files count for take- or give-back-shaped calls only. */
function fromVerdict(verdict: SyntaxVerdict | undefined, isUserPoolMethod: boolean): PoolOrigin | undefined {
  if (verdict?.user && isUserPoolMethod) return { kind: 'user', pool: verdict.user };
  if (verdict?.library) return { kind: 'library', library: verdict.library, created: verdict.created };
  return undefined;
}

/**
 * Where the resource goes right after the acquiring call, and the whole expression whose value it
 * is: through `await`, tarn's `.promise`, `.catch(...)`, a free list's `?? create()` fallback.
 */
export function holderOf(call: ts.CallExpression): { holder: Holder; value: ts.Expression } {
  for (const argument of call.arguments) {
    const callback = skipOuter(argument);
    if (isFunctionWithBody(callback)) return { holder: callbackHolder(callback, 1), value: call };
  }

  let value: ts.Expression = call;
  for (;;) {
    const parent: ts.Node = value.parent;
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
      value = parent;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && parent.name.text === 'promise') {
      value = parent;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && parent.name.text === 'catch' && ts.isCallExpression(parent.parent)) {
      value = parent.parent;
    } else if (ts.isBinaryExpression(parent) && parent.left === value && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      value = parent;
    } else if (ts.isConditionalExpression(parent) && parent.whenTrue === value) {
      value = parent;
    } else {
      break;
    }
  }
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value) {
    if (!ts.isIdentifier(parent.name)) return { holder: { kind: 'handedOn' }, value };
    // tarn's pending operation kept in a variable (`const pending = pool.acquire()`, later
    // `conn = await pending.promise`): the resource is whatever `.promise` gives, which is not
    // followed, so it is not judged.
    if (value === call && readsPromiseOf(parent.name)) return { holder: { kind: 'handedOn' }, value };
    const statement = parent.parent?.parent;
    return { holder: { kind: 'variable', identifier: parent.name, declaration: parent, statement: statement && ts.isVariableStatement(statement) ? statement : undefined }, value };
  }
  if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) {
    const statement = ts.isExpressionStatement(parent.parent) ? parent.parent : undefined;
    return { holder: { kind: 'variable', identifier: parent.left, declaration: undefined, statement }, value };
  }
  if (ts.isExpressionStatement(parent)) return { holder: { kind: 'discarded', statement: parent }, value };
  // `pool.connect().then((client) => ...)`
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value && parent.name.text === 'then' && ts.isCallExpression(parent.parent)) {
    const onFulfilled = parent.parent.arguments[0] && skipOuter(parent.parent.arguments[0]);
    if (onFulfilled && isFunctionWithBody(onFulfilled)) return { holder: callbackHolder(onFulfilled, 0), value };
  }
  return { holder: { kind: 'handedOn' }, value };
}

/** `name.promise` somewhere in the function that declares `name`. */
function readsPromiseOf(name: ts.Identifier): boolean {
  let scope: ts.Node = name;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const visit = (node: ts.Node): boolean =>
    (ts.isPropertyAccessExpression(node) && node.name.text === 'promise' && ts.isIdentifier(node.expression) && node.expression.text === name.text) || (ts.forEachChild(node, visit) ?? false);
  return visit(scope);
}

/** `(err, client, done) => ...` (resource at 1) or `(client) => ...` (resource at 0). */
function callbackHolder(fn: FunctionWithBody, resourceIndex: number): Holder {
  const resource = fn.parameters[resourceIndex];
  if (!resource || !ts.isIdentifier(resource.name)) return { kind: 'handedOn' };
  const error = resourceIndex === 1 && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name : undefined;
  const release = resourceIndex === 1 ? fn.parameters[2] : undefined;
  return {
    kind: 'callback',
    fn,
    resource: resource.name,
    error,
    releaseFunction: release && ts.isIdentifier(release.name) ? release.name : undefined,
  };
}

function lastName(expression: ts.Expression): string | undefined {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  return undefined;
}

/** Whether `fn` (nested functions included) calls `name.method(...)`. */
export function callsMethodOn(fn: ts.Node, name: string, method: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === method && ts.isIdentifier(skipOuter(callee.expression)) && (skipOuter(callee.expression) as ts.Identifier).text === name) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}
