import { ts } from 'ts-morph';
import { isFunctionWithBody } from '../flow';
import { LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import type { ValueInfo, ValueResolver } from '../syntax/values';
import type { TypeInfo } from '../typeInfo';
import { elementOrigin, lazyClasses, returnedExpression, type ClassLookup } from './elements';
import { indexOf } from '../syntax/fileIndex';
import { annotatedLibraryPool, createdLibraryPool, isPoolModule, libraryPoolOfValue, skipAwait, type LibraryPoolKind } from './libraryPools';
import { resetsObject } from './objectEffects';
import type { CreatedPool, UserPool } from './poolModel';
import { userPoolOf } from './userPools';

/** What a pool expression holds, as far as the file shows. */
export type PoolOrigin = { kind: 'library'; library: LibraryPoolKind; created: CreatedPool | undefined } | { kind: 'user'; pool: UserPool };

/**
 * What syntax says a receiver is, per kind of pool: the pool, `null` when syntax settles that it is
 * not one (a package value, a built-in, an instance of a project class that is no pool), or
 * `undefined` when syntax can't tell and the type checker has to.
 */
export interface SyntaxVerdict {
  readonly user: UserPool | null | undefined;
  readonly library: LibraryPoolKind | null | undefined;
  /** The library pool's creation with its factory, when it is written in a project file (another module's `export const pool = createPool(factory)`). */
  readonly created?: CreatedPool;
}

const UNDECIDED: SyntaxVerdict = { user: undefined, library: undefined };

/**
 * Follows a pool expression (`pool`, `this.pool`, a parameter) back to what created it or to its
 * declared type, without the type checker: `new Pool()` from pg, `genericPool.createPool(...)`,
 * `new BufferPool()` of a pool class in this file, a `pool: Pool` annotation.
 */
export class PoolOrigins {
  readonly #created = new Map<ts.Node, CreatedPool>();
  readonly #userPoolsByName = new Map<string, UserPool>();

  constructor(
    private readonly imports: ImportTable,
    private readonly declarations: LocalDeclarations,
    private readonly types: TypeInfo,
    userPools: readonly UserPool[],
    createdPools: readonly CreatedPool[],
    private readonly values: ValueResolver | undefined,
  ) {
    for (const pool of userPools) if (pool.declaration.name) this.#userPoolsByName.set(pool.declaration.name.text, pool);
    for (const created of createdPools) this.#created.set(created.expression, created);
  }

  get hasUserPools(): boolean {
    return this.#userPoolsByName.size > 0;
  }

  originOf(expression: ts.Expression, depth = 0): PoolOrigin | undefined {
    if (depth > 4) return undefined;
    const target = skipAwait(expression);
    if (ts.isIdentifier(target)) {
      const declaration = this.declarations.lookup(target.text, target);
      if (!declaration) return undefined;
      if (ts.isVariableDeclaration(declaration)) {
        return (declaration.initializer && this.#fromValue(declaration.initializer, depth)) ?? this.#fromType(declaration.type);
      }
      if (ts.isParameter(declaration)) return this.#fromType(declaration.type);
      return undefined;
    }
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
      return this.#fromField(target, depth);
    }
    return this.#fromValue(target, depth);
  }

  /**
   * From syntax across the project's files (`syntax/values.ts`), for a pool expression the file
   * alone could not place: `import { pool } from './db'` where db.ts exports `new Pool()` from pg,
   * an instance of a pool class declared in another project file.
   */
  fromValues(expression: ts.Expression): SyntaxVerdict {
    if (!this.values) return UNDECIDED;
    return this.verdictOf(this.values.infoOf(expression));
  }

  verdictOf(info: ValueInfo): SyntaxVerdict {
    switch (info.kind) {
      case 'unknown':
        return UNDECIDED;
      case 'instance': {
        // A class that extends another may inherit a library pool's methods: types decide those.
        const library = info.cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword) ? undefined : null;
        return { user: this.#projectPool(info.cls) ?? null, library };
      }
      case 'package': {
        // Imported classes are never user-defined pools.
        const library = libraryPoolOfValue(info);
        const created = library && info.factory ? projectCreation(info.factory, library) : undefined;
        return created ? { user: null, library, created } : { user: null, library };
      }
      default:
        // Built-ins, object literals, functions and classes themselves are neither.
        return { user: null, library: null };
    }
  }

  /** A pool class of this file or of another project file (never a declaration file's). */
  #projectPool(declaration: ts.ClassLikeDeclaration): UserPool | undefined {
    if (!ts.isClassDeclaration(declaration) || !declaration.name) return undefined;
    const file = declaration.getSourceFile();
    if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return undefined;
    return userPoolOf(declaration);
  }

  /**
   * From types, for a pool expression the syntax could not place: an instance of a pool class
   * declared in this file or in another file of the project (`import { calculators } from
   * './priceCalculator'`). Classes from packages and declaration files never count.
   */
  userPoolFromTypes(expression: ts.Expression): UserPool | undefined {
    const type = this.types.typeOf(expression);
    if (!this.types.isKnown(type)) return undefined;
    const declaration = type.getSymbol()?.declarations?.[0];
    if (!declaration || !ts.isClassDeclaration(declaration) || !declaration.name) return undefined;
    return this.#projectPool(declaration);
  }

  #fromValue(value: ts.Expression, depth: number): PoolOrigin | undefined {
    const target = skipAwait(value);
    const created = this.#created.get(target) ?? this.#created.get(innerCreation(target));
    if (created) return { kind: 'library', library: created.kind, created };
    const library = createdLibraryPool(target, this.imports);
    if (library) return { kind: 'library', library, created: undefined };
    if (ts.isNewExpression(target) && ts.isIdentifier(target.expression)) {
      const pool = this.#userPoolsByName.get(target.expression.text);
      return pool ? { kind: 'user', pool } : undefined;
    }
    if (ts.isIdentifier(target) || (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword)) {
      return this.originOf(target, depth + 1);
    }
    return undefined;
  }

  #fromType(type: ts.TypeNode | undefined): PoolOrigin | undefined {
    if (!type) return undefined;
    const library = annotatedLibraryPool(type, this.imports);
    if (library) return { kind: 'library', library, created: undefined };
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const pool = this.#userPoolsByName.get(type.typeName.text);
      if (pool) return { kind: 'user', pool };
    }
    return undefined;
  }

  /** `this.pool`: its field declaration, a constructor parameter property, or a constructor assignment. */
  #fromField(access: ts.PropertyAccessExpression, depth: number): PoolOrigin | undefined {
    const owner = ts.findAncestor(access, ts.isClassLike);
    if (!owner) return undefined;
    const field = access.name.text;
    for (const member of owner.members) {
      if (ts.isPropertyDeclaration(member) && member.name && member.name.getText() === field) {
        const found = (member.initializer && this.#fromValue(member.initializer, depth + 1)) ?? this.#fromType(member.type);
        if (found) return found;
      }
    }
    const constructor = owner.members.find(ts.isConstructorDeclaration);
    if (!constructor) return undefined;
    for (const parameter of constructor.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === field && ts.getModifiers(parameter)?.length) {
        const found = this.#fromType(parameter.type);
        if (found) return found;
      }
    }
    for (const statement of constructor.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword || left.name.text !== field) continue;
      const value = skipOuter(right);
      if (ts.isIdentifier(value)) {
        const parameter = constructor.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === value.text);
        if (parameter) return this.#fromType(parameter.type);
      }
      const found = this.#fromValue(right, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

