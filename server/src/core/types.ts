// Plain data exchanged between the analysis core and its callers (language server, CLI, tests).
// Nothing here may mention LSP: positions are UTF-16 offsets into the file's text (the same unit
// TypeScript and LSP's default encoding use), with 0-based line/character pairs precomputed.

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface LineCharacter {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface LocatedSpan extends Span {
  startLc: LineCharacter;
  endLc: LineCharacter;
}

/** Replace text[start, end) of the finding's file with newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** Preferred fixes are applied by fix-all and `--fix`. */
  preferred: boolean;
  /** Whether fix-all may apply it; defaults to `preferred`. */
  fixAll?: boolean;
  edits: TextEdit[];
}

export interface RelatedInformation extends LocatedSpan {
  fileName: string;
  message: string;
}

export interface Finding extends LocatedSpan {
  rule: string;
  severity: Severity;
  message: string;
  fileName: string;
  docsUrl: string;
  related: RelatedInformation[];
  fixes: Fix[];
}

export interface FileResult {
  fileName: string;
  findings: Finding[];
  /** Set when the file could not be analysed; the reason is meant for a person. */
  skipped?: string;
  /** Rules that threw on this file: the rest of the file's findings are still reported. */
  ruleErrors?: { rule: string; message: string }[];
}

export interface AnalyzerSettings {
  /** rule id -> severity; rules not named use their default. */
  rules: Record<string, SeveritySetting>;
  /** Globs (relative to the project root) of files never analysed. */
  exclude: string[];
  /** Functions or methods whose returned promises need no awaiting (`name`, `obj.method`, `*.method`). */
  safeCalls: string[];
  /** Analyse test files too (off by default: tests are not request scopes). */
  includeTests: boolean;
}

export const DEFAULT_SETTINGS: AnalyzerSettings = {
  rules: {},
  exclude: [],
  safeCalls: [],
  includeTests: false,
};
