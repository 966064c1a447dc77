import { ts } from 'ts-morph';
import { functionIndexOf, isFunctionWithBody, isOwnCode } from '../flow';
import { callsOfMethods } from '../pools/methodCalls';
import { initialValues } from '../pools/elements';
import { named, objectEffectsIn } from '../pools/objectEffects';
import type { OwnershipReport } from '../pools/ownership';
import { containsRelease } from '../pools/ownership';
import type { Acquisition, ElementOrigin } from '../pools/poolModel';
import { isReleaseCall, releaseCallText, releaseMethodNames } from '../pools/releases';
import { transactionExits } from '../pools/transactions';
import { skipOuter } from '../scopes/appKinds';
import type { Fix, TextEdit } from '../types';
import { portableValue, resetStatements } from './resetPooledObject';
import { addFinallyTo, deleteStatementLines, wrapInTryFinally } from './wrapInTryFinally';

export const RELEASE_IN_FINALLY = 'Release in a finally block';

export interface ReleaseInFinallyContext {
  readonly sourceFile: ts.SourceFile;
  /** Whether a module-level name can be referred to at a point (nothing shadows it). */
  readonly resolvesToModuleLevel: (name: ts.Identifier) => boolean;
  /** For object pools that do not clean returned objects: what a fresh object is. */
  readonly element: ElementOrigin | undefined;
  /** Whether giving the object back dirty is a `pooled-object-not-reset` finding. */
  readonly resetMatters: boolean;
}

/**
 * RULES.md §3.1's fix: `const x = await pool.connect();` followed by the rest of its block becomes
 * the declaration followed by `try { <the rest> } finally { <release> }`, and the release calls the
 * finally now makes redundant are removed. When the block releases at its top level and nothing
 * declared before that release is used after it, only the statements up to the release are
 * wrapped, so the resource is not held longer than before. A pg/mysql transaction that an
 * exception can leave open is rolled back in a `catch` first; one that a normal exit leaves open
 * makes the fix unsafe, and it is not offered.
 */
