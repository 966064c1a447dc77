// The example project's README promises exactly which findings a scan of it reports. This test
// holds the built CLI to that promise, reading the promise from the README's table so the two
// cannot drift, and checks that the example is still the code the table describes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBundlesBuilt } from './support/bundles';
import { RULES, SOURCE_EXTENSIONS } from '../server/src/core';

const repoRoot = path.resolve(__dirname, '..');
const shopDir = path.join(repoRoot, 'examples', 'shop');
const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const TABLE_HEADING = '## What the scan should find';

interface ExpectedFinding {
  /** Relative to the example's folder, with forward slashes. */
  file: string;
  line: number;
  rule: string;
  /** Text the file's line must contain: proof the table still points at the right code. */
  code: string;
}

interface JsonReport {
  version: number;
  files: number;
  diagnostics: { file: string; line: number; rule: string; message: string; fixes: { title: string; preferred: boolean }[] }[];
}

/** Rows of the table under TABLE_HEADING: | `file:line` | `rule` | `code` | why |. */
function expectedFindingsOf(readme: string): ExpectedFinding[] {
  const start = readme.indexOf(TABLE_HEADING);
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + TABLE_HEADING.length);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const rows: ExpectedFinding[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const location = /^`([^`]+):(\d+)`$/.exec(cells[1] ?? '');
    if (!location) continue;
    rows.push({
      file: location[1],
      line: Number(location[2]),
      rule: unquote(cells[2] ?? ''),
      code: unquote(cells[3] ?? ''),
    });
  }
  return rows;
}

function unquote(cell: string): string {
  return cell.replace(/^`(.*)`$/, '$1');
}

function keyOf(finding: { file: string; line: number; rule: string }): string {
  return `${finding.file}:${finding.line} ${finding.rule}`;
}

/** Builds the CLI when it is missing or stale, then runs it from the repository root. */
function runCli(args: string[]): { status: number | null; report: JsonReport } {
  ensureBundlesBuilt();
  const run = spawnSync(process.execPath, [cliPath, ...args, '--format', 'json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(run.status === 0 || run.status === 1, `the CLI exited with ${run.status}:\n${run.stderr}`);
  try {
    return { status: run.status, report: JSON.parse(run.stdout) as JsonReport };
  } catch {
    return assert.fail(`the CLI printed no JSON document (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

function typeCheck(projectDir: string): void {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(projectDir, 'tsconfig.json'), '--noEmit'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
}

function sourceFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFilesUnder(full));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

const expected = expectedFindingsOf(fs.readFileSync(path.join(shopDir, 'README.md'), 'utf8'));

describe('examples/shop', () => {
  it('has a README table of expected findings that points at the code it describes', () => {
    assert.ok(expected.length > 0, `no rows found under "${TABLE_HEADING}" in examples/shop/README.md`);
    const known = new Set(RULES.map((rule) => rule.id));
    for (const row of expected) {
      assert.ok(known.has(row.rule), `${keyOf(row)}: unknown rule id`);
      const file = path.join(shopDir, row.file);
      assert.ok(fs.existsSync(file), `${keyOf(row)}: no such file`);
      const text = fs.readFileSync(file, 'utf8').split(/\r?\n/)[row.line - 1] ?? '';
      assert.ok(row.code.length > 0 && text.includes(row.code), `${keyOf(row)}: line is "${text.trim()}", the README expects "${row.code}"`);
    }
    assert.equal(new Set(expected.map(keyOf)).size, expected.length, 'the table lists a finding twice');
  });

  it('shows every rule at least once', () => {
    for (const rule of RULES) {
      const rows = expected.filter((row) => row.rule === rule.id);
      assert.ok(rows.length >= 1, `${rule.id} is not in the table`);
    }
  });

  it('type-checks, so the rules see real types', () => {
    typeCheck(shopDir);
  });

  describe('scanned with the CLI', () => {
    let report: JsonReport;
    let status: number | null;

    before(() => {
      ({ status, report } = runCli(['examples/shop']));
    });

    it('scans every source file of the example', () => {
      assert.equal(report.version, 1);
      assert.equal(report.files, sourceFilesUnder(path.join(shopDir, 'src')).length);
    });

    it("reports exactly the README's findings", () => {
      const actual = report.diagnostics.map((d) => ({
        file: path.relative(shopDir, path.resolve(repoRoot, d.file)).split(path.sep).join('/'),
        line: d.line,
        rule: d.rule,
        message: d.message,
      }));
      const expectedKeys = new Set(expected.map(keyOf));
      const actualKeys = new Set(actual.map(keyOf));
      const missing = expected.filter((row) => !actualKeys.has(keyOf(row))).map(keyOf);
      const unexpected = actual.filter((d) => !expectedKeys.has(keyOf(d))).map((d) => `${keyOf(d)}: ${d.message}`);
      assert.deepEqual(
        { missing, unexpected },
        { missing: [], unexpected: [] },
        `found ${expected.length - missing.length} of ${expected.length} expected findings`,
      );
      assert.equal(actual.length, expected.length, 'some finding is reported more than once');
    });

    it('exits with status 1 because there are findings', () => {
      assert.equal(status, 1);
    });
  });

  // RULES.md §4: a fix never produces a type error, removes its diagnostic and is idempotent.
  // Checked on a copy inside the repository, so it resolves packages from the same node_modules.
  describe('fixed with the CLI (--fix), on a copy', () => {
    let copyRoot: string;
    let copyDir: string;
    let beforeFix: JsonReport;
    let afterFix: JsonReport;
    const filesOf = (dir: string): Map<string, string> =>
      new Map(sourceFilesUnder(dir).map((file) => [path.relative(dir, file), fs.readFileSync(file, 'utf8')]));
    const fileAndRule = (report: JsonReport): string[] =>
      report.diagnostics.map((d) => `${path.relative(copyDir, path.resolve(repoRoot, d.file))} ${d.rule}`).sort();

    before(() => {
      copyRoot = fs.mkdtempSync(path.join(repoRoot, 'test', '.tmp-example-'));
      copyDir = path.join(copyRoot, 'shop');
      fs.cpSync(shopDir, copyDir, { recursive: true });
      beforeFix = runCli([path.relative(repoRoot, copyDir)]).report;
      afterFix = runCli([path.relative(repoRoot, copyDir), '--fix']).report;
    });

    after(() => {
      if (copyRoot) fs.rmSync(copyRoot, { recursive: true, force: true });
    });

    it('leaves exactly the findings that offered no preferred fix', () => {
      const unfixable = { ...beforeFix, diagnostics: beforeFix.diagnostics.filter((d) => !d.fixes.some((f) => f.preferred)) };
      assert.deepEqual(fileAndRule(afterFix), fileAndRule(unfixable));
    });

    it('keeps the example type-checking', () => {
      typeCheck(copyDir);
    });

    it('changes nothing when run again', () => {
      const fixed = filesOf(copyDir);
      runCli([path.relative(repoRoot, copyDir), '--fix']);
      assert.deepEqual(filesOf(copyDir), fixed);
    });
  });
});
