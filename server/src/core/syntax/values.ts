import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { ImportBinding } from '../scopes/imports';
import { indexOf } from './fileIndex';

/**
 * What the syntax alone says a value is, following local declarations, imports and the
 * project's own files. Rules ask this before the type checker: a question answered here never
 * builds a program, and a scan whose questions are all answered here never binds a file.
 */
export type ValueInfo =
  /**
   * Something from a package (or a global), named by a path from the import: `Pool` (the class),
   * `new Pool` (an instance), `new Pool.connect()` (what calling `connect` on one gives — `await`
   * is transparent), `createPool().acquire()`.
   */
  | { kind: 'package'; module: string; path: string; factory?: ts.Expression }
  /** A built-in: `Math.min`, `new Map`, `new Array` (array literals), `fetch`. */
  | { kind: 'global'; path: string }
  /** A function or method declared in the project. */
  | { kind: 'function'; fn: ts.FunctionLikeDeclaration }
  /** A class declared in the project, and an instance of one. */
  | { kind: 'class'; cls: ts.ClassLikeDeclaration }
  | { kind: 'instance'; cls: ts.ClassLikeDeclaration }
  /** An object literal (`module.exports = { send }`, a config object). */
  | { kind: 'object'; object: ts.ObjectLiteralExpression }
  | { kind: 'unknown' };

const UNKNOWN: ValueInfo = { kind: 'unknown' };
/** Each hop (identifier, import, member, call) counts; chains in real code stay well below this. */
const MAX_DEPTH = 24;

/** Names a module-less script can use without declaring them. */
const GLOBALS = new Set([
  'Math', 'JSON', 'Number', 'String', 'Boolean', 'Object', 'Array', 'Date', 'Promise', 'Reflect', 'Symbol', 'BigInt', 'RegExp', 'Error',
  'TypeError', 'RangeError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal',
  'console', 'process', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
  'queueMicrotask', 'structuredClone', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent',
  'encodeURI', 'decodeURI', 'Request', 'Response', 'Headers', 'FormData', 'Blob', 'TextEncoder', 'TextDecoder', 'crypto',
  'Uint8Array', 'Int32Array', 'Float64Array', 'ArrayBuffer', 'DataView', 'globalThis', 'performance',
]);

/** How the resolver reaches other files of the project. */
export interface ProjectFiles {
  /** The file a relative module specifier names, parsed; undefined for packages or missing files. */
  resolveRelative(fromFile: string, specifier: string): ts.SourceFile | undefined;
}

export class ValueResolver {
  readonly #cache = new Map<ts.Node, ValueInfo>();
  readonly #imported = new Map<ImportBinding, ValueInfo>();

  constructor(private readonly files: ProjectFiles) {}

  /** What `expression` is, as far as syntax tells. */
  infoOf(expression: ts.Expression, depth = 0): ValueInfo {
    const target = skipOuter(expression);
    const cached = this.#cache.get(target);
    if (cached) return cached;
    if (depth > MAX_DEPTH) return UNKNOWN;
    this.#cache.set(target, UNKNOWN); // cycles resolve to unknown
    const info = this.#compute(target, depth);
    this.#cache.set(target, info);
    return info;
  }

