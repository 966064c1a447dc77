import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import type { Finding, LocatedSpan, Severity } from '../core';

/** The diagnostic `source` (DESIGN.md). */
export const DIAGNOSTIC_SOURCE = 'context-pool-lint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries back to the server in code action requests. */
export interface DiagnosticData {
  rule: string;
}

export function rangeOf(span: LocatedSpan): Range {
  return { start: span.startLc, end: span.endLc };
}

export function toDiagnostic(finding: Finding, uriOf: (file: string) => string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri: uriOf(r.fileName), range: rangeOf(r) },
    message: r.message,
  }));
  const data: DiagnosticData = { rule: finding.rule };
  return {
    range: rangeOf(finding),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: finding.docsUrl },
    message: finding.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    data,
  };
}

/**
 * The finding a client's diagnostic stands for. Clients send back what we published, but may drop
 * `data` or fields they don't model, and some convert columns on the way back (Neovim 0.7 sends
 * byte columns it computed from our UTF-16 ones), so the match is on rule, range and message, and
 * failing that on rule, message and start line.
 */
export function findingFor(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  if (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const ours = findings.filter((f) => f.rule === diagnostic.code);
  const { start, end } = diagnostic.range;
  const exact = ours.filter(
    (f) => f.startLc.line === start.line && f.startLc.character === start.character && f.endLc.line === end.line && f.endLc.character === end.character,
  );
  const sameLine = ours.filter((f) => f.startLc.line === start.line && f.message === diagnostic.message);
  return exact.find((f) => f.message === diagnostic.message) ?? exact[0] ?? (sameLine.length === 1 ? sameLine[0] : undefined);
}