// One CreatedPool per creation, whichever file asks (a pool module is imported by many).
const projectCreations = new WeakMap<ts.Node, CreatedPool | null>();

/**
 * The object pool (generic-pool, tarn) a project file creates, from the factory argument that
 * `syntax/values.ts` remembered: `createPool(factory)`, `new Pool(config)`. Never a package's.
 */
function projectCreation(factory: ts.Expression, kind: LibraryPoolKind): CreatedPool | undefined {
  if (kind !== 'generic-pool' && kind !== 'tarn') return undefined;
  const creation = factory.parent;
  if (!creation || !(ts.isCallExpression(creation) || ts.isNewExpression(creation)) || creation.arguments?.[0] !== factory) return undefined;
  let created = projectCreations.get(creation);
  if (created === undefined) {
    const file = creation.getSourceFile();
    created = file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName) ? null : createdPool(creation, kind, indexOf(file).declarations, lazyClasses(file));
    projectCreations.set(creation, created);
  }
  return created ?? undefined;
}

/** `mysql.createPool(...).promise()` -> `mysql.createPool(...)`. */
function innerCreation(expression: ts.Expression): ts.Expression {
  if (ts.isCallExpression(expression)) {
    const callee = skipOuter(expression.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'promise') return skipOuter(callee.expression);
  }
  return expression;
}

