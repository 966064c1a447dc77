// Long-lived state that outlives every request (RULES.md §2.4's store case and §2.5): module-level
// variables, imported bindings, static fields, and fields of singletons (a Nest provider or
// controller in the default scope, or a class instantiated once at module scope). For a
// collection held there: what kind it is, and every way the file uses it (grows, shrinks, checks
// its size, or hands it somewhere the analyser can't follow). Syntax only.
import { ts } from 'ts-morph';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import { isNestSingleton } from '../scopes/nestScopes';
import { indexOf } from '../syntax/fileIndex';

export type StateHolder =
  /** A variable declared at the top level of this file. */
  | 'module'
  /** A binding imported from another module (its declaration is elsewhere). */
  | 'imported'
  /** A static field of a class declared in this file. */
  | 'static'
  /** An instance field of a class whose one instance lives as long as the process. */
  | 'singleton';

export interface LongLivedState {
  readonly holder: StateHolder;
  /** What the state is called, for messages: `sessions`, `this.cache`, `Registry.items`. */
  readonly name: string;
  /** The variable, field or import binding: identifies the state (two references name the same state when this is the same). */
  readonly declaration: ts.Node;
  /** For fields: the class. */
  readonly cls?: ts.ClassLikeDeclaration;
  /** The field's name (fields only). */
  readonly field?: string;
}

export type CollectionKind = 'map' | 'set' | 'array' | 'object' | 'weak' | 'bounded' | 'unknown';

export interface Growth {
  /** The growing call or assignment. */
  readonly node: ts.CallExpression | ts.BinaryExpression;
  readonly method: 'set' | 'add' | 'push' | 'unshift' | 'index';
  /** The expression naming the store (`sessions`, `this.cache`). */
  readonly receiver: ts.Expression;
  readonly key?: ts.Expression;
  readonly value?: ts.Expression;
}

export interface StoreUses {
  readonly grows: Growth[];
  readonly shrinks: ts.Node[];
  /** `store.size >= MAX`, `arr.length > N`, `Object.keys(o).length < N`: a bound before insert. */
  readonly sizeChecks: ts.Node[];
  /** Uses the analyser can't follow: passed to a call, aliased, returned, exported. */
  readonly unknown: ts.Node[];
}

const GROW_METHODS = new Set(['set', 'add', 'push', 'unshift']);
const SHRINK_METHODS = new Set(['delete', 'clear', 'splice', 'shift', 'pop']);
const READ_METHODS = new Set([
  'get', 'has', 'forEach', 'keys', 'values', 'entries', 'includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'some', 'every', 'map', 'filter', 'reduce', 'reduceRight', 'slice', 'join', 'at', 'concat', 'flat', 'flatMap',
  'toString', 'sort', 'reverse', 'toSorted', 'toReversed', 'toJSON', 'hasOwnProperty',
]);
const READ_STATICS = /^(Object\.(keys|values|entries|freeze|isFrozen|getOwnPropertyNames|hasOwn)|Array\.(from|isArray)|JSON\.stringify|structuredClone)$/;
const BOUNDED_CLASSES = new Set(['LRUCache', 'LRU', 'QuickLRU', 'TTLCache', 'LRUMap']);
const BOUNDED_MODULES = new Set(['lru-cache', 'quick-lru', '@isaacs/ttlcache', 'tiny-lru', 'mnemonist', 'mnemonist/lru-cache', 'mnemonist/lru-map']);
const RELATIONAL = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
]);

const perFile = new WeakMap<ts.SourceFile, ModuleStores>();

/** The store facts of one file (shared by the rules that ask). */
export function moduleStoresOf(sourceFile: ts.SourceFile): ModuleStores {
  let stores = perFile.get(sourceFile);
  if (!stores) {
    stores = new ModuleStores(sourceFile);
    perFile.set(sourceFile, stores);
  }
  return stores;
}

