// Every fix offered on the evaluation corpus (test/corpus: realistic files the rules were not
// written against) keeps RULES.md §4's promises, as the rule tables check on their own fixtures:
// it parses, removes its diagnostic, adds no finding of any rule and no TypeScript error, keeps
// the user's identifiers, and fix-all on each file is idempotent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer, applyEdits, DEFAULT_SETTINGS, SOURCE_EXTENSIONS } from '../server/src/core';
import { checkFixInvariants, type Analysed } from './support/ruleTester';

const CORPUS = path.join(__dirname, 'corpus');
/**
 * Names a fix replaces by design: RULES.md §2.11 turns `als.enterWith(s)` into `als.run(s, ...)`,
 * §2.1 turns `xs.forEach(async ...)` into `await Promise.all(xs.map(async ...))`.
 */
const REPLACED_BY_DESIGN: Record<string, string[]> = { 'als-enter-with': ['enterWith'], 'unawaited-background-work': ['forEach'] };

/**
 * "Use AbortSignal.timeout instead" (§2.6) deletes the controller and its timer by design: the
 * names it may lose are those the deleted declarations declared, and the timer calls themselves.
 */
const TIMER_REPLACEMENT = "Use AbortSignal.timeout instead";
function removedByDesign(rule: string, title: string, before: string, after: string): string[] {
  if (title !== TIMER_REPLACEMENT) return REPLACED_BY_DESIGN[rule] ?? [];
  const declared = (text: string) => new Set([...text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  const kept = declared(after);
  return [...[...declared(before)].filter((name) => !kept.has(name)), 'AbortController', 'setTimeout', 'clearTimeout', 'abort'];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('every fix on the evaluation corpus', () => {
  const analyzer = new Analyzer(CORPUS);
  const files = sourceFiles(CORPUS);
  analyzer.preload(files);
  const settings = DEFAULT_SETTINGS;

  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const result = analyzer.analyzeFile(file, settings);
    const withFixes = result.findings.filter((f) => f.fixes.length > 0);
    if (withFixes.length === 0) continue;
    it(path.relative(CORPUS, file), () => {
      const run: Analysed = { findings: result.findings, all: result.findings, text, fileName: file, analyzer, settings, dispose: () => {} };
      analyzer.setOpenText(file, text);
      try {
        for (const finding of withFixes) {
          for (const fix of finding.fixes) {
            const output = applyEdits(text, fix.edits);
            const mayRemove = removedByDesign(finding.rule, fix.title, text, output);
            checkFixInvariants(finding.rule, { code: text, errors: [], mayRemove }, { ...run, findings: result.findings.filter((f) => f.rule === finding.rule) }, finding, fix, output);
          }
        }
        const once = analyzer.fixAll(file, settings).text;
        analyzer.setOpenText(file, once);
        assert.equal(analyzer.fixAll(file, settings).text, once, 'fix-all is not idempotent');
      } finally {
        analyzer.closeFile(file);
        analyzer.preload([file]);
      }
    });
  }
});
