import { performance } from 'node:perf_hooks';
import type { Analyzer, TextEdit } from '../core';
import { noteFileResult, type ServerContext } from './context';
import { logError } from './guard';
import { minimalEdit } from './minimalEdit';
import type { AnalysisResult } from './publishedDiagnostics';
import type { ServerSettings } from './settings';
import { fileOfUri } from './uris';

export interface FixAllEdit {
  edit: TextEdit;
  /** The text the edit's offsets refer to. */
  before: string;
  /** The document version of `before`; undefined when it was read from disk. */
  version: number | undefined;
}

/** How long typing must pause before a document is analysed again. */
export const TYPING_DEBOUNCE_MS = 200;

/**
 * Analyses open documents: at once when opened or saved, after a pause in typing when changed.
 * Each analysis is numbered per document, and one overtaken by a later request is dropped, so the
 * client never sees results older than what it already has.
 */
export class DocumentLinter {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #generations = new Map<string, number>();
  /** Documents whose latest text the analyser has not been given yet (it parses on every update). */
  readonly #unsynced = new Set<string>();
  /** The last fix-all edit per document version: editors ask for code actions at every cursor move. */
  readonly #fixAllCache = new Map<string, { version: number; edit: FixAllEdit | undefined }>();

  constructor(private readonly ctx: ServerContext) {}

  opened(uri: string): Promise<void> {
    this.#unsynced.add(uri);
    return this.lintNow(uri).then(() => undefined);
  }

  async changed(uri: string): Promise<void> {
    this.#unsynced.add(uri);
    const settings = await this.ctx.settings.get(uri);
    if (settings.run === 'onType') this.#schedule(uri);
  }

  async saved(uri: string): Promise<void> {
    const settings = await this.ctx.settings.get(uri);
    if (settings.run === 'onSave') await this.lintNow(uri);
  }

  closed(uri: string): void {
    this.#cancelTimer(uri);
    // Kept, not deleted: a reopened document must not reuse a number an older analysis holds.
    this.#bump(uri);
    this.#unsynced.delete(uri);
    this.#fixAllCache.delete(uri);
  }

