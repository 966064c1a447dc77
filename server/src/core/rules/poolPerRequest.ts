import { ts } from 'ts-morph';
import { enclosingFunction, flowGraphOf, walkPaths, type FlowNode } from '../flow';
import { indentAt, lineEndOf, lineStartOf, newlineOf } from '../fixes/text';
import { CLOSE_METHODS, CREATION_WORDS, DRAIN_METHODS, sharedClientCreation, type SharedClientCreation } from '../pools/sharedClients';
import type { ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { bindingScope, isValueReference, resolveBinding } from '../syntax/bindings';
import type { Fix } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_0 = "Move the pool to module scope";

export const poolPerRequest: Rule = {
  id: 'pool-per-request',
  description: "A pool or shared client is created for every request instead of once per process.",
  fixTitles: [FIX_0],
  check(ctx) {
    if (!CREATION_WORDS.test(ctx.text)) return;
    const scopes = ctx.facts.requestScopes;
    if (scopes.length === 0) return;
    for (const creation of detect(ctx, scopes)) ctx.report({ ...explain(creation, ctx), fixes: fix(creation, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

interface PerRequestCreation {
  expression: ts.NewExpression | ts.CallExpression;
  what: SharedClientCreation;
  scope: RequestScope;
  /** The variable the creation is stored in, when it is a plain `const x = ...`. */
  holder: ts.VariableDeclaration | undefined;
}

function detect(ctx: RuleContext, scopes: readonly RequestScope[]): PerRequestCreation[] {
  const isJs = /\.[cm]?jsx?$/i.test(ctx.fileName);
  const types = !isJs || ctx.facts.imports.modules.size > 0 ? ctx.types : undefined;
  const out: PerRequestCreation[] = [];
  for (const scope of scopes) {
    const visit = (node: ts.Node): void => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && CREATION_WORDS.test(calleeName(node)) && ctx.facts.scopeOf(node) === scope) {
        const what = sharedClientCreation(node, ctx.facts.values, types);
        if (what && !cachedOutsideRequest(node, scope)) {
          const holder = holderOf(node);
          if (!(what.kind === 'client' && holder && closedOnEveryPath(node, holder))) out.push({ expression: node, what, scope, holder });
        }
      }
      ts.forEachChild(node, visit);
    };
    if (scope.fn.body) visit(scope.fn.body);
  }
  return out.sort((a, b) => a.expression.pos - b.expression.pos);
}

function calleeName(node: ts.NewExpression | ts.CallExpression): string {
  const callee = skipOuter(node.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  // `require('knex')(config)`
  return ts.isCallExpression(callee) ? 'knex' : '';
}

/**
 * `pool ??= new Pool()`, `if (!this.db) this.db = new PrismaClient()`, `pools.set(tenant, new Pool())`: stored where the next request
 * finds it (a variable or field outside the handler), so it is created once, lazily — not per request.
 */
function cachedOutsideRequest(expression: ts.Expression, scope: RequestScope): boolean {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isBinaryExpression(node.parent) && node.parent.right === node && /^(\?\?|\|\|)$/.test(node.parent.operatorToken.getText())) node = node.parent;
  const parent = node.parent;
  let stored: ts.Expression;
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) stored = parent.left;
  // `pools.set(tenant, new Pool())`: one pool per key, kept for the next request.
  else if (ts.isCallExpression(parent) && parent.arguments[1] === node && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'set') stored = parent.expression.expression;
  else return false;
  let root = skipOuter(stored);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
  if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(root)) return false;
  const binding = resolveBinding(root);
  const fn = scope.fn;
  return !!binding && !(binding.pos >= fn.pos && binding.end <= fn.end);
}

/** `const x = new Pool()`, `const x = await createConnection()`, `const x = createPool().promise()`. */
function holderOf(expression: ts.Expression): ts.VariableDeclaration | undefined {
  let node: ts.Node = expression;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) node = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'promise' && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) node = parent.parent;
    else break;
  }
  const parent = node.parent;
  return ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) ? parent : undefined;
}

/**
 * A dedicated client closed (`end`/`quit`/`disconnect`/`close`) on every path from its creation to
 * the function's exits, or handed a close that runs when the request ends (`req.on('close', () =>
 * sub.quit())`). A failed `connect()` of the client itself leaves nothing to close.
 */
function closedOnEveryPath(creation: ts.Expression, holder: ts.VariableDeclaration): boolean {
  const fn = enclosingFunction(creation);
  if (!fn) return false;
  const name = (holder.name as ts.Identifier).text;
  const graph = flowGraphOf(fn);
  const starts = graph.stepsContaining(creation);
  if (starts.length === 0) return false;
  let leaked = false;
  const closes = new Map<FlowNode, boolean>();
  const closesIn = (node: FlowNode): boolean => {
    let found = closes.get(node);
    if (found === undefined) {
      found = stepCloses(node, name, holder);
      closes.set(node, found);
    }
    return found;
  };
  walkPaths<'open'>(graph, starts.flatMap((step) => step.edges.map((edge) => ({ node: edge.to, state: 'open' as const }))), {
    key: () => 'open',
    step(node) {
      if (closesIn(node)) return {};
      const rejects = node.awaits.some((a) => !(ts.isAwaitExpression(a) && isOwnConnect(a.expression, name, holder)));
      return { next: 'open', thrown: rejects || node.role === 'throw' ? ['open'] : [] };
    },
    reachedExit() {
      leaked = true;
    },
  });
  return !leaked;
}

