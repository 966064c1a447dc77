import { ts } from 'ts-morph';
import { insertAfterStatement } from '../fixes/insertOnPath';
import { addParameterEdits } from '../fixes/requestSignal';
import { indentAt, lineStartOf, newlineOf } from '../fixes/text';
import { wrapInTryFinally } from '../fixes/wrapInTryFinally';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import { RequestData } from '../scopes/requestData';
import { resolveBinding } from '../syntax/bindings';
import type { RequestScope } from '../scopes/requestScope';
import { hasGuardedKey } from '../stores/hasGuard';
import { type CollectionKind, type Growth, type LongLivedState, moduleStoresOf } from '../stores/moduleStores';
import { indexOf } from '../syntax/fileIndex';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const REMOVE_FIX = 'Remove the entry when the request ends';

export const unboundedRequestStore: Rule = {
  id: 'unbounded-request-store',
  description: 'A module-level collection grows on every request and nothing ever shrinks it.',
  fixTitles: [REMOVE_FIX],
  check(ctx) {
    if (ctx.facts.requestScopes.length === 0) return;
    if (!/\.(set|add|push|unshift)\(|\]\s*(=|\?\?=|\|\|=)[^=]/.test(ctx.text)) return;
    for (const growth of detect(ctx)) ctx.report({ ...explain(growth, ctx), fixes: fix(growth, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

const GROWABLE = new Set<CollectionKind>(['map', 'set', 'array', 'object']);

interface UnboundedGrowth {
  growth: Growth;
  state: LongLivedState;
  kind: CollectionKind;
  scope: RequestScope;
  /** Guarded by `!store.has(key)` with a request-derived key: one entry per distinct key, not per request. */
  keyedOnce: boolean;
}

function detect(ctx: RuleContext): UnboundedGrowth[] {
  const stores = moduleStoresOf(ctx.sourceFile);
  const seen = new Set<ts.Node>();
  const out: UnboundedGrowth[] = [];
  const consider = (receiver: ts.Expression): void => {
    const state = stores.stateOf(receiver);
    if (!state || seen.has(state.declaration)) return;
    seen.add(state.declaration);
    if (state.holder === 'imported' || stores.isReachableFromOtherFiles(state)) return;
    const kind = stores.collectionKind(state);
    if (!GROWABLE.has(kind)) return;
    const uses = stores.usesOf(state);
    if (uses.shrinks.length > 0 || uses.sizeChecks.length > 0 || uses.unknown.length > 0) return;
    for (const growth of uses.grows) {
      if (growth.method === 'index' && kind !== 'object') continue;
      const scope = ctx.facts.scopeOf(growth.node);
      if (!scope) continue;
      const guard = hasGuardOf(growth, kind, scope);
      if (guard === 'bounded') continue;
      out.push({ growth, state, kind, scope, keyedOnce: guard === 'request-keyed' });
    }
  };
  for (const call of indexOf(ctx.sourceFile).calls) {
    const callee = skipOuter(call.expression);
    if (ts.isPropertyAccessExpression(callee) && /^(set|add|push|unshift)$/.test(callee.name.text) && ctx.facts.scopeOf(call)) consider(callee.expression);
  }
  for (const scope of ctx.facts.requestScopes) {
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && ts.isElementAccessExpression(skipOuter(node.left))) consider((skipOuter(node.left) as ts.ElementAccessExpression).expression);
      ts.forEachChild(node, visit);
    };
    if (scope.fn.body) visit(scope.fn.body);
  }
  return out.sort((a, b) => a.growth.node.getStart(ctx.sourceFile) - b.growth.node.getStart(ctx.sourceFile));
}

/**
 * `req.body.items.forEach((item) => ...)`: the parameter of a callback inside the scope may hold
 * request data that RequestData does not follow into it; such a key is not trusted as bounded.
 */
function rootsAtCallbackParameter(key: ts.Expression, fn: ts.Node): boolean {
  let root = skipOuter(key);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
  if (!ts.isIdentifier(root)) return false;
  let binding: ts.Node | undefined = resolveBinding(root);
  while (binding && (ts.isBindingElement(binding) || ts.isObjectBindingPattern(binding) || ts.isArrayBindingPattern(binding))) binding = binding.parent;
  return !!binding && ts.isParameter(binding) && binding.parent !== fn && binding.pos >= fn.pos && binding.end <= fn.end;
}

const requestData = new WeakMap<RequestScope, RequestData>();

/**
 * "Warn once": `if (!warned.has(name)) warned.add(name)` gains an entry per distinct key, not per
 * request. When the key is not derived from request data (RULES.md §1: a constant, a registry
 * lookup, configuration), the store is bounded by what the program knows, so it is not reported;
 * with a request-derived key (a header, a user id) the guard bounds nothing and it still is.
 */
function hasGuardOf(growth: Growth, kind: CollectionKind, scope: RequestScope): 'bounded' | 'request-keyed' | undefined {
  if (kind !== 'map' && kind !== 'set') return undefined;
  const key = hasGuardedKey(growth, scope.fn);
  if (!key) return undefined;
  if (rootsAtCallbackParameter(key, scope.fn)) return 'request-keyed';
  let data = requestData.get(scope);
  if (!data) requestData.set(scope, (data = new RequestData(scope)));
  return data.isDerived(key) ? 'request-keyed' : 'bounded';
}

// ----- explain -----------------------------------------------------------------------------------

const KIND_NAMES: Partial<Record<CollectionKind, string>> = { map: 'Map', set: 'Set', array: 'array', object: 'object' };
const HOLDERS: Record<LongLivedState['holder'], string> = { module: 'module-level', imported: 'imported', static: 'static', singleton: 'singleton' };

function explain(found: UnboundedGrowth, ctx: RuleContext): ReportDescriptor {
  const what = `${HOLDERS[found.state.holder]} ${KIND_NAMES[found.kind]}`;
  const message = found.keyedOnce
    ? `\`${found.state.name}\` (a ${what}) gains an entry for every new key that requests bring and nothing ever removes one, so memory grows with the number of distinct keys clients send until the process runs out.`
    : `\`${found.state.name}\` (a ${what}) gains an entry on every request and nothing ever removes one, so memory grows with traffic until the process runs out.`;
  const related: RelatedDescriptor[] = [
    ...scopeRelated(found.scope, 'the request scope that adds to it', ctx.sourceFile),
    { node: found.state.declaration, message: `\`${found.state.name}\` is declared here and never shrunk, cleared or bounded` },
  ];
  return { node: found.growth.node, message, related };
}

// ----- fix ---------------------------------------------------------------------------------------

/**
 * Removes this request's entry when the request ends (RULES.md §1 "The request ends"):
 * - where the response has a `close` (Express, node:http, Koa, Fastify, Nest), a listener right
 *   after the growing statement: `<end emitter>.once('close', () => { <removal> });`;
 * - in Hono and Fetch-API handlers (no response `close`: the native signal aborts only when the
 *   client goes away), a `finally` the handler runs before returning: the statements after the
 *   growth, in the handler's own body, go into `try { ... } finally { <removal> }`.
 * Offered when the key and value can be evaluated again (local names and property reads; a value
 * computed in place is first put in a `const`), outside loops — except a growth that is the whole
 * body (or the first statement) of a `for (const x of <stable iterable>)`, whose removal loops over
 * the same iterable in one listener. A lone `if` body gets braces. Not offered for a value computed
 * from the collection itself (a counter: removing it at the request's end would reset the count).
 */
function fix(found: UnboundedGrowth, ctx: RuleContext): Fix[] {
  const { growth, kind, scope } = found;
  const source = scope.signal;
  const sourceFile = ctx.sourceFile;
  const statement = skipParents(growth.node).parent;
  if (!ts.isExpressionStatement(statement)) return [];
  let mode: 'listener' | 'finally';
  if (source.kind === 'derive' && source.event === 'close' && !/\(/.test(source.closeEmitter) && !primitiveParameter(source.closeEmitter, scope)) mode = 'listener';
  else if (source.kind === 'native' && (scope.framework === 'hono' || scope.framework === 'fetch') && scope.role !== 'helper') mode = 'finally';
  else return [];
  const receiver = growth.receiver.getText(sourceFile);
  if (readsStore(growth, receiver, sourceFile) || fromPooledObject(growth, scope, ctx)) return [];
  const loop = insideLoop(statement, scope.fn) ? forOfAround(statement, scope.fn) : undefined;
  if (insideLoop(statement, scope.fn) && (!loop || mode !== 'listener')) return [];
  const local = (e: ts.Expression): boolean => !!loop && rootedAtLoopBinding(skipOuter(e), loop);
  const stable = (e: ts.Expression | undefined): boolean => !!e && (isStable(skipOuter(e), scope.fn) ? !loop || !declaredInside(skipOuter(e), loop) || local(e) : false);
  const nl = newlineOf(ctx.text);
  const indent = indentAt(ctx.text, statement.getStart(sourceFile));
  const edits: TextEdit[] = [];
  const inList = ts.isBlock(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent);
  // A value computed in place (`Date.now()`, an object literal) is first put in a `const`, so the
  // removal can compare against the very value this request stored.
  const valueText = (): string | undefined => {
    const value = growth.value;
    if (!value) return undefined;
    if (stable(value)) return text(value, sourceFile);
    if (loop || !inList || !canHoist(value)) return undefined;
    const lineStart = lineStartOf(ctx.text, statement.getStart(sourceFile));
    if (ctx.text.slice(lineStart, statement.getStart(sourceFile)).trim() !== '') return undefined;
    const name = freeName('entry', scope.fn);
    edits.push({ start: lineStart, end: lineStart, newText: `${indent}const ${name} = ${text(value, sourceFile)};${nl}` });
    edits.push({ start: value.getStart(sourceFile), end: value.end, newText: name });
    return name;
  };
  let removal: string[];
  switch (kind) {
    case 'map': {
      if (growth.method !== 'set' || !stable(growth.key)) return [];
      const value = valueText();
      if (!value) return [];
      removal = [`if (${receiver}.get(${text(growth.key!, sourceFile)}) === ${value}) ${receiver}.delete(${text(growth.key!, sourceFile)});`];
      break;
    }
    case 'set': {
      if (growth.method !== 'add') return [];
      const value = valueText();
      if (!value) return [];
      removal = [`${receiver}.delete(${value});`];
      break;
    }
    case 'array': {
      const call = growth.node as ts.CallExpression;
      if ((growth.method !== 'push' && growth.method !== 'unshift') || call.arguments.length !== 1) return [];
      const value = valueText();
      if (!value) return [];
      const index = freeName('index', scope.fn);
      removal = [`const ${index} = ${receiver}.indexOf(${value});`, `if (${index} !== -1) ${receiver}.splice(${index}, 1);`];
      break;
    }
    case 'object': {
      if (growth.method !== 'index' || !stable(growth.key)) return [];
      if ((growth.node as ts.BinaryExpression).operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
      const value = valueText();
      if (!value) return [];
      removal = [`if (${receiver}[${text(growth.key!, sourceFile)}] === ${value}) delete ${receiver}[${text(growth.key!, sourceFile)}];`];
      break;
    }
    default:
      return [];
  }
  if (mode === 'finally') {
    const body = scope.fn.body;
    if (!body || !ts.isBlock(body) || statement.parent !== body) return [];
    if (scope.next && !isAsync(scope.fn)) return [];
    const rest = body.statements.slice(body.statements.indexOf(statement) + 1);
    // A function declared after the growth may be called before it: it must stay at function level.
    if (rest.length === 0 || rest.some((r) => ts.isFunctionDeclaration(r) || ts.isClassDeclaration(r))) return [];
    const wrapped = wrapInTryFinally(sourceFile, { statements: rest, finallyStatements: removal });
    if (!wrapped) return [];
    edits.push(...wrapped);
    return [{ title: REMOVE_FIX, preferred: false, edits }];
  }
  if (source.kind !== 'derive') return [];
  const after = loop ?? statement;
  if (source.missingParameter) {
    const added = addParameterEdits(scope, source.missingParameter, sourceFile, ctx.facts.imports);
    if (!added) return [];
    edits.push(...added);
  } else if (shadowsEmitter(source.closeEmitter, after, scope, ctx)) return [];
  const listen = source.optionalEmitter ? '?.once' : '.once';
  const remove = loop ? `for (${loop.initializer.getText(sourceFile)} of ${loop.expression.getText(sourceFile)}) ${removal.length === 1 ? removal[0] : `{ ${removal.join(' ')} }`}` : removal.join(' ');
  const inserted = insertAfterStatement(sourceFile, after, [`${source.closeEmitter}${listen}('close', () => { ${remove} });`]);
  if (!inserted) return [];
  edits.push(inserted);
  return [{ title: REMOVE_FIX, preferred: false, edits }];
}

/** The value is computed from the collection itself (`hits[id] = (hits[id] ?? 0) + 1`): a counter, not a per-request entry. */
function readsStore(growth: Growth, receiver: string, sourceFile: ts.SourceFile): boolean {
  const value = growth.value;
  if (!value) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isPropertyAccessExpression(node) || ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) && node.getText(sourceFile) === receiver) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

/**
 * The key or value is a local declared after an object was taken from a pool in this function
 * (`const headers = parser.fields`): reading it again when the request ends could touch an object
 * already given back (`pooled-object-used-after-release`), so no removal is offered.
 */
function fromPooledObject(growth: Growth, scope: RequestScope, ctx: RuleContext): boolean {
  const pools = ctx.facts.pools;
  if (!pools.mayHavePools) return false;
  const acquisitions = pools.acquisitions.filter((a) => a.call.pos >= scope.fn.pos && a.call.end <= scope.fn.end && a.call.end <= growth.node.pos);
  if (acquisitions.length === 0) return false;
  const first = Math.min(...acquisitions.map((a) => a.call.pos));
  return [growth.key, growth.value].some((e) => {
    if (!e) return false;
    const root = rootOf(skipOuter(e));
    if (!ts.isIdentifier(root)) return false;
    const declaration = indexOf(ctx.sourceFile).declarations.lookup(root.text, root);
    return !declaration || (!ts.isParameter(declaration) && declaration.pos >= first);
  });
}

/** The emitter's root is a parameter declared with a primitive type (`userId: string`): not an emitter. */
function primitiveParameter(emitter: string, scope: RequestScope): boolean {
  const root = /^[\w$]+/.exec(emitter)?.[0];
  const parameter = scope.fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === root);
  const type = parameter?.type;
  if (!type) return false;
  return ts.isLiteralTypeNode(type) || [ts.SyntaxKind.StringKeyword, ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword, ts.SyntaxKind.SymbolKeyword, ts.SyntaxKind.UndefinedKeyword].includes(type.kind);
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/**
 * The `for (const x of <stable iterable>)` directly around the growth, which is its lone body or
 * the first statement of its body, and which is itself in no other loop. Otherwise `undefined`.
 */
function forOfAround(statement: ts.Statement, fn: ts.FunctionLikeDeclaration): ts.ForOfStatement | undefined {
  let loop: ts.Node = statement.parent;
  if (ts.isBlock(loop)) {
    if (loop.statements[0] !== statement) return undefined;
    loop = loop.parent;
  }
  if (!ts.isForOfStatement(loop) || loop.awaitModifier) return undefined;
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init) || (init.flags & ts.NodeFlags.Const) === 0 || init.declarations.length !== 1) return undefined;
  if (!isStable(skipOuter(loop.expression), fn) || insideLoop(loop, fn)) return undefined;
  return loop;
}

function rootOf(expression: ts.Expression): ts.Node {
  let current: ts.Expression = expression;
  while (ts.isPropertyAccessExpression(current)) current = skipOuter(current.expression);
  return current;
}

/** Rooted at a name the loop's `const` binds. */
function rootedAtLoopBinding(expression: ts.Expression, loop: ts.ForOfStatement): boolean {
  const root = rootOf(expression);
  if (!ts.isIdentifier(root)) return false;
  const declaration = indexOf(root.getSourceFile()).declarations.lookup(root.text, root);
  const binding = (loop.initializer as ts.VariableDeclarationList).declarations[0];
  if (declaration) return declaration === binding;
  return binding.pos <= root.pos && !!bindsName(binding.name, root.text);
}

function bindsName(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, text));
}

