import type { TextEdit } from '../core';

/** DESIGN.md's suppression comment for the next line. */
export const DISABLE_NEXT_LINE = 'context-pool-lint-disable-next-line';

const NEXT_LINE_COMMENT = new RegExp(`^\\s*//\\s*${DISABLE_NEXT_LINE}\\b(.*?)(\\s*--.*)?$`);

/**
 * The edit that suppresses `rule` on 0-based `line`: a new comment line above it with the same
 * indentation, or, when the line above already is such a comment, the rule added to its list.
 * Undefined when the comment above names the rule already.
 */
export function disableRuleEdit(text: string, line: number, rule: string): TextEdit | undefined {
  const lines = lineSpans(text);
  const target = lines[Math.min(line, lines.length - 1)];
  const above = line > 0 ? lines[line - 1] : undefined;
  if (above) {
    const aboveText = text.slice(above.start, above.end);
    const match = NEXT_LINE_COMMENT.exec(aboveText);
    if (match) {
      const listed = match[1].split(/[,\s]+/).filter(Boolean);
      if (listed.includes(rule)) return undefined;
      // Right after the last listed rule: a trailing `-- reason` stays at the end.
      const insertAt = above.start + aboveText.length - (match[2]?.length ?? 0) - (match[1].length - match[1].trimEnd().length);
      return { start: insertAt, end: insertAt, newText: listed.length > 0 ? `, ${rule}` : ` ${rule}` };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(target.start, target.end))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: target.start, end: target.start, newText: `${indent}// ${DISABLE_NEXT_LINE} ${rule}${eol}` };
}

interface LineSpan {
  start: number;
  /** Before the line break. */
  end: number;
}

function lineSpans(text: string): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      spans.push({ start, end: text.length });
      return spans;
    }
    spans.push({ start, end: newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline });
    start = newline + 1;
  }
}
