/** The comment prefix of DESIGN.md: `// context-pool-lint-disable-next-line <rule>[, <rule>]`. */
export const SUPPRESSION_NAME = 'context-pool-lint';

const COMMENT = /\/[/*]\s*context-pool-lint-disable-(next-line|line)\b([^\n*]*)/g;

/**
 * 0-based line -> rule ids suppressed on that line. An empty list of rules is not a suppression:
 * DESIGN.md's comments always name the rules, and a bare comment disabling everything would hide
 * findings nobody meant to hide.
 */
export function suppressedLines(text: string): Map<number, Set<string>> {
  const result = new Map<number, Set<string>>();
  if (!text.includes(`${SUPPRESSION_NAME}-disable-`)) return result;
  const lineStarts = computeLineStarts(text);
  for (const match of text.matchAll(COMMENT)) {
    const rules = match[2]
      .replace(/--.*$/, '')
      .split(/[,\s]+/)
      .map((r) => r.trim())
      .filter(Boolean);
    if (rules.length === 0) continue;
    const line = lineOf(lineStarts, match.index ?? 0) + (match[1] === 'next-line' ? 1 : 0);
    const set = result.get(line) ?? new Set<string>();
    for (const rule of rules) set.add(rule);
    result.set(line, set);
  }
  return result;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