/** The expression's root name is declared inside the loop (not visible after it). */
function declaredInside(expression: ts.Expression, loop: ts.ForOfStatement): boolean {
  const root = rootOf(expression);
  if (!ts.isIdentifier(root)) return false;
  const declaration = indexOf(root.getSourceFile()).declarations.lookup(root.text, root);
  if (!declaration) return true;
  return declaration.pos >= loop.pos && declaration.end <= loop.end;
}

/**
 * Whether moving the value into a `const` keeps its type: not a function (its parameters are typed by
 * the call), not an empty array/object literal (its element type comes from the collection).
 */
function canHoist(value: ts.Expression): boolean {
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node) || ts.isYieldExpression(node)) ok = false;
    else if ((ts.isArrayLiteralExpression(node) && node.elements.length === 0) || (ts.isObjectLiteralExpression(node) && node.properties.length === 0)) ok = false;
    else ts.forEachChild(node, visit);
  };
  visit(value);
  return ok;
}

function skipParents(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  return current;
}

function text(node: ts.Expression, sourceFile: ts.SourceFile): string {
  return skipOuter(node).getText(sourceFile);
}

/** A local name of the handler (parameter or `const`) or a property read from one: evaluates the same later. */
function isStable(expression: ts.Expression, fn: ts.Node): boolean {
  let current = expression;
  while (ts.isPropertyAccessExpression(current) && !current.questionDotToken) current = skipOuter(current.expression);
  if (!ts.isIdentifier(current)) return false;
  const declaration = indexOf(current.getSourceFile()).declarations.lookup(current.text, current);
  if (!declaration) return destructuredConst(current, fn);
  if (declaration.pos < fn.pos || declaration.end > fn.end) return false;
  if (ts.isParameter(declaration)) return true;
  return ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `const { id } = ...` in the handler, before the use (destructured names are not in the declaration index). */
function destructuredConst(identifier: ts.Identifier, fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.pos > identifier.pos) return;
    if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && node.name.text === identifier.text && !node.dotDotDotToken) {
      let declaration: ts.Node = node.parent;
      while (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration)) declaration = declaration.parent;
      if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) {
        found = isInScope(declaration, identifier);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** The `const` is declared in a block that contains the use. */
function isInScope(declaration: ts.Node, use: ts.Node): boolean {
  let block: ts.Node | undefined = declaration.parent;
  while (block && !ts.isBlock(block) && !ts.isSourceFile(block) && !ts.isFunctionLike(block)) block = block.parent;
  return !!block && use.pos >= block.pos && use.end <= block.end;
}

function insideLoop(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** The emitter's root name means something else where the listener goes (a nested parameter of the same name). */
function shadowsEmitter(emitter: string, at: ts.Node, scope: RequestScope, ctx: RuleContext): boolean {
  const root = /^[\w$]+/.exec(emitter)?.[0];
  if (!root) return true;
  const declaration = indexOf(ctx.sourceFile).declarations.lookup(root, at);
  return !!declaration && !(ts.isParameter(declaration) && declaration.parent === scope.fn);
}

function freeName(base: string, fn: ts.Node): string {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}${n}`)) return `${base}${n}`;
}
