// The shipped binary, dist/cli.js, as CI runs it: a child process on throw-away projects, with the
// real rules. Typed projects live inside the repository (express/pg types resolve from its
// node_modules); untyped JavaScript projects live in the OS temp folder, with no node_modules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { CLEAN, CLI, EXPRESS_UNAWAITED, EXPRESS_UNAWAITED_FIXED, PG_LEAK, REPO_ROOT, ensureCliBuilt, makeProject, readFile, runCli } from './helpers';

const EXPRESS_UNAWAITED_JS = `const express = require('express');

const app = express();

async function sendMail() {}

app.get('/x', async (req, res) => {
  sendMail();
  res.send('ok');
});
`;

const PG_LEAK_JS = `const { Pool } = require('pg');

const pool = new Pool();

async function countUsers() {
  const client = await pool.connect();
  const result = await client.query('SELECT count(*) FROM users');
  return Number(result.rows[0].count);
}

module.exports = { countUsers };
`;

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  fixes: { title: string; preferred: boolean }[];
}

function lintJson(args: string[], cwd: string): { status: number | null; report: { version: number; files: number; diagnostics: JsonDiagnostic[]; skipped: unknown[] } } {
  const run = runCli(['--format', 'json', ...args], cwd);
  return { status: run.status, report: JSON.parse(run.stdout) };
}

before(() => ensureCliBuilt());

describe('the binary', () => {
  it('is a node script with a shebang', () => {
    assert.ok(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('prints its usage and version', () => {
    const help = runCli(['--help'], REPO_ROOT);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: context-pool-lint \[paths\.\.\.\]/);
    const version = runCli(['--version'], REPO_ROOT);
    assert.deepEqual(version, { status: 0, stdout: `${JSON.parse(readFile(REPO_ROOT, 'package.json')).version}\n`, stderr: '' });
  });
});

describe('usage errors exit with 2 and a one-line message', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['--colour'], /^context-pool-lint: unknown option '--colour'\nRun 'context-pool-lint --help' for usage\.\n$/],
    ['a bad format', ['--format', 'xml'], /^context-pool-lint: unknown format 'xml' \(expected one of: text, json, sarif\)\n/],
    ['a malformed --rule', ['--rule', 'pool-resource-leak'], /^context-pool-lint: malformed --rule 'pool-resource-leak'/],
    ['an unknown rule', ['--rule', 'no-such-rule=error'], /^context-pool-lint: unknown rule 'no-such-rule' in --rule/],
    ['an unknown severity', ['--rule', 'pool-resource-leak=fatal'], /^context-pool-lint: unknown severity 'fatal' in --rule/],
    ['a path that does not exist', ['no/such/dir'], /^context-pool-lint: no such file or directory: no\/such\/dir\n$/],
  ];
  for (const [what, args, stderr] of cases) {
    it(`for ${what}`, (t) => {
      const project = makeProject('os', { 'app.js': EXPRESS_UNAWAITED_JS });
      t.after(project.dispose);
      const run = runCli(args, project.dir);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, stderr);
    });
  }

  it('for a malformed config file, naming it', (t) => {
    const project = makeProject('os', { 'app.js': EXPRESS_UNAWAITED_JS, 'context-pool-lint.json': '{ "rules": { "pool-resource-leak": "loud" } }' });
    t.after(project.dispose);
    const run = runCli([], project.dir);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      'context-pool-lint: context-pool-lint.json: "rules.pool-resource-leak": unknown severity "loud" (expected one of: off, hint, information, warning, error)\n',
    );
  });
});

describe('a clean project', () => {
  it('exits with 0', (t) => {
    const project = makeProject('repo', { 'src/util.ts': CLEAN });
    t.after(project.dispose);
    assert.deepEqual(runCli([], project.dir), { status: 0, stdout: 'no problems in 1 file\n', stderr: '' });
  });

  it('reports skipped binary and minified files on stderr without failing', (t) => {
    const project = makeProject('os', {
      'util.js': 'module.exports = 1;\n',
      'logo.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'vendor.js': `var a=0;${'a++;'.repeat(3000)}\n`,
    });
    t.after(project.dispose);
    const run = runCli([], project.dir);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'no problems in 1 file; 2 files skipped\n');
    assert.match(run.stderr, /^logo\.js: skipped: binary file.*\nvendor\.js: skipped: minified or generated code.*\n$/);
  });

  it('analyses compiled code that ends in an inline source map (one long comment line)', (t) => {
    const map = Buffer.from(JSON.stringify({ version: 3, sources: ['app.ts'], mappings: 'AAAA;'.repeat(2000) })).toString('base64');
    const project = makeProject('os', {
      'app.js': `"use strict";\nconst express = require('express');\nconst app = express();\napp.get('/', (req, res) => {\n  fetch('https://audit.internal/visit');\n  res.end();\n});\n//# sourceMappingURL=data:application/json;base64,${map}\n`,
    });
    t.after(project.dispose);
    const run = runCli(['--rule', 'missing-cancellation-signal=off'], project.dir);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /app\.js:5:3 +warning .* unawaited-background-work\n/);
  });
});

