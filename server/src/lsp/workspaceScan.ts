import { performance } from 'node:perf_hooks';
import { CancellationTokenSource, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { Analyzer } from '../core';
import { noteFileResult, type ServerContext } from './context';
import type { DocumentLinter } from './documentLinter';
import { yieldToEventLoop } from './guard';
import { listSourceFiles } from './listSourceFiles';
import { scanExclusions } from './scanExclusions';
import type { ScanSummary } from './protocol';
import type { ServerSettings } from './settings';
import { pathKey } from './uris';
import type { WorkspaceFolderRoot } from './workspaceAnalyzers';

interface FolderJob {
  folder: WorkspaceFolderRoot;
  settings: ServerSettings;
  analyzer: Analyzer;
  files: string[];
}

/**
 * "Scan Workspace": analyses every source file of every workspace folder and publishes diagnostics
 * for the files that are not open (open documents publish their own). Files a scan published stay
 * current afterwards: settings changes, edits on disk and closing an editor re-publish them.
 */
export class WorkspaceScanner {
  /** Files the scans covered (path key → file), whether or not they had findings. */
  readonly #scanned = new Map<string, string>();
  #running: CancellationTokenSource | undefined;
  #refreshGeneration = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly linter: DocumentLinter,
  ) {}

  isScanned(file: string): boolean {
    return this.#scanned.has(pathKey(file));
  }

  /** Stops a running scan (shutdown, or a newer scan taking over). */
  cancel(): void {
    this.#running?.cancel();
  }

  async scan(tokens: readonly (CancellationToken | undefined)[], progress: WorkDoneProgressReporter): Promise<ScanSummary> {
    const { ctx } = this;
    this.#running?.cancel();
    const own = new CancellationTokenSource();
    this.#running = own;
    const isCancelled = () => own.token.isCancellationRequested || tokens.some((t) => t?.isCancellationRequested);
    const summary: ScanSummary = { files: 0, findings: 0, byRule: {}, skipped: [], cancelled: false };
    const started = performance.now();
    ctx.status.begin();
    progress.begin('Context & Pool Lint: scanning the workspace', 0, 'Listing files…', true);
    try {
      const jobs = await this.#plan(isCancelled);
      if (ctx.analyzers.folders.length === 0) ctx.connection.console.warn('Scan Workspace: no workspace folder is open, so there is nothing to scan.');
      const total = jobs.reduce((n, job) => n + job.files.length, 0);
      const visited = new Set<string>();
      let lastPercent = -1;
      for (const job of jobs) {
        if (isCancelled()) break;
        this.linter.syncOpenTexts();
        // One program for the whole folder instead of one rebuild per file.
        job.analyzer.preload(job.files);
        for (const file of job.files) {
          if (isCancelled()) break;
          this.#scanFile(job, file, summary);
          visited.add(pathKey(file));
          const percent = Math.floor((summary.files * 100) / total);
          if (percent !== lastPercent) {
            lastPercent = percent;
            progress.report(percent, `${summary.files}/${total} files`);
          }
          await yieldToEventLoop();
        }
      }
      summary.cancelled = isCancelled();
      // A completed scan is the truth: files published earlier that are gone, excluded or now
      // inside ignored folders lose their diagnostics. A cancelled one only adds.
      if (!summary.cancelled) {
        for (const [key, file] of [...this.#scanned]) {
          if (!visited.has(key)) this.forget(file);
        }
      }
      return summary;
    } finally {
      progress.done();
      ctx.status.end(performance.now() - started);
      if (this.#running === own) this.#running = undefined;
      own.dispose();
    }
  }

  /** Analyses a scanned file again from disk and re-publishes it (closed in the editor, or changed on disk). */
  async refreshFile(file: string): Promise<void> {
    if (!this.isScanned(file)) return;
    const folder = this.ctx.analyzers.folderOf(file);
    if (!folder) return;
    const settings = await this.ctx.settings.get(folder.uri);
    if (!this.isScanned(file) || this.ctx.documents.get(this.ctx.uris.uriOf(file))) return;
    const analyzer = this.ctx.analyzers.analyzerFor(file);
    if (analyzer.ignoreReason(file, settings.analyzer)) {
      this.forget(file);
      return;
    }
    const result = analyzer.analyzeFile(file, settings.analyzer);
    noteFileResult(this.ctx, result);
    this.ctx.published.publish({ uri: this.ctx.uris.uriOf(file), file, version: undefined, findings: result.findings });
  }

  /** Re-publishes every scanned file that is not open: settings changed. A newer refresh stops this one. */
  async refreshAll(): Promise<void> {
    const generation = ++this.#refreshGeneration;
    const files = [...this.#scanned.values()];
    if (files.length === 0) return;
    const started = performance.now();
    this.ctx.status.begin();
    try {
      for (const file of files) {
        if (generation !== this.#refreshGeneration) return;
        await this.refreshFile(file);
        await yieldToEventLoop();
      }
    } finally {
      this.ctx.status.end(performance.now() - started);
    }
  }

  /** The file is gone (deleted, or no longer in the workspace): its scan diagnostics go too. */
  forget(file: string): void {
    if (!this.#scanned.delete(pathKey(file))) return;
    const uri = this.ctx.uris.uriOf(file);
    if (!this.ctx.documents.get(uri)) this.ctx.published.clear(uri);
  }

  async #plan(isCancelled: () => boolean): Promise<FolderJob[]> {
    const { ctx } = this;
    const jobs: FolderJob[] = [];
    for (const folder of ctx.analyzers.folders) {
      if (isCancelled()) break;
      const settings = await ctx.settings.get(folder.uri);
      const analyzer = ctx.analyzers.analyzerFor(folder.dir);
      const excluded = await scanExclusions(folder.dir, await ctx.settings.filesExclude(folder.uri));
      const files = (await listSourceFiles(folder.dir)).filter(
        // A file inside a nested workspace folder belongs to that folder's own job.
        (file) => ctx.analyzers.folderOf(file) === folder && !excluded(file) && !analyzer.ignoreReason(file, settings.analyzer),
      );
      jobs.push({ folder, settings, analyzer, files });
    }
    return jobs;
  }

  #scanFile(job: FolderJob, file: string, summary: ScanSummary): void {
    const { ctx } = this;
    const result = job.analyzer.analyzeFile(file, job.settings.analyzer);
    noteFileResult(ctx, result);
    summary.files++;
    if (result.skipped) summary.skipped.push({ file, reason: result.skipped });
    summary.findings += result.findings.length;
    for (const finding of result.findings) summary.byRule[finding.rule] = (summary.byRule[finding.rule] ?? 0) + 1;
    const uri = ctx.uris.uriOf(file);
    this.#scanned.set(pathKey(file), file);
    // An open document's diagnostics come from its editor text, published by the document linter;
    // the scan's take over when it is closed.
    if (ctx.documents.get(uri)) return;
    ctx.published.publish({ uri, file, version: undefined, findings: result.findings });
  }
}