export function releaseInFinally(acquisition: Acquisition, report: OwnershipReport, ctx: ReleaseInFinallyContext): Fix | undefined {
  const holder = acquisition.holder;
  if (holder.kind !== 'variable' || !holder.declaration || !holder.statement) return undefined;
  const statement = holder.statement;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const block = statement.parent;
  if (!ts.isBlock(block)) return undefined;
  if (report.leaks.some((leak) => leak.fn !== acquisition.fn || leak.kind === 'overwrite')) return undefined;

  const name = holder.identifier.text;
  const names = new Set([name]);
  const fn = acquisition.fn;
  const rest = block.statements.slice(block.statements.indexOf(statement) + 1);
  if (rest.length === 0) return undefined;
  // Returned or stored on some path, it is the caller's (or the store's) to release: a `finally`
  // would give it back while they still use it. Only a release on the failing paths fits, and
  // that is not this fix.
  if (rest.some((r) => handsOn(r, name, (call) => isReleaseCall(call, names, acquisition)))) return undefined;

  // Every release must be a statement the fix can delete; releases in callbacks or helpers stay
  // where they are and would release twice.
  const noFunctions = new Set<string>();
  if (functionIndexOf(fn).closures.some((closure) => isFunctionWithBody(closure) && containsRelease(closure, names, noFunctions, acquisition))) return undefined;
  const releases: ts.Statement[] = [];
  for (const call of callsOfMethods(ctx.sourceFile, releaseMethodNames(acquisition))) {
    if (!within(call, fn.body) || !isOwnCode(call, fn) || !isReleaseCall(call, names, acquisition)) continue;
    const releaseStatement = standaloneStatement(call);
    if (!releaseStatement || !rest.some((r) => within(releaseStatement, r)) || passesMoreThan(call, name)) return undefined;
    releases.push(releaseStatement);
  }

  const releaseLine = releaseText(acquisition, name, releases);
  if (!releaseLine) return undefined;

  const transactions = acquisition.connections ? transactionExits(fn, name) : undefined;
  if (transactions?.openOnNormalExit) return undefined;
  const rollback = transactions?.openOnException ? transactions.transactions[0].rollback : undefined;

  const region = chooseRegion(rest, releases);
  if (!region) return undefined;
  if (declaresHoistedNamesUsedBefore(region.statements, block, statement)) return undefined;

  // Resets right before a removed release move into the finally with it, so the object still
  // goes back clean on every path.
  const moved: ts.Statement[] = [];
  for (const release of releases) moved.push(...resetsBefore(release, name, ctx.element));
  let finallyStatements = [...uniqueTexts(moved), releaseLine];
  if (ctx.resetMatters && moved.length === 0 && releases.length === 0) {
    const dirty = dirtyKeysIn(region.statements, name, ctx.element);
    if (dirty.size > 0) {
      const resets = resetStatements(name, ctx.element, dirty, portableValue(ctx.resolvesToModuleLevel));
      if (!resets) return undefined;
      finallyStatements = [...resets, releaseLine];
    }
  }

  const remove = [...releases, ...moved].filter((r) => region.statements.some((s) => within(r, s)));
  const only = region.statements.length === 1 ? region.statements[0] : undefined;
  const wrap = only && ts.isTryStatement(only) && !only.finallyBlock && !rollback
    ? addFinallyTo(ctx.sourceFile, only, finallyStatements, remove)
    : wrapInTryFinally(ctx.sourceFile, {
    statements: region.statements,
    remove,
    catchClause: rollback ? { parameter: name === 'e' ? 'error' : 'e', statements: [rollback, `throw ${name === 'e' ? 'error' : 'e'};`] } : undefined,
    finallyStatements,
  });
  if (!wrap) return undefined;
  const edits: TextEdit[] = [...wrap];
  for (const after of region.removedAfter) {
    const edit = deleteStatementLines(ctx.sourceFile, after);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return { title: RELEASE_IN_FINALLY, preferred: true, edits };
}

/** The statements to wrap, and release (and reset) statements after them to delete. */
function chooseRegion(rest: readonly ts.Statement[], releases: readonly ts.Statement[]): { statements: ts.Statement[]; removedAfter: ts.Statement[] } | undefined {
  const topLevel = rest.findIndex((s) => releases.includes(s));
  if (topLevel > 0) {
    const wrapped = rest.slice(0, topLevel);
    const after = rest.slice(topLevel + 1);
    const laterReleases = releases.filter((r) => after.some((s) => within(r, s)));
    if (laterReleases.length === 0 && !usesDeclarationsOf(wrapped, after)) {
      // Resets just before the release are part of the wrapped statements and move with it.
      return { statements: wrapped, removedAfter: [rest[topLevel]] };
    }
  }
  return { statements: [...rest], removedAfter: [] };
}

/** `client.release();` or `await pool.release(x);` as a whole statement. */
function standaloneStatement(call: ts.CallExpression): ts.Statement | undefined {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent) ? node.parent : undefined;
}

/**
 * `client.release(err)` destroys the connection instead of returning it: one release in a finally
 * could not say which to do, so such releases keep the fix from being offered.
 */
function passesMoreThan(call: ts.CallExpression, resource: string): boolean {
  const args = call.arguments.map((a) => skipOuter(a));
  const isResource = (a: ts.Expression) => ts.isIdentifier(a) && a.text === resource;
  return args.filter((a) => !isResource(a)).length > 0;
}

/** The release to put in `finally`: the user's own form when there is one, else the pool's. */
function releaseText(acquisition: Acquisition, name: string, releases: readonly ts.Statement[]): string | undefined {
  if (releases.length > 0) {
    const text = (releases[0] as ts.ExpressionStatement).expression.getText();
    return `${text};`;
  }
  const call = releaseCallText(acquisition, name);
  if (call) return `${call.awaited ? 'await ' : ''}${call.text};`;
  // An untyped `pool.connect()` / `pool.getConnection()`: their connections release themselves.
  const method = (skipOuter(acquisition.call.expression) as ts.PropertyAccessExpression).name.text;
  return method === 'connect' || method === 'getConnection' ? `${name}.release();` : undefined;
}