// These depend on the rules of this milestone (RULES.md 2.1 and 3.1).
describe('findings of the real rules', () => {
  for (const place of ['repo', 'os'] as const) {
    const [name, source] = place === 'repo' ? ['src/app.ts', EXPRESS_UNAWAITED] : ['src/app.js', EXPRESS_UNAWAITED_JS];
    it(`reports an unawaited promise in an Express handler (${place === 'repo' ? 'typed TypeScript' : 'untyped JavaScript'})`, (t) => {
      const project = makeProject(place, { [name]: source });
      t.after(project.dispose);
      const text = runCli([], project.dir);
      assert.equal(text.status, 1, text.stderr);
      const lines = text.stdout.split('\n');
      assert.match(lines[0]!, new RegExp(`^${name.replace('.', '\\.')}:8:3  warning  \\S.*  unawaited-background-work$`));
      assert.deepEqual(lines.slice(1), ['1 problem (1 warning) in 1 file', '']);

      const { report } = lintJson([], project.dir);
      assert.deepEqual(Object.keys(report), ['version', 'files', 'diagnostics', 'skipped']);
      assert.equal(report.version, 1);
      assert.equal(report.files, 1);
      assert.equal(report.diagnostics.length, 1);
      const [diagnostic] = report.diagnostics;
      assert.deepEqual(Object.keys(diagnostic!), ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'fixes']);
      assert.deepEqual(
        { ...diagnostic, message: typeof diagnostic!.message, fixes: diagnostic!.fixes.filter((f) => f.preferred) },
        {
          file: name,
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: diagnostic!.endColumn,
          rule: 'unawaited-background-work',
          severity: 'warning',
          message: 'string',
          fixes: [{ title: 'Await the background work', preferred: true }],
        },
      );
      assert.ok(diagnostic!.endColumn > 3);
    });
  }

  for (const place of ['repo', 'os'] as const) {
    const [name, source] = place === 'repo' ? ['db.ts', PG_LEAK] : ['db.js', PG_LEAK_JS];
    it(`reports a pg client that is never released (${place === 'repo' ? 'typed TypeScript' : 'untyped JavaScript'})`, (t) => {
      const project = makeProject(place, { [name]: source });
      t.after(project.dispose);
      const { status, report } = lintJson([], project.dir);
      assert.equal(status, 1);
      assert.deepEqual(
        report.diagnostics.map((d) => [d.file, d.line, d.column, d.endLine, d.endColumn, d.rule]),
        [[name, 6, 24, 6, 38, 'pool-resource-leak']],
      );
    });
  }

  it('turns a rule off or changes its severity with --rule', (t) => {
    const project = makeProject('repo', { 'src/app.ts': EXPRESS_UNAWAITED, 'src/db.ts': PG_LEAK });
    t.after(project.dispose);
    const off = lintJson(['--rule', 'unawaited-background-work=off'], project.dir);
    assert.deepEqual(off.report.diagnostics.map((d) => d.rule), ['pool-resource-leak']);
    const error = lintJson(['--rule', 'pool-resource-leak=error'], project.dir);
    assert.deepEqual(error.report.diagnostics.map((d) => [d.rule, d.severity]), [
      ['unawaited-background-work', 'warning'],
      ['pool-resource-leak', 'error'],
    ]);
    const quiet = lintJson(['--rule', 'unawaited-background-work=off', '--rule', 'pool-resource-leak=hint'], project.dir);
    assert.equal(quiet.status, 0);
  });

  it('reads severities from the contextPoolLint key of package.json', (t) => {
    const project = makeProject('repo', {
      'package.json': JSON.stringify({ name: 'shop', private: true, contextPoolLint: { rules: { 'unawaited-background-work': 'error' } } }),
      'src/app.ts': EXPRESS_UNAWAITED,
    });
    t.after(project.dispose);
    assert.deepEqual(lintJson([], project.dir).report.diagnostics.map((d) => d.severity), ['error']);
  });

  it('reads severities and exclude globs from context-pool-lint.json', (t) => {
    const project = makeProject('repo', {
      'context-pool-lint.json': JSON.stringify({ rules: { 'unawaited-background-work': 'off' }, exclude: ['generated/**'] }),
      'src/app.ts': EXPRESS_UNAWAITED,
      'src/db.ts': PG_LEAK,
      'generated/db.ts': PG_LEAK,
    });
    t.after(project.dispose);
    const { report } = lintJson([], project.dir);
    assert.deepEqual(report.diagnostics.map((d) => [d.file, d.rule]), [['src/db.ts', 'pool-resource-leak']]);
    assert.equal(report.files, 2);
  });

  it('analyses test files only with --include-tests', (t) => {
    const project = makeProject('repo', { 'src/app.test.ts': EXPRESS_UNAWAITED });
    t.after(project.dispose);
    assert.deepEqual(runCli([], project.dir), { status: 0, stdout: 'no problems in 0 files\n', stderr: '' });
    const included = lintJson(['--include-tests'], project.dir);
    assert.deepEqual(included.report.diagnostics.map((d) => [d.file, d.rule]), [['src/app.test.ts', 'unawaited-background-work']]);
  });

  it('writes SARIF with the finding, its rule and its fix', (t) => {
    const project = makeProject('repo', { 'src/app.ts': EXPRESS_UNAWAITED });
    t.after(project.dispose);
    const run = runCli(['--format', 'sarif'], project.dir);
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    const [result] = log.runs[0].results;
    assert.equal(result.ruleId, 'unawaited-background-work');
    assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'unawaited-background-work');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(
      { startLine: result.locations[0].physicalLocation.region.startLine, startColumn: result.locations[0].physicalLocation.region.startColumn },
      { startLine: 8, startColumn: 3 },
    );
    assert.ok(result.fixes.some((fix: { description: { text: string } }) => fix.description.text === 'Await the background work'));
  });

  it('never writes progress to stdout', (t) => {
    const project = makeProject('repo', { 'src/app.ts': EXPRESS_UNAWAITED, 'src/db.ts': PG_LEAK, 'src/util.ts': CLEAN });
    t.after(project.dispose);
    const run = runCli(['--format', 'json'], project.dir);
    assert.equal(JSON.parse(run.stdout).files, 3);
    assert.equal(run.stderr, '', 'stderr is not a terminal here, so no progress either');
  });
});

