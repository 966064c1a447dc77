// A table-driven rule tester in the manner of typescript-eslint's RuleTester: `valid` code must
// produce no finding of the rule; `invalid` code must produce exactly the listed findings, at the
// exact ranges, with exactly the listed fixes, each producing exactly the listed output. Every fix
// is also checked for what RULES.md §4 promises of all fixes (see `checkFixInvariants`).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { Analyzer, applyEdits, DEFAULT_SETTINGS, RULES, type AnalyzerSettings, type Finding, type Fix } from '../../server/src/core';

export interface ValidCase {
  code: string;
  /** Defaults to `handler.ts`. Use `route.ts` for Next.js handlers, `.js` for JavaScript. */
  fileName?: string;
  /** Analyse with no resolvable packages (plain JavaScript / TypeScript without node_modules). */
  untyped?: boolean;
  settings?: Partial<AnalyzerSettings>;
  name?: string;
}

export interface ExpectedFix {
  title: string;
  output: string;
  preferred?: boolean;
}

export interface ExpectedFinding {
  /** 1-based, like an editor shows them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message?: string | RegExp;
  /** Every fix offered, in order. Omitted means none may be offered. */
  fixes?: ExpectedFix[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** Identifiers a fix may legitimately remove (a duplicate release call, say). */
  mayRemove?: string[];
}

const repoRoot = path.resolve(__dirname, '..', '..');
const typedRoot = path.join(repoRoot, 'test', 'fixtures', 'virtual');
let untypedRoot: string | undefined;
let typedAnalyzer: Analyzer | undefined;
let untypedAnalyzer: Analyzer | undefined;
let counter = 0;

/** One long-lived analyser per mode, as in the editor: cases replace each other's files. */
function analyzerFor(untyped: boolean): Analyzer {
  if (!untyped) {
    typedAnalyzer ??= new Analyzer(typedRoot);
    return typedAnalyzer;
  }
  if (!untypedAnalyzer) {
    untypedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-untyped-'));
    untypedAnalyzer = new Analyzer(untypedRoot);
  }
  return untypedAnalyzer;
}

export interface Analysed {
  findings: Finding[];
  all: Finding[];
  text: string;
  fileName: string;
  analyzer: Analyzer;
  settings: AnalyzerSettings;
  skipped?: string;
  dispose(): void;
}

/** Analyses `code` as an open, unsaved file; `all` has every rule's findings, `findings` the rule's. */
export function analyse(ruleId: string | undefined, testCase: ValidCase): Analysed {
  const analyzer = analyzerFor(!!testCase.untyped);
  const root = testCase.untyped ? untypedRoot! : typedRoot;
  const fileName = path.join(root, `case${counter++}`, testCase.fileName ?? 'handler.ts');
  const settings: AnalyzerSettings = { ...DEFAULT_SETTINGS, ...testCase.settings };
  analyzer.setOpenText(fileName, testCase.code);
  const result = analyzer.analyzeFile(fileName, settings);
  if (result.ruleErrors?.length) {
    analyzer.closeFile(fileName);
    throw new Error(`rule crashed: ${JSON.stringify(result.ruleErrors)}`);
  }
  return {
    all: result.findings,
    findings: ruleId ? result.findings.filter((f) => f.rule === ruleId) : result.findings,
    text: testCase.code,
    fileName,
    analyzer,
    settings,
    skipped: result.skipped,
    dispose: () => analyzer.closeFile(fileName),
  };
}

function describeFinding(f: Finding): string {
  return `${f.rule} ${f.startLc.line + 1}:${f.startLc.character + 1}-${f.endLc.line + 1}:${f.endLc.character + 1} ${f.message} [${f.fixes.map((x) => x.title).join(' | ')}]`;
}

export function ruleTester(ruleId: string, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  assert.ok(RULES.some((r) => r.id === ruleId), `unknown rule ${ruleId}`);
  describe(ruleId, () => {
    describe('valid', () => {
      cases.valid.forEach((raw, index) => {
        const testCase = typeof raw === 'string' ? { code: raw } : raw;
        it(testCase.name ?? `valid #${index}${testCase.untyped ? ' (untyped)' : ''}: ${firstLine(testCase.code)}`, () => {
          const run = analyse(ruleId, testCase);
          try {
            assert.equal(run.skipped, undefined, `file was skipped: ${run.skipped}`);
            assert.deepEqual(run.findings.map(describeFinding), [], 'expected no finding');
          } finally {
            run.dispose();
          }
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((testCase, index) => {
        it(testCase.name ?? `invalid #${index}${testCase.untyped ? ' (untyped)' : ''}: ${firstLine(testCase.code)}`, () => {
          checkInvalid(ruleId, testCase);
        });
      });
    });
  });
}

function checkInvalid(ruleId: string, testCase: InvalidCase): void {
  const run = analyse(ruleId, testCase);
  try {
    assert.equal(run.skipped, undefined, `file was skipped: ${run.skipped}`);
    const actual = run.findings.map((f) => ({
      line: f.startLc.line + 1,
      column: f.startLc.character + 1,
      endLine: f.endLc.line + 1,
      endColumn: f.endLc.character + 1,
    }));
    const expected = testCase.errors.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn }));
    assert.deepEqual(actual, expected, `findings differ:\n${run.findings.map(describeFinding).join('\n')}`);
    testCase.errors.forEach((error, i) => {
      const finding = run.findings[i];
      if (error.message instanceof RegExp) assert.match(finding.message, error.message);
      else if (typeof error.message === 'string') assert.equal(finding.message, error.message);
      assert.ok(finding.message.length > 0 && !finding.message.includes('\n'), 'message is one line');
      assert.ok(finding.related.length > 0, 'related information points at the request scope or the acquisition');
      const expectedFixes = error.fixes ?? [];
      assert.deepEqual(
        finding.fixes.map((f) => f.title),
        expectedFixes.map((f) => f.title),
        `fix titles differ for ${describeFinding(finding)}`,
      );
      finding.fixes.forEach((fix, j) => {
        const want = expectedFixes[j];
        const output = applyEdits(run.text, fix.edits);
        assert.equal(output, want.output, `output of "${fix.title}" differs`);
        if (want.preferred !== undefined) assert.equal(fix.preferred, want.preferred, `preferred of "${fix.title}"`);
        checkFixInvariants(ruleId, testCase, run, finding, fix, output);
      });
    });
    checkFixAllIdempotent(testCase, run);
  } finally {
    run.dispose();
  }
}

/**
 * RULES.md §4: a fix parses, removes its diagnostic, introduces no finding of another rule (nor a
 * new one of its own), keeps the user's code, adds no TypeScript error, and is idempotent (its
 * diagnostic is gone, so applying it again has nothing to apply to).
 */
export function checkFixInvariants(ruleId: string, testCase: InvalidCase, run: Analysed, finding: Finding, fix: Fix, output: string): void {
  const label = `fix "${fix.title}"`;
  const parsed = ts.createSourceFile(run.fileName, output, ts.ScriptTarget.Latest, true, scriptKind(run.fileName));
  const parseErrors = (parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.deepEqual(parseErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], `${label} output does not parse`);

  // Other findings are matched after the fix by rule and either their text or their position
  // carried through the fix's edits (a fix may edit inside another rule's span on the same call).
  const before = run.all.filter((f) => f !== finding).map((f) => ({ rule: f.rule, text: anchorText(run.text, f), start: mapOffset(f.start, fix.edits) }));
  const typeErrorsBefore = typeErrorCodes(run, run.text);
  run.analyzer.setOpenText(run.fileName, output);
  try {
    const after = run.analyzer.analyzeFile(run.fileName, run.settings);
    assert.equal(after.skipped, undefined, `${label} output was skipped: ${after.skipped}`);
    const ownBefore = run.all.filter((f) => f.rule === ruleId).length;
    const ownAfter = after.findings.filter((f) => f.rule === ruleId).length;
    assert.ok(ownAfter < ownBefore, `${label} did not remove its diagnostic:\n${after.findings.map(describeFinding).join('\n')}`);
    const remaining = [...before];
    for (const f of after.findings) {
      const text = anchorText(output, f);
      const at = remaining.findIndex((b) => b.rule === f.rule && (b.text === text || b.start === f.start));
      assert.ok(at >= 0 || f.rule === ruleId, `${label} introduced a finding: ${describeFinding(f)}`);
      if (at >= 0) remaining.splice(at, 1);
    }
    const typeErrorsAfter = typeErrorCodes(run, output);
    for (const code of typeErrorsAfter) {
      assert.ok(typeErrorsBefore.includes(code), `${label} introduced a TypeScript error: ${code}`);
    }
  } finally {
    run.analyzer.setOpenText(run.fileName, run.text);
  }
  const kept = identifiers(output, run.fileName);
  const lost = identifiers(run.text, run.fileName).filter((id) => !kept.includes(id) && !(testCase.mayRemove ?? []).includes(id));
  assert.deepEqual(lost, [], `${label} lost user code`);
}

/** Fix-all twice equals fix-all once. */
function checkFixAllIdempotent(testCase: InvalidCase, run: Analysed): void {
  const once = run.analyzer.fixAll(run.fileName, run.settings).text;
  run.analyzer.setOpenText(run.fileName, once);
  try {
    const twice = run.analyzer.fixAll(run.fileName, run.settings).text;
    assert.equal(twice, once, 'fix-all is not idempotent');
  } finally {
    run.analyzer.setOpenText(run.fileName, testCase.code);
  }
}

/** Semantic error messages of the file (TypeScript files with types only): "code message". */
function typeErrorCodes(run: Analysed, text: string): string[] {
  if (!/\.[cm]?tsx?$/.test(run.fileName)) return [];
  run.analyzer.setOpenText(run.fileName, text);
  const program = run.analyzer.host.program();
  const sourceFile = program.getSourceFile(run.fileName.replace(/\\/g, '/'));
  if (!sourceFile) return [];
  return program.getSemanticDiagnostics(sourceFile).map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Where `offset` of the original text is after the edits (an insertion at the offset stays after it). */
function mapOffset(offset: number, edits: readonly { start: number; end: number; newText: string }[]): number {
  let delta = 0;
  for (const edit of edits) {
    if (edit.end < offset || (edit.end === offset && edit.start < offset)) delta += edit.newText.length - (edit.end - edit.start);
  }
  return offset + delta;
}

function anchorText(text: string, f: Finding): string {
  return text.slice(f.start, f.end).replace(/\s+/g, ' ');
}

/** Every identifier of the code, from a parse (a bare scanner loses its way inside template literals). */
function identifiers(text: string, fileName = 'file.tsx'): string[] {
  const out = new Set<string>();
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  const visit = (node: ts.Node): void => {
    // `undefined` is a value, not a name the user chose: `fetch(url, undefined)` may lose it.
    if ((ts.isIdentifier(node) && node.text !== 'undefined') || ts.isPrivateIdentifier(node)) out.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...out];
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function firstLine(code: string): string {
  return (code.trim().split('\n').find((l) => /\b(app|router|fastify|server|export|pool)\b/.test(l)) ?? code.trim().split('\n')[0]).trim().slice(0, 70);
}
