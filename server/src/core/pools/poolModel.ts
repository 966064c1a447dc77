import type { ts } from 'ts-morph';
import type { FunctionWithBody } from '../flow';
import type { LibraryPoolKind } from './libraryPools';

// The plain facts pool rules reason about. Recognisers (libraryPools, userPools, freeLists,
// acquisitions) produce them; rules never look for pools themselves.

export type PoolKind =
  | LibraryPoolKind
  /** A class declared in this file that hands out and takes back objects (RULES.md §3). */
  | 'user-pool'
  /** A module-level or field array used as a stack of spare objects. */
  | 'free-list'
  /** Looks like a pool (`pool.connect()` on an untyped `pool`) but the library is unknown. */
  | 'unknown';

/** How a resource is given back. */
export type ReleaseStyle =
  /** A method of the resource itself: `client.release()`, `session.endSession()`. */
  | { kind: 'method'; names: readonly string[] }
  /** A method of the pool taking the resource: `pool.release(x)`; `discarding` methods drop it instead. */
  | { kind: 'poolMethod'; names: readonly string[]; returnsPromise: boolean; discarding: readonly string[] }
  /** Pushed back onto the free list it came from. */
  | { kind: 'push'; list: string }
  /** Unknown library: any of the usual forms counts. */
  | { kind: 'any' };

/** What a fresh pooled object is, when the pool's factory or class shows it. */
export type ElementOrigin =
  | { kind: 'class'; declaration: ts.ClassLikeDeclaration }
  | { kind: 'object'; literal: ts.ObjectLiteralExpression }
  | { kind: 'array' }
  | { kind: 'map' }
  | { kind: 'set' }
  | { kind: 'buffer' }
  | { kind: 'typedArray' };

export interface UserPool {
  readonly declaration: ts.ClassDeclaration;
  /** The collection field spare objects are kept in. */
  readonly field: string;
  readonly takeMethods: readonly ts.MethodDeclaration[];
  readonly giveBackMethods: readonly ts.MethodDeclaration[];
  readonly element: ElementOrigin | undefined;
  /** The pool cleans objects itself, on give-back or on take. */
  readonly resets: boolean;
}

export interface FreeList {
  /** How code names the list: `free`, or `this.free` inside its class. */
  readonly name: string;
  readonly declaration: ts.Node;
  /** The class whose field it is; undefined for a module-level list. */
  readonly ownerClass: ts.ClassLikeDeclaration | undefined;
  readonly element: ElementOrigin | undefined;
}

/** A library pool created in this file (`genericPool.createPool(factory)`), with its factory when visible. */
export interface CreatedPool {
  readonly kind: LibraryPoolKind;
  readonly expression: ts.Expression;
  /** The variable or field it is stored in, when it is. */
  readonly name: string | undefined;
  readonly factory: ts.ObjectLiteralExpression | undefined;
  readonly element: ElementOrigin | undefined;
  /** The factory's `reset` or `validate` hook cleans objects. */
  readonly resets: boolean;
}

/** Where the acquired resource goes right after the acquiring call. */
export type Holder =
  /** `const x = await pool.connect()` or `x = await pool.connect()`. */
  | {
      kind: 'variable';
      identifier: ts.Identifier;
      /** The declaration, for `const`/`let` forms. */
      declaration: ts.VariableDeclaration | undefined;
      /** The statement holding the acquisition. */
      statement: ts.Statement | undefined;
    }
  /** `pool.connect((err, client, done) => ...)`, `pool.connect().then((client) => ...)`. */
  | { kind: 'callback'; fn: FunctionWithBody; resource: ts.Identifier; error: ts.Identifier | undefined; releaseFunction: ts.Identifier | undefined }
  /** `await pool.connect();` on its own: the resource is dropped at once. */
  | { kind: 'discarded'; statement: ts.ExpressionStatement }
  /** Returned, stored or passed on at once: the caller owns it. */
  | { kind: 'handedOn' };

export interface Acquisition {
  /** The acquiring call: the anchor of `pool-resource-leak`. */
  readonly call: ts.CallExpression;
  readonly kind: PoolKind;
  /** The pool expression (the call's receiver; the array for a free list). */
  readonly pool: ts.Expression;
  readonly userPool: UserPool | undefined;
  readonly freeList: FreeList | undefined;
  readonly created: CreatedPool | undefined;
  /** The whole expression whose value is the resource: `await pool.connect()`, `free.pop() ?? alloc()`. */
  readonly value: ts.Expression;
  readonly holder: Holder;
  /** The function the acquisition runs in. */
  readonly fn: FunctionWithBody;
  readonly release: ReleaseStyle;
  /** Connections (exhausting the pool hangs requests) rather than reusable objects. */
  readonly connections: boolean;
  /** Objects whose state can bleed from one borrower to the next (`pooled-object-not-reset`). */
  readonly reusableObject: boolean;
}

/** A call giving an object back to an object pool: `pool.release(x)`, `free.push(x)`. */
export interface GiveBack {
  readonly call: ts.CallExpression;
  /** The object given back (the argument). */
  readonly object: ts.Expression;
  readonly kind: PoolKind;
  readonly userPool: UserPool | undefined;
  readonly freeList: FreeList | undefined;
  readonly created: CreatedPool | undefined;
  /** `destroy(x)`: the object is dropped, not reused. */
  readonly discards: boolean;
}
