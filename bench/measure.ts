// The measurements, each a plain function of the project so run.ts only orders and reports them.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ts } from 'ts-morph';
import { Analyzer, DEFAULT_SETTINGS, type FileResult } from '../server/src/core';
import { EDIT_MARKER } from './handlerFile';

/** Lets one phase's garbage be collected before the next is timed (needs `--expose-gc`). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The floor no TypeScript-based analyser can beat: parsing every file's text, already in memory,
 * with nothing else. One untimed pass first, so the parser is compiled by the JIT when timed; then
 * the best of a few passes, so a busy machine does not inflate the floor and flatter the ratios.
 */
export function measureParseFloor(texts: ReadonlyMap<string, string>, passes = 3): number {
  const parseAll = (): void => {
    for (const [fileName, text] of texts) ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest);
  };
  parseAll();
  let best = Infinity;
  for (let pass = 0; pass < passes; pass++) {
    collectGarbage();
    const start = performance.now();
    parseAll();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export interface ScanMeasure {
  ms: number;
  analyzer: Analyzer;
  results: FileResult[];
}

/** What a workspace scan costs: a fresh analyser reads, loads and analyses every file. */
export function measureScan(rootDir: string, files: readonly string[]): ScanMeasure {
  const start = performance.now();
  const analyzer = new Analyzer(rootDir);
  analyzer.preload(files);
  const results = files.map((file) => analyzer.analyzeFile(file, DEFAULT_SETTINGS));
  return { ms: performance.now() - start, analyzer, results };
}

/**
 * Latency of re-analysing one open file after an edit, as the editor does on every keystroke
 * pause: each edit is a different text (a changed line, or an inserted one), so no cache answers.
 */
export function measureEdits(analyzer: Analyzer, file: string, count: number): number[] {
  const original = fs.readFileSync(file, 'utf8');
  const markerLine = original.split('\n').find((line) => line.includes(EDIT_MARKER));
  if (!markerLine) throw new Error(`${file} has no line with "${EDIT_MARKER}" to edit`);
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const indent = /^\s*/.exec(markerLine)![0];
    const edited =
      i % 2 === 0
        ? markerLine.replace('PAGE_SIZE)', `PAGE_SIZE + ${i})`)
        : `${markerLine}\n${indent}console.debug('page requested', limit, ${i});`;
    const text = original.replace(markerLine, edited);
    const start = performance.now();
    analyzer.setOpenText(file, text);
    analyzer.analyzeFile(file, DEFAULT_SETTINGS);
    timings.push(performance.now() - start);
  }
  analyzer.closeFile(file);
  return timings;
}

/** The highest resident set size the process reached, in MiB. */
export function peakRssMb(): number {
  // maxRSS is in KiB and covers the whole life of the process, so no phase's peak is missed.
  return process.resourceUsage().maxRSS / 1024;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)];
}
