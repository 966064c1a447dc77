import type { Finding, Fix, LineCharacter, TextEdit } from '../core';

/** An edit with its line/character positions, for formats that place edits by line (SARIF). */
export interface LocatedEdit extends TextEdit {
  startLc: LineCharacter;
  endLc: LineCharacter;
}

export interface ReportedFix extends Fix {
  edits: LocatedEdit[];
}

export interface ReportedFinding extends Finding {
  fixes: ReportedFix[];
}

export interface FileProblem {
  file: string;
  reason: string;
}

/** Everything a run found, in the order it is shown: what every output format is built from. */
export interface LintReport {
  /** Paths in the output are relative to this folder. */
  cwd: string;
  /** Files the rules ran on (skipped and ignored files are not counted). */
  filesAnalysed: number;
  /** Sorted by file, then position. */
  findings: ReportedFinding[];
  /** Files that could not be analysed (syntax error, binary, minified, too large). */
  skipped: FileProblem[];
  /** Rules that crashed on a file: that file's other findings are still reported. */
  ruleErrors: { file: string; rule: string; message: string }[];
  /** Files `--fix` could not write: their findings are reported as they were. */
  fixFailures: FileProblem[];
  /** Set with `--fix`: how many findings were fixed, in how many files. */
  fixed?: { problems: number; files: number };
}

/** 0 nothing at warning or error, 1 findings, 2 the run itself went wrong. */
export function exitStatus(report: LintReport): number {
  if (report.ruleErrors.length > 0 || report.fixFailures.length > 0) return 2;
  return report.findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0;
}
