// Precision and recall of every rule on the evaluation corpus (test/corpus, see its README):
// every source file is analysed with the core, and the (file, line, rule) set of findings is
// compared with the `// expect: <rule-id>[, <rule-id>]` markers written into the files. A table per
// rule, every miss and every false finding are printed; the run fails when overall precision or
// recall drops below 0.9, when a file is skipped, or when a rule crashes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Analyzer, DEFAULT_SETTINGS, RULES, SOURCE_EXTENSIONS, type Finding } from '../server/src/core';

const CORPUS = path.join(__dirname, 'corpus');
const RULE_IDS: readonly string[] = RULES.map((rule) => rule.id);
type RuleId = string;
const THRESHOLD = 0.9;
const MARKER = /\/\/\s*expect:\s*(.*)$/;

interface Expectation {
  file: string;
  line: number;
  rule: RuleId;
}

interface Reported extends Expectation {
  message: string;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

interface Outcome {
  files: string[];
  lines: Map<string, string[]>;
  expected: Map<string, Expectation>;
  reported: Map<string, Reported>;
  duplicates: string[];
  skipped: string[];
  crashes: string[];
  ignored: string[];
  badMarkers: string[];
}

function isRule(id: string): boolean {
  return RULE_IDS.includes(id);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

const keyOf = (e: Expectation) => `${e.file}:${e.line}:${e.rule}`;
const rel = (file: string) => path.relative(CORPUS, file).replace(/\\/g, '/');

function analyseCorpus(): Outcome {
  const files = sourceFiles(CORPUS);
  const outcome: Outcome = {
    files,
    lines: new Map(),
    expected: new Map(),
    reported: new Map(),
    duplicates: [],
    skipped: [],
    crashes: [],
    ignored: [],
    badMarkers: [],
  };

  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    outcome.lines.set(rel(file), lines);
    lines.forEach((text, index) => {
      const match = MARKER.exec(text);
      if (!match) return;
      for (const id of match[1]!.split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!isRule(id)) {
          outcome.badMarkers.push(`${rel(file)}:${index + 1}: unknown rule "${id}"`);
          continue;
        }
        const e = { file: rel(file), line: index + 1, rule: id };
        outcome.expected.set(keyOf(e), e);
      }
    });
  }

  const analyzer = new Analyzer(CORPUS);
  for (const file of files) {
    const reason = analyzer.ignoreReason(file, DEFAULT_SETTINGS);
    if (reason) outcome.ignored.push(`${rel(file)}: ${reason}`);
  }
  for (const [file, reason] of analyzer.preload(files)) outcome.skipped.push(`${rel(file)}: ${reason}`);

  for (const file of files) {
    const result = analyzer.analyzeFile(file, DEFAULT_SETTINGS);
    if (result.skipped) outcome.skipped.push(`${rel(file)}: ${result.skipped}`);
    for (const crash of result.ruleErrors ?? []) outcome.crashes.push(`${rel(file)}: ${crash.rule}: ${crash.message}`);
    for (const finding of result.findings as Finding[]) {
      if (!isRule(finding.rule)) continue;
      const r: Reported = { file: rel(file), line: finding.startLc.line + 1, rule: finding.rule, message: finding.message };
      const key = keyOf(r);
      if (outcome.reported.has(key)) outcome.duplicates.push(key);
      else outcome.reported.set(key, r);
    }
  }
  return outcome;
}

function countsFor(outcome: Outcome, rule?: RuleId): Counts {
  const counts: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const [key, e] of outcome.expected) {
    if (rule && e.rule !== rule) continue;
    if (outcome.reported.has(key)) counts.tp++;
    else counts.fn++;
  }
  for (const [key, r] of outcome.reported) {
    if (rule && r.rule !== rule) continue;
    if (!outcome.expected.has(key)) counts.fp++;
  }
  return counts;
}

const precision = (c: Counts) => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));
const recall = (c: Counts) => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn));

function lineText(outcome: Outcome, file: string, line: number): string {
  return (outcome.lines.get(file)?.[line - 1] ?? '').trim().replace(/\s*\/\/\s*expect:.*$/, '');
}

function report(outcome: Outcome): string {
  const out: string[] = [];
  const row = (name: string, c: Counts) =>
    `${name.padEnd(30)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}   ${precision(c).toFixed(3)}   ${recall(c).toFixed(3)}`;
  out.push(`corpus: ${outcome.files.length} files, ${outcome.expected.size} expected findings`);
  out.push(`${'rule'.padEnd(30)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}   precision recall`);
  for (const rule of RULE_IDS) out.push(row(rule, countsFor(outcome, rule)));
  out.push(row('all rules', countsFor(outcome)));

  const misses = [...outcome.expected].filter(([key]) => !outcome.reported.has(key)).map(([, e]) => e);
  const falses = [...outcome.reported].filter(([key]) => !outcome.expected.has(key)).map(([, r]) => r);
  const order = (a: Expectation, b: Expectation) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule);
  if (misses.length > 0) {
    out.push('', `false negatives (${misses.length}):`);
    for (const e of misses.sort(order)) out.push(`  ${e.file}:${e.line}  ${e.rule}\n      ${lineText(outcome, e.file, e.line)}`);
  }
  if (falses.length > 0) {
    out.push('', `false positives (${falses.length}):`);
    for (const r of falses.sort(order)) {
      out.push(`  ${r.file}:${r.line}  ${r.rule}\n      ${lineText(outcome, r.file, r.line)}\n      message: ${r.message}`);
    }
  }
  if (outcome.duplicates.length > 0) out.push('', `reported twice on one line (counted once): ${outcome.duplicates.join(', ')}`);
  return out.join('\n');
}

describe('evaluation corpus (every rule of RULES.md)', () => {
  let outcome: Outcome;

  before(() => {
    outcome = analyseCorpus();
    console.log(report(outcome));
  });

  it('has well-formed markers and at least 100 source files', () => {
    assert.deepEqual(outcome.badMarkers, []);
    assert.ok(outcome.files.length >= 100, `${outcome.files.length} source files`);
    assert.ok(outcome.expected.size >= 160, `${outcome.expected.size} expected findings`);
    for (const rule of RULE_IDS) {
      const marked = [...outcome.expected.values()].filter((e) => e.rule === rule).length;
      assert.ok(marked >= 6, `${rule} has ${marked} marked findings; every rule needs at least 6`);
    }
  });

  it('analyses every file: none ignored or skipped, no rule crashed', () => {
    assert.deepEqual(outcome.ignored, []);
    assert.deepEqual(outcome.skipped, []);
    assert.deepEqual(outcome.crashes, []);
  });

  it(`overall precision is at least ${THRESHOLD}`, () => {
    const c = countsFor(outcome);
    assert.ok(precision(c) >= THRESHOLD, `precision ${precision(c).toFixed(3)} (${c.tp} true, ${c.fp} false findings)`);
  });

  it(`overall recall is at least ${THRESHOLD}`, () => {
    const c = countsFor(outcome);
    assert.ok(recall(c) >= THRESHOLD, `recall ${recall(c).toFixed(3)} (${c.tp} found, ${c.fn} missed)`);
  });
});