export class ModuleStores {
  readonly #declarations: LocalDeclarations;
  readonly #imports: ImportTable;
  readonly #singletons = new Map<ts.ClassLikeDeclaration, boolean>();
  readonly #uses = new Map<ts.Node, StoreUses>();

  constructor(readonly sourceFile: ts.SourceFile) {
    const index = indexOf(sourceFile);
    this.#declarations = index.declarations;
    this.#imports = index.imports;
  }

  /** The long-lived state an expression names itself: `store`, `this.cache` in a singleton, `Cls.cache`, `instance.items`. */
  stateOf(expression: ts.Expression): LongLivedState | undefined {
    const target = skipOuter(expression);
    if (ts.isIdentifier(target)) return this.#variableState(target);
    if (ts.isPropertyAccessExpression(target)) return this.#fieldState(target);
    return undefined;
  }

  /**
   * The long-lived state an expression is part of: the state itself, or something reached from it
   * through property and element reads and `.get(...)` (`rooms.get(id)`, `state.current`, `this.byUser[id]`).
   */
  rootStateOf(expression: ts.Expression): LongLivedState | undefined {
    let current = skipOuter(expression);
    for (let depth = 0; depth < 8; depth++) {
      const state = this.stateOf(current);
      if (state) return state;
      if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuter(current.expression);
      else if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'get') current = skipOuter(current.expression.expression);
      else return undefined;
    }
    return undefined;
  }

  /** Whether two expressions name the same state. */
  sameState(a: LongLivedState, b: LongLivedState): boolean {
    return a.declaration === b.declaration;
  }

  /** What the state holds, from its initializer or declared type. */
  collectionKind(state: LongLivedState): CollectionKind {
    const declaration = state.declaration;
    if (!ts.isVariableDeclaration(declaration) && !ts.isPropertyDeclaration(declaration) && !ts.isParameter(declaration)) return 'unknown';
    const init = declaration.initializer && skipOuter(declaration.initializer);
    if (init) {
      if (ts.isArrayLiteralExpression(init)) return 'array';
      if (ts.isObjectLiteralExpression(init)) return init.properties.length === 0 ? 'object' : 'unknown';
      if (ts.isNewExpression(init) || ts.isCallExpression(init)) {
        const callee = skipOuter(init.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        const imported = ts.isIdentifier(callee) ? this.#imports.get(callee.text) : undefined;
        if (imported && BOUNDED_MODULES.has(imported.module)) return 'bounded';
        if (name && BOUNDED_CLASSES.has(name)) return 'bounded';
        if (imported) return 'unknown';
        if (ts.isNewExpression(init) && ts.isIdentifier(callee) && !this.#declarations.lookup(callee.text, callee)) {
          if (callee.text === 'Map') return 'map';
          if (callee.text === 'Set') return 'set';
          if (callee.text === 'Array') return 'array';
          if (callee.text === 'WeakMap' || callee.text === 'WeakSet' || callee.text === 'WeakRef') return 'weak';
        }
        if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'create') {
          return init.arguments[0]?.kind === ts.SyntaxKind.NullKeyword ? 'object' : 'unknown';
        }
      }
      return 'unknown';
    }
    const type = declaration.type;
    if (!type) return 'unknown';
    if (ts.isArrayTypeNode(type)) return 'array';
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const name = type.typeName.text;
      if (name === 'Map') return 'map';
      if (name === 'Set') return 'set';
      if (name === 'Array') return 'array';
      if (name === 'Record') return 'object';
    }
    return 'unknown';
  }

  /**
   * Whether code outside this file may reach the state: an exported variable (or one re-exported
   * through `module.exports`), an imported binding, a field that is not `private` / `#` of an
   * exported class or of an exported instance.
   */
  isReachableFromOtherFiles(state: LongLivedState): boolean {
    if (state.holder === 'imported') return true;
    const exported = new Set(indexOf(this.sourceFile).exports.values());
    if (state.holder === 'module') {
      const declaration = state.declaration as ts.VariableDeclaration;
      if (exported.has(declaration) || exported.has(declaration.name)) return true;
      const statement = declaration.parent?.parent;
      return !!statement && ts.isVariableStatement(statement) && !!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    }
    const field = state.declaration as ts.PropertyDeclaration | ts.ParameterDeclaration;
    if (ts.isPrivateIdentifier(field.name)) return false;
    if (hasModifier(field, ts.SyntaxKind.PrivateKeyword) || hasModifier(field, ts.SyntaxKind.ProtectedKeyword)) return false;
    const cls = state.cls!;
    if (hasModifier(cls, ts.SyntaxKind.ExportKeyword)) return true;
    if (exported.has(cls) || (cls.name && exported.has(cls.name))) return true;
    for (const instance of this.#moduleInstances(cls)) if (exported.has(instance) || exported.has(instance.name) || isExportedStatement(instance)) return true;
    return false;
  }

  /** Every use of the state in this file, classified (computed once per state). */
  usesOf(state: LongLivedState): StoreUses {
    let uses = this.#uses.get(state.declaration);
    if (!uses) {
      uses = { grows: [], shrinks: [], sizeChecks: [], unknown: [] };
      for (const reference of this.#referencesOf(state)) classify(reference, uses);
      this.#uses.set(state.declaration, uses);
    }
    return uses;
  }

  /** Expressions in the file that name the state (not its declaration). */
  #referencesOf(state: LongLivedState): ts.Expression[] {
    const out: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && state.holder === 'module' && !state.field) {
        const name = (state.declaration as ts.VariableDeclaration).name as ts.Identifier;
        if (node !== name && node.text === name.text && isReference(node) && this.#declarations.lookup(node.text, node) === state.declaration) out.push(node);
      } else if (ts.isPropertyAccessExpression(node) && state.field && node.name.text === state.field) {
        const found = this.#fieldState(node);
        if (found && found.declaration === state.declaration) out.push(node);
      } else if (ts.isIdentifier(node) && state.holder === 'imported' && node.text === state.name && isReference(node) && !this.#declarations.lookup(node.text, node)) {
        out.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.sourceFile);
    return out;
  }

  #variableState(identifier: ts.Identifier): LongLivedState | undefined {
    const declaration = this.#declarations.lookup(identifier.text, identifier);
    if (declaration) {
      if (!ts.isVariableDeclaration(declaration) || !isTopLevel(declaration)) return undefined;
      // A module-level class instance or function is not itself a collection of request data.
      return { holder: 'module', name: identifier.text, declaration };
    }
    // An imported lower-case binding (`sessions`, `bus`): state of another module. Classes and
    // namespaces (`EventEmitter`, `Sentry`) are not themselves request stores.
    if (this.#imports.get(identifier.text) && !/^[A-Z]/.test(identifier.text)) {
      return { holder: 'imported', name: identifier.text, declaration: importKey(identifier.text, this.sourceFile) };
    }
    return undefined;
  }

  #fieldState(access: ts.PropertyAccessExpression): LongLivedState | undefined {
    const owner = skipOuter(access.expression);
    const fieldName = access.name.text;
    if (owner.kind === ts.SyntaxKind.ThisKeyword) {
      const member = thisMember(owner);
      if (!member) return undefined;
      const cls = member.parent as ts.ClassLikeDeclaration;
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      const field = fieldOf(cls, fieldName, isStatic);
      if (!field) return undefined;
      if (isStatic) return { holder: 'static', name: `${cls.name?.text ?? 'this'}.${fieldName}`, declaration: field, cls, field: fieldName };
      if (!this.#isSingleton(cls)) return undefined;
      return { holder: 'singleton', name: `this.${fieldName}`, declaration: field, cls, field: fieldName };
    }
    if (!ts.isIdentifier(owner)) return undefined;
    const declaration = this.#declarations.lookup(owner.text, owner);
    if (!declaration) return undefined;
    if (ts.isClassDeclaration(declaration)) {
      const field = fieldOf(declaration, fieldName, true);
      return field ? { holder: 'static', name: `${owner.text}.${fieldName}`, declaration: field, cls: declaration, field: fieldName } : undefined;
    }
    // `registry.items` where `registry` is the module-level instance of a class declared here.
    if (ts.isVariableDeclaration(declaration) && isTopLevel(declaration) && declaration.initializer) {
      const init = skipOuter(declaration.initializer);
      if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression)) return undefined;
      const cls = this.#declarations.lookup(init.expression.text, init.expression);
      if (!cls || !ts.isClassDeclaration(cls) || !this.#isSingleton(cls)) return undefined;
      const field = fieldOf(cls, fieldName, false);
      return field ? { holder: 'singleton', name: `${owner.text}.${fieldName}`, declaration: field, cls, field: fieldName } : undefined;
    }
    return undefined;
  }

  /** A Nest provider/controller in the default scope, or a class whose only instances are created at module scope. */
  #isSingleton(cls: ts.ClassLikeDeclaration): boolean {
    let known = this.#singletons.get(cls);
    if (known === undefined) {
      known = isNestSingleton(cls, this.#imports) || this.#onlyModuleInstances(cls);
      this.#singletons.set(cls, known);
    }
    return known;
  }

  #onlyModuleInstances(cls: ts.ClassLikeDeclaration): boolean {
    if (!cls.name) return false;
    const name = cls.name.text;
    let atModule = 0;
    let elsewhere = 0;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
        if (isModuleLevelExpression(node)) atModule++;
        else elsewhere++;
      }
      ts.forEachChild(node, visit);
    };
    visit(this.sourceFile);
    return atModule > 0 && elsewhere === 0;
  }

  #moduleInstances(cls: ts.ClassLikeDeclaration): ts.VariableDeclaration[] {
    const out: ts.VariableDeclaration[] = [];
    for (const statement of this.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuter(declaration.initializer);
        if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === cls.name?.text) out.push(declaration);
      }
    }
    return out;
  }
}