  #compute(expression: ts.Expression, depth: number): ValueInfo {
    if (ts.isAwaitExpression(expression)) return this.infoOf(expression.expression, depth + 1);
    if (ts.isIdentifier(expression)) return this.#identifier(expression, depth);
    if (expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(expression);
      return cls ? { kind: 'instance', cls } : UNKNOWN;
    }
    if (ts.isPropertyAccessExpression(expression)) return this.#member(this.infoOf(expression.expression, depth + 1), expression.name.text, depth);
    if (ts.isNewExpression(expression)) {
      const callee = this.infoOf(expression.expression, depth + 1);
      if (callee.kind === 'class') return { kind: 'instance', cls: callee.cls };
      if (callee.kind === 'package') {
        // tarn's `new Pool(config)` remembers its config (the factory), as `createPool(factory)` does.
        const factory = callee.module === 'tarn' && callee.path === 'Pool' ? expression.arguments?.[0] : undefined;
        return { kind: 'package', module: callee.module, path: `new ${callee.path}`, ...(factory ? { factory } : {}) };
      }
      if (callee.kind === 'global') return { kind: 'global', path: `new ${callee.path}` };
      return UNKNOWN;
    }
    if (ts.isCallExpression(expression)) {
      const callee = this.infoOf(expression.expression, depth + 1);
      if (callee.kind === 'package') return this.#packageCall(callee, expression, depth);
      if (callee.kind === 'global') return { kind: 'global', path: `${callee.path}()` };
      if (callee.kind === 'function') {
        const returned = singleReturnedExpression(callee.fn);
        return returned ? this.infoOf(returned, depth + 1) : UNKNOWN;
      }
      return UNKNOWN;
    }
    if (isFunctionLike(expression)) return { kind: 'function', fn: expression };
    if (ts.isArrayLiteralExpression(expression)) return { kind: 'global', path: 'new Array' };
    if (ts.isObjectLiteralExpression(expression)) return { kind: 'object', object: expression };
    if (ts.isStringLiteralLike(expression) || ts.isTemplateExpression(expression)) return { kind: 'global', path: 'new String' };
    if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expression.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      // `free.pop() ?? new Item()`: the fallback names what the value is (the left is usually an
      // element taken from a collection, which syntax can't see into).
      const right = this.infoOf(expression.right, depth + 1);
      return right.kind !== 'unknown' ? right : this.infoOf(expression.left, depth + 1);
    }
    if (ts.isClassExpression(expression)) return { kind: 'class', cls: expression };
    return UNKNOWN;
  }

  #identifier(identifier: ts.Identifier, depth: number): ValueInfo {
    const sourceFile = identifier.getSourceFile();
    const index = indexOf(sourceFile);
    const declaration = index.declarations.lookup(identifier.text, identifier);
    const binding = index.imports.get(identifier.text);
    // A module-level `const x = require('y')` is both a declaration and an import: the import says more.
    if (declaration && !(binding && declaration.parent?.parent?.parent === sourceFile)) return this.#declaration(declaration, depth);
    if (binding) {
      if (binding.module.startsWith('.')) {
        // Every use of an imported name resolves the same export: once per analysis.
        let info = this.#imported.get(binding);
        if (!info) {
          info = this.#projectExport(sourceFile.fileName, binding.module, binding.name, depth);
          this.#imported.set(binding, info);
        }
        return info;
      }
      return { kind: 'package', module: binding.module, path: binding.name === 'default' || binding.name === '*' ? '' : binding.name };
    }
    return GLOBALS.has(identifier.text) ? { kind: 'global', path: identifier.text } : UNKNOWN;
  }

  #declaration(declaration: ts.Declaration, depth: number): ValueInfo {
    if (ts.isFunctionDeclaration(declaration)) return declaration.body ? { kind: 'function', fn: declaration } : UNKNOWN;
    if (ts.isClassDeclaration(declaration)) return { kind: 'class', cls: declaration };
    if (ts.isVariableDeclaration(declaration)) {
      // `let`/`var` may be reassigned; only their initial value is known, which is still what
      // they hold in the common `let x = ...; use(x)` shape. Destructuring is not followed.
      return declaration.initializer ? this.infoOf(declaration.initializer, depth + 1) : UNKNOWN;
    }
    return UNKNOWN;
  }

  #projectExport(fromFile: string, specifier: string, name: string, depth: number): ValueInfo {
    const file = this.files.resolveRelative(fromFile, specifier);
    if (!file) return UNKNOWN;
    const exported = indexOf(file).exports.get(name === '*' ? '*' : name) ?? (name === 'default' ? indexOf(file).exports.get('*') : undefined);
    if (!exported) return UNKNOWN;
    if (ts.isIdentifier(exported)) return this.infoOf(exported, depth + 1);
    if (ts.isFunctionDeclaration(exported) || ts.isClassDeclaration(exported) || ts.isVariableDeclaration(exported)) return this.#declaration(exported, depth + 1);
    if (ts.isMethodDeclaration(exported)) return { kind: 'function', fn: exported };
    return ts.isExpression(exported) ? this.infoOf(exported, depth + 1) : UNKNOWN;
  }

  /** `createPool(factory)` remembers its factory so that what `acquire()` gives can be named. */
  #packageCall(callee: ValueInfo & { kind: 'package' }, call: ts.CallExpression, depth: number): ValueInfo {
    const path = `${callee.path}()`;
    if (callee.module === 'generic-pool' && /^createPool\(\)$/.test(path)) {
      return { kind: 'package', module: callee.module, path, factory: call.arguments[0] };
    }
    if (callee.module === 'generic-pool' && /^createPool\(\)\.acquire\(\)$/.test(path) && callee.factory) {
      const factory = skipOuter(callee.factory);
      const create = ts.isObjectLiteralExpression(factory) ? propertyValue(factory, 'create') : undefined;
      const created = create && isFunctionLike(create) ? singleReturnedExpression(create) : undefined;
      if (created) return this.infoOf(created, depth + 1);
    }
    return { kind: 'package', module: callee.module, path };
  }

  /**
   * A field typed with a class of the project (`private readonly sessions: SessionRegistry`)
   * holds an instance of it: what a DI container or the constructor puts there.
   */
  #instanceOfType(type: ts.TypeNode, depth: number): ValueInfo {
    if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeArguments) return UNKNOWN;
    const named = this.infoOf(type.typeName, depth + 1);
    return named.kind === 'class' ? { kind: 'instance', cls: named.cls } : UNKNOWN;
  }

  #member(object: ValueInfo, name: string, depth: number): ValueInfo {
    switch (object.kind) {
      case 'package':
        return { kind: 'package', module: object.module, path: object.path ? `${object.path}.${name}` : name, factory: object.factory };
      case 'global':
        return { kind: 'global', path: `${object.path}.${name}` };
      case 'instance': {
        const member = classMember(object.cls, name, false);
        if (!member) {
          const injected = parameterProperty(object.cls, name);
          return injected?.type ? this.#instanceOfType(injected.type, depth) : UNKNOWN;
        }
        if (ts.isMethodDeclaration(member) && member.body) return { kind: 'function', fn: member };
        if (ts.isPropertyDeclaration(member) && member.initializer) return this.infoOf(member.initializer, depth + 1);
        if (ts.isPropertyDeclaration(member) && member.type) {
          const builtin = builtinOfType(member.type);
          return builtin.kind !== 'unknown' ? builtin : this.#instanceOfType(member.type, depth);
        }
        return UNKNOWN;
      }
      case 'object': {
        const value = propertyValue(object.object, name);
        if (!value) return UNKNOWN;
        if (ts.isMethodDeclaration(value)) return value.body ? { kind: 'function', fn: value } : UNKNOWN;
        return this.infoOf(value, depth + 1);
      }
      case 'class': {
        const member = classMember(object.cls, name, true);
        if (member && ts.isMethodDeclaration(member) && member.body) return { kind: 'function', fn: member };
        if (member && ts.isPropertyDeclaration(member) && member.initializer) return this.infoOf(member.initializer, depth + 1);
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }
}

