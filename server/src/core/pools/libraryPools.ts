import { ts } from 'ts-morph';
import { importOf, importOfEntityName, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import { packageOfFile, type TypeInfo } from '../typeInfo';
import type { ValueInfo } from '../syntax/values';
import type { ReleaseStyle } from './poolModel';

/** Connection and object pools from packages, by the package that provides them (RULES.md §3). */
export type LibraryPoolKind = 'pg' | 'mysql' | 'mariadb' | 'generic-pool' | 'tarn' | 'mongodb';

export interface LibraryPoolApi {
  readonly kind: LibraryPoolKind;
  /** The method that hands out a resource. */
  readonly acquire: string;
  readonly release: ReleaseStyle;
  /** Connections (exhausting the pool hangs requests) rather than plain objects. */
  readonly connections: boolean;
}

export const LIBRARY_POOLS: Readonly<Record<LibraryPoolKind, LibraryPoolApi>> = {
  pg: { kind: 'pg', acquire: 'connect', release: { kind: 'method', names: ['release'] }, connections: true },
  // mysql2 and mariadb pool connections may also be destroyed, which gives their slot back.
  mysql: { kind: 'mysql', acquire: 'getConnection', release: { kind: 'method', names: ['release', 'destroy'] }, connections: true },
  mariadb: { kind: 'mariadb', acquire: 'getConnection', release: { kind: 'method', names: ['release', 'end', 'destroy'] }, connections: true },
  'generic-pool': {
    kind: 'generic-pool',
    acquire: 'acquire',
    release: { kind: 'poolMethod', names: ['release', 'destroy'], returnsPromise: true, discarding: ['destroy'] },
    connections: false,
  },
  tarn: {
    kind: 'tarn',
    acquire: 'acquire',
    release: { kind: 'poolMethod', names: ['release'], returnsPromise: false, discarding: [] },
    connections: false,
  },
  mongodb: { kind: 'mongodb', acquire: 'startSession', release: { kind: 'method', names: ['endSession'] }, connections: true },
};

/** Method names that may acquire from some library pool: the cheap first filter. */
export const LIBRARY_ACQUIRE_METHODS = new Set(Object.values(LIBRARY_POOLS).map((api) => api.acquire));

/** The package a module specifier belongs to, as far as pools go. */
function poolModuleKind(module: string): LibraryPoolKind | undefined {
  if (module === 'pg' || module === 'pg-pool') return 'pg';
  if (module === 'mysql2' || module === 'mysql2/promise' || module === 'mysql' || module === 'promise-mysql') return 'mysql';
  if (module === 'mariadb' || module === 'mariadb/callback') return 'mariadb';
  if (module === 'generic-pool') return 'generic-pool';
  if (module === 'tarn') return 'tarn';
  if (module === 'mongodb') return 'mongodb';
  return undefined;
}

/** Whether a module specifier names a pool package. */
export function isPoolModule(module: string): boolean {
  return poolModuleKind(module) !== undefined;
}

/**
 * What a value named by syntax (`syntax/values.ts`) is as a library pool: its kind, `null` when the
 * package is a pool package and the value is plainly something else (pg's `new Client`, a pooled
 * client), `undefined` when syntax can't tell (other packages: a wrapper may hand out a real pool).
 * The paths are those `ValueResolver` builds from the import: `new Pool`, `createPool()`, ...
 */
export function libraryPoolOfValue(info: ValueInfo & { kind: 'package' }): LibraryPoolKind | null | undefined {
  const kind = poolModuleKind(info.module);
  if (!kind) return undefined;
  const path = info.path;
  switch (kind) {
    case 'pg':
      // `new Pool()` from pg, the default export of pg-pool.
      if (path === 'new Pool' || (info.module === 'pg-pool' && path === 'new ')) return kind;
      return /^new (Client|Pool\.connect\(\))$/.test(path) ? null : undefined;
    case 'mysql':
      return /^createPool(Cluster)?\(\)(\.promise\(\))?(\.of\(\))?$/.test(path) ? kind : undefined;
    case 'mariadb':
      return /^createPool(Cluster)?\(\)(\.of\(\))?$/.test(path) ? kind : undefined;
    case 'generic-pool':
      return path === 'createPool()' || path === 'new Pool' ? kind : undefined;
    case 'tarn':
      return path === 'new Pool' ? kind : undefined;
    case 'mongodb':
      return /^(new MongoClient|(new )?MongoClient\.connect\(\))$/.test(path) ? kind : undefined;
  }
}

/**
 * The library pool an expression *creates*, judged from the call shape and imports alone:
 * `new Pool()` from pg, `mysql.createPool()` (and its `.promise()`), `mariadb.createPool()`,
 * `genericPool.createPool()`, `new tarn.Pool()`, `new MongoClient()` / `MongoClient.connect()`.
 */
export function createdLibraryPool(expression: ts.Expression, imports: ImportTable): LibraryPoolKind | undefined {
  const target = skipAwait(expression);
  if (ts.isNewExpression(target)) {
    const created = importOf(imports, target.expression);
    if (!created) return undefined;
    const kind = poolModuleKind(created.module);
    if ((kind === 'pg' || kind === 'tarn') && (created.name === 'Pool' || (created.module === 'pg-pool' && created.name === 'default'))) return kind;
    if (kind === 'mongodb' && created.name === 'MongoClient') return kind;
    return undefined;
  }
  if (!ts.isCallExpression(target)) return undefined;
  const callee = skipOuter(target.expression);
  // `mysql.createPool(...).promise()`
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'promise' && target.arguments.length === 0) {
    const inner = createdLibraryPool(callee.expression, imports);
    return inner === 'mysql' ? inner : undefined;
  }
  const called = importOf(imports, callee);
  if (called) {
    const kind = poolModuleKind(called.module);
    if ((kind === 'mysql' || kind === 'mariadb') && /^createPool(Cluster)?$/.test(called.name)) return kind;
    if (kind === 'generic-pool' && called.name === 'createPool') return kind;
  }
  // `MongoClient.connect(url)` from mongodb, and `new MongoClient(url).connect()`.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'connect') {
    const receiver = importOf(imports, callee.expression);
    if (receiver && poolModuleKind(receiver.module) === 'mongodb' && receiver.name === 'MongoClient') return 'mongodb';
    if (createdLibraryPool(callee.expression, imports) === 'mongodb') return 'mongodb';
  }
  return undefined;
}

