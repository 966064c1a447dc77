import type { Severity } from '../../core';
import { displayPath } from '../paths';
import type { LintReport } from '../report';

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** `file:line:col  severity  message  rule`, one line per finding, then a summary line. */
export function formatText(report: LintReport): string {
  const lines = report.findings.map((finding) => {
    const where = `${displayPath(report.cwd, finding.fileName)}:${finding.startLc.line + 1}:${finding.startLc.character + 1}`;
    return `${where}  ${finding.severity}  ${finding.message}  ${finding.rule}`;
  });
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

/** e.g. `3 problems (1 error, 2 warnings) in 12 files; fixed 2 problems in 1 file; 1 file skipped`. */
export function summaryLine(report: LintReport): string {
  const parts = [`${problemsPart(report)} in ${count(report.filesAnalysed, 'file')}`];
  if (report.fixed && report.fixed.problems > 0) {
    parts.push(`fixed ${count(report.fixed.problems, 'problem')} in ${count(report.fixed.files, 'file')}`);
  }
  if (report.fixFailures.length > 0) parts.push(`${count(report.fixFailures.length, 'file')} could not be fixed`);
  if (report.skipped.length > 0) parts.push(`${count(report.skipped.length, 'file')} skipped`);
  if (report.ruleErrors.length > 0) parts.push(count(report.ruleErrors.length, 'rule error'));
  return parts.join('; ');
}

function problemsPart(report: LintReport): string {
  if (report.findings.length === 0) return 'no problems';
  const bySeverity = SEVERITY_ORDER.map((severity) => {
    const n = report.findings.filter((f) => f.severity === severity).length;
    if (n === 0) return undefined;
    return severity === 'information' ? `${n} information` : count(n, severity);
  }).filter((part) => part !== undefined);
  return `${count(report.findings.length, 'problem')} (${bySeverity.join(', ')})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
