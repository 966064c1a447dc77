// Text helpers every fix builder needs to produce code that looks hand-written: the file's own
// newline, indentation unit and the indentation of the line being edited.

/** `\r\n` when the file uses it, else `\n`. */
export function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Offset of the first character of the line containing `pos`. */
export function lineStartOf(text: string, pos: number): number {
  const nl = text.lastIndexOf('\n', pos - 1);
  return nl + 1;
}

/** Offset just after the line containing `pos` (after its newline, or the end of the text). */
export function lineEndOf(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** Leading whitespace of the line containing `pos`. */
export function indentAt(text: string, pos: number): string {
  const start = lineStartOf(text, pos);
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** The file's indentation unit: a tab, or the smallest non-zero run of leading spaces (default 2). */
export function indentUnitOf(text: string): string {
  let smallest = Infinity;
  for (const match of text.matchAll(/^( +|\t+)\S/gm)) {
    if (match[1][0] === '\t') return '\t';
    smallest = Math.min(smallest, match[1].length);
  }
  return Number.isFinite(smallest) && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

/** Re-indents every line of a block of code by `extra` (blank lines stay empty). */
export function indentBlock(code: string, extra: string): string {
  return code
    .split('\n')
    .map((line) => (line.trim() === '' ? line.replace(/[ \t]+$/, '') : extra + line))
    .join('\n');
}
