// Edits that put code on one path of a function: before a statement, after it, in place of it, or
// in a new `else` branch — adding braces where the statement is the lone body of an `if` or loop,
// so the new code runs exactly where the old statement did. Lines are given without indentation.
import { ts } from 'ts-morph';
import type { TextEdit } from '../types';
import { indentAt, indentUnitOf, lineEndOf, lineStartOf, newlineOf } from './text';

/** Whether `statement` sits in a list of statements (a block, a case clause, the file). */
function inStatementList(statement: ts.Node): boolean {
  const parent = statement.parent;
  return ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent);
}

/** The lone body of an `if`/`else` or a loop: `if (x) return;`. */
function isLoneBody(statement: ts.Node): boolean {
  const parent = statement.parent;
  if (ts.isIfStatement(parent)) return parent.thenStatement === statement || parent.elseStatement === statement;
  return ts.isIterationStatement(parent, false) && (parent as ts.IterationStatement).statement === statement;
}

/** The text of the statement's own line after it: only a comment (or nothing) may follow. */
function endsItsLine(text: string, end: number): boolean {
  const lineEnd = lineEndOf(text, end);
  return /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(text.slice(end, lineEnd).replace(/\r?\n$/, ''));
}

/** `{ <lines before> statement <lines after> }` in place of a lone body. */
function braced(sourceFile: ts.SourceFile, statement: ts.Statement, before: readonly string[], after: readonly string[], keep = true): TextEdit {
  const text = sourceFile.text;
  const newline = newlineOf(text);
  const unit = indentUnitOf(text);
  const owner = statement.parent;
  const indent = indentAt(text, owner.getStart(sourceFile));
  const own = statement.getText(sourceFile);
  const inner = [...before, ...(keep ? [own] : []), ...after].map((line) => `${indent}${unit}${line}`);
  return { start: statement.getStart(sourceFile), end: statement.end, newText: `{${newline}${inner.join(newline)}${newline}${indent}}` };
}

/** Inserts `lines` so they run just before `statement`. */
export function insertBeforeStatement(sourceFile: ts.SourceFile, statement: ts.Statement, lines: readonly string[]): TextEdit | undefined {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  if (isLoneBody(statement)) return braced(sourceFile, statement, lines, []);
  if (!inStatementList(statement)) return undefined;
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() !== '') return undefined;
  const indent = indentAt(text, start);
  const newline = newlineOf(text);
  return { start: lineStart, end: lineStart, newText: lines.map((line) => `${indent}${line}${newline}`).join('') };
}

/** Inserts `lines` so they run just after `statement` (which must end its line, a comment aside). */
export function insertAfterStatement(sourceFile: ts.SourceFile, statement: ts.Statement, lines: readonly string[]): TextEdit | undefined {
  const text = sourceFile.text;
  if (isLoneBody(statement)) return braced(sourceFile, statement, [], lines);
  if (!inStatementList(statement) || !endsItsLine(text, statement.end)) return undefined;
  const newline = newlineOf(text);
  const indent = indentAt(text, statement.getStart(sourceFile));
  let at = lineEndOf(text, statement.end);
  if (text[at - 1] === '\n') at -= text[at - 2] === '\r' ? 2 : 1;
  return { start: at, end: at, newText: lines.map((line) => `${newline}${indent}${line}`).join('') };
}

/** Replaces `statement` with `lines`. */
export function replaceStatement(sourceFile: ts.SourceFile, statement: ts.Statement, lines: readonly string[]): TextEdit | undefined {
  if (isLoneBody(statement)) {
    if (lines.length === 1) return { start: statement.getStart(sourceFile), end: statement.end, newText: lines[0] };
    return braced(sourceFile, statement, lines, [], false);
  }
  if (!inStatementList(statement)) return undefined;
  const text = sourceFile.text;
  const newline = newlineOf(text);
  const indent = indentAt(text, statement.getStart(sourceFile));
  return { start: statement.getStart(sourceFile), end: statement.end, newText: lines.join(`${newline}${indent}`) };
}

/** Gives an `if` without `else` one holding `lines`. */
export function addElseBranch(sourceFile: ts.SourceFile, statement: ts.IfStatement, lines: readonly string[]): TextEdit | undefined {
  if (statement.elseStatement) return undefined;
  const text = sourceFile.text;
  const newline = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentAt(text, statement.getStart(sourceFile));
  const then = statement.thenStatement;
  const body = lines.map((line) => `${indent}${unit}${line}`).join(newline);
  const branch = `else {${newline}${body}${newline}${indent}}`;
  if (ts.isBlock(then)) return { start: then.end, end: then.end, newText: ` ${branch}` };
  // `if (ok) next();` with a comment after it: the `else` goes on the next line, after the comment.
  if (!endsItsLine(text, then.end)) return undefined;
  let at = lineEndOf(text, then.end);
  if (text[at - 1] === '\n') at -= text[at - 2] === '\r' ? 2 : 1;
  return { start: at, end: at, newText: `${newline}${indent}${branch}` };
}

/**
 * Makes `name` importable from `module` in a TypeScript/ES module file: `[]` when an import from
 * the module already binds it, an added specifier in an existing named import, or a new import
 * after the last one. `undefined` when the name is bound to something else.
 */
export function ensureNamedImport(sourceFile: ts.SourceFile, module: string, name: string): TextEdit[] | undefined {
  let lastImport: ts.ImportDeclaration | undefined;
  let target: ts.NamedImports | undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    lastImport = statement;
    const clause = statement.importClause;
    const fromModule = ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === module;
    if (clause?.name?.text === name) return undefined;
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      const element = bindings.elements.find((e) => e.name.text === name);
      if (element) return fromModule && (element.propertyName ?? element.name).text === name && !element.isTypeOnly && !clause!.isTypeOnly ? [] : undefined;
      if (fromModule && !clause!.isTypeOnly && !target) target = bindings;
    } else if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return undefined;
  }
  const text = sourceFile.text;
  if (target) {
    const elements = target.elements;
    if (elements.length === 0) return [{ start: target.getStart(sourceFile) + 1, end: target.end - 1, newText: ` ${name} ` }];
    const last = elements[elements.length - 1];
    return [{ start: last.end, end: last.end, newText: `, ${name}` }];
  }
  const newline = newlineOf(text);
  const line = `import { ${name} } from '${module}';`;
  if (lastImport) return [{ start: lastImport.end, end: lastImport.end, newText: `${newline}${line}` }];
  return [{ start: 0, end: 0, newText: `${line}${newline}` }];
}
