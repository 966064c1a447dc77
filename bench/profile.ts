// Where a scan spends its time, for the people tuning the analyser (not part of the tests):
//   node --import tsx bench/profile.ts [folder]      (default: the generated benchmark project)
// Prints the parse floor, the scan time and ratio, each rule's own time, and every place that
// asked the type checker — which a scan of ordinary code should not need (ARCHITECTURE.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { Analyzer, DEFAULT_SETTINGS, RULES, SOURCE_EXTENSIONS } from '../server/src/core';
import { TypeInfo } from '../server/src/core/typeInfo';

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '.generated'));
const files: string[] = [];
const collect = (dir: string): void => {
  for (const name of fs.readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) collect(full);
    else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(name)) files.push(full);
  }
};
collect(root);

const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
let floor = Infinity;
for (let round = 0; round < 3; round++) {
  const start = performance.now();
  for (let i = 0; i < files.length; i++) ts.createSourceFile(files[i], texts[i], ts.ScriptTarget.Latest);
  floor = Math.min(floor, performance.now() - start);
}

const ruleTime = new Map<string, number>();
for (const rule of RULES) {
  const check = rule.check.bind(rule);
  (rule as { check: typeof rule.check }).check = (ctx) => {
    const start = performance.now();
    try {
      check(ctx);
    } finally {
      ruleTime.set(rule.id, (ruleTime.get(rule.id) ?? 0) + performance.now() - start);
    }
  };
}

const checkerAsks = new Map<string, number>();
const checker = Object.getOwnPropertyDescriptor(TypeInfo.prototype, 'checker')!;
Object.defineProperty(TypeInfo.prototype, 'checker', {
  get(this: TypeInfo) {
    const site = (new Error().stack ?? '').split('\n').slice(2).find((line) => !line.includes('typeInfo.ts')) ?? '?';
    const key = site.trim().replace(/^at /, '').replace(/\(.*[\\/]core[\\/]/, '(');
    checkerAsks.set(key, (checkerAsks.get(key) ?? 0) + 1);
    return checker.get!.call(this);
  },
});

const start = performance.now();
const analyzer = new Analyzer(root);
analyzer.preload(files);
let findings = 0;
for (const file of files) findings += analyzer.analyzeFile(file, DEFAULT_SETTINGS).findings.length;
const scan = performance.now() - start;

console.log(`${files.length} files: parse floor ${floor.toFixed(0)} ms, scan ${scan.toFixed(0)} ms (${(scan / floor).toFixed(1)}×), ${findings} findings`);
for (const [rule, ms] of ruleTime) console.log(`  ${rule.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms`);
if (checkerAsks.size === 0) console.log('the type checker was never asked');
for (const [site, count] of [...checkerAsks].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  checker asked ${count}× at ${site}`);
