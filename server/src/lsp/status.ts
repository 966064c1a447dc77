import type { SkippedFile, StatusParams } from './protocol';

/** How many skipped files the status carries: enough to explain, few enough to read. */
const MAX_SKIPPED = 20;

/**
 * The state shown in the client's status item. Analyses may overlap (a scan while the user types),
 * so "analysing" lasts from the first begin to the last end. Skipped files stay listed until they
 * are analysed again or closed.
 */
export class StatusReporter {
  #depth = 0;
  #lastAnalysisMs: number | undefined;
  #lastAnalysisAt: string | undefined;
  readonly #skipped = new Map<string, string>();

  constructor(
    private readonly send: (params: StatusParams) => void,
    private readonly totalFindings: () => number,
  ) {}

  begin(): void {
    if (this.#depth++ === 0) this.#send('analysing');
  }

  end(elapsedMs: number): void {
    this.#depth = Math.max(0, this.#depth - 1);
    this.#lastAnalysisMs = Math.round(elapsedMs);
    this.#lastAnalysisAt = new Date().toISOString();
    if (this.#depth === 0) this.#send('idle');
  }

  /** Published findings changed outside an analysis (a document closed, a file was deleted). */
  findingsChanged(): void {
    if (this.#depth === 0) this.#send('idle');
  }

  /** Records a skipped file; returns whether it is news (so the log says it once, not per keystroke). */
  skipped(file: string, reason: string): boolean {
    const previous = this.#skipped.get(file);
    this.#skipped.delete(file);
    this.#skipped.set(file, reason);
    while (this.#skipped.size > MAX_SKIPPED) this.#skipped.delete(this.#skipped.keys().next().value as string);
    return previous === undefined;
  }

  /** The file was analysed (or closed): it is no longer skipped. */
  notSkipped(file: string): void {
    this.#skipped.delete(file);
  }

  #send(state: StatusParams['state']): void {
    const skipped: SkippedFile[] = [...this.#skipped].map(([file, reason]) => ({ file, reason }));
    this.send({
      state,
      findings: this.totalFindings(),
      ...(this.#lastAnalysisMs !== undefined ? { lastAnalysisMs: this.#lastAnalysisMs } : {}),
      ...(this.#lastAnalysisAt !== undefined ? { lastAnalysisAt: this.#lastAnalysisAt } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    });
  }
}