  /** Analyses the document now and publishes the result, unless a later request overtakes this one. */
  async lintNow(uri: string): Promise<AnalysisResult | undefined> {
    this.#cancelTimer(uri);
    const generation = this.#bump(uri);
    const settings = await this.ctx.settings.get(uri);
    if (this.#generations.get(uri) !== generation) return undefined;
    return this.#lint(uri, settings);
  }

  /**
   * The published result for the document's current version, analysing first if the published one
   * is older (the user typed and the pause has not elapsed yet).
   */
  async currentResult(uri: string): Promise<AnalysisResult | undefined> {
    const document = this.ctx.documents.get(uri);
    if (!document) return undefined;
    const published = this.ctx.published.get(uri);
    if (published?.version === document.version) return published;
    const result = (await this.lintNow(uri)) ?? this.ctx.published.get(uri);
    return result?.version === this.ctx.documents.get(uri)?.version ? result : undefined;
  }

  /** The edit that applies every fix-all fix to the document (or to the file on disk when it isn't open). */
  async fixAllEdit(uri: string): Promise<FixAllEdit | undefined> {
    return this.fixAllEditWith(uri, await this.ctx.settings.get(uri));
  }

  fixAllEditWith(uri: string, settings: ServerSettings): FixAllEdit | undefined {
    const file = fileOfUri(uri);
    if (!file) return undefined;
    const document = this.ctx.documents.get(uri);
    const cached = this.#fixAllCache.get(uri);
    if (document && cached?.version === document.version) return cached.edit;
    const analyzer = this.ctx.analyzers.analyzerFor(file);
    if (analyzer.ignoreReason(file, settings.analyzer)) return undefined;
    this.syncOpenTexts();
    if (!document && analyzer.analyzeFile(file, settings.analyzer).skipped) return undefined;
    // Read before fixing: fix-all forgets a closed file's text once it is done.
    const original = document ? document.getText() : analyzer.host.getSourceFile(file)?.text;
    if (original === undefined) return undefined;
    let fixed: { text: string; applied: number };
    try {
      fixed = analyzer.fixAll(file, settings.analyzer);
    } catch (error) {
      // A broken fix must not take the quick fixes offered next to fix-all down with it.
      logError(this.ctx.connection.console, `Fix all for ${file}`, error);
      return undefined;
    }
    const edit = fixed.applied > 0 ? minimalEdit(original, fixed.text) : undefined;
    const result = edit ? { edit, before: original, version: document?.version } : undefined;
    if (document) this.#fixAllCache.set(uri, { version: document.version, edit: result });
    return result;
  }

  /** The analysers were recreated: every open document's text must be handed over again. */
  resyncAll(): void {
    for (const document of this.ctx.documents.all()) this.#unsynced.add(document.uri);
    this.#fixAllCache.clear();
  }

  /** Stops pending analyses (shutdown). */
  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Settings changed: fix-all edits computed under the old ones are void. */
  settingsChanged(): void {
    this.#fixAllCache.clear();
  }

  /** Hands every changed document's text to its analyser: cross-file facts must see unsaved edits too. */
  syncOpenTexts(): void {
    for (const uri of this.#unsynced) {
      const document = this.ctx.documents.get(uri);
      const file = fileOfUri(uri);
      if (document && file) this.ctx.analyzers.analyzerFor(file).setOpenText(file, document.getText());
    }
    this.#unsynced.clear();
  }

  #lint(uri: string, settings: ServerSettings): AnalysisResult | undefined {
    const { ctx } = this;
    const document = ctx.documents.get(uri);
    const file = fileOfUri(uri);
    if (!document || !file) return undefined;
    const analyzer = ctx.analyzers.analyzerFor(file);
    const ignored = analyzer.ignoreReason(file, settings.analyzer);
    if (ignored) {
      ctx.published.clear(uri, document.version);
      return undefined;
    }
    this.syncOpenTexts();
    ctx.status.begin();
    const started = performance.now();
    try {
      const fileResult = analyzer.analyzeFile(file, settings.analyzer);
      noteFileResult(ctx, fileResult);
      const result: AnalysisResult = { uri, file, version: document.version, findings: fileResult.findings };
      ctx.published.publish(result);
      this.#refreshOthers(uri, analyzer);
      return result;
    } finally {
      ctx.status.end(performance.now() - started);
    }
  }

  /**
   * An edit to a handler can make a function in another open file a helper, or stop it being
   * one (RULES.md §1, "Helpers"): those documents are analysed again; the rest keep their result.
   */
  #refreshOthers(uri: string, analyzer: Analyzer): void {
    for (const other of this.ctx.documents.all()) {
      if (other.uri === uri || this.#timers.has(other.uri)) continue;
      const file = fileOfUri(other.uri);
      if (!file || this.ctx.analyzers.analyzerFor(file) !== analyzer) continue;
      void this.ctx.settings.get(other.uri).then((settings) => {
        if (!analyzer.ignoreReason(file, settings.analyzer) && !analyzer.hasCurrentResult(file, settings.analyzer)) this.#schedule(other.uri);
      });
    }
  }

  #schedule(uri: string): void {
    this.#cancelTimer(uri);
    this.#timers.set(
      uri,
      setTimeout(() => {
        this.#timers.delete(uri);
        this.lintNow(uri).catch((error) => this.ctx.connection.console.error(`Analysis of ${uri} failed: ${String(error)}`));
      }, TYPING_DEBOUNCE_MS),
    );
  }

  #cancelTimer(uri: string): void {
    const timer = this.#timers.get(uri);
    if (timer) clearTimeout(timer);
    this.#timers.delete(uri);
  }

  #bump(uri: string): number {
    const next = (this.#generations.get(uri) ?? 0) + 1;
    this.#generations.set(uri, next);
    return next;
  }
}
