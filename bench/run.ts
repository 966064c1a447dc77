// `npm run bench [-- --json]`: scan cost against the parse floor, per-edit latency and peak memory
// on a generated 1,000-module service, all measured in this one process and run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureProject } from './generate';
import { collectGarbage, measureEdits, measureParseFloor, measureScan, peakRssMb, percentile } from './measure';
import { formatTable, type BenchResult } from './report';

const HANDLER_MODULES = 1000;
const SEED = 20240611;
const EDITS = 50;

function main(): void {
  const json = process.argv.includes('--json');
  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };

  const project = ensureProject(HANDLER_MODULES, SEED);
  log(`${project.reused ? 'reusing' : 'generated'} ${project.files.length} files in ${path.relative(process.cwd(), project.dir)}`);

  const texts = new Map(project.files.map((file) => [file, fs.readFileSync(file, 'utf8')]));
  const lines = [...texts.values()].reduce((sum, text) => sum + text.split('\n').length, 0);

  log('parse floor...');
  const parseFloorMs = measureParseFloor(texts);
  texts.clear();
  collectGarbage();

  log('full scan...');
  const scan = measureScan(project.dir, project.files);
  collectGarbage();

  log(`${EDITS} edits...`);
  const editFile = project.files[project.files.length >> 1];
  const edits = measureEdits(scan.analyzer, editFile, EDITS);

  const findingsByRule: Record<string, number> = {};
  let ruleErrors = 0;
  let skipped = 0;
  for (const result of scan.results) {
    for (const finding of result.findings) findingsByRule[finding.rule] = (findingsByRule[finding.rule] ?? 0) + 1;
    ruleErrors += result.ruleErrors?.length ?? 0;
    if (result.skipped) skipped += 1;
  }

  const result: BenchResult = {
    files: project.files.length,
    lines,
    parseFloorMs: round(parseFloorMs),
    scanMs: round(scan.ms),
    scanRatio: round(scan.ms / parseFloorMs, 2),
    editP50Ms: round(percentile(edits, 50)),
    editP95Ms: round(percentile(edits, 95)),
    peakRssMb: round(peakRssMb()),
  };

  if (json) {
    log(`findings ${JSON.stringify(findingsByRule)}, planted ${JSON.stringify(project.plantedBugs)}, rule errors ${ruleErrors}, skipped ${skipped}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      formatTable(result, {
        edits: EDITS,
        editFile: path.relative(project.dir, editFile),
        findingsByRule,
        plantedBugs: project.plantedBugs,
        ruleErrors,
        skipped,
      }),
    );
  }
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

main();
