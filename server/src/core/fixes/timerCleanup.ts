// Fixes for RULES.md §2.6 (`timer-without-cleanup`): clear the timer when the request ends, clear a
// timeout in a `finally` around the code that awaits it (hoisting the handle out of a Promise
// executor), or replace a timer that only aborts a controller by `AbortSignal.timeout`, combined
// with the request's signal so §2.3 stays satisfied. Each is offered only where its edit is safe.
import { ts } from 'ts-morph';
import { awaitPointsIn, enclosingFunction, isDeferredCode } from '../flow';
import type { RuleContext } from '../ruleApi';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { supportsAbortSignalAny } from '../signals/abortSignalAny';
import { isAbortSignalAny, RequestSignals } from '../signals/requestSignals';
import { SignalEnv } from '../signals/signalEnv';
import { indexOf } from '../syntax/fileIndex';
import { enclosingExecutor, referencesOf } from '../timers/timerFacts';
import type { UncleanedTimer } from '../timers/uncleanedTimers';
import type { Fix, TextEdit } from '../types';
import { freshName, requestSignalFor } from './requestSignal';
import { applyEdits } from '../edits';
import { literalSpans, reindentLines } from './reindent';
import { indentAt, indentUnitOf, lineEndOf, lineStartOf, newlineOf } from './text';
import { addFinallyTo, deleteStatementLines, wrapInTryFinally } from './wrapInTryFinally';

export interface TimerFixTitles {
  clearOnEnd: string;
  clearInFinally: string;
  abortSignalTimeout: string;
}

const HANDLE_NAME = 'timer';

/** The fixes for one finding, in RULES.md order; the `finally` form is preferred when offered. */
export function timerCleanupFixes(ctx: RuleContext, timer: UncleanedTimer, titles: TimerFixTitles): Fix[] {
  const builder = new TimerFixes(ctx, timer);
  const onEnd = builder.clearOnEnd();
  const inFinally = timer.kind === 'timeout' ? builder.clearInFinally() : undefined;
  const withTimeout = timer.kind === 'timeout' ? builder.abortSignalTimeout() : undefined;
  const fixes: Fix[] = [];
  if (onEnd) fixes.push({ title: titles.clearOnEnd, preferred: !inFinally, edits: onEnd });
  if (inFinally) fixes.push({ title: titles.clearInFinally, preferred: true, edits: inFinally });
  if (withTimeout) fixes.push({ title: titles.abortSignalTimeout, preferred: !onEnd && !inFinally, edits: withTimeout });
  return fixes;
}

/** The statement that starts the timer, and the name its handle has (or will have). */
interface TimerStatement {
  statement: ts.Statement;
  name: string;
  /** Edits that keep the handle (`const timer = ` before a bare timer statement). */
  keep: TextEdit[];
}

class TimerFixes {
  readonly #sourceFile: ts.SourceFile;
  readonly #text: string;
  readonly #declarations: LocalDeclarations;
  readonly #isJs: boolean;

  constructor(
    private readonly ctx: RuleContext,
    private readonly timer: UncleanedTimer,
  ) {
    this.#sourceFile = ctx.sourceFile;
    this.#text = ctx.sourceFile.text;
    this.#declarations = indexOf(ctx.sourceFile).declarations;
    this.#isJs = /\.[cm]?jsx?$/.test(ctx.sourceFile.fileName);
  }