/** Facts about calling a value, from syntax: does it return a promise, can it take a signal? */
export interface CallFacts {
  promise: boolean;
  /** False when no signature of the callee can take an AbortSignal. */
  acceptsSignal: boolean;
}

/**
 * What is remembered about one file's functions. Facts depend only on the function's own file,
 * whose nodes never change (new text is a new SourceFile), so they are kept per file.
 */
interface FileMemo {
  facts: Map<ts.FunctionLikeDeclaration, CallFacts | null>;
  accepts: Map<ts.FunctionLikeDeclaration, boolean>;
  /** Top-level declarations by name (types, classes), built on first need. */
  types?: Map<string, ts.Statement[]>;
}

const memos = new WeakMap<ts.SourceFile, FileMemo>();

function memoOf(sourceFile: ts.SourceFile): FileMemo {
  let memo = memos.get(sourceFile);
  if (!memo) {
    memo = { facts: new Map(), accepts: new Map() };
    memos.set(sourceFile, memo);
  }
  return memo;
}

/** What a project function's declaration says about calling it (undefined: it doesn't say). */
export function functionCallFacts(fn: ts.FunctionLikeDeclaration): CallFacts | undefined {
  const memo = memoOf(fn.getSourceFile()).facts;
  let facts = memo.get(fn);
  if (facts === undefined) {
    facts = computeFunctionCallFacts(fn) ?? null;
    memo.set(fn, facts);
  }
  return facts ?? undefined;
}

