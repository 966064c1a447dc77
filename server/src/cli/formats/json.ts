import { portablePath } from '../paths';
import type { LintReport } from '../report';

/** The `json` format of DESIGN.md; `skipped` is an addition the contract allows. */
export interface JsonReport {
  version: 1;
  files: number;
  diagnostics: JsonDiagnostic[];
  skipped: { file: string; reason: string }[];
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  fixes: { title: string; preferred: boolean }[];
}

/** Exactly one JSON document: positions are 1-based, paths relative to the current directory. */
export function formatJson(report: LintReport): string {
  const document: JsonReport = {
    version: 1,
    files: report.filesAnalysed,
    diagnostics: report.findings.map((finding) => ({
      file: portablePath(report.cwd, finding.fileName),
      line: finding.startLc.line + 1,
      column: finding.startLc.character + 1,
      endLine: finding.endLc.line + 1,
      endColumn: finding.endLc.character + 1,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      fixes: finding.fixes.map((fix) => ({ title: fix.title, preferred: fix.preferred })),
    })),
    skipped: report.skipped.map(({ file, reason }) => ({ file: portablePath(report.cwd, file), reason })),
  };
  return JSON.stringify(document) + '\n';
}
