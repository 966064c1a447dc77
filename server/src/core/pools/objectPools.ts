import { ts } from 'ts-morph';
import type { TypeInfo } from '../typeInfo';
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

/** What a fresh object of the pool is: from its class or factory, else from the object's type. */
export function elementOf(pool: ObjectPoolRef, object: ts.Expression | undefined, types: TypeInfo | undefined): ElementOrigin | undefined {
  const declared = pool.userPool?.element ?? pool.freeList?.element ?? pool.created?.element;
  if (declared || !object || !types) return declared;
  return elementFromType(object, types);
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
  if (declaration && ts.isClassDeclaration(declaration) && declaration.getSourceFile() === object.getSourceFile()) return { kind: 'class', declaration };
  return undefined;
}

/**
 * Whether a name used in an initial value (a class field initialiser, a factory) can be written at
 * `target` and mean the same: it names a module-level declaration that nothing shadows there.
 */
export function resolvesToModuleLevel(pools: PoolFacts, target: ts.Node): (name: ts.Identifier) => boolean {
  return (name) => {
    const declaration = pools.declarations.lookup(name.text, name);
    if (!declaration || pools.declarations.lookup(name.text, target) !== declaration) return false;
    const statement = ts.isVariableDeclaration(declaration) ? declaration.parent?.parent : declaration;
    return !!statement && ts.isSourceFile(statement.parent);
  };
}
