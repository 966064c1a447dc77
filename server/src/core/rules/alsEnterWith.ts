import { ts } from 'ts-morph';
import { literalSpans, reindentLines } from '../fixes/reindent';
import { indentAt, indentUnitOf, lineEndOf, lineStartOf, newlineOf } from '../fixes/text';
import type { Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import type { Fix } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_TITLE = 'Use run() around the rest of the chain';
const ASYNC_HOOKS = new Set(['async_hooks', 'node:async_hooks']);

/** An `als.enterWith(store)` call in a request scope (plain data; see `detect`). */
interface EnterWith {
  call: ts.CallExpression;
  /** `als` in `als.enterWith(...)`. */
  receiver: ts.Expression;
  scope: RequestScope;
}

export const alsEnterWith: Rule = {
  id: 'als-enter-with',
  description: "AsyncLocalStorage#enterWith in a request scope leaks the store into later continuations, including other requests'.",
  fixTitles: [FIX_TITLE],
  check(ctx) {
    for (const found of detect(ctx)) {
      ctx.report({
        node: found.call,
        message: `${found.receiver.getText(ctx.sourceFile)}.enterWith() sets this request's store for the rest of the current async context, so it outlives the request and leaks into every later continuation of that context, including callbacks that serve other requests.`,
        related: scopeRelated(found.scope, `the request scope (${found.scope.reason}) whose store leaks`, ctx.sourceFile),
        fixes: fix(found, ctx.sourceFile),
      });
    }
  },
};

/** Every `x.enterWith(...)` in a request scope whose `x` is an `AsyncLocalStorage`. */
function detect(ctx: RuleContext): EnterWith[] {
  if (!ctx.text.includes('enterWith') || ctx.facts.requestScopes.length === 0) return [];
  const found: EnterWith[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enterWith') {
        const scope = ctx.facts.scopeOf(node);
        if (scope && isAsyncLocalStorage(callee.expression, ctx)) found.push({ call: node, receiver: callee.expression, scope });
      }
    }
    ts.forEachChild(node, visit);
  };
  // Only request scopes can hold a finding: walk their bodies (outer scopes contain inner ones).
  const roots = ctx.facts.requestScopes.filter((scope) => !ctx.facts.scopeOf(scope.fn.parent));
  for (const scope of roots) if (scope.fn.body) visit(scope.fn.body);
  return found;
}

/** `new AsyncLocalStorage()` from `node:async_hooks`, as syntax follows it; else the type, when it resolves. */
function isAsyncLocalStorage(receiver: ts.Expression, ctx: RuleContext): boolean {
  const info = ctx.facts.values.infoOf(receiver);
  if (info.kind === 'package') return ASYNC_HOOKS.has(info.module) && info.path === 'new AsyncLocalStorage';
  if (info.kind !== 'unknown') return false;
  const type = ctx.types.typeOf(receiver);
  if (!ctx.types.isKnown(type)) return false;
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return symbol?.getName() === 'AsyncLocalStorage';
}

/**
 * "Use run() around the rest of the chain": the statements after the `enterWith` in the handler's
 * own body move into a callback of `als.run(store, ...)`. `als.enterWith(s); next();` becomes
 * `als.run(s, () => next());` (`return als.run(...)` in Koa / Hono, whose next() is a promise); otherwise `return als.run(s, async () => { ... });` when the rest
 * awaits, a plain arrow when it doesn't. Not offered when the rest returns (a `return` would then
 * return from the callback), when nothing follows, when the call is not a statement of the
 * handler's body, or when a name the rest declares is used before the call.
 *
 * Comments are user code too: a comment inside the store argument moves with it, a comment after
 * the call on its line stays on the line of the `run()` call, comments between the call and
 * `next()` stay where they are; a comment anywhere else in the call makes the fix unsafe, so it
 * is not offered. The only text the fix drops is `enterWith` itself, which `run` replaces.
 */
