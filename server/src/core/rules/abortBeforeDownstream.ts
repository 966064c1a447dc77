import { ts } from 'ts-morph';
import { flowGraphOf, functionIndexOf, isFunctionWithBody, isOwnCode, walkPaths, within, type FunctionWithBody } from '../flow';
import { controlParameterOf, type ControlParameter } from '../flow/passesControl';
import { literalSpans, reindentLines } from '../fixes/reindent';
import { indentAt, indentUnitOf, lineEndOf, lineStartOf, newlineOf } from '../fixes/text';
import type { ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_TITLE = 'Abort when the response closes';

/** Frameworks whose `next()` returns before downstream async work ends (Koa and Hono await it). */
const CALLBACK_STYLE = new Set(['express', 'node-http', 'fastify', 'nest']);

/** One `abort()` that runs as soon as control came back from `next()`. */
interface EarlyAbort {
  readonly scope: RequestScope;
  readonly control: ControlParameter;
  readonly abort: ts.CallExpression;
  readonly controller: ts.Identifier;
  readonly next: ts.CallExpression;
  /** Where the signal is handed downstream: `req.signal = ac.signal`. */
  readonly handOff: ts.BinaryExpression;
  /** Whether an `await` (of `next()` itself) lies between the `next()` call and the abort. */
  readonly afterAwait: boolean;
}

export const abortBeforeDownstream: Rule = {
  id: 'abort-before-downstream',
  description: 'A callback middleware aborts the signal it handed downstream as soon as next() returns, before downstream work ends.',
  fixTitles: [FIX_TITLE],
  check(ctx) {
    if (!ctx.text.includes('AbortController') || !ctx.text.includes('abort')) return;
    for (const scope of ctx.facts.requestScopes) {
      const control = controlParameterOf(scope);
      if (!control || (control.kind !== 'next' && control.kind !== 'done') || !CALLBACK_STYLE.has(scope.framework)) continue;
      if (!isFunctionWithBody(scope.fn)) continue;
      for (const early of detect(scope, scope.fn, control)) ctx.report({ ...explain(early, ctx), fixes: fix(early, ctx) });
    }
  },
};

// ----- detect ------------------------------------------------------------------------------------

function detect(scope: RequestScope, fn: FunctionWithBody, control: ControlParameter): EarlyAbort[] {
  const index = functionIndexOf(fn);
  const nextCalls = index.ownIdentifiers(control.name).flatMap((id) => {
    const call = id.parent;
    return ts.isCallExpression(call) && call.expression === id ? [call] : [];
  });
  if (nextCalls.length === 0) return [];
  const out: EarlyAbort[] = [];
  for (const declaration of index.localFunctions) {
    if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !isNewAbortController(declaration.initializer!)) continue;
    const controller = declaration.name;
    const handOff = handOffOf(controller, scope, fn);
    if (!handOff) continue;
    const aborts = index.ownIdentifiers(controller.text).flatMap((id) => {
      const access = id.parent;
      if (!ts.isPropertyAccessExpression(access) || access.expression !== id || access.name.text !== 'abort') return [];
      const call = access.parent;
      return ts.isCallExpression(call) && call.expression === access ? [call] : [];
    });
    if (aborts.length === 0) continue;
    for (const next of nextCalls) {
      for (const { abort, afterAwait } of abortsAfter(fn, next, aborts)) {
        if (!out.some((o) => o.abort === abort)) out.push({ scope, control, abort, controller, next, handOff, afterAwait });
      }
    }
  }
  return out.sort((a, b) => a.abort.pos - b.abort.pos);
}

function isNewAbortController(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  return ts.isNewExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'AbortController';
}

