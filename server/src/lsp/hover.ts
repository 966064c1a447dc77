import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { RULES_BY_ID, type Finding } from '../core';
import { rangeOf } from './diagnostics';

/**
 * Hover on a finding: what the rule is about and where its documentation is, under the message
 * the editor already shows from the diagnostic (so it is not repeated). Read from the published
 * result only: hovering never waits on analysis.
 */
export function hoverFor(findings: readonly Finding[], position: Position): Hover | null {
  const under = findings.filter((f) => contains(f, position));
  if (under.length === 0) return null;
  const sections = under.map((finding) => {
    const rule = RULES_BY_ID.get(finding.rule);
    const fixes = finding.fixes.map((f) => f.title);
    return [
      `**${finding.rule}** (context-pool-lint)`,
      ...(rule ? [`*${rule.description}*`] : []),
      ...(fixes.length > 0 ? [`Quick fixes: ${fixes.join(' · ')}`] : []),
      `[Documentation for ${finding.rule}](${finding.docsUrl})`,
    ].join('\n\n');
  });
  const first = under[0];
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: rangeOf(first) };
}

function contains(finding: Finding, position: Position): boolean {
  const { startLc: start, endLc: end } = finding;
  const afterStart = position.line > start.line || (position.line === start.line && position.character >= start.character);
  const beforeEnd = position.line < end.line || (position.line === end.line && position.character <= end.character);
  return afterStart && beforeEnd;
}
