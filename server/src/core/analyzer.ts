import * as path from 'node:path';
import picomatch from 'picomatch';
import { ts } from 'ts-morph';
import { FileFacts, registeredScopesOf } from './fileFacts';
import { HelperGraph } from './helpers/helperGraph';
import { ProjectHost } from './projectHost';
import type { ReportDescriptor, Rule, RuleContext } from './ruleApi';
import { RULES, docsUrl } from './rules';
import { suppressedLines } from './suppressions';
import { isTestFile } from './testFiles';
import { checkText, readSourceFile } from './textFile';
import { TypeInfo } from './typeInfo';
import { applyEdits, editsOverlap } from './edits';
import { locate } from './locate';

export { locate };
import type { AnalyzerSettings, TextEdit, FileResult, Finding, RelatedInformation, Severity } from './types';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];


/** Why a file is not analysed at all (not a failure: the user asked for it, or it is not code). */
export function ignoreReason(fileName: string, rootDir: string, settings: AnalyzerSettings): string | undefined {
  const lower = fileName.toLowerCase();
  if (!SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'not a TypeScript or JavaScript file';
  if (/\.d\.[mc]?ts$/.test(lower)) return 'declaration file';
  const relative = path.relative(rootDir, fileName).replace(/\\/g, '/');
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  const candidate = inside ? relative : fileName.replace(/\\/g, '/');
  if (!settings.includeTests && isTestFile(candidate)) return 'test file';
  if (settings.exclude.length > 0 && picomatch(settings.exclude, { dot: true })(candidate)) return 'excluded by settings';
  return undefined;
}

interface CachedResult {
  text: string;
  settingsKey: string;
  /** Helper roles given to this file's functions by request handlers (possibly in other files). */
  helperKey: string;
  result: FileResult;
}

/**
 * The analysis core's front door: one per root folder. It keeps one long-lived project, installs
 * editor text over what is on disk, and re-runs rules only for files whose text or settings
 * changed since their last analysis.
 */
export class Analyzer {
  readonly host: ProjectHost;
  readonly #cache = new Map<string, CachedResult>();
  readonly #openFiles = new Set<string>();
  readonly #helpers: HelperGraph;

  constructor(rootDir: string, configFile?: string) {
    this.host = new ProjectHost(rootDir, configFile);
    const types = new TypeInfo(() => this.host.program().getTypeChecker());
    this.#helpers = new HelperGraph(this.host, (sourceFile) => registeredScopesOf(sourceFile, types));
  }

  get rootDir(): string {
    return this.host.rootDir;
  }

  /** Text of an open editor document; it wins over the disk until `closeFile`. */
  setOpenText(fileName: string, text: string): void {
    this.#openFiles.add(key(fileName));
    this.host.setText(fileName, text);
  }

  /** The editor closed the document: the disk is the truth again. */
  closeFile(fileName: string): void {
    this.#openFiles.delete(key(fileName));
    this.#cache.delete(key(fileName));
    this.host.remove(fileName);
  }

  /** Forget cached findings for a file changed on disk (not open in the editor). */
  fileChangedOnDisk(fileName: string): void {
    // A created or deleted file can change what an import resolves to, open or not.
    this.host.invalidateResolutions();
    if (this.#openFiles.has(key(fileName))) return;
    this.#cache.delete(key(fileName));
    this.host.remove(fileName);
  }

  ignoreReason(fileName: string, settings: AnalyzerSettings): string | undefined {
    return ignoreReason(path.resolve(fileName), this.rootDir, settings);
  }

  /**
   * Analyses one file: the open text if the editor has it, the disk otherwise. Never throws:
   * unreadable input becomes `skipped`, and a rule that crashes is reported in `ruleErrors`.
   */
  analyzeFile(fileName: string, settings: AnalyzerSettings): FileResult {
    const file = path.resolve(fileName);
    const k = key(file);
    let text: string;
    // Text already in the project is current: open documents are kept up to date by the editor,
    // and disk changes arrive through `fileChangedOnDisk`, which drops the file.
    if (this.#openFiles.has(k) || this.host.hasText(file)) {
      text = this.host.textOf(file) ?? '';
      const check = checkText(text);
      if ('skipped' in check) return { fileName: file, findings: [], skipped: check.skipped };
    } else {
      const read = readSourceFile(file);
      if ('skipped' in read) return { fileName: file, findings: [], skipped: read.skipped };
      text = read.text;
      this.host.setText(file, text);
    }
    const settingsKey = JSON.stringify(settings);
    const sourceFile = this.host.getSourceFile(file);
    const helperKey = sourceFile ? this.#helpers.signature(sourceFile) : '';
    const cached = this.#cache.get(k);
    if (cached && cached.text === text && cached.settingsKey === settingsKey && cached.helperKey === helperKey) return cached.result;
    const result = this.#analyze(file, settings);
    this.#cache.set(k, { text, settingsKey, helperKey, result });
    return result;
  }

  /**
   * Whether the last result for this file still holds: same text, same settings, and the same
   * helper roles given to its functions by handlers in other files (an edit elsewhere can change
   * those, so editors re-analyse open files for which this turns false).
   */
  hasCurrentResult(fileName: string, settings: AnalyzerSettings): boolean {
    const file = path.resolve(fileName);
    const cached = this.#cache.get(key(file));
    if (!cached || cached.text !== this.host.textOf(file) || cached.settingsKey !== JSON.stringify(settings)) return false;
    const sourceFile = this.host.getSourceFile(file);
    return !sourceFile || cached.helperKey === this.#helpers.signature(sourceFile);
  }

  /** Adds files to the project before a scan, so the program is built once for all of them. */
  preload(fileNames: readonly string[]): Map<string, string> {
    const skipped = new Map<string, string>();
    for (const fileName of fileNames) {
      const file = path.resolve(fileName);
      if (this.#openFiles.has(key(file))) continue;
      const read = readSourceFile(file);
      if ('skipped' in read) skipped.set(file, read.skipped);
      else this.host.setText(file, read.text);
    }
    return skipped;
  }

  /**
   * The text after applying every fix-all fix (preferred, unless a rule says otherwise), pass after
   * pass until nothing more applies: fixes that touch the same text wait for the next pass, when
   * they are recomputed on the fixed text. The analyser's view of the file is restored afterwards.
   */
  fixAll(fileName: string, settings: AnalyzerSettings, maxPasses = 10): { text: string; applied: number; remaining: FileResult } {
    const file = path.resolve(fileName);
    const k = key(file);
    const wasOpen = this.#openFiles.has(k);
    let result = this.analyzeFile(file, settings);
    const original = this.host.getSourceFile(file)?.text ?? '';
    let text = original;
    let applied = 0;
    try {
      for (let pass = 0; pass < maxPasses && !result.skipped; pass++) {
        const taken: TextEdit[][] = [];
        for (const finding of result.findings) {
          const fix = finding.fixes.find((f) => f.fixAll ?? f.preferred);
          if (!fix || taken.some((edits) => editsOverlap(edits, fix.edits))) continue;
          taken.push(fix.edits);
        }
        if (taken.length === 0) break;
        text = applyEdits(text, taken.flat());
        applied += taken.length;
        this.setOpenText(file, text);
        result = this.analyzeFile(file, settings);
      }
      return { text, applied, remaining: result };
    } finally {
      if (wasOpen) this.setOpenText(file, original);
      else if (applied > 0) this.closeFile(file);
    }
  }

  #analyze(fileName: string, settings: AnalyzerSettings): FileResult {
    const sourceFile = this.host.getSourceFile(fileName);
    if (!sourceFile) return { fileName, findings: [], skipped: 'could not be loaded into the project' };
    const syntaxError = firstSyntaxError(sourceFile);
    if (syntaxError) return { fileName, findings: [], skipped: syntaxError };

    const findings: Finding[] = [];
    const ruleErrors: { rule: string; message: string }[] = [];
    // The program (and the parsing of lib and package types it implies) is built only when a
    // rule first asks for types; files whose rules decide from syntax never pay for it.
    const types = new TypeInfo(() => this.host.program().getTypeChecker());
    const facts = new FileFacts(sourceFile, types, settings, this.host, this.#helpers);
    const suppressed = suppressedLines(sourceFile.text);

    for (const rule of RULES) {
      const severity = severityOf(rule, settings);
      if (!severity) continue;
      const ctx = makeContext(rule, severity, sourceFile, settings, facts, types, findings, suppressed);
      try {
        rule.check(ctx);
      } catch (error) {
        ruleErrors.push({ rule: rule.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
    return ruleErrors.length > 0 ? { fileName, findings, ruleErrors } : { fileName, findings };
  }
}

function key(fileName: string): string {
  return path.resolve(fileName).replace(/\\/g, '/');
}

export function severityOf(rule: Pick<Rule, 'id'>, settings: AnalyzerSettings): Severity | undefined {
  const configured = settings.rules[rule.id];
  if (configured === 'off') return undefined;
  return configured ?? 'warning';
}

function firstSyntaxError(sourceFile: ts.SourceFile): string | undefined {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return undefined;
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(first.start);
  const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
  return `syntax error at ${line + 1}:${character + 1}: ${message}`;
}


function makeContext(
  rule: Rule,
  severity: Severity,
  sourceFile: ts.SourceFile,
  settings: AnalyzerSettings,
  facts: FileFacts,
  types: TypeInfo,
  sink: Finding[],
  suppressed: Map<number, Set<string>>,
): RuleContext {
  const spanOf = (d: { node?: ts.Node; start?: number; end?: number }): [number, number] => {
    if (d.node) return [d.node.getStart(sourceFile), d.node.getEnd()];
    if (d.start === undefined) throw new Error(`rule ${rule.id} reported without a location`);
    return [d.start, d.end ?? d.start];
  };
  return {
    sourceFile,
    fileName: sourceFile.fileName,
    text: sourceFile.text,
    settings,
    facts,
    types,
    report(descriptor: ReportDescriptor) {
      const [start, end] = spanOf(descriptor);
      const located = locate(sourceFile, start, end);
      if (suppressed.get(located.startLc.line)?.has(rule.id)) return;
      const related: RelatedInformation[] = (descriptor.related ?? []).map((r) => {
        const [rs, re] = spanOf(r);
        if (r.startLc && r.endLc) return { start: rs, end: re, startLc: r.startLc, endLc: r.endLc, fileName: r.fileName ?? sourceFile.fileName, message: r.message };
        const relatedFile = r.node ? r.node.getSourceFile() : sourceFile;
        return { ...locate(relatedFile, rs, re), fileName: r.fileName ?? relatedFile.fileName, message: r.message };
      });
      sink.push({
        ...located,
        rule: rule.id,
        severity,
        message: descriptor.message,
        fileName: sourceFile.fileName,
        docsUrl: docsUrl(rule.id),
        related,
        fixes: descriptor.fixes ?? [],
      });
    },
  };
}
