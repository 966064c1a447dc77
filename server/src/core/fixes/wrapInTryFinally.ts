import { ts } from 'ts-morph';
import type { TextEdit } from '../types';
import { literalSpans, reindentLines } from './reindent';
import { indentAt, indentUnitOf, lineEndOf, lineStartOf, newlineOf } from './text';

export interface TryFinallyWrap {
  /** Consecutive statements of one block, each starting on its own line. */
  readonly statements: readonly ts.Statement[];
  /** Statements inside them to drop (each alone on its lines, directly in a block). */
  readonly remove?: readonly ts.Statement[];
  /** `catch (<parameter>) { ...statements }` before the `finally`, when wanted. */
  readonly catchClause?: { parameter: string; statements: readonly string[] };
  /** One line of code per entry, written without indentation. */
  readonly finallyStatements: readonly string[];
}

/**
 * Wraps statements in `try { ... } finally { ... }`, keeping their text (comments included) and
 * re-indenting it one level in the file's own style. `undefined` when that cannot be done cleanly:
 * statements sharing a line with code outside them, or a statement to drop that is not alone on
 * its lines or not directly in a block (dropping it would leave an `if` without a body).
 */
export function wrapInTryFinally(sourceFile: ts.SourceFile, wrap: TryFinallyWrap): TextEdit[] | undefined {
  const text = sourceFile.text;
  const { statements } = wrap;
  if (statements.length === 0) return undefined;
  const first = statements[0];
  const last = statements[statements.length - 1];

  // From the line after the code before the first statement (so its leading comments come along)...
  const trivia = text.slice(first.pos, first.getStart(sourceFile));
  if (!trivia.includes('\n')) return undefined;
  const start = lineEndOf(text, first.pos);
  // ...to the end of the last statement's line, which may only add a comment.
  const lineEnd = lineEndOf(text, last.end);
  const end = text[lineEnd - 1] === '\n' ? lineEnd - (text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
  if (!/^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(last.end, end))) return undefined;

  const dropLines = new Set<number>();
  for (const statement of wrap.remove ?? []) {
    const lines = wholeLines(text, sourceFile, statement);
    if (!lines || !(ts.isBlock(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent))) return undefined;
    for (const lineStart of lines) dropLines.add(lineStart);
  }

  const newline = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentAt(text, first.getStart(sourceFile));
  const body = reindentLines(text, start, end, unit, newline, literalSpans(statements), dropLines);
  const parts = [`${indent}try {`, body];
  if (wrap.catchClause) {
    parts.push(`${indent}} catch (${wrap.catchClause.parameter}) {`);
    for (const line of wrap.catchClause.statements) parts.push(`${indent}${unit}${line}`);
  }
  parts.push(`${indent}} finally {`);
  for (const line of wrap.finallyStatements) parts.push(`${indent}${unit}${line}`);
  parts.push(`${indent}}`);
  return [{ start, end, newText: parts.join(newline) }];
}

/**
 * Gives an existing `try { } catch { }` a `finally` block instead of wrapping it in another `try`,
 * dropping `remove` statements inside it. `undefined` when a statement to drop cannot go cleanly.
 */
export function addFinallyTo(sourceFile: ts.SourceFile, statement: ts.TryStatement, finallyStatements: readonly string[], remove: readonly ts.Statement[] = []): TextEdit[] | undefined {
  if (statement.finallyBlock || !statement.catchClause) return undefined;
  const text = sourceFile.text;
  const edits: TextEdit[] = [];
  for (const dropped of remove) {
    const edit = deleteStatementLines(sourceFile, dropped);
    if (!edit) return undefined;
    edits.push(edit);
  }
  const newline = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentAt(text, statement.getStart(sourceFile));
  const lines = finallyStatements.map((line) => `${indent}${unit}${line}`);
  edits.push({ start: statement.end, end: statement.end, newText: ` finally {${newline}${lines.join(newline)}${newline}${indent}}` });
  return edits;
}

/** Deletes the lines a statement fills alone (it must sit directly in a block or case clause). */
export function deleteStatementLines(sourceFile: ts.SourceFile, statement: ts.Statement): TextEdit | undefined {
  if (!(ts.isBlock(statement.parent) || ts.isCaseClause(statement.parent) || ts.isDefaultClause(statement.parent))) return undefined;
  const lines = wholeLines(sourceFile.text, sourceFile, statement);
  if (!lines) return undefined;
  return { start: lines[0], end: lineEndOf(sourceFile.text, statement.end), newText: '' };
}

/** Starts of the lines a statement fills alone, or undefined when it shares a line with other code. */
function wholeLines(text: string, sourceFile: ts.SourceFile, statement: ts.Statement): number[] | undefined {
  const from = statement.getStart(sourceFile);
  const lineStart = lineStartOf(text, from);
  if (text.slice(lineStart, from).trim() !== '') return undefined;
  const after = lineEndOf(text, statement.end);
  if (text.slice(statement.end, after).trim() !== '') return undefined;
  const starts: number[] = [];
  for (let at = lineStart; at < after; at = lineEndOf(text, at)) starts.push(at);
  return starts;
}
