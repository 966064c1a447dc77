import { ts } from 'ts-morph';

/**
 * Spans of string and template literal text under `nodes`: a line that starts inside one is part
 * of the literal's value, so re-indenting it would change what the program prints or sends.
 */
export function literalSpans(nodes: readonly ts.Node[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isStringLiteral(node) ||
      ts.isJsxText(node)
    ) {
      spans.push({ start: node.getStart(), end: node.end });
      return;
    }
    ts.forEachChild(node, visit);
  };
  for (const node of nodes) visit(node);
  return spans;
}

/**
 * Re-indents the lines of `text[start, end)` by `extra`, keeping blank lines empty and leaving
 * lines that begin inside a literal untouched. `start` must be the start of a line. Lines whose
 * start is in `dropLines` are left out. Returns the lines joined with `newline`.
 */
export function reindentLines(
  text: string,
  start: number,
  end: number,
  extra: string,
  newline: string,
  literals: readonly { start: number; end: number }[],
  dropLines: ReadonlySet<number> = new Set(),
): string {
  const out: string[] = [];
  let lineStart = start;
  while (lineStart <= end) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 || nl >= end ? end : nl;
    let line = text.slice(lineStart, lineEnd);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!dropLines.has(lineStart)) {
      const insideLiteral = literals.some((span) => span.start < lineStart && lineStart < span.end);
      if (insideLiteral) out.push(line);
      else if (line.trim() === '') out.push('');
      else out.push(extra + line);
    }
    if (lineEnd >= end) break;
    lineStart = lineEnd + 1;
  }
  return out.join(newline);
}