/** `req.signal = ac.signal`, `res.locals.abort = ac`: the controller reaches downstream through a request object. */
function handOffOf(controller: ts.Identifier, scope: RequestScope, fn: FunctionWithBody): ts.BinaryExpression | undefined {
  for (const id of functionIndexOf(fn).ownIdentifiers(controller.text)) {
    let current: ts.Node = id;
    while (current.parent && !ts.isStatement(current.parent) && !(ts.isBinaryExpression(current.parent) && current.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
      current = current.parent;
    }
    const assignment = current.parent;
    if (!assignment || !ts.isBinaryExpression(assignment) || assignment.right !== current) continue;
    let root = skipOuter(assignment.left);
    if (!ts.isPropertyAccessExpression(root) && !ts.isElementAccessExpression(root)) continue;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
    if (ts.isIdentifier(root) && scope.requestObjects.has(root.text)) return assignment;
  }
  return undefined;
}

/**
 * The aborts reached from `next()` before anything else is awaited: right after it, or in a
 * `finally` around it (the graph copies `finally` onto the normal route). `await next()` does not
 * wait for downstream either: Express's `next()` returns undefined.
 */
function abortsAfter(fn: FunctionWithBody, next: ts.CallExpression, aborts: readonly ts.CallExpression[]): { abort: ts.CallExpression; afterAwait: boolean }[] {
  const graph = flowGraphOf(fn);
  const found = new Map<ts.CallExpression, boolean>();
  type State = { resume?: number; awaited: boolean };
  walkPaths<State>(graph, graph.stepsContaining(next).map((node) => ({ node, state: { resume: next.end, awaited: false } })), {
    key: (state) => `${state.resume !== undefined ? 'r' : ''}${state.awaited ? 'a' : ''}`,
    step: (node, state) => {
      const ast = node.ast;
      if (!ast) return { next: state };
      const events: { pos: number; abort?: ts.CallExpression; await?: ts.AwaitExpression }[] = [];
      for (const abort of aborts) if (within(abort, ast) && isOwnCode(abort, fn)) events.push({ pos: abort.getStart(), abort });
      for (const awaited of node.awaits) if (ts.isAwaitExpression(awaited)) events.push({ pos: awaited.end, await: awaited });
      events.sort((a, b) => a.pos - b.pos);
      let awaited = state.awaited;
      for (const event of events) {
        if (state.resume !== undefined && event.pos < state.resume) continue;
        if (event.abort) {
          if (!found.has(event.abort)) found.set(event.abort, awaited);
        } else if (event.await) {
          if (skipOuter(event.await.expression) !== next) return {};
          awaited = true;
        }
      }
      return { next: { awaited } };
    },
    reachedExit: () => {},
  });
  return [...found].map(([abort, afterAwait]) => ({ abort, afterAwait }));
}

// ----- explain -----------------------------------------------------------------------------------

function explain(early: EarlyAbort, ctx: RuleContext): ReportDescriptor {
  const controller = early.controller.text;
  const target = describeTarget(early.handOff.left, ctx.sourceFile);
  const next = early.control.name;
  return {
    node: early.abort,
    message: `\`${controller}.abort()\` runs as soon as \`${next}()\` returns, before downstream handlers finish their async work, so the signal they get through \`${target}\` is already aborted and cancels their queries and fetches.`,
    related: [
      { node: early.next, message: `\`${next}()\` returns here while downstream work is still running` },
      { node: early.handOff, message: 'the signal is handed downstream here' },
      ...scopeRelated(early.scope, `the middleware (${early.scope.reason}) that creates the controller`, ctx.sourceFile),
    ],
  };
}

/** `req.signal`, `res.locals.signal`; casts around the request object are left out. */
function describeTarget(expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const target = skipOuter(expression);
  if (ts.isPropertyAccessExpression(target)) return `${describeTarget(target.expression, sourceFile)}.${target.name.getText(sourceFile)}`;
  if (ts.isElementAccessExpression(target)) return `${describeTarget(target.expression, sourceFile)}[${target.argumentExpression.getText(sourceFile)}]`;
  return target.getText(sourceFile);
}

// ----- fix ---------------------------------------------------------------------------------------

/**
 * Moves the abort, with a `clearTimeout(...)` right next to it, into a `close` listener on the
 * response. In place when nothing was awaited in between (the listener is then registered
 * synchronously, before `close` can fire); a `finally` holding nothing else is dropped, the
 * listener going before the `try` (which is unwrapped when it has no `catch`). A comment at the
 * end of a moved statement's line moves with it; any other comment among the moved statements
 * makes the fix not offered.
 */
function fix(early: EarlyAbort, ctx: RuleContext): Fix[] {
  const sourceFile = ctx.sourceFile;
  const emitter = closeEmitterOf(early.scope);
  const statement = early.abort.parent;
  if (!emitter || !ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return [];
  const block = statement.parent;
  const at = block.statements.indexOf(statement);
  const moved = [statement as ts.Statement];
  if (at > 0 && isClearTimeout(block.statements[at - 1])) moved.unshift(block.statements[at - 1]);
  if (at + 1 < block.statements.length && isClearTimeout(block.statements[at + 1])) moved.push(block.statements[at + 1]);
  const text = sourceFile.text;
  if (!moved.every((s) => ownsItsLines(sourceFile, s))) return [];
  for (let i = 1; i < moved.length; i++) if (text.slice(commentEnd(text, moved[i - 1]), moved[i].getStart(sourceFile)).trim() !== '') return [];

  const newline = newlineOf(text);
  const unit = indentUnitOf(text);
  const withComment = (s: ts.Statement, code: string): string => {
    const comment = text.slice(s.end, commentEnd(text, s)).trim();
    return comment ? `${code} ${comment}` : code;
  };
  const listener = (indent: string): string => {
    if (moved.length === 1) return withComment(moved[0], `${emitter}.once('close', () => ${withoutSemicolon(moved[0].getText(sourceFile))});`);
    const body = moved.map((s) => `${indent}${unit}${withComment(s, s.getText(sourceFile))}`).join(newline);
    return `${emitter}.once('close', () => {${newline}${body}${newline}${indent}});`;
  };

  const tryStatement = block.parent;
  if (ts.isTryStatement(tryStatement) && tryStatement.finallyBlock === block && moved.length === block.statements.length) {
    // Nothing but the moved statements (and their line's comments) in the finally block.
    const first = moved[0];
    const last = moved[moved.length - 1];
    if (text.slice(block.getStart(sourceFile) + 1, first.getStart(sourceFile)).trim() !== '') return [];
    if (text.slice(commentEnd(text, last), block.end - 1).trim() !== '') return [];
    if (tryStatement.catchClause) {
      const edits = dropFinally(sourceFile, tryStatement, listener);
      return edits ? [{ title: FIX_TITLE, preferred: true, edits }] : [];
    }
    const edit = unwrapTry(sourceFile, tryStatement, listener);
    return edit ? [{ title: FIX_TITLE, preferred: true, edits: [edit] }] : [];
  }
  if (early.afterAwait) return [];
  const first = moved[0];
  const last = moved[moved.length - 1];
  const indent = indentAt(text, first.getStart(sourceFile));
  return [{ title: FIX_TITLE, preferred: true, edits: [{ start: first.getStart(sourceFile), end: commentEnd(text, last), newText: listener(indent) }] }];
}

/** `try { A } catch (e) { B } finally { abort }` -> `<listener> try { A } catch (e) { B }`. */
function dropFinally(sourceFile: ts.SourceFile, statement: ts.TryStatement, listener: (indent: string) => string): TextEdit[] | undefined {
  const text = sourceFile.text;
  const catchClause = statement.catchClause!;
  if (!ownsItsLines(sourceFile, statement)) return undefined;
  // Between the catch block and `finally` only whitespace: `} finally {` as written by hand.
  const finallyKeyword = text.lastIndexOf('finally', statement.finallyBlock!.getStart(sourceFile));
  if (finallyKeyword < catchClause.end || text.slice(catchClause.end, finallyKeyword).trim() !== '') return undefined;
  const start = statement.getStart(sourceFile);
  const indent = indentAt(text, start);
  return [
    { start, end: start, newText: `${listener(indent)}${newlineOf(text)}${indent}` },
    { start: catchClause.end, end: statement.finallyBlock!.end, newText: '' },
  ];
}

/** `try { A } finally { abort }` -> `<listener> A`, A re-indented one level out. */
function unwrapTry(sourceFile: ts.SourceFile, statement: ts.TryStatement, listener: (indent: string) => string): TextEdit | undefined {
  const text = sourceFile.text;
  const statements = statement.tryBlock.statements;
  if (statements.length === 0 || !ownsItsLines(sourceFile, statement)) return undefined;
  const unit = indentUnitOf(text);
  const newline = newlineOf(text);
  const indent = indentAt(text, statement.getStart(sourceFile));
  const first = statements[0];
  const last = statements[statements.length - 1];
  // Only when the block's statements start on their own lines after `try {` and end before `}`.
  if (!text.slice(statement.tryBlock.getStart(sourceFile) + 1, first.getStart(sourceFile)).includes('\n')) return undefined;
  const lineEnd = lineEndOf(text, last.end);
  if (text.slice(last.end, lineEnd).trim() !== '') return undefined;
  const start = lineStartOf(text, first.getStart(sourceFile));
  const end = lineEnd - (text[lineEnd - 1] === '\n' ? (text[lineEnd - 2] === '\r' ? 2 : 1) : 0);
  const lines = reindentLines(text, start, end, '', newline, literalSpans(statements)).split(newline);
  const dedented = lines.map((line) => (line.startsWith(indent + unit) ? indent + line.slice(indent.length + unit.length) : line));
  return { start: statement.getStart(sourceFile), end: statement.end, newText: `${listener(indent)}${newline}${dedented.join(newline)}` };
}

/** Where the client going away shows: `res`, or `reply.raw` in a Fastify hook. */
function closeEmitterOf(scope: RequestScope): string | undefined {
  for (const [name, role] of scope.requestObjects) {
    if (role === 'res') return name;
    if (role === 'reply') return `${name}.raw`;
  }
  return undefined;
}

function isClearTimeout(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const call = skipOuter(statement.expression);
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'clearTimeout' && call.arguments.length === 1;
}

function ownsItsLines(sourceFile: ts.SourceFile, statement: ts.Node): boolean {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  if (text.slice(lineStartOf(text, start), start).trim() !== '') return false;
  return text.slice(commentEnd(text, statement), lineEndOf(text, statement.end)).trim() === '';
}

/** The end of the comments that follow the node on its own line (the node's end when none). */
function commentEnd(text: string, node: ts.Node): number {
  const lineEnd = lineEndOf(text, node.end);
  let end = node.end;
  for (const comment of ts.getTrailingCommentRanges(text, node.end) ?? []) if (comment.end <= lineEnd) end = comment.end;
  return end;
}

function withoutSemicolon(code: string): string {
  return code.replace(/;\s*$/, '');
}