/**
 * Whether some way of calling a project function could take an AbortSignal: a parameter named or
 * typed for one, one whose type syntax can't see into, or one typed by its context. False only
 * when no parameter can carry a signal; known even when `functionCallFacts` can't say more.
 */
export function functionAcceptsSignal(fn: ts.FunctionLikeDeclaration): boolean {
  const sourceFile = fn.getSourceFile();
  const memo = memoOf(sourceFile).accepts;
  let accepts = memo.get(fn);
  if (accepts === undefined) {
    accepts = signatureAcceptsSignal(fn, sourceFile);
    // Callers see an overloaded function's overloads, not its implementation.
    if (!accepts) for (const overload of overloadsOf(fn)) if ((accepts = signatureAcceptsSignal(overload, sourceFile))) break;
    memo.set(fn, accepts);
  }
  return accepts;
}

function signatureAcceptsSignal(fn: ts.SignatureDeclaration, sourceFile: ts.SourceFile): boolean {
  for (const parameter of fn.parameters) if (mayCarrySignal(parameter, sourceFile)) return true;
  return false;
}

/** Type names that can't be thenable: what a reference to anything else is, only types can say. */
function isBuiltinTypeName(name: string): boolean {
  return /^(string|number|boolean|void|undefined|null|never|Date|RegExp|Error|Buffer|Array|ReadonlyArray|Map|Set|Record|URL|Uint8Array)$/.test(name);
}

function computeFunctionCallFacts(fn: ts.FunctionLikeDeclaration): CallFacts | undefined {
  const acceptsSignal = functionAcceptsSignal(fn);
  if (fn.asteriskToken) return { promise: false, acceptsSignal };
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return { promise: true, acceptsSignal };
  if (fn.type) {
    // `Promise<T>` is a promise; a type that merely mentions one (`Promise<T> | void`,
    // `Promise<T>[]`, an alias) is for the type checker to judge; anything else is not.
    const type = fn.type;
    if (ts.isTypeReferenceNode(type) && /^(Promise|PromiseLike)$/.test(type.typeName.getText())) return { promise: true, acceptsSignal };
    if (/Promise|Thenable|Awaitable/.test(type.getText())) return undefined;
    if (ts.isTypeReferenceNode(type) && !isBuiltinTypeName(type.typeName.getText())) return undefined;
    return { promise: false, acceptsSignal };
  }
  // No annotation: a body that returns nothing, or only literals and plain values, is not a promise.
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return isPlainValue(fn.body) ? { promise: false, acceptsSignal } : undefined;
  let returnsSomething = false;
  let unclear = false;
  const visit = (node: ts.Node): void => {
    if (unclear || isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      returnsSomething = true;
      if (!isPlainValue(node.expression)) unclear = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  if (unclear) return undefined;
  void returnsSomething;
  return { promise: false, acceptsSignal };
}

/** The overload signatures of a function: the bodiless declarations right before its implementation. */
function overloadsOf(fn: ts.FunctionLikeDeclaration): ts.FunctionDeclaration[] {
  if (!ts.isFunctionDeclaration(fn) || !fn.name || !fn.body) return [];
  const container = fn.parent;
  if (!ts.isSourceFile(container) && !ts.isBlock(container) && !ts.isModuleBlock(container)) return [];
  const statements = container.statements;
  const name = fn.name.text;
  const overloads: ts.FunctionDeclaration[] = [];
  for (let i = statements.indexOf(fn) - 1; i >= 0; i--) {
    const previous = statements[i];
    if (!ts.isFunctionDeclaration(previous) || previous.body || previous.name?.text !== name) break;
    overloads.push(previous);
  }
  return overloads;
}

/** The file's top-level type declarations (and classes) named `name`. */
function topLevelTypes(sourceFile: ts.SourceFile, name: string): ts.Statement[] | undefined {
  const memo = memoOf(sourceFile);
  if (!memo.types) {
    memo.types = new Map();
    for (const statement of sourceFile.statements) {
      if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement) && !ts.isClassDeclaration(statement) && !ts.isEnumDeclaration(statement)) continue;
      const declared = statement.name?.text;
      if (!declared) continue;
      const list = memo.types.get(declared);
      if (list) list.push(statement);
      else memo.types.set(declared, [statement]);
    }
  }
  return memo.types.get(name);
}

