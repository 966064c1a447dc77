import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { Analyzer, ignoreReason, type AnalyzerSettings, type FileResult, type Finding, type SeveritySetting } from '../core';
import { ConfigLocator, type LintConfig } from './config';
import { decodeText, encodeText, type DecodedText } from './fileEncoding';
import type { FileTarget } from './findFiles';
import { LineIndex } from './lineIndex';
import { displayPath, portablePath } from './paths';
import type { Progress } from './progress';
import { groupByProject, type ProjectGroup } from './projects';
import type { LintReport, ReportedFinding } from './report';
import { writeFileAtomic } from './writeFileAtomic';

export interface ScanOptions {
  cwd: string;
  fix: boolean;
  includeTests: boolean;
  /** `--rule` overrides, applied over every config file. */
  ruleOverrides: Record<string, SeveritySetting>;
}

export interface ScanHooks {
  progress: Progress;
  /** A remark for the person running the tool (stderr): ignored files, config warnings. */
  note(message: string): void;
}

interface WantedFile {
  file: string;
  settings: AnalyzerSettings;
}

/** Preloading in slices keeps the progress line moving on large projects; the cost is the same. */
const PRELOAD_SLICE = 64;

/**
 * Runs the analyser over the files: one analyser per project, every file of a project read
 * before the first is analysed (one program build), then each file analysed — or fixed and
 * written back — on its own. Projects are done one after the other, so only one is in memory.
 */
export function scan(targets: readonly FileTarget[], options: ScanOptions, hooks: ScanHooks): LintReport {
  const display = (file: string) => displayPath(options.cwd, file);
  const settings = new SettingsResolver(options, new ConfigLocator({ display, warn: hooks.note }));
  const report: LintReport = {
    cwd: options.cwd,
    filesAnalysed: 0,
    findings: [],
    skipped: [],
    ruleErrors: [],
    fixFailures: [],
    fixed: options.fix ? { problems: 0, files: 0 } : undefined,
  };

  const groups = groupByProject(targets).map((group) => ({ ...group, wanted: wantedFiles(group, settings, display, hooks.note) }));
  const total = groups.reduce((sum, group) => sum + group.wanted.length, 0);
  let read = 0;
  let analysed = 0;

  for (const group of groups) {
    if (group.wanted.length === 0) continue;
    const analyzer = new Analyzer(group.rootDir, group.tsconfig);
    const unreadable = new Map<string, string>();
    for (let i = 0; i < group.wanted.length; i += PRELOAD_SLICE) {
      const slice = group.wanted.slice(i, i + PRELOAD_SLICE).map((w) => w.file);
      for (const [file, reason] of analyzer.preload(slice)) unreadable.set(path.resolve(file), reason);
      read += slice.length;
      hooks.progress.update('reading', read, total);
    }

    for (const { file, settings: fileSettings } of group.wanted) {
      hooks.progress.update('scanning', ++analysed, total);
      const skippedOnRead = unreadable.get(file);
      if (skippedOnRead !== undefined) {
        report.skipped.push({ file, reason: skippedOnRead });
        continue;
      }
      const { result, text } = options.fix ? fixFile(analyzer, file, fileSettings, report) : analyzeFile(analyzer, file, fileSettings);
      if (result.skipped !== undefined) {
        report.skipped.push({ file, reason: result.skipped });
        continue;
      }
      report.filesAnalysed++;
      for (const error of result.ruleErrors ?? []) report.ruleErrors.push({ file, ...error });
      report.findings.push(...withLocatedEdits(result.findings, text));
    }
  }
  hooks.progress.clear();

  const paths = new Map<string, string>();
  const byPath = (file: string) => paths.get(file) ?? paths.set(file, portablePath(options.cwd, file)).get(file)!;
  report.findings.sort(
    (a, b) =>
      compare(byPath(a.fileName), byPath(b.fileName)) ||
      a.startLc.line - b.startLc.line ||
      a.startLc.character - b.startLc.character ||
      compare(a.rule, b.rule),
  );
  const byFile = (a: { file: string }, b: { file: string }) => compare(byPath(a.file), byPath(b.file));
  report.skipped.sort(byFile);
  report.fixFailures.sort(byFile);
  report.ruleErrors.sort(byFile);
  return report;
}

/** The group's files the rules should see. Leaving out a file the user named deserves a word. */
function wantedFiles(group: ProjectGroup, settings: SettingsResolver, display: (file: string) => string, note: (message: string) => void): WantedFile[] {
  return group.targets.flatMap((target): WantedFile[] => {
    const fileSettings = settings.forFile(target.file);
    const coreReason = ignoreReason(target.file, group.rootDir, fileSettings);
    const reason = coreReason ?? settings.excludedBy(target.file);
    if (reason === undefined) return [{ file: target.file, settings: fileSettings }];
    if (target.explicit) {
      const onlyAsTest = coreReason !== undefined && ignoreReason(target.file, group.rootDir, { ...fileSettings, includeTests: true }) === undefined;
      note(`${display(target.file)}: ignored: ${reason}${onlyAsTest ? ' (use --include-tests to analyse it)' : ''}`);
    }
    return [];
  });
}