describe('--fix with the real rules', () => {
  it('awaits the background work, leaves a broken file alone, and is idempotent', (t) => {
    const project = makeProject('repo', { 'src/app.ts': EXPRESS_UNAWAITED, 'src/broken.ts': 'app.get(\n' });
    t.after(project.dispose);
    const first = runCli(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'src/app.ts'), EXPRESS_UNAWAITED_FIXED);
    assert.equal(readFile(project.dir, 'src/broken.ts'), 'app.get(\n');
    assert.equal(first.stdout, 'no problems in 1 file; fixed 1 problem in 1 file; 1 file skipped\n');
    assert.match(first.stderr, /^src\/broken\.ts: skipped: syntax error at 2:1: /);
    assert.equal(first.status, 0);

    const second = runCli(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'src/app.ts'), EXPRESS_UNAWAITED_FIXED);
    assert.equal(second.stdout, 'no problems in 1 file; 1 file skipped\n');
  });

  it('reports only what the preferred fixes leave, and a second run changes nothing', (t) => {
    const files = { 'src/app.ts': EXPRESS_UNAWAITED, 'src/db.ts': PG_LEAK, 'src/util.ts': CLEAN };
    const project = makeProject('repo', files);
    t.after(project.dispose);
    const before = lintJson([], project.dir).report;
    assert.ok(before.diagnostics.length >= 2);

    const fixed = lintJson(['--fix'], project.dir).report;
    for (const diagnostic of fixed.diagnostics) {
      assert.ok(!diagnostic.fixes.some((f) => f.preferred), `${diagnostic.rule} at ${diagnostic.file}:${diagnostic.line} still has a preferred fix`);
    }
    const afterFix = Object.fromEntries(Object.keys(files).map((name) => [name, readFile(project.dir, name)]));
    assert.equal(afterFix['src/util.ts'], CLEAN);
    assert.notEqual(afterFix['src/db.ts'], PG_LEAK, 'the leak fix was applied');

    const again = lintJson(['--fix'], project.dir).report;
    assert.deepEqual(again, fixed);
    for (const name of Object.keys(files)) assert.equal(readFile(project.dir, name), afterFix[name], `${name} unchanged`);
    assert.deepEqual(fs.readdirSync(path.join(project.dir, 'src')).sort(), ['app.ts', 'db.ts', 'util.ts']);
  });
});