  get #clearName(): string {
    return this.timer.kind === 'interval' ? 'clearInterval' : 'clearTimeout';
  }

  /** "Clear the timer when the request ends": `res.once('close', () => clearInterval(timer));` after the timer. */
  clearOnEnd(): TextEdit[] | undefined {
    const { scope } = this.timer;
    const started = this.#timerStatement();
    if (!started || !this.#clearIsGlobal(started.statement)) return undefined;
    if (insideLoop(started.statement, scope.fn)) return undefined;
    const listener = this.#endListener(scope, started.statement, `() => ${this.#clearName}(${started.name})`);
    if (!listener) return undefined;
    const insert = this.#afterStatement(started.statement, listener);
    return insert ? [...started.keep, insert] : undefined;
  }

  /** "Clear the timeout in finally": `try { <the rest> } finally { clearTimeout(timer); }`. */
  clearInFinally(): TextEdit[] | undefined {
    const { call, handle } = this.timer;
    const executor = enclosingExecutor(call);
    if (executor && handle.kind === 'none') return this.#hoistedFinally(executor.promise);
    const started = this.#timerStatement();
    if (!started || executor) return undefined;
    const block = started.statement.parent;
    if (!ts.isBlock(block)) return undefined;
    const rest = block.statements.slice(block.statements.indexOf(started.statement) + 1);
    const wrap = this.#wrapRest(rest, started.name, started.statement);
    return wrap ? [...started.keep, ...wrap] : undefined;
  }

  /** `new Promise((_, reject) => setTimeout(...))`: the handle goes to a `let` declared before the statement. */
  #hoistedFinally(promise: ts.NewExpression): TextEdit[] | undefined {
    const fn = enclosingFunction(promise);
    if (!fn) return undefined;
    let statement: ts.Node = promise;
    while (statement.parent && !(ts.isBlock(statement.parent) && statement.parent.parent === fn)) {
      if (isDeferredCode(statement.parent)) return undefined;
      statement = statement.parent;
    }
    const block = statement.parent;
    if (!block || !ts.isBlock(block) || !ts.isStatement(statement)) return undefined;
    const name = freshName(HANDLE_NAME, fn);
    const rest = block.statements.slice(block.statements.indexOf(statement));
    const call = this.timer.call;
    const start = call.getStart(this.#sourceFile);
    const inArrowBody = ts.isArrowFunction(call.parent) && call.parent.body === call;
    const assign: TextEdit[] = inArrowBody
      ? [{ start, end: start, newText: `(${name} = ` }, { start: call.end, end: call.end, newText: ')' }]
      : [{ start, end: start, newText: `${name} = ` }];
    const wrap = this.#wrapRest(rest, name, statement, assign);
    if (!wrap) return undefined;
    const type = this.#isJs ? '' : ': ReturnType<typeof setTimeout> | undefined';
    const nl = newlineOf(this.#text);
    const indent = indentAt(this.#text, statement.getStart(this.#sourceFile));
    if (wrap.length !== 1) return undefined;
    return [{ ...wrap[0], newText: `${indent}let ${name}${type};${nl}${wrap[0].newText}` }];
  }

  /**
   * Wraps `rest` in try/finally clearing `name`, dropping the clear statements it already has.
   * `inner` are insertions inside `rest` (the hoisted handle's assignment), applied to the wrapped text.
   */
  #wrapRest(rest: readonly ts.Statement[], name: string, timerStatement: ts.Statement, inner: readonly TextEdit[] = []): TextEdit[] | undefined {
    if (rest.length === 0 || !this.#clearIsGlobal(timerStatement)) return undefined;
    // The finally must run when the awaited work settles: there has to be awaited work, and no
    // promise may leave through a `return` before it settles.
    if (!rest.some((statement) => awaitPointsIn(statement).length > 0)) return undefined;
    if (rest.some((statement) => returnsUnsettledWork(statement, this.timer.scope))) return undefined;
    const remove = rest.filter((statement) => this.#isClearStatement(statement, name));
    const only = rest.length === 1 ? rest[0] : undefined;
    if (inner.length === 0 && only && ts.isTryStatement(only) && only.catchClause && !only.finallyBlock) return addFinallyTo(this.#sourceFile, only, [`clearTimeout(${name});`]);
    if (inner.length === 0) return wrapInTryFinally(this.#sourceFile, { statements: rest, remove, finallyStatements: [`clearTimeout(${name});`] });

    const text = this.#text;
    const first = rest[0];
    const last = rest[rest.length - 1];
    if (!text.slice(first.pos, first.getStart(this.#sourceFile)).includes('\n')) return undefined;
    const start = lineEndOf(text, first.pos);
    const lineEnd = lineEndOf(text, last.end);
    const end = text[lineEnd - 1] === '\n' ? lineEnd - (text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
    if (!/^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(last.end, end))) return undefined;
    if (inner.some((edit) => edit.start !== edit.end || edit.start <= start || edit.start >= end)) return undefined;
    const shift = (pos: number): number => pos + inner.filter((edit) => edit.start < pos).reduce((sum, edit) => sum + edit.newText.length, 0);
    const dropLines = new Set<number>();
    for (const statement of remove) {
      const deletion = deleteStatementLines(this.#sourceFile, statement);
      if (!deletion) return undefined;
      for (let at = deletion.start; at < deletion.end; at = lineEndOf(text, at)) dropLines.add(shift(at));
    }
    const literals = literalSpans(rest).map((span) => ({ start: shift(span.start), end: shift(span.end) }));
    const edited = applyEdits(text, [...inner]);
    const nl = newlineOf(text);
    const unit = indentUnitOf(text);
    const indent = indentAt(text, first.getStart(this.#sourceFile));
    const body = reindentLines(edited, shift(start), shift(end), unit, nl, literals, dropLines);
    const newText = [`${indent}try {`, body, `${indent}} finally {`, `${indent}${unit}clearTimeout(${name});`, `${indent}}`].join(nl);
    return [{ start, end, newText }];
  }

  /** "Use AbortSignal.timeout instead": the controller's one signal use becomes `AbortSignal.any([requestSignal, AbortSignal.timeout(ms)])`. */
  abortSignalTimeout(): TextEdit[] | undefined {
    const { call, cleanup, scope, handle } = this.timer;
    if (cleanup?.kind !== 'abort' || !cleanup.onlyAborts) return undefined;
    if (!supportsAbortSignalAny(this.ctx.facts.runtime)) return undefined;
    if (call.arguments.length !== 2) return undefined;
    const delay = call.arguments[1];
    if (!isPlainValue(delay)) return undefined;
    const controller = this.#declarations.lookup(cleanup.controller.text, cleanup.controller);
    if (!controller || !ts.isVariableDeclaration(controller)) return undefined;
    const controllerStatement = controller.parent.parent;
    if (!ts.isVariableStatement(controllerStatement) || controllerStatement.declarationList.declarations.length !== 1) return undefined;
    const home = enclosingFunction(controller);
    if (!home || enclosingFunction(call) === undefined) return undefined;
    // The controller is used for the timer's abort and one `.signal`, nothing else.
    const references = referencesOf(cleanup.controller.text, controller, home, this.#declarations);
    const signalUses = references.filter((r) => ts.isPropertyAccessExpression(r.parent) && r.parent.expression === r && r.parent.name.text === 'signal');
    const inTimer = references.filter((r) => r.pos >= cleanup.callback.pos && r.end <= cleanup.callback.end);
    if (signalUses.length !== 1 || inTimer.length !== 1 || references.length !== 2) return undefined;
    const signalUse = signalUses[0].parent as ts.PropertyAccessExpression;
    if (signalUse.pos >= call.pos && signalUse.end <= call.end) return undefined;
    // The delay means the same where the signal is used.
    const sameMeaning = identifiersIn(delay).every((id) => this.#declarations.lookup(id.text, id) === this.#declarations.lookup(id.text, signalUse));
    if (!sameMeaning) return undefined;

    const removals: TextEdit[] = [];
    const timerStatement = this.#timerStatement();
    if (!timerStatement || timerStatement.keep.length > 0 && handle.kind !== 'none') return undefined;
    if (handle.kind === 'variable') {
      for (const reference of referencesOf(handle.name, handle.declaration!, enclosingFunction(handle.declaration!) ?? this.#sourceFile, this.#declarations)) {
        const statement = clearStatementOf(reference);
        if (!statement) return undefined;
        const edit = deleteStatementLines(this.#sourceFile, statement);
        if (!edit) return undefined;
        removals.push(edit);
      }
    }
    for (const statement of [controllerStatement, timerStatement.statement]) {
      const edit = deleteStatementLines(this.#sourceFile, statement) ?? deleteStatementBeforeComment(this.#sourceFile, statement);
      if (!edit) return undefined;
      removals.push(edit);
    }
    const env = new SignalEnv(this.#sourceFile, this.ctx.facts.imports, this.ctx.types);
    const signals = new RequestSignals(scope, env);
    const delayText = delay.getText(this.#sourceFile);
    const useStart = signalUse.getStart(this.#sourceFile);
    // Already combined (`AbortSignal.any([ac.signal, ...])`): the timeout takes the controller's place.
    const list = outerList(signalUse);
    if (list && isAbortSignalAny(list.parent as ts.CallExpression)) {
      const edits: TextEdit[] = [...removals, { start: useStart, end: signalUse.end, newText: `AbortSignal.timeout(${delayText})` }];
      if (!list.elements.some((element) => element !== signalUse && signals.isRequestSignal(element))) {
        const signal = requestSignalFor(scope, signalUse, signals, this.#sourceFile, this.ctx.facts.imports);
        if (!signal) return undefined;
        const first = list.elements[0].getStart(this.#sourceFile);
        edits.push(...signal.edits, { start: first, end: first, newText: `${signal.expression}, ` });
      }
      return overlapping(edits) ? undefined : edits;
    }
    const signal = requestSignalFor(scope, signalUse, signals, this.#sourceFile, this.ctx.facts.imports);
    if (!signal) return undefined;
    const replace: TextEdit = { start: useStart, end: signalUse.end, newText: `AbortSignal.any([${signal.expression}, AbortSignal.timeout(${delayText})])` };
    const edits = [...signal.edits, ...removals, replace];
    return overlapping(edits) ? undefined : edits;
  }

  /**
   * The statement starting the timer, directly in a block: `setInterval(...);` (the handle gets a
   * fresh `const`), `const t = setTimeout(...);`, or `t = setTimeout(...);`.
   */
  #timerStatement(): TimerStatement | undefined {
    const { call, handle } = this.timer;
    let holder: ts.Node = call;
    while (ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
    if (handle.kind === 'none') {
      const statement = holder.parent;
      if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
      const fn = enclosingFunction(call);
      if (!fn) return undefined;
      const name = freshName(HANDLE_NAME, fn);
      const start = statement.getStart(this.#sourceFile);
      return { statement, name, keep: [{ start, end: start, newText: `const ${name} = ` }] };
    }
    if (handle.kind !== 'variable') return undefined;
    const declaration = handle.holder;
    if (ts.isVariableDeclaration(declaration)) {
      const statement = declaration.parent.parent;
      if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1 || !ts.isBlock(statement.parent)) return undefined;
      return { statement, name: handle.name, keep: [] };
    }
    const statement = declaration.parent;
    if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return undefined;
    return { statement, name: handle.name, keep: [] };
  }

  /** The listener statement on the request's end, or undefined when the scope has no usable end event. */
  #endListener(scope: RequestScope, at: ts.Node, callback: string): string | undefined {
    const source = scope.signal;
    if (source.kind === 'none' || source.missingParameter) return undefined;
    if (source.kind === 'native') {
      if (!this.#rootIsParameter(source.expression, scope, at) || !this.#mayHave(source.expression, 'addEventListener', at)) return undefined;
      return `${source.expression}.addEventListener('abort', ${callback}, { once: true });`;
    }
    if (source.closeEmitter.includes('(') || !this.#rootIsParameter(source.closeEmitter, scope, at)) return undefined;
    if (!this.#mayHave(source.closeEmitter.replace(/\?(?=\.)/g, ''), 'once', at)) return undefined;
    const listen = (source as { optionalEmitter?: boolean }).optionalEmitter ? '?.once' : '.once';
    return `${source.closeEmitter}${listen}('${source.event}', ${callback});`;
  }

  #rootIsParameter(expression: string, scope: RequestScope, at: ts.Node): boolean {
    const root = /^[\w$]+/.exec(expression)?.[0];
    if (!root) return false;
    const found = this.#declarations.lookup(root, at);
    return !!found && ts.isParameter(found) && found.parent === scope.fn;
  }

  /**
   * Whether `expression` (a parameter and property names: `res`, `reply.raw`) may have `method`.
   * The scope's request objects come from parameter positions and names; when the parameter's
   * declared type says otherwise (`keepAlive(res: Response, everyMs: number)` taken as `(req, res)`),
   * the listener would not compile. Asks the checker only for parameters with a declared type.
   */
  #mayHave(expression: string, method: string, at: ts.Node): boolean {
    if (this.#isJs) return true;
    const [root, ...path] = expression.split('.');
    const parameter = this.#declarations.lookup(root, at);
    if (!parameter || !ts.isParameter(parameter) || !parameter.type) return true;
    if (KEYWORD_TYPES.has(parameter.type.kind) || ts.isLiteralTypeNode(parameter.type) || ts.isArrayTypeNode(parameter.type) || ts.isTupleTypeNode(parameter.type)) return false;
    try {
      const checker = this.ctx.types.checker;
      let type: ts.Type | undefined = checker.getTypeAtLocation(parameter.name);
      for (const name of [...path, method]) {
        if (!this.ctx.types.isKnown(type)) return true;
        const property = checker.getPropertyOfType(checker.getNonNullableType(type), name);
        if (!property) return false;
        type = checker.getTypeOfSymbolAtLocation(property, at);
      }
      return true;
    } catch {
      return true;
    }
  }

  /** `clearTimeout` / `clearInterval` at `at` are the global ones. */
  #clearIsGlobal(at: ts.Node): boolean {
    const names = ['clearTimeout', this.#clearName];
    return names.every((name) => !this.#declarations.lookup(name, at) && !this.ctx.facts.imports.get(name));
  }

  #isClearStatement(statement: ts.Statement, name: string): boolean {
    if (!ts.isExpressionStatement(statement)) return false;
    const call = skipOuter(statement.expression);
    if (!ts.isCallExpression(call) || call.arguments.length !== 1) return false;
    const callee = skipOuter(call.expression);
    const argument = skipOuter(call.arguments[0]);
    return ts.isIdentifier(callee) && /^clear(Timeout|Interval)$/.test(callee.text) && ts.isIdentifier(argument) && argument.text === name;
  }

  /** A new line after `statement` holding `code`, in its indentation; undefined when code follows it on its line. */
  #afterStatement(statement: ts.Statement, code: string): TextEdit | undefined {
    const text = this.#text;
    const lineEnd = lineEndOf(text, statement.end);
    const rest = text.slice(statement.end, lineEnd);
    if (!/^[ \t]*(\/\/.*)?\r?\n?$/.test(rest)) return undefined;
    const nl = newlineOf(text);
    const indent = indentAt(text, statement.getStart(this.#sourceFile));
    if (!text.slice(lineEnd - 1, lineEnd).includes('\n')) return { start: lineEnd, end: lineEnd, newText: `${nl}${indent}${code}` };
    return { start: lineEnd, end: lineEnd, newText: `${indent}${code}${nl}` };
  }
}

const KEYWORD_TYPES: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword, ts.SyntaxKind.VoidKeyword, ts.SyntaxKind.UndefinedKeyword, ts.SyntaxKind.NeverKeyword,
]);

/** The array literal `node` is an element of, when that array is the first argument of a call. */
function outerList(node: ts.Expression): ts.ArrayLiteralExpression | undefined {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const list = current.parent;
  if (!ts.isArrayLiteralExpression(list) || !ts.isCallExpression(list.parent) || list.parent.arguments[0] !== list) return undefined;
  return list;
}

/**
 * A statement alone on its line but for a comment after it (`setTimeout(() => ac.abort(), 5_000); // give up`):
 * deletes the statement and keeps the comment where it was, on a line of its own.
 */
function deleteStatementBeforeComment(sourceFile: ts.SourceFile, statement: ts.Statement): TextEdit | undefined {
  const text = sourceFile.text;
  if (!(ts.isBlock(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent))) return undefined;
  const from = statement.getStart(sourceFile);
  if (text.slice(lineStartOf(text, from), from).trim() !== '') return undefined;
  const lineEnd = lineEndOf(text, statement.end);
  const rest = text.slice(statement.end, lineEnd).replace(/\r?\n$/, '');
  const comment = /^\s*(\/\/.*|\/\*.*\*\/)\s*$/.exec(rest);
  if (!comment) return undefined;
  return { start: from, end: statement.end + rest.indexOf(comment[1]), newText: '' };
}

/** `clearTimeout(t);` alone as a statement: the statement, for a reference `t`. */
function clearStatementOf(reference: ts.Identifier): ts.ExpressionStatement | undefined {
  const call = reference.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== reference) return undefined;
  const callee = skipOuter(call.expression);
  if (!ts.isIdentifier(callee) || !/^clear(Timeout|Interval)$/.test(callee.text)) return undefined;
  const statement = call.parent;
  return ts.isExpressionStatement(statement) && ts.isBlock(statement.parent) ? statement : undefined;
}

/** Whether a statement returns work that may still be running (a promise not awaited). */
function returnsUnsettledWork(statement: ts.Statement, scope: RequestScope): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isDeferredCode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuter(node.expression);
      if (!ts.isAwaitExpression(value) && !isPlainValue(value) && !respondsThroughRequestObject(value, scope)) found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/** `res.json(...)`, `c.json(...)`, `reply.send(...)`: a call on a request object (its response). */
function respondsThroughRequestObject(value: ts.Expression, scope: RequestScope): boolean {
  if (!ts.isCallExpression(value)) return false;
  let root = skipOuter(value.expression);
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = skipOuter(root.expression);
  if (!ts.isIdentifier(root) || !scope.requestObjects.has(root.text)) return false;
  // Its arguments must not be unsettled work either.
  return value.arguments.every((argument) => isPlainValue(argument) || ts.isAwaitExpression(skipOuter(argument)) || ts.isObjectLiteralExpression(skipOuter(argument)));
}

/** A literal, an identifier or a property read: no call whose work could still be running. */
function isPlainValue(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target) || ts.isNumericLiteral(target) || ts.isStringLiteralLike(target)) return true;
  if (target.kind === ts.SyntaxKind.TrueKeyword || target.kind === ts.SyntaxKind.FalseKeyword || target.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPropertyAccessExpression(target)) return isPlainValue(target.expression);
  if (ts.isBinaryExpression(target) && /^[*+/-]$/.test(target.operatorToken.getText())) return isPlainValue(target.left) && isPlainValue(target.right);
  return false;
}

function identifiersIn(expression: ts.Expression): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return out;
}

function insideLoop(node: ts.Node, boundary: ts.Node): boolean {
  for (let current = node.parent; current && current !== boundary; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

function overlapping(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((edit, i) => i > 0 && edit.start < sorted[i - 1].end);
}
