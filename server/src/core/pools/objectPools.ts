import { ts } from 'ts-morph';
import { indexOf } from '../syntax/fileIndex';
import type { ValueInfo, ValueResolver } from '../syntax/values';
import type { TypeInfo } from '../typeInfo';
import { LIBRARY_POOLS, libraryPoolOfValue, type LibraryPoolKind } from './libraryPools';
import type { PoolFacts } from './poolFacts';
import type { CreatedPool, ElementOrigin, FreeList, UserPool } from './poolModel';

/** The object pool something came from or goes back to. */
export interface ObjectPoolRef {
  readonly kind: string;
  readonly userPool: UserPool | undefined;
  readonly freeList: FreeList | undefined;
  readonly created: CreatedPool | undefined;
}

/**
 * Whether returned objects can carry state to the next borrower: the pool is an object pool whose
 * code we can see (a class or free list in this file, a generic-pool/tarn pool created here) and
 * it does not clean objects itself on give-back or take.
 */
export function dirtyObjectsBleed(pool: ObjectPoolRef): boolean {
  if (pool.userPool) return !pool.userPool.resets;
  if (pool.freeList) return true;
  if ((pool.kind === 'generic-pool' || pool.kind === 'tarn') && pool.created) return !pool.created.resets;
  return false;
}

/**
 * What a fresh object of the pool is: from its class or factory, else from what syntax says the
 * object is, else (when syntax can't tell and types are allowed) from the object's type.
 */
export function elementOf(pool: ObjectPoolRef, object: ts.Expression | undefined, types: TypeInfo | undefined, values?: ValueResolver): ElementOrigin | undefined {
  const declared = pool.userPool?.element ?? pool.freeList?.element ?? pool.created?.element;
  if (declared || !object || !types) return declared;
  // A connection pool's resource is the package's connection or session type: never an element kind.
  if (pool.kind in LIBRARY_POOLS && LIBRARY_POOLS[pool.kind as LibraryPoolKind].connections) return undefined;
  const fromSyntax = values && !isAnnotated(object) ? elementFromValue(values.infoOf(object), object) : undefined;
  if (fromSyntax !== undefined) return fromSyntax ?? undefined;
  return elementFromType(object, types);
}

const BUILTIN_NAMES = new Set(['Map', 'Set', 'Buffer']);
const BUFFER_CREATIONS = /^Buffer\.(alloc|allocUnsafe|allocUnsafeSlow|from|concat)\(\)$/;

/**
 * The element kind syntax settles, exactly as `elementFromType` would judge the type: `null` when
 * it is settled that the type names none (a project class of another file, a package's pooled
 * client), `undefined` when syntax can't tell.
 */
function elementFromValue(info: ValueInfo, object: ts.Expression): ElementOrigin | null | undefined {
  switch (info.kind) {
    case 'instance':
    case 'class': {
      // (A class's own name could read as a built-in's to the type fallback: leave those to it.)
      const name = info.cls.name?.text;
      if (name && (BUILTIN_NAMES.has(name) || TYPED_ARRAY.test(name))) return undefined;
      return ts.isClassDeclaration(info.cls) && isProjectClass(info.cls) ? { kind: 'class', declaration: info.cls } : null;
    }
    case 'global': {
      const path = info.path;
      if (path === 'new Array') return { kind: 'array' };
      if (path === 'new Map') return { kind: 'map' };
      if (path === 'new Set') return { kind: 'set' };
      if (BUFFER_CREATIONS.test(path)) return { kind: 'buffer' };
      if (path.startsWith('new ') && TYPED_ARRAY.test(path.slice(4))) return { kind: 'typedArray' };
      if (path === 'new String' || path === 'new WeakMap' || path === 'new WeakSet') return null;
      return undefined;
    }
    case 'package':
      // What the pools of pool packages hand out: connections and sessions, never collections.
      return libraryPoolResource(info) ? null : undefined;
    case 'object':
    case 'function':
      return null;
    default:
      return undefined;
  }
}

/** A variable declared with a type: its type, not its initial value, is what the type fallback sees. */
function isAnnotated(object: ts.Expression): boolean {
  if (!ts.isIdentifier(object)) return false;
  const declaration = indexOf(object.getSourceFile()).declarations.lookup(object.text, object);
  return !!declaration && (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration)) && !!declaration.type;
}

/** `new Pool.connect()` from pg, `createPool().getConnection()` from mysql2, ...: a pool's connection or session. */
function libraryPoolResource(info: ValueInfo & { kind: 'package' }): boolean {
  const at = info.path.lastIndexOf('.');
  if (at < 0) return false;
  const method = info.path.slice(at + 1);
  const kind = libraryPoolOfValue({ ...info, path: info.path.slice(0, at) });
  return !!kind && LIBRARY_POOLS[kind].connections && method === `${LIBRARY_POOLS[kind].acquire}()`;
}

const TYPED_ARRAY = /^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array$/;

function elementFromType(object: ts.Expression, types: TypeInfo): ElementOrigin | undefined {
  const type = types.typeOf(object);
  if (!types.isKnown(type)) return undefined;
  if (types.checker.isArrayType(type)) return { kind: 'array' };
  const name = type.getSymbol()?.getName();
  if (name === 'Map') return { kind: 'map' };
  if (name === 'Set') return { kind: 'set' };
  if (name === 'Buffer') return { kind: 'buffer' };
  if (name && TYPED_ARRAY.test(name)) return { kind: 'typedArray' };
  const declaration = type.getSymbol()?.declarations?.[0];
  if (declaration && ts.isClassDeclaration(declaration) && isProjectClass(declaration)) return { kind: 'class', declaration };
  return undefined;
}

/** A class of this or another project file (a pool created in another module hands out its instances); never a package's. */
function isProjectClass(declaration: ts.ClassDeclaration): boolean {
  const file = declaration.getSourceFile();
  return !file.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(file.fileName);
}

/**
 * Whether a name used in an initial value (a class field initialiser, a factory) can be written at
 * `target` and mean the same: it names a module-level declaration that nothing shadows there.
 */
export function resolvesToModuleLevel(pools: PoolFacts, target: ts.Node): (name: ts.Identifier) => boolean {
  return (name) => {
    // A name in another file's initial value (a pool class of another module) may mean anything here.
    if (name.getSourceFile() !== target.getSourceFile()) return false;
    const declaration = pools.declarations.lookup(name.text, name);
    if (!declaration || pools.declarations.lookup(name.text, target) !== declaration) return false;
    const statement = ts.isVariableDeclaration(declaration) ? declaration.parent?.parent : declaration;
    return !!statement && ts.isSourceFile(statement.parent);
  };
}