function analyzeFile(analyzer: Analyzer, file: string, settings: AnalyzerSettings): { result: FileResult; text: () => string } {
  const result = analyzer.analyzeFile(file, settings);
  return { result, text: () => analyzer.host.textOf(file) ?? '' };
}

/**
 * Applies the file's preferred fixes and writes the result back in the file's own encoding. When
 * the fixed text cannot be written safely, the file is left as it was and its findings are
 * reported unfixed.
 */
function fixFile(analyzer: Analyzer, file: string, settings: AnalyzerSettings, report: LintReport): { result: FileResult; text: () => string } {
  let before: Buffer;
  try {
    before = fs.readFileSync(file);
  } catch {
    // Gone or unreadable since it was preloaded: analysing it reports why, and nothing is written.
    return analyzeFile(analyzer, file, settings);
  }
  const decoded = decodeText(before);
  // Offsets of the fixes are offsets into the analyser's text: it must be the text we decoded.
  const sameText = analyzer.host.textOf(file) === decoded.text;
  const outcome = analyzer.fixAll(file, settings);
  if (outcome.applied === 0 || outcome.text === decoded.text) return { result: outcome.remaining, text: () => outcome.text };

  const failure = writeFixedText(file, outcome.text, outcome.remaining, sameText ? decoded : undefined, before);
  if (failure !== undefined) {
    report.fixFailures.push({ file, reason: failure });
    return analyzeFile(analyzer, file, settings);
  }

  report.fixed!.problems += outcome.applied;
  report.fixed!.files++;
  // The fix left the file out of the project; put the new text back so files importing it keep their types.
  analyzer.fileChangedOnDisk(file);
  analyzer.preload([file]);
  return { result: outcome.remaining, text: () => outcome.text };
}

/** Writes the fixed text; returns why it was not written, if it was not. */
function writeFixedText(file: string, text: string, after: FileResult, decoded: DecodedText | undefined, before: Buffer): string | undefined {
  // A fix that breaks the syntax is a bug in the fix; the user's file must not pay for it.
  if (after.skipped !== undefined) return `the fixes would leave the file unreadable (${after.skipped})`;
  if (!decoded) return 'the file on disk no longer matches the text that was fixed';
  const encoded = encodeText(text, decoded.encoding);
  if (!encoded) return `the fixed text cannot be written in the file's encoding (${decoded.encoding})`;
  try {
    writeFileAtomic(file, encoded, { expectedContent: before });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** SARIF places fix edits by line and column; only files with fixes pay for the line index. */
function withLocatedEdits(findings: readonly Finding[], text: () => string): ReportedFinding[] {
  let index: LineIndex | undefined;
  return findings.map((finding) => {
    if (finding.fixes.length === 0) return finding as ReportedFinding;
    index ??= new LineIndex(text());
    const lines = index;
    return {
      ...finding,
      fixes: finding.fixes.map((fix) => ({
        ...fix,
        edits: fix.edits.map((edit) => ({ ...edit, startLc: lines.locate(edit.start), endLc: lines.locate(edit.end) })),
      })),
    };
  });
}

/** Per-file settings: the nearest config file's, with `--rule` on top; one object per config file. */
class SettingsResolver {
  readonly #options: ScanOptions;
  readonly #locator: ConfigLocator;
  readonly #settings = new Map<LintConfig, AnalyzerSettings>();
  readonly #excludes = new Map<LintConfig, (file: string) => boolean>();
  readonly #configOfFile = new Map<string, LintConfig>();

  constructor(options: ScanOptions, locator: ConfigLocator) {
    this.#options = options;
    this.#locator = locator;
  }

  forFile(file: string): AnalyzerSettings {
    const config = this.#configFor(file);
    let settings = this.#settings.get(config);
    if (!settings) {
      settings = {
        rules: { ...config.rules, ...this.#options.ruleOverrides },
        // Exclude globs are matched here, relative to the config file that names them.
        exclude: [],
        safeCalls: config.safeCalls,
        includeTests: this.#options.includeTests,
      };
      this.#settings.set(config, settings);
    }
    return settings;
  }

  excludedBy(file: string): string | undefined {
    const config = this.#configFor(file);
    if (!config.file || config.exclude.length === 0) return undefined;
    let isExcluded = this.#excludes.get(config);
    if (!isExcluded) {
      isExcluded = picomatch(config.exclude, { dot: true });
      this.#excludes.set(config, isExcluded);
    }
    const relative = path.relative(path.dirname(config.file), file).split(path.sep).join('/');
    return isExcluded(relative) ? `excluded by ${path.basename(config.file)}` : undefined;
  }

  #configFor(file: string): LintConfig {
    let config = this.#configOfFile.get(file);
    if (!config) {
      config = this.#locator.forDirectory(path.dirname(file));
      this.#configOfFile.set(file, config);
    }
    return config;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
