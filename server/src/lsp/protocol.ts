// The names the language server shares with its clients beyond standard LSP. The VS Code client
// may import this module; other editors use the strings below as they are.

/** Commands the server executes (advertised in `executeCommandProvider`, so clients need not register them). */
export const Commands = {
  /** Args: none. Returns a `ScanSummary`. */
  scanWorkspace: 'contextPoolLint.scanWorkspace',
  /** Args: `[uri]`. Applies every fix-all fix to that document through `workspace/applyEdit`. Returns `{ applied: boolean }`. */
  applyFixAll: 'contextPoolLint.applyFixAll',
  /** Args: `[ruleId]`. Opens the rule's documentation through `window/showDocument`. */
  showDocumentation: 'contextPoolLint.showDocumentation',
} as const;

export const ALL_COMMANDS: string[] = Object.values(Commands);

/** The code action kind of "fix everything in this file" (DESIGN.md). */
export const FIX_ALL_KIND = 'source.fixAll.contextPoolLint';

/** The `workspace/configuration` section every setting lives under. */
export const SETTINGS_SECTION = 'contextPoolLint';

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ScanSummary {
  /** Files the scan went through (those it could not read are listed in `skipped` too). */
  files: number;
  findings: number;
  byRule: Record<string, number>;
  skipped: SkippedFile[];
  cancelled: boolean;
}

/** Server → client notification shown in the client's language status item. */
export const STATUS_NOTIFICATION = 'contextPoolLint/status';

export interface StatusParams {
  state: 'analysing' | 'idle';
  /** Findings currently published, over every file. */
  findings: number;
  lastAnalysisMs?: number;
  /** ISO 8601 time the last analysis finished. */
  lastAnalysisAt?: string;
  /** Files recently left unanalysed (syntax error, binary, minified, too large), newest last. */
  skipped?: SkippedFile[];
}
