// Wraps the statements of a function body in `try { ... } catch (error) { ... }`, keeping their
// text and re-indenting it one level, so the function's failures are logged instead of escaping
// as unhandled rejections.
import { ts } from 'ts-morph';
import type { TextEdit } from '../types';
import { indentAt, indentBlock, indentUnitOf, newlineOf } from './text';

/**
 * The edit that wraps `body`'s statements in a try/catch whose catch block runs `handlerStatement`
 * (e.g. `console.error(error);`). Undefined when the body is empty, or when re-indenting would
 * change the program (a template literal spanning lines).
 */
export function wrapBodyInTryCatch(body: ts.Block, sourceFile: ts.SourceFile, handlerStatement: string): TextEdit | undefined {
  if (body.statements.length === 0 || hasMultiLineTemplate(body, sourceFile)) return undefined;
  const text = sourceFile.text;
  const open = body.getStart(sourceFile) + 1;
  const close = body.getEnd() - 1;
  const inner = text.slice(open, close);
  const layout = /^([ \t]*\r?\n)([\s\S]*?)(\r?\n[ \t]*)$/.exec(inner);
  if (!layout) {
    return { start: open, end: close, newText: ` try { ${inner.trim()} } catch (error) { ${handlerStatement} } ` };
  }
  const [, lead, statements, trail] = layout;
  const nl = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentAt(text, body.statements[0].getStart(sourceFile));
  const wrapped =
    `${lead}${indent}try {${nl}` +
    `${indentBlock(statements, unit)}${nl}` +
    `${indent}} catch (error) {${nl}` +
    `${indent}${unit}${handlerStatement}${nl}` +
    `${indent}}${trail}`;
  return { start: open, end: close, newText: wrapped };
}

function hasMultiLineTemplate(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if ((ts.isTemplateExpression(child) || ts.isNoSubstitutionTemplateLiteral(child)) && child.getText(sourceFile).includes('\n')) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}