/** The library pool a type annotation names: `Pool` from pg, `Pool` from mysql2/promise, ... */
export function annotatedLibraryPool(type: ts.TypeNode | undefined, imports: ImportTable): LibraryPoolKind | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const named = importOfEntityName(imports, type.typeName);
  if (!named) return undefined;
  const kind = poolModuleKind(named.module);
  if (!kind) return undefined;
  if (kind === 'mongodb') return named.name === 'MongoClient' ? kind : undefined;
  return /^Pool(Cluster|Namespace)?$/.test(named.name) ? kind : undefined;
}

/**
 * From types: the library pool whose acquiring method `call` calls, judged by where the method is
 * declared (pg's `Pool#connect`, not `Client#connect`). `null` when the types resolved to
 * something that is not a pool; `undefined` when they did not resolve.
 */
export function libraryPoolFromTypes(call: ts.CallExpression, types: TypeInfo): LibraryPoolKind | null | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiverType = types.typeOf(callee.expression);
  if (!types.isKnown(receiverType)) return undefined;
  const symbol = types.symbolOf(callee.name);
  const declaration = symbol?.declarations?.[0];
  if (!declaration) return null;
  const pkg = packageOfFile(declaration.getSourceFile().fileName);
  const kind = pkg ? poolModuleKind(pkg) : undefined;
  if (!kind || LIBRARY_POOLS[kind].acquire !== callee.name.text) return null;
  const owner = declaration.parent;
  const ownerName = owner && (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) ? owner.name?.text : undefined;
  if (kind === 'pg' && ownerName !== 'Pool') return null;
  if (kind === 'mongodb' && ownerName !== 'MongoClient') return null;
  return kind;
}

/** `await x` and `x!`/`(x)`/`x as T` -> `x`. */
export function skipAwait(expression: ts.Expression): ts.Expression {
  let current = skipOuter(expression);
  while (ts.isAwaitExpression(current)) current = skipOuter(current.expression);
  return current;
}