function resetsBefore(release: ts.Statement, name: string, element: ElementOrigin | undefined): ts.Statement[] {
  const parent = release.parent;
  if (!ts.isBlock(parent)) return [];
  const index = parent.statements.indexOf(release);
  const out: ts.Statement[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const candidate = parent.statements[i];
    const effects = objectEffectsIn(candidate, named(name), element);
    if (!ts.isExpressionStatement(candidate) || effects.length === 0 || effects.some((e) => e.kind === 'mutate')) break;
    out.unshift(candidate);
  }
  return out;
}

function uniqueTexts(statements: readonly ts.Statement[]): string[] {
  return [...new Set(statements.map((s) => s.getText()))];
}

function dirtyKeysIn(statements: readonly ts.Statement[], name: string, element: ElementOrigin | undefined): Set<string> {
  const keys = new Set<string>();
  for (const statement of statements) {
    for (const effect of objectEffectsIn(statement, named(name), element)) {
      if (effect.kind === 'mutate') for (const key of effect.keys) keys.add(key);
    }
  }
  // Restoring every property the object has is as good as restoring the changed ones.
  if (keys.has('*') || element === undefined) return keys;
  const known = initialValues(element);
  return new Set([...keys].filter((k) => known.has(k) || k === '*'));
}

/** Names declared by `before` (let/const/class/function) that `after` uses: they would go out of scope. */
function usesDeclarationsOf(before: readonly ts.Statement[], after: readonly ts.Statement[]): boolean {
  const declared = new Set<string>();
  for (const statement of before) {
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) collectBindingNames(d.name, declared);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      declared.add(statement.name.text);
    }
  }
  if (declared.size === 0) return false;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && declared.has(node.text)) used = true;
    ts.forEachChild(node, visit);
  };
  for (const statement of after) visit(statement);
  return used;
}

function collectBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, out);
}

/** A function declared among the wrapped statements and called before them would stop being hoisted. */
function declaresHoistedNamesUsedBefore(wrapped: readonly ts.Statement[], block: ts.Block, acquisitionStatement: ts.Statement): boolean {
  const hoisted = new Set(wrapped.filter(ts.isFunctionDeclaration).flatMap((f) => (f.name ? [f.name.text] : [])));
  if (hoisted.size === 0) return false;
  const before = block.statements.slice(0, block.statements.indexOf(acquisitionStatement) + 1);
  return usesDeclarationsOf(wrapped.filter(ts.isFunctionDeclaration), before);
}

function within(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** `return client`, `return { client }`, `this.client = client`, `clients.push(client)`, outside nested functions. */
function handsOn(node: ts.Node, name: string, isRelease: (call: ts.CallExpression) => boolean): boolean {
  const mentions = (expression: ts.Node): boolean => {
    if (ts.isIdentifier(expression)) return expression.text === name && !(ts.isPropertyAccessExpression(expression.parent) && expression.parent.name === expression);
    if (ts.isFunctionLike(expression)) return false;
    // `client.query(...)` hands on what the call returns, not the client.
    if (ts.isCallExpression(expression)) return expression.arguments.some(mentions);
    if (ts.isPropertyAccessExpression(expression)) return false;
    return ts.forEachChild(expression, mentions) ?? false;
  };
  const visit = (current: ts.Node): boolean => {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return false;
    if (ts.isReturnStatement(current) && current.expression && mentions(current.expression)) return true;
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isIdentifier(current.left) && mentions(current.right)) return true;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && /^(push|unshift|set|add)$/.test(current.expression.name.text) && current.arguments.some((a) => ts.isIdentifier(a) && a.text === name) && !isRelease(current)) return true;
    return ts.forEachChild(current, visit) ?? false;
  };
  return visit(node);
}