function fix(found: EnterWith, sourceFile: ts.SourceFile): Fix[] {
  const { call, receiver, scope } = found;
  const statement = call.parent;
  const body = scope.fn.body;
  if (!ts.isExpressionStatement(statement) || statement.expression !== call || !body || !ts.isBlock(body) || statement.parent !== body) return [];
  if (call.arguments.length !== 1 || ts.isSpreadElement(call.arguments[0])) return [];
  const index = body.statements.indexOf(statement);
  const rest = body.statements.slice(index + 1);
  if (rest.length === 0 || rest.some(containsOwnReturn) || usedBefore(rest, body.statements.slice(0, index + 1))) return [];

  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  // The store argument with any comment around it; a comment elsewhere in the statement would be lost.
  const args = call.arguments;
  const argsEnd = args.hasTrailingComma ? args[0].end : args.end;
  if (commentsIn(text, start, statement.end).some((c) => c.pos < args.pos || c.end > argsEnd)) return [];
  const als = receiver.getText(sourceFile);
  const store = text.slice(args.pos, argsEnd).trim();
  const last = rest[rest.length - 1];
  const nextName = scope.next?.name;
  if (nextName && rest.length === 1 && isBareNextStatement(rest[0], nextName) && commentsIn(text, rest[0].getStart(sourceFile), rest[0].end).length === 0) {
    // Koa's and Hono's next() returns the rest of the chain: hand it on, as §2.9 asks.
    const handOn = scope.framework === 'koa' || scope.framework === 'hono' ? 'return ' : '';
    const newText = `${handOn}${als}.run(${store}, () => ${nextName}());`;
    const nextStart = rest[0].getStart(sourceFile);
    if (text.slice(statement.end, nextStart).trim() === '') return [{ title: FIX_TITLE, preferred: true, edits: [{ start, end: last.end, newText }] }];
    // Comments between the call and next() stay where they are: replace the call, delete next().
    return [{ title: FIX_TITLE, preferred: true, edits: [{ start, end: statement.end, newText }, removeStatement(text, rest[0], sourceFile)] }];
  }
  const nl = newlineOf(text);
  const indent = indentAt(text, start);
  // The rest is moved line by line from the line after the call (comments before it included),
  // so nothing but comments may follow the call on its line; those stay on the run() line.
  const firstLine = lineEndOf(text, statement.end);
  if (firstLine > rest[0].getStart(sourceFile)) return [];
  const sameLine = text.slice(statement.end, firstLine).trim();
  const trailing = commentsIn(text, statement.end, firstLine);
  if (sameLine !== '' && (trailing.length === 0 || text.slice(statement.end, trailing[0].pos).trim() !== '' || trailing.some((c) => c.end > firstLine))) return [];
  const moved = reindentLines(text, firstLine, last.end, indentUnitOf(text), nl, literalSpans(rest));
  const arrow = rest.some(containsOwnAwait) ? 'async () =>' : '() =>';
  const newText = `return ${als}.run(${store}, ${arrow} {${sameLine ? ` ${sameLine}` : ''}${nl}${moved}${nl}${indent}});`;
  return [{ title: FIX_TITLE, preferred: true, edits: [{ start, end: last.end, newText }] }];
}

/** The comments in `text[start, end)`, as the scanner sees them (a comment inside a string is not one). */
function commentsIn(text: string, start: number, end: number): { pos: number; end: number }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text, undefined, start, end - start);
  const out: { pos: number; end: number }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) out.push({ pos: scanner.getTokenPos(), end: scanner.getTextPos() });
  }
  return out;
}

/** An edit deleting `statement`: its whole line when nothing else is on it, else just its text. */
function removeStatement(text: string, statement: ts.Statement, sourceFile: ts.SourceFile): { start: number; end: number; newText: string } {
  const start = statement.getStart(sourceFile);
  const lineStart = lineStartOf(text, start);
  const lineEnd = lineEndOf(text, statement.end);
  if (text.slice(lineStart, start).trim() === '' && text.slice(statement.end, lineEnd).trim() === '') return { start: lineStart, end: lineEnd, newText: '' };
  let end = statement.end;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return { start, end, newText: '' };
}

function isBareNextStatement(statement: ts.Statement, nextName: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const call = skipOuter(statement.expression);
  return ts.isCallExpression(call) && call.arguments.length === 0 && ts.isIdentifier(call.expression) && call.expression.text === nextName;
}

/** A `return` of the handler itself (not of a function nested in the statements). */
function containsOwnReturn(node: ts.Node): boolean {
  return containsOwn(node, (n) => ts.isReturnStatement(n));
}

function containsOwnAwait(node: ts.Node): boolean {
  return containsOwn(node, (n) => ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && !!n.awaitModifier));
}

function containsOwn(node: ts.Node, test: (node: ts.Node) => boolean): boolean {
  if (test(node)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, (child) => containsOwn(child, test)) ?? false;
}

/** A name the moved statements declare (hoisted `var` / `function` too) that the statements before them use. */
function usedBefore(rest: readonly ts.Statement[], before: readonly ts.Statement[]): boolean {
  const declared = new Set<string>();
  for (const statement of rest) {
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) addNames(d.name, declared);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) declared.add(statement.name.text);
  }
  if (declared.size === 0) return false;
  const uses = (node: ts.Node): boolean => (ts.isIdentifier(node) && declared.has(node.text)) || (ts.forEachChild(node, uses) ?? false);
  return before.some(uses);
}

function addNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) names.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addNames(element.name, names);
}