/**
 * Library pools created in this file, with the factory of object pools (generic-pool, tarn) when
 * it is written here: what they hold and whether a `reset`/`validate` hook cleans returned objects.
 */
export function findCreatedPools(
  sourceFile: ts.SourceFile,
  imports: ImportTable,
  declarations: LocalDeclarations,
  classes: ClassLookup,
): CreatedPool[] {
  const out: CreatedPool[] = [];
  // Every creation is named by an import of a pool package: without one, no walk.
  if (![...imports.modules].some(isPoolModule)) return out;
  const visit = (node: ts.Node): void => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && !isWrapperOfCreation(node, imports)) {
      const kind = createdLibraryPool(node, imports);
      if (kind) out.push(createdPool(node, kind, declarations, classes));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** `createPool(...).promise()`, `new MongoClient(url).connect()`: the inner call is the creation. */
function isWrapperOfCreation(node: ts.Node, imports: ImportTable): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuter(node.expression);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'promise' || callee.name.text === 'connect') && !!createdLibraryPool(callee.expression, imports);
}

function createdPool(expression: ts.NewExpression | ts.CallExpression, kind: LibraryPoolKind, declarations: LocalDeclarations, classes: ClassLookup): CreatedPool {
  let holder: ts.Node = expression;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAwaitExpression(holder.parent) || ts.isAsExpression(holder.parent)) holder = holder.parent;
  const parent = holder.parent;
  let name: string | undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) name = parent.name.text;
  else if (ts.isPropertyDeclaration(parent) && parent.name) name = `this.${parent.name.getText()}`;
  else if (ts.isBinaryExpression(parent) && parent.right === holder) name = parent.left.getText();

  let factory: ts.ObjectLiteralExpression | undefined;
  if (kind === 'generic-pool' || kind === 'tarn') {
    const first = expression.arguments?.[0];
    const value = first && skipOuter(first);
    if (value && ts.isObjectLiteralExpression(value)) factory = value;
    else if (value && ts.isIdentifier(value)) {
      const declaration = declarations.lookup(value.text, value);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isObjectLiteralExpression(skipOuter(declaration.initializer))) {
        factory = skipOuter(declaration.initializer) as ts.ObjectLiteralExpression;
      }
    }
  }
  const create = factory && factoryFunction(factory, 'create');
  const element = create ? elementOrigin(returnedExpression(create), classes) : undefined;
  const resets = !!factory && ['reset', 'validate'].some((hook) => {
    const fn = factoryFunction(factory!, hook);
    const parameter = fn?.parameters[0];
    if (!fn || !parameter) return hook === 'reset' && !!fn;
    return ts.isIdentifier(parameter.name) && resetsObject(fn.body, parameter.name.text);
  });
  return { kind, expression, name, factory, element, resets };
}

function factoryFunction(factory: ts.ObjectLiteralExpression, name: string): (ts.FunctionLikeDeclaration & { body: ts.ConciseBody }) | undefined {
  for (const property of factory.properties) {
    if (!property.name || property.name.getText() !== name) continue;
    if (ts.isMethodDeclaration(property) && property.body) return property as ts.MethodDeclaration & { body: ts.Block };
    if (ts.isPropertyAssignment(property)) {
      const value = skipOuter(property.initializer);
      if (isFunctionWithBody(value)) return value;
    }
  }
  return undefined;
}