function importKey(name: string, sourceFile: ts.SourceFile): ts.Node {
  // The import specifier that binds the name identifies the imported state.
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    if (clause.name?.text === name) return clause.name;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (element.name.text === name) return element;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
  }
  return sourceFile;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

function isExportedStatement(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent?.parent;
  return !!statement && ts.isVariableStatement(statement) && !!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isTopLevel(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  return !!list && ts.isVariableDeclarationList(list) && ts.isVariableStatement(list.parent) && ts.isSourceFile(list.parent.parent);
}

/** Not inside any function (class field initialisers of a module-level class count as module level too). */
function isModuleLevelExpression(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (ts.isSourceFile(current)) return true;
  }
  return true;
}

/** The class member whose `this` a `this` keyword is (arrow functions see through). */
function thisMember(node: ts.Node): ts.ClassElement | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current)) continue;
    if (ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current) || ts.isPropertyDeclaration(current)) {
      return ts.isClassLike(current.parent) ? current : undefined;
    }
    if (ts.isFunctionLike(current) || ts.isClassLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** A field of the class: a property declaration, or (instance fields) a constructor parameter property (`constructor(private bus: Bus)`). */
function fieldOf(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): ts.PropertyDeclaration | ts.ParameterDeclaration | undefined {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member)) {
      const memberName = ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name) ? member.name.text : undefined;
      if (memberName === name && hasModifier(member, ts.SyntaxKind.StaticKeyword) === isStatic) return member;
    } else if (!isStatic && ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.isParameterPropertyDeclaration(parameter, member)) return parameter;
      }
    }
  }
  return undefined;
}