function isOwnConnect(expression: ts.Expression, name: string, holder: ts.VariableDeclaration): boolean {
  const e = skipOuter(expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuter(e.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'connect' && refersTo(callee.expression, name, holder);
}

function refersTo(expression: ts.Expression, name: string, holder: ts.VariableDeclaration): boolean {
  const e = skipOuter(expression);
  return ts.isIdentifier(e) && e.text === name && resolveBinding(e) === holder;
}

/** `x.end()` in the step itself, or in a listener the step registers (`res.on('close', () => x.quit())`). */
function stepCloses(node: FlowNode, name: string, holder: ts.VariableDeclaration): boolean {
  const ast = node.ast;
  if (!ast || node.kind !== 'step' || node.role === 'catch' || node.role === 'jump' || node.role === 'iteration' || (ast === node.statement && node.role === 'condition')) return false;
  let found = false;
  const isClose = (call: ts.CallExpression): boolean => {
    const callee = skipOuter(call.expression);
    return ts.isPropertyAccessExpression(callee) && CLOSE_METHODS.has(callee.name.text) && refersTo(callee.expression, name, holder);
  };
  const containsClose = (fn: ts.Node): boolean => {
    let inner = false;
    const visit = (n: ts.Node): void => {
      if (inner) return;
      if (ts.isCallExpression(n) && isClose(n)) inner = true;
      else ts.forEachChild(n, visit);
    };
    visit(fn);
    return inner;
  };
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) {
      const call = current.parent;
      if (ts.isCallExpression(call) && call.arguments.includes(current as ts.Expression)) {
        const callee = skipOuter(call.expression);
        if (ts.isPropertyAccessExpression(callee) && /^(on|once|addListener|addEventListener)$/.test(callee.name.text) && containsClose(current)) found = true;
      }
      return;
    }
    if (ts.isCallExpression(current) && isClose(current)) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(ast);
  return found;
}

// ----- explain -----------------------------------------------------------------------------------

function creationText(expression: ts.NewExpression | ts.CallExpression): string {
  const callee = skipOuter(expression.expression).getText().replace(/\s+/g, '');
  const shown = callee.length <= 40 ? callee : '…';
  return ts.isNewExpression(expression) ? `new ${shown}()` : `${shown}()`;
}

function explain(creation: PerRequestCreation, ctx: RuleContext): ReportDescriptor {
  const text = creationText(creation.expression);
  const objectPool = creation.what.library === 'generic-pool' || creation.what.library === 'tarn';
  const message =
    creation.what.kind === 'pool' && objectPool
      ? `\`${text}\` creates a new ${creation.what.library} pool on every request, so nothing it pools is ever reused by another request and every request pays for creating its resources again.`
      : creation.what.kind === 'pool'
      ? `\`${text}\` creates a new ${creation.what.library} pool on every request, so each request opens connections of its own instead of reusing them, and pools that are never ended pile up until the server refuses connections.`
      : `\`${text}\` opens a new ${creation.what.library} client on every request and does not close it on every path, so each request pays for a fresh connection and unclosed ones pile up until the server refuses connections.`;
  const related = scopeRelated(creation.scope, `request handler (${creation.scope.reason}) that creates it on every request`, ctx.sourceFile);
  return { node: creation.expression, message, related };
}

// ----- fix ---------------------------------------------------------------------------------------

/**
 * "Move the pool to module scope": the declaration moves, unchanged and under the same name, after
 * the file's imports (or, when it uses module-level names declared later, just before the top-level
 * statement that holds the handler). Not offered when its arguments use anything of the request or
 * the handler, the handler ends, drains or reassigns it, the name is taken at module level, or the
 * value is awaited (module-level `await` is not available everywhere).
 */
function fix(creation: PerRequestCreation, ctx: RuleContext): Fix[] {
  const holder = creation.holder;
  if (!holder) return [];
  const statement = holder.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1 || ts.isSourceFile(statement.parent)) return [];
  const init = holder.initializer!;
  if (containsAwait(init)) return [];
  const name = (holder.name as ts.Identifier).text;
  const fn = creation.scope.fn;
  const sourceFile = ctx.sourceFile;

  // The handler must never end, drain or reassign it: the first request would close the shared pool.
  let unsafe = false;
  const uses = (node: ts.Node): void => {
    if (unsafe) return;
    if (ts.isIdentifier(node) && node.text === name && resolveBinding(node) === holder && isValueReference(node)) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node && DRAIN_METHODS.has(parent.name.text)) unsafe = true;
      if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) unsafe = true;
    }
    ts.forEachChild(node, uses);
  };
  uses(fn);
  if (unsafe) return [];
  if (declaredAtModuleLevel(sourceFile, name) || usesGlobalNamed(sourceFile, name)) return [];

  // What the declaration refers to must exist at module level, before where it goes.
  const top = topLevelStatement(fn);
  if (!top) return [];
  let needsLate = false;
  let ok = true;
  const refs = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && isValueReference(node)) {
      const binding = resolveBinding(node);
      if (binding) {
        const scope = bindingScope(binding);
        if (!ts.isSourceFile(scope)) ok = false;
        else if (!ts.isFunctionDeclaration(binding) && !isImportBinding(binding)) {
          if (binding.end > top.getStart(sourceFile)) ok = false;
          else needsLate = true;
        }
      }
    }
    if (ts.isTypeNode(node)) return; // types are hoisted
    ts.forEachChild(node, refs);
  };
  refs(holder);
  if (!ok) return [];

  const text = ctx.text;
  const nl = newlineOf(text);
  const start = statement.getStart(sourceFile);
  const lineStart = lineStartOf(text, start);
  const lineEnd = lineEndOf(text, statement.end);
  // A comment at the end of the declaration's line moves with it.
  const end = commentEnd(text, statement.end);
  if (text.slice(lineStart, start).trim() !== '' || text.slice(end, lineEnd).trim() !== '') return [];
  const indent = indentAt(text, start);
  const moved = dedent(text.slice(start, end), indent, literalSpans(statement, start));

  const lastImport = needsLate ? undefined : lastLeadingImport(sourceFile);
  const edits = [{ start: lineStart, end: lineEnd, newText: '' }];
  if (lastImport) {
    edits.push({ start: lineEndOf(text, lastImport.end), end: lineEndOf(text, lastImport.end), newText: `${nl}${moved}${nl}` });
  } else {
    const comments = ts.getLeadingCommentRanges(text, top.pos);
    const at = lineStartOf(text, comments?.length ? comments[0].pos : top.getStart(sourceFile));
    edits.push({ start: at, end: at, newText: `${moved}${nl}${nl}` });
  }
  edits.sort((a, b) => a.start - b.start);
  return [{ title: FIX_0, preferred: true, edits }];
}