/** The source text of a node, leading comments included (cheaper than `getText`, and only ever searched). */
function textOf(node: ts.Node, sourceFile: ts.SourceFile): string {
  return sourceFile.text.substring(node.pos, node.end);
}

function nameText(name: ts.PropertyName | ts.BindingName, sourceFile: ts.SourceFile): string {
  return ts.isIdentifier(name) ? name.text : textOf(name, sourceFile);
}

/** Names of parameters that usually hold an options object. */
const OPTIONS_NAME = /^(options|opts|init|config|settings)$/i;
/** Types with no `signal` property (a reference to one of these can't carry a signal). */
const NO_SIGNAL_TYPES = new Set([
  'string', 'number', 'boolean', 'bigint', 'symbol', 'object', 'Object', 'Function', 'Date', 'RegExp', 'Error', 'Array', 'ReadonlyArray',
  'Map', 'ReadonlyMap', 'Set', 'ReadonlySet', 'WeakMap', 'WeakSet', 'Promise', 'Buffer', 'Uint8Array', 'ArrayBuffer', 'URL', 'URLSearchParams',
]);
/** Types whose properties come from their type arguments (`Partial<RequestInit>`, `Record<'signal', AbortSignal>`). */
const FROM_ARGUMENTS = new Set(['Partial', 'Readonly', 'Required', 'NonNullable', 'Record']);

/** A parameter that could be an options object with a signal (or a signal itself). */
function mayCarrySignal(parameter: ts.ParameterDeclaration, sourceFile: ts.SourceFile): boolean {
  const name = parameter.name;
  if (ts.isObjectBindingPattern(name)) {
    if (name.elements.some((e) => /signal/i.test(nameText(e.propertyName ?? e.name, sourceFile)))) return true;
  } else if (/signal/i.test(nameText(name, sourceFile))) {
    return true;
  }
  const type = declaredTypeOf(parameter, sourceFile);
  if (type) return typeMayCarrySignal(type, parameter, sourceFile, 0);
  // Without a declared type the checker reads one from a default value or from the function's context.
  if (parameter.initializer) return initializerMayCarrySignal(parameter.initializer, sourceFile);
  if (isContextuallyTyped(parameter.parent, sourceFile)) return true;
  return ts.isIdentifier(name) && OPTIONS_NAME.test(name.text);
}

/** The parameter's type annotation, or in a JavaScript file its JSDoc type. */
function declaredTypeOf(parameter: ts.ParameterDeclaration, sourceFile: ts.SourceFile): ts.TypeNode | undefined {
  if (parameter.type) return parameter.type;
  return isJavaScript(sourceFile) ? ts.getJSDocType(parameter) : undefined;
}

function isJavaScript(sourceFile: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(sourceFile.fileName);
}