function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isBindingElement(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  return true;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function outer(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent)) current = current.parent;
  return current;
}

/** A key that names one fixed entry (`'config'`, `0`, an enum-like constant): no growth from it. */
function isFixedKey(key: ts.Expression | undefined): boolean {
  if (!key) return false;
  const target = skipOuter(key);
  return ts.isStringLiteralLike(target) || ts.isNumericLiteral(target) || (ts.isIdentifier(target) && /^[A-Z][A-Z0-9_]*$/.test(target.text));
}

function classify(reference: ts.Expression, out: StoreUses): void {
  const node = outer(reference);
  const parent = node.parent;
  // `store = ...`, `store ??= ...`: reassignment shrinks (or replaces) it.
  if (ts.isBinaryExpression(parent) && parent.left === node && isAssignmentOperator(parent.operatorToken.kind)) {
    out.shrinks.push(parent);
    return;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    const name = parent.name.text;
    const grand = outer(parent).parent;
    if (ts.isCallExpression(grand) && grand.expression === outer(parent)) {
      if (GROW_METHODS.has(name)) {
        const key = name === 'set' ? grand.arguments[0] : undefined;
        const value = name === 'set' ? grand.arguments[1] : grand.arguments[0];
        if ((name === 'set' || name === 'add') && isFixedKey(name === 'set' ? key : value)) return;
        out.grows.push({ node: grand, method: name as Growth['method'], receiver: reference, key, value });
      } else if (SHRINK_METHODS.has(name)) out.shrinks.push(grand);
      else if (!READ_METHODS.has(name)) out.unknown.push(grand);
      return;
    }
    if (name === 'length' || name === 'size') {
      if (ts.isBinaryExpression(grand) && grand.left === outer(parent) && isAssignmentOperator(grand.operatorToken.kind)) out.shrinks.push(grand);
      else if (ts.isBinaryExpression(grand) && RELATIONAL.has(grand.operatorToken.kind)) out.sizeChecks.push(grand);
      return;
    }
    // `store.key = v` names one fixed entry; `delete store.key` shrinks.
    if (ts.isDeleteExpression(grand)) out.shrinks.push(grand);
    return;
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === node) {
    const grand = outer(parent).parent;
    if (ts.isDeleteExpression(grand)) {
      out.shrinks.push(grand);
      return;
    }
    if (ts.isBinaryExpression(grand) && grand.left === outer(parent) && isAssignmentOperator(grand.operatorToken.kind)) {
      const kind = grand.operatorToken.kind;
      const assigns = kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
      if (assigns && !isFixedKey(parent.argumentExpression)) out.grows.push({ node: grand, method: 'index', receiver: reference, key: parent.argumentExpression, value: grand.right });
    }
    return;
  }
  // `Object.keys(store).length > MAX`, `Object.keys(store)`, `JSON.stringify(store)`.
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = skipOuter(parent.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && READ_STATICS.test(`${callee.expression.text}.${callee.name.text}`)) {
      const after = outer(parent).parent;
      if (ts.isPropertyAccessExpression(after) && after.name.text === 'length' && ts.isBinaryExpression(outer(after).parent) && RELATIONAL.has((outer(after).parent as ts.BinaryExpression).operatorToken.kind)) {
        out.sizeChecks.push(outer(after).parent);
      }
      return;
    }
    out.unknown.push(parent);
    return;
  }
  if (ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isSpreadElement(parent) || ts.isIfStatement(parent) || ts.isPrefixUnaryExpression(parent) || ts.isTypeOfExpression(parent) || ts.isConditionalExpression(parent) && parent.condition === node) return;
  if (ts.isBinaryExpression(parent) && !isAssignmentOperator(parent.operatorToken.kind)) return;
  if (ts.isExpressionStatement(parent)) return;
  // Shown in an object literal (`({ hits, served })` for a debug endpoint): read for inspection.
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node) || ts.isTemplateSpan(parent)) return;
  out.unknown.push(parent);
}