/** The end of the comments after `pos` on its line (`pos` when there are none). */
function commentEnd(text: string, pos: number): number {
  const lineEnd = lineEndOf(text, pos);
  let end = pos;
  for (const comment of ts.getTrailingCommentRanges(text, pos) ?? []) if (comment.end <= lineEnd) end = comment.end;
  return end;
}

function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return !!ts.forEachChild(node, (child) => containsAwait(child) || undefined);
}

function isImportBinding(binding: ts.Node): boolean {
  if (ts.isImportClause(binding) || ts.isImportSpecifier(binding) || ts.isNamespaceImport(binding) || ts.isImportEqualsDeclaration(binding)) return true;
  // `const { Pool } = require('pg')` at the top of a CommonJS file.
  let node: ts.Node = binding;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node)) node = node.parent;
  return ts.isVariableDeclaration(node) && !!node.initializer && isRequire(node.initializer);
}

function isRequire(expression: ts.Expression): boolean {
  let e = skipOuter(expression);
  while (ts.isPropertyAccessExpression(e)) e = skipOuter(e.expression);
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
}

function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent ? (current as ts.Statement) : undefined;
}

/** The last of the import / `require` statements the file starts with. */
function lastLeadingImport(sourceFile: ts.SourceFile): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    const isImport =
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      (ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => !!d.initializer && isRequire(d.initializer)));
    if (!isImport) break;
    last = statement;
  }
  return last;
}

function declaredAtModuleLevel(sourceFile: ts.SourceFile, name: string): boolean {
  const probe = ts.factory.createIdentifier(name);
  // Resolve `name` as if written at the end of the file, at module level.
  (probe as { parent: ts.Node }).parent = sourceFile;
  return resolveBinding(probe) !== undefined;
}

/** A reference to a global `name` (no declaration in the file) would be captured by the moved declaration. */
function usesGlobalNamed(sourceFile: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && isValueReference(node) && resolveBinding(node) === undefined) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function literalSpans(node: ts.Node, offset: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) spans.push({ start: n.getStart() - offset, end: n.end - offset });
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return spans;
}

/** Removes `indent` from the start of every line after the first, except lines inside template literals. */
function dedent(code: string, indent: string, literals: { start: number; end: number }[]): string {
  if (!indent) return code;
  let out = '';
  let position = 0;
  for (const line of code.split('\n')) {
    const inLiteral = literals.some((span) => span.start < position && position < span.end);
    out += (position === 0 ? '' : '\n') + (position > 0 && !inLiteral && line.startsWith(indent) ? line.slice(indent.length) : line);
    position += line.length + 1;
  }
  return out;
}