/** Whether a declared type could have a `signal` property; `at` is where it is written. */
function typeMayCarrySignal(type: ts.TypeNode, at: ts.Node, sourceFile: ts.SourceFile, depth: number): boolean {
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.BigIntKeyword:
    case ts.SyntaxKind.SymbolKeyword:
    case ts.SyntaxKind.ObjectKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.NeverKeyword:
    case ts.SyntaxKind.LiteralType:
    case ts.SyntaxKind.JSDocAllType:
    case ts.SyntaxKind.JSDocUnknownType:
      return false;
  }
  if (depth > 4 || /signal/i.test(textOf(type, sourceFile))) return true;
  switch (type.kind) {
    case ts.SyntaxKind.TemplateLiteralType:
    case ts.SyntaxKind.ArrayType:
    case ts.SyntaxKind.TupleType:
    case ts.SyntaxKind.FunctionType:
    case ts.SyntaxKind.ConstructorType:
    // A type literal's members are all it has, and none is named for a signal (the text says so).
    case ts.SyntaxKind.TypeLiteral:
      return false;
  }
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.some((t) => typeMayCarrySignal(t, at, sourceFile, depth + 1));
  if (ts.isParenthesizedTypeNode(type) || ts.isJSDocNullableType(type) || ts.isJSDocNonNullableType(type) || ts.isJSDocOptionalType(type)) {
    return typeMayCarrySignal(type.type, at, sourceFile, depth + 1);
  }
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return true;
  const typeName = type.typeName.text;
  if (NO_SIGNAL_TYPES.has(typeName)) return isTypeParameterAt(typeName, at);
  if (FROM_ARGUMENTS.has(typeName)) return !type.typeArguments || isTypeParameterAt(typeName, at) || type.typeArguments.some((t) => typeMayCarrySignal(t, at, sourceFile, depth + 1));
  // A type declared at the top of the same file says itself whether it holds a signal; one we can't see may.
  const declarations = topLevelTypes(sourceFile, typeName);
  if (!declarations || isTypeParameterAt(typeName, at)) return true;
  return declarations.some((declaration) => {
    if (/signal/i.test(textOf(declaration, sourceFile))) return true;
    if (ts.isEnumDeclaration(declaration)) return false;
    if (ts.isTypeAliasDeclaration(declaration)) return typeMayCarrySignal(declaration.type, declaration, sourceFile, depth + 1);
    // Members come from the declaration itself, and from what it extends.
    return !!(declaration as ts.InterfaceDeclaration | ts.ClassDeclaration).heritageClauses?.some((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  });
}

/** `T` in `function f<T>(options: T)`: a type parameter of an enclosing declaration. */
function isTypeParameterAt(name: string, at: ts.Node): boolean {
  for (let current: ts.Node | undefined = at; current; current = current.parent) {
    const parameters = (current as ts.Node & { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
    if (parameters?.some((p) => p.name.text === name)) return true;
  }
  return false;
}

/** A default value: literals, functions and objects spelling out their properties, none a signal, can't make the parameter carry one. */
function initializerMayCarrySignal(initializer: ts.Expression, sourceFile: ts.SourceFile): boolean {
  if (/signal/i.test(textOf(initializer, sourceFile))) return true;
  const value = skipOuter(initializer);
  if (ts.isObjectLiteralExpression(value)) return value.properties.some((p) => ts.isSpreadAssignment(p) || (!!p.name && ts.isComputedPropertyName(p.name)));
  if (ts.isArrayLiteralExpression(value) || isFunctionLike(value)) return false;
  return !(ts.isLiteralExpression(value) || ts.isNoSubstitutionTemplateLiteral(value) || ts.isTemplateExpression(value) || ts.isPrefixUnaryExpression(value) ||
    value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined'));
}

/**
 * Whether the checker may type the function's unannotated parameters from its context: anything
 * but a declaration, a method of a class that extends and implements nothing, or a function
 * assigned to an unannotated variable or property (directly or inside an object literal that is
 * itself such a value).
 */
function isContextuallyTyped(fn: ts.SignatureDeclaration, sourceFile: ts.SourceFile): boolean {
  if (isJavaScript(sourceFile) && (ts.getJSDocType(fn) || ts.getJSDocTags(fn).some((t) => ts.isJSDocTypeTag(t)))) return true;
  if (ts.isFunctionDeclaration(fn)) return false;
  if (ts.isMethodDeclaration(fn)) {
    if (ts.isClassLike(fn.parent)) return !!fn.parent.heritageClauses?.length;
    return ts.isObjectLiteralExpression(fn.parent) && isContextuallyTypedValue(fn.parent);
  }
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return isContextuallyTypedValue(fn);
  return true;
}

function isContextuallyTypedValue(value: ts.Expression): boolean {
  let node: ts.Node = value;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) return !!parent.type || (isJavaScript(parent.getSourceFile()) && hasJSDocType(parent));
  if (ts.isPropertyDeclaration(parent) && parent.initializer === node) {
    return !!parent.type || !!parent.parent.heritageClauses?.length || (isJavaScript(parent.getSourceFile()) && hasJSDocType(parent));
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return isContextuallyTypedValue(parent.parent);
  return true;
}

/** `/** @type {T} *\/` on a declaration (or on the statement declaring it). */
function hasJSDocType(declaration: ts.VariableDeclaration | ts.PropertyDeclaration): boolean {
  if (ts.getJSDocType(declaration)) return true;
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : undefined;
  return !!statement && ts.getJSDocTags(statement).some((t) => ts.isJSDocTypeTag(t));
}

/** Literals, identifiers, objects and arrays of them, property reads: values that are not promises. */
function isPlainValue(expression: ts.Expression): boolean {
  const e = skipOuter(expression);
  if (ts.isLiteralExpression(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.UndefinedKeyword) return true;
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => !ts.isPropertyAssignment(p) || isPlainValue(p.initializer));
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => ts.isSpreadElement(x) || isPlainValue(x));
  if (ts.isBinaryExpression(e)) return e.operatorToken.kind !== ts.SyntaxKind.CommaToken && e.operatorToken.kind !== ts.SyntaxKind.BarBarToken && e.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken;
  if (ts.isPrefixUnaryExpression(e) || ts.isTypeOfExpression(e)) return true;
  if (ts.isConditionalExpression(e)) return isPlainValue(e.whenTrue) && isPlainValue(e.whenFalse);
  return false;
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | ts.MethodDeclaration | undefined {
  for (const p of object.properties) {
    if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
    if (ts.isPropertyAssignment(p)) return skipOuter(p.initializer);
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
    if (ts.isMethodDeclaration(p)) return p;
  }
  return undefined;
}

/** `string[]`, `Array<T>`, `Map<K, V>`, `Set<T>`, `Buffer`: a declared built-in collection. */
function builtinOfType(type: ts.TypeNode): ValueInfo {
  if (ts.isArrayTypeNode(type)) return { kind: 'global', path: 'new Array' };
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    if (['Array', 'Map', 'Set', 'Buffer', 'Uint8Array', 'WeakMap', 'WeakSet'].includes(name)) return { kind: 'global', path: `new ${name}` };
  }
  return UNKNOWN;
}

function singleReturnedExpression(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const returns = fn.body.statements.filter(ts.isReturnStatement);
  return returns.length === 1 ? returns[0].expression : undefined;
}

/** `constructor(private readonly sessions: SessionRegistry)`: a field declared by its parameter (dependency injection). */
function parameterProperty(cls: ts.ClassLikeDeclaration, name: string): ts.ParameterDeclaration | undefined {
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  return constructor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.isParameterPropertyDeclaration(p, constructor));
}

function classMember(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): ts.ClassElement | undefined {
  return cls.members.find((m) => {
    if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== name) return false;
    const staticMember = !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
    return staticMember === isStatic;
  });
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    // `this` inside a plain function is not the class instance.
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);
}
