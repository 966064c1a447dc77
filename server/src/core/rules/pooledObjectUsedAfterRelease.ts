import { ts } from 'ts-morph';
import { functionIndexOf, within } from '../flow';
import { lineEndOf, lineStartOf } from '../fixes/text';
import { poolFactsOf } from '../pools/poolFacts';
import { mayReleaseParameters } from '../pools/pooledParameters';
import { copyExpression } from '../pools/pooledValues';
import { findUsesAfterRelease, type ReleasedUse } from '../pools/useAfterRelease';
import { isValueReference } from '../syntax/bindings';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const MOVE_FIX = 'Move the release after the last use';
const COPY_FIX = 'Copy the value before releasing';

export const pooledObjectUsedAfterRelease: Rule = {
  id: 'pooled-object-used-after-release',
  description: 'A pooled object, or something read from it, is used or escapes after it was given back to the pool.',
  fixTitles: [MOVE_FIX, COPY_FIX],
  check(ctx) {
    const pools = poolFactsOf(ctx.facts);
    // A helper that gives back a connection it receives needs no pool word of its own.
    const parameters = mayReleaseParameters(ctx.text);
    if (!pools.mayHavePools && !parameters) return;
    if (pools.acquisitions.length === 0 && pools.giveBacks.length === 0 && !parameters) return;
    for (const found of detect(ctx)) ctx.report({ ...explain(found, ctx), fixes: fix(found, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

function detect(ctx: RuleContext): ReleasedUse[] {
  const pools = poolFactsOf(ctx.facts);
  const types = pools.mayUseTypes ? ctx.types : undefined;
  return findUsesAfterRelease({
    pools,
    types,
    promiseCall(call) {
      const known = ctx.facts.callFacts(call);
      if (known) return known.promise;
      return types ? types.isThenable(call) : undefined;
    },
  });
}

// ----- explain -----------------------------------------------------------------------------------

function explain(found: ReleasedUse, ctx: RuleContext): ReportDescriptor {
  const sourceFile = ctx.sourceFile;
  const release = found.releases[0];
  const line = sourceFile.getLineAndCharacterOfPosition(release.getStart(sourceFile)).line + 1;
  const root = `\`${found.origin.root.name}\``;
  const name = `\`${found.name.name}\``;
  const connections = found.origin.acquisition ? !found.origin.acquisition.reusableObject : !!found.origin.connections;
  const risk = connections
    ? 'another caller may already hold it and run its own queries on it'
    : 'another caller may already have taken it from the pool and be overwriting it';
  const subject = found.name.alias ? `${name}, which still points into ${root},` : name;
  let message: string;
  switch (found.kind) {
    case 'again':
      message = `${root} is given back to the pool a second time (it already was at line ${line}), so the pool can hand the same object to two callers at once.`;
      break;
    case 'use':
      message = found.name.alias
        ? `${subject} is used after ${root} was given back to the pool at line ${line}, when ${risk}.`
        : `${root} is used after it was given back to the pool at line ${line}, when ${risk}.`;
      break;
    case 'escape':
      message = escapeMessage(found, root, line, risk, sourceFile);
      break;
  }
  const related: RelatedDescriptor[] = found.releases.slice(0, 3).map((node) => ({ node, message: `${root} is given back to the pool here` }));
  if (found.origin.acquisition) related.push({ node: found.origin.acquisition.call, message: `${root} is taken from the pool here` });
  const scope = ctx.facts.scopeOf(found.anchor);
  if (scope) related.push(...scopeRelated(scope, `request handler (${scope.reason}) in which it happens`, sourceFile));
  return { node: found.anchor, message, related };
}

function escapeMessage(found: ReleasedUse, root: string, line: number, risk: string, sourceFile: ts.SourceFile): string {
  const text = found.anchor.getText(sourceFile);
  const shown = text.length <= 40 && !text.includes('\n') ? `\`${text}\`` : 'this value';
  switch (found.how) {
    case 'returned':
      return `${shown} is returned but ${root} goes back to the pool at line ${line} before the caller uses it, when ${risk}.`;
    case 'stored':
      return `${shown} is stored here and outlives the give-back of ${root} to the pool at line ${line}, so whoever reads it later gets an object another caller may be using.`;
    case 'written':
      return `${shown} is handed to a stream write that keeps it until it is flushed, but ${root} goes back to the pool at line ${line}, so the bytes sent can be overwritten by the next borrower.`;
    default:
      if (found.value) return `${shown} is passed to work that is not awaited before ${root} goes back to the pool at line ${line}, so that work can run after the give-back, when ${risk}.`;
      return `This callback uses ${shown}, but ${root} goes back to the pool at line ${line} before the callback can run, when ${risk}.`;
  }
}

// ----- fix ---------------------------------------------------------------------------------------

function fix(found: ReleasedUse, ctx: RuleContext): Fix[] {
  const move = found.kind === 'use' ? moveRelease(found, ctx) : undefined;
  const copy = found.kind === 'again' ? undefined : copyValue(found, ctx);
  const fixes: Fix[] = [];
  if (move) fixes.push({ title: MOVE_FIX, preferred: true, edits: move });
  if (copy) fixes.push({ title: COPY_FIX, preferred: !move, edits: copy });
  return fixes;
}

/** Words of code that can leave a statement other than by its end, or suspend it. */
const MAY_LEAVE = /\b(?:await|return|throw|break|continue|yield)\b/;
const MAY_LEAVE_NOT_AWAIT = /\b(?:return|throw|break|continue|yield)\b/;

/**
 * Moves the release statement down its own block, after the statement holding the last use of the
 * object: offered when that release is the only one the use follows, every later mention of the
 * object lies in that block, and nothing between can leave the block (no `return`, `throw`,
 * `break`, `continue`, `yield`, nor an `await` that could reject and skip the release).
 */
function moveRelease(found: ReleasedUse, ctx: RuleContext): TextEdit[] | undefined {
  if (found.releases.length !== 1) return undefined;
  const release = found.releases[0];
  const statement = releaseStatement(release);
  if (!statement) return undefined;
  const block = statement.parent as ts.Block;
  const statements = block.statements;
  const at = statements.indexOf(statement);
  const text = ctx.text;
  const fn = found.origin.fn;
  const index = functionIndexOf(fn);
  let last: ts.Statement | undefined;
  const names = new Set<string>([found.origin.root.name, found.name.name, ...found.names]);
  for (const name of names) {
    for (const identifier of index.allIdentifiers(name)) {
      if (identifier.pos < statement.end || !isValueReference(identifier)) continue;
      if (identifier.pos >= block.end) return undefined;
      const holder = statements.find((s, i) => i > at && within(identifier, s));
      if (!holder) return undefined;
      if (!last || statements.indexOf(holder) > statements.indexOf(last)) last = holder;
    }
  }
  if (!last || !within(found.anchor, last) && found.anchor.pos > last.end) return undefined;
  // An `await` passed over could reject and skip the release: allowed only where a rejection
  // already skips it (pool-resource-leak reports that path; its fix repairs both).
  const leaking = found.origin.acquisition ? poolFactsOf(ctx.facts).ownership.reportFor(found.origin.acquisition) : undefined;
  const rejectsAlready = !!leaking?.leaks.some((leak) => leak.kind === 'reject');
  for (let i = at + 1; i <= statements.indexOf(last); i++) {
    const code = text.slice(statements[i].getStart(ctx.sourceFile), statements[i].end);
    if ((rejectsAlready ? MAY_LEAVE_NOT_AWAIT : MAY_LEAVE).test(code)) return undefined;
  }
  const start = lineStartOf(text, statement.getStart(ctx.sourceFile));
  const end = lineEndOf(text, statement.end - 1);
  // Only a statement alone on its lines (but for a comment after it, which moves with it) can be
  // moved as lines, and only to after a line the last use ends (a comment there stays before it).
  if (text.slice(start, statement.getStart(ctx.sourceFile)).trim() !== '' || !onlyCommentAfter(text.slice(statement.end, end))) return undefined;
  const lastEnd = lineEndOf(text, last.end - 1);
  if (!onlyCommentAfter(text.slice(last.end, lastEnd))) return undefined;
  const moved = text.slice(start, end);
  return [
    { start, end, newText: '' },
    { start: lastEnd, end: lastEnd, newText: moved.endsWith('\n') ? moved : `${moved}\n` },
  ];
}

/** Nothing but whitespace and one line comment (or a one-line block comment) up to the line's end. */
function onlyCommentAfter(rest: string): boolean {
  return /^\s*(\/\/[^\n]*|\/\*[^\n]*?\*\/)?\s*$/.test(rest);
}

/** `client.release();`, `await pool.release(x);`, `free.push(buf);`, `done();` as a statement of a block. */
function releaseStatement(release: ts.Node): ts.ExpressionStatement | undefined {
  let node: ts.Node = release;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  const statement = node.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
  return statement;
}

/**
 * Copies the escaping value where it is still valid: at the escape itself when it escapes before
 * the give-back (`return Buffer.from(buf.subarray(0, n))`), or at the alias's declaration when the
 * alias is used after it (`const rows = [...batch.rows]`). Offered only where the kind of value
 * says how to copy it (array, Buffer, typed array, plain object, Map, Set).
 */
function copyValue(found: ReleasedUse, ctx: RuleContext): TextEdit[] | undefined {
  if (found.kind === 'escape') {
    if (!found.value || found.how === 'listener' || found.how === 'timer' || found.how === 'unawaited' && !found.value) return undefined;
    const kind = found.valueKind ?? (skipOuter(found.value) !== found.value ? undefined : found.name.kind);
    const target = found.value;
    if (ts.isIdentifier(target) && target.text !== found.name.name) return undefined;
    return wrap(target, kind, ctx);
  }
  // Used after the give-back through an alias made before it: copy where the alias is made.
  if (!found.value) return undefined;
  const alias = found.name.alias;
  if (!alias || !alias.initializer) return undefined;
  const declaration = alias.declaration;
  if (ts.isVariableDeclaration(declaration)) {
    if (declaration.initializer !== alias.initializer) return undefined;
  } else if (!ts.isBinaryExpression(declaration) || declaration.right !== alias.initializer || !onlyAssignment(found, declaration)) {
    return undefined;
  }
  if (alias.initializer.end > found.releases[0].pos) return undefined;
  return wrap(alias.initializer, found.name.kind, ctx);
}

/**
 * `lines = batch.rows` made the alias: copying there is enough only when it is the one assignment
 * of the variable in the function (another could make it an alias again on some path).
 */
function onlyAssignment(found: ReleasedUse, assignment: ts.BinaryExpression): boolean {
  const left = skipOuter(assignment.left);
  if (!ts.isIdentifier(left)) return false;
  for (const identifier of functionIndexOf(found.origin.fn).allIdentifiers(left.text)) {
    if (identifier === left) continue;
    let node: ts.Node = identifier;
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    const parent = node.parent;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
    if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && parent.operand === node) return false;
    if (ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isForInStatement(parent) || ts.isForOfStatement(parent)) return false;
  }
  return true;
}

function wrap(expression: ts.Expression, kind: ReleasedUse['valueKind'], ctx: RuleContext): TextEdit[] | undefined {
  const start = expression.getStart(ctx.sourceFile);
  const text = ctx.text.slice(start, expression.end);
  const copy = copyExpression(text, kind);
  if (!copy) return undefined;
  return [{ start, end: expression.end, newText: copy }];
}
