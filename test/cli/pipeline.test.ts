// The CLI's behaviour with stand-in rules whose findings are known exactly: output formats,
// exit status, settings, --fix and file writing. Runs in-process; cli.test.ts runs the binary.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type * as sarif from 'sarif';
import { CLEAN, EXPRESS_UNAWAITED, EXPRESS_UNAWAITED_FIXED, PG_LEAK, makeProject, readFile, runInProcess, writeFile } from './helpers';
import { runCli as runCliInProcess } from '../../server/src/cli/run';
import { RULES } from '../../server/src/core';
import { CRASH_MARKER, SAVED_BY_EDITOR, SAVE_DURING_FIX_MARKER, STAND_IN_MESSAGES, useStandInRules } from './standInRules';

const DOCS = 'https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/';

const APP_LINE = `src/app.ts:8:3  warning  ${STAND_IN_MESSAGES.unawaited}  unawaited-background-work`;
const DB_LINE = `src/db.ts:6:24  warning  ${STAND_IN_MESSAGES.leak}  pool-resource-leak`;

function shopProject(extra: Record<string, string | Buffer> = {}) {
  return makeProject('os', { 'src/app.ts': EXPRESS_UNAWAITED, 'src/db.ts': PG_LEAK, 'src/util.ts': CLEAN, ...extra });
}

let restoreRules: () => void;
before(() => {
  restoreRules = useStandInRules();
});
after(() => restoreRules());

describe('text format', () => {
  it('prints one line per finding, sorted by file and position, then the summary', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess([], project.dir);
    assert.equal(run.stdout, `${APP_LINE}\n${DB_LINE}\n2 problems (2 warnings) in 3 files\n`);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1);
  });

  it('names files relative to the current directory, wherever the scanned path is', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['app.ts', '.'], path.join(project.dir, 'src'));
    assert.equal(
      run.stdout,
      `${APP_LINE.replace('src/app.ts', 'app.ts')}\n${DB_LINE.replace('src/db.ts', 'db.ts')}\n2 problems (2 warnings) in 3 files\n`,
    );
  });

  it('counts problems by severity, errors first', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['--rule', 'pool-resource-leak=error', '--rule', 'unawaited-background-work=hint'], project.dir);
    assert.equal(
      run.stdout,
      [
        APP_LINE.replace('  warning  ', '  hint  '),
        DB_LINE.replace('  warning  ', '  error  '),
        '2 problems (1 error, 1 hint) in 3 files',
        '',
      ].join('\n'),
    );
    assert.equal(run.status, 1);
  });

  it('says so when there is nothing to report', (t) => {
    const project = makeProject('os', { 'util.ts': CLEAN });
    t.after(project.dispose);
    const run = runInProcess([], project.dir);
    assert.deepEqual(run, { status: 0, stdout: 'no problems in 1 file\n', stderr: '' });
  });
});

describe('json format', () => {
  it('is exactly one document of the documented shape, with 1-based positions', (t) => {
    const project = shopProject({ 'src/broken.ts': 'const = ;\n' });
    t.after(project.dispose);
    const run = runInProcess(['--format', 'json'], project.dir);
    assert.equal(run.status, 1);
    assert.deepEqual(JSON.parse(run.stdout), {
      version: 1,
      files: 3,
      diagnostics: [
        {
          file: 'src/app.ts',
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 14,
          rule: 'unawaited-background-work',
          severity: 'warning',
          message: STAND_IN_MESSAGES.unawaited,
          fixes: [
            { title: 'Await the background work', preferred: true },
            { title: 'Detach explicitly with an error handler', preferred: false },
          ],
        },
        {
          file: 'src/db.ts',
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 38,
          rule: 'pool-resource-leak',
          severity: 'warning',
          message: STAND_IN_MESSAGES.leak,
          fixes: [],
        },
      ],
      skipped: [{ file: 'src/broken.ts', reason: 'syntax error at 1:7: Variable declaration expected.' }],
    });
    // Skipped files are also told to the person, on stderr.
    assert.equal(run.stderr, 'src/broken.ts: skipped: syntax error at 1:7: Variable declaration expected.\n');
  });
});

describe('sarif format', () => {
  it('is a SARIF 2.1.0 log with rules, help URIs, located results and fixes', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['--format', 'sarif', '--rule', 'pool-resource-leak=information'], project.dir);
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as sarif.Log;
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    const [sarifRun] = log.runs;
    const driver = sarifRun!.tool.driver;
    assert.equal(driver.name, 'context-pool-lint');
    assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
    assert.ok(driver.informationUri);
    assert.deepEqual(
      driver.rules?.map((rule) => [rule.id, rule.helpUri]),
      RULES.map((rule) => [rule.id, `${DOCS}${rule.id}.md`]),
    );
    for (const rule of driver.rules ?? []) assert.ok(rule.shortDescription?.text, `${rule.id} has a short description`);
    assert.equal(sarifRun!.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(project.dir).href}/`);
    assert.equal(sarifRun!.invocations?.[0]?.executionSuccessful, true);

    const [unawaited, leak] = sarifRun!.results ?? [];
    assert.equal(sarifRun!.results?.length, 2);
    assert.equal(unawaited!.ruleId, 'unawaited-background-work');
    assert.equal(driver.rules?.[unawaited!.ruleIndex!]?.id, 'unawaited-background-work');
    assert.equal(unawaited!.level, 'warning');
    assert.equal(unawaited!.message.text, STAND_IN_MESSAGES.unawaited);
    assert.deepEqual(unawaited!.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 8, startColumn: 3, endLine: 8, endColumn: 14 },
        },
      },
    ]);
    assert.deepEqual(unawaited!.relatedLocations, [
      {
        id: 0,
        message: { text: 'The request scope it belongs to.' },
        physicalLocation: {
          artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 7, startColumn: 15, endLine: 10, endColumn: 2 },
        },
      },
    ]);
    assert.deepEqual(unawaited!.fixes?.[0], {
      description: { text: 'Await the background work' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
          replacements: [{ deletedRegion: { startLine: 8, startColumn: 3, endLine: 8, endColumn: 3 }, insertedContent: { text: 'await ' } }],
        },
      ],
    });
    assert.deepEqual(
      unawaited!.fixes?.[1]?.artifactChanges[0]?.replacements.map((r) => [r.deletedRegion, r.insertedContent?.text]),
      [
        [{ startLine: 8, startColumn: 3, endLine: 8, endColumn: 3 }, 'void '],
        [{ startLine: 8, startColumn: 13, endLine: 8, endColumn: 13 }, '.catch(() => {})'],
      ],
    );
    // information and hint are notes in SARIF.
    assert.equal(leak!.level, 'note');
    assert.deepEqual(leak!.fixes, []);
  });

  it('lists skipped files as notifications and crashed rules as failed execution', (t) => {
    const project = shopProject({ 'src/min.js': `var a=1;${'a+=1;'.repeat(2000)}\n`, 'src/crash.ts': `// ${CRASH_MARKER}\n` });
    t.after(project.dispose);
    const run = runInProcess(['--format', 'sarif'], project.dir);
    assert.equal(run.status, 2);
    const invocation = (JSON.parse(run.stdout) as sarif.Log).runs[0]!.invocations![0]!;
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(
      invocation.toolExecutionNotifications?.map((n) => [n.level, n.locations?.[0]?.physicalLocation?.artifactLocation?.uri, n.associatedRule?.id]),
      [
        ['warning', 'src/min.js', undefined],
        ['error', 'src/crash.ts', 'pooled-object-not-reset'],
      ],
    );
  });
});

describe('exit status', () => {
  it('is 0 when only hints and information remain, 1 with a warning or an error', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const quiet = ['--rule', 'unawaited-background-work=information', '--rule', 'pool-resource-leak=hint'];
    assert.equal(runInProcess(quiet, project.dir).status, 0);
    assert.equal(runInProcess(['--rule', 'unawaited-background-work=off', '--rule', 'pool-resource-leak=error'], project.dir).status, 1);
  });

  it('turns a rule off with --rule <id>=off', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['--rule', 'pool-resource-leak=off'], project.dir);
    assert.equal(run.stdout, `${APP_LINE}\n1 problem (1 warning) in 3 files\n`);
  });

  it('is 2 when a rule crashes, after reporting everything else', (t) => {
    const project = shopProject({ 'src/crash.ts': `// ${CRASH_MARKER}\n` });
    t.after(project.dispose);
    const run = runInProcess([], project.dir);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, `${APP_LINE}\n${DB_LINE}\n2 problems (2 warnings) in 4 files; 1 rule error\n`);
    assert.equal(run.stderr, 'src/crash.ts: rule pooled-object-not-reset failed: stand-in rule crashed on purpose\n');
  });

  it('is unaffected by skipped binary and minified files, which are reported with their reason', (t) => {
    const project = makeProject('os', {
      'clean.ts': CLEAN,
      'image.js': Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x00]),
      'bundle.min.js': `var a=1;${'a+=1;'.repeat(2000)}\n`,
    });
    t.after(project.dispose);
    const run = runInProcess([], project.dir);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'no problems in 1 file; 2 files skipped\n');
    assert.deepEqual(run.stderr.split('\n'), [
      'bundle.min.js: skipped: minified or generated code (a line longer than 5000 characters)',
      'image.js: skipped: binary file (contains NUL bytes)',
      '',
    ]);
  });
});

describe('settings files', () => {
  it('reads rules and exclude globs from context-pool-lint.json, with --rule on top', (t) => {
    const project = shopProject({
      'context-pool-lint.json': JSON.stringify({ rules: { 'pool-resource-leak': 'error', 'unawaited-background-work': 'error' }, exclude: ['src/app.ts'], run: 'onSave' }),
      'src/more.ts': EXPRESS_UNAWAITED,
    });
    t.after(project.dispose);
    const run = runInProcess(['--rule', 'unawaited-background-work=information'], project.dir);
    assert.equal(
      run.stdout,
      [
        DB_LINE.replace('  warning  ', '  error  '),
        APP_LINE.replace('src/app.ts', 'src/more.ts').replace('  warning  ', '  information  '),
        '2 problems (1 error, 1 information) in 3 files',
        '',
      ].join('\n'),
    );
    assert.equal(run.stderr, '');
  });

  it('reads the contextPoolLint key of package.json, from the nearest folder that has settings', (t) => {
    const project = shopProject({
      'package.json': JSON.stringify({ name: 'shop', contextPoolLint: { rules: { 'unawaited-background-work': 'off' } } }),
      'src/package.json': JSON.stringify({ name: 'no-settings-here' }),
    });
    t.after(project.dispose);
    const run = runInProcess(['src'], project.dir);
    assert.equal(run.stdout, `${DB_LINE}\n1 problem (1 warning) in 3 files\n`);
  });

  it('takes a nearer context-pool-lint.json over a package.json further up', (t) => {
    const project = shopProject({
      'package.json': JSON.stringify({ contextPoolLint: { rules: { 'unawaited-background-work': 'off' } } }),
      'src/context-pool-lint.json': JSON.stringify({ rules: { 'pool-resource-leak': 'off' } }),
    });
    t.after(project.dispose);
    assert.equal(runInProcess([], project.dir).stdout, `${APP_LINE}\n1 problem (1 warning) in 3 files\n`);
  });

  it('warns about unknown rules and settings in a config file but goes on', (t) => {
    const project = shopProject({ 'context-pool-lint.json': JSON.stringify({ rules: { 'no-such-rule': 'error' }, colour: true }) });
    t.after(project.dispose);
    const run = runInProcess([], project.dir);
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      "context-pool-lint.json: unknown rule 'no-such-rule' (ignored)\ncontext-pool-lint.json: unknown setting \"colour\" (ignored)\n",
    );
  });

  const malformed: [string, Record<string, string>, string][] = [
    ['bad JSON', { 'context-pool-lint.json': '{ "rules": ' }, 'context-pool-lint.json: invalid JSON: '],
    ['rules not an object', { 'context-pool-lint.json': '{ "rules": ["x"] }' }, 'context-pool-lint.json: "rules" must be an object'],
    [
      'an unknown severity',
      { 'context-pool-lint.json': '{ "rules": { "pool-resource-leak": "warn" } }' },
      'context-pool-lint.json: "rules.pool-resource-leak": unknown severity "warn" (expected one of: off, hint, information, warning, error)',
    ],
    ['exclude not strings', { 'context-pool-lint.json': '{ "exclude": "dist" }' }, 'context-pool-lint.json: "exclude" must be an array of strings'],
    ['safeCalls not strings', { 'context-pool-lint.json': '{ "safeCalls": [1] }' }, 'context-pool-lint.json: "safeCalls" must be an array of strings'],
    ['a package.json key that is not an object', { 'package.json': '{ "contextPoolLint": true }' }, 'package.json: "contextPoolLint" must be an object'],
    [
      'a wrong type under the package.json key',
      { 'package.json': '{ "contextPoolLint": { "rules": { "pool-resource-leak": 2 } } }' },
      'package.json: "contextPoolLint.rules.pool-resource-leak": unknown severity 2',
    ],
  ];
  for (const [problem, files, message] of malformed) {
    it(`exits with 2 and names the file for ${problem}`, (t) => {
      const project = shopProject(files);
      t.after(project.dispose);
      const run = runInProcess([], project.dir);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.ok(run.stderr.startsWith(`context-pool-lint: ${message}`), run.stderr);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    });
  }
});

describe('test files', () => {
  it('skips test files unless --include-tests, and says so when one is named', (t) => {
    const project = shopProject({ 'src/app.test.ts': EXPRESS_UNAWAITED, 'src/__tests__/db.ts': PG_LEAK });
    t.after(project.dispose);
    assert.equal(runInProcess([], project.dir).stdout, `${APP_LINE}\n${DB_LINE}\n2 problems (2 warnings) in 3 files\n`);

    const named = runInProcess(['src/app.test.ts'], project.dir);
    assert.equal(named.stdout, 'no problems in 0 files\n');
    assert.equal(named.stderr, 'src/app.test.ts: ignored: test file (use --include-tests to analyse it)\n');

    const included = runInProcess(['--include-tests', '--rule', 'unawaited-background-work=off'], project.dir);
    assert.equal(
      included.stdout,
      `${DB_LINE.replace('src/db.ts', 'src/__tests__/db.ts')}\n${DB_LINE}\n2 problems (2 warnings) in 5 files\n`,
    );
  });
});

describe('--fix', () => {
  it('writes the preferred fixes and reports what is left', (t) => {
    const project = shopProject({ 'src/broken.ts': 'sendMail(\n' });
    t.after(project.dispose);
    const run = runInProcess(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'src/app.ts'), EXPRESS_UNAWAITED_FIXED);
    assert.equal(readFile(project.dir, 'src/db.ts'), PG_LEAK);
    assert.equal(readFile(project.dir, 'src/broken.ts'), 'sendMail(\n', 'a file with a syntax error is left alone');
    assert.equal(run.stdout, `${DB_LINE}\n1 problem (1 warning) in 3 files; fixed 1 problem in 1 file; 1 file skipped\n`);
    assert.equal(run.status, 1);
    assert.deepEqual(fs.readdirSync(path.join(project.dir, 'src')).sort(), ['app.ts', 'broken.ts', 'db.ts', 'util.ts'], 'no temporary files are left');
  });

  it('changes nothing the second time', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    runInProcess(['--fix'], project.dir);
    const mtime = fs.statSync(path.join(project.dir, 'src/app.ts')).mtimeMs;
    const second = runInProcess(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'src/app.ts'), EXPRESS_UNAWAITED_FIXED);
    assert.equal(fs.statSync(path.join(project.dir, 'src/app.ts')).mtimeMs, mtime, 'the file is not rewritten');
    assert.equal(second.stdout, `${DB_LINE}\n1 problem (1 warning) in 3 files\n`);
  });

  it('reports in the chosen format', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['--fix', '--format', 'json'], project.dir);
    const report = JSON.parse(run.stdout) as { diagnostics: { rule: string }[] };
    assert.deepEqual(report.diagnostics.map((d) => d.rule), ['pool-resource-leak']);
  });

  it('exits with 0 when the fixes leave nothing at warning or above', (t) => {
    const project = makeProject('os', { 'app.ts': EXPRESS_UNAWAITED });
    t.after(project.dispose);
    const run = runInProcess(['--fix'], project.dir);
    assert.deepEqual(run, { status: 0, stdout: 'no problems in 1 file; fixed 1 problem in 1 file\n', stderr: '' });
  });

  it("keeps the file's permissions", { skip: process.platform === 'win32' && 'no POSIX modes' }, (t) => {
    const project = makeProject('os', { 'app.ts': EXPRESS_UNAWAITED });
    t.after(project.dispose);
    fs.chmodSync(path.join(project.dir, 'app.ts'), 0o640);
    runInProcess(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'app.ts'), EXPRESS_UNAWAITED_FIXED);
    assert.equal(fs.statSync(path.join(project.dir, 'app.ts')).mode & 0o777, 0o640);
  });

  it('fixes the target of a symbolic link and keeps the link', { skip: process.platform === 'win32' && 'links need privileges' }, (t) => {
    const project = makeProject('os', { 'real/app.ts': EXPRESS_UNAWAITED });
    t.after(project.dispose);
    fs.symlinkSync(path.join(project.dir, 'real/app.ts'), path.join(project.dir, 'link.ts'));
    runInProcess(['--fix', 'link.ts'], project.dir);
    assert.ok(fs.lstatSync(path.join(project.dir, 'link.ts')).isSymbolicLink());
    assert.equal(readFile(project.dir, 'real/app.ts'), EXPRESS_UNAWAITED_FIXED);
  });

  const encodings: [string, (text: string) => Buffer][] = [
    ['UTF-8 with a BOM', (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16 LE', (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 BE', (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['Latin-1', (text) => Buffer.from(text, 'latin1')],
  ];
  for (const [name, encode] of encodings) {
    it(`writes a ${name} file back in ${name}`, (t) => {
      const original = `// Grüße, café\n${EXPRESS_UNAWAITED}`;
      const project = makeProject('os', { 'app.ts': encode(original) });
      t.after(project.dispose);
      const run = runInProcess(['--fix'], project.dir);
      assert.equal(run.status, 0, run.stderr);
      const expected = encode(`// Grüße, café\n${EXPRESS_UNAWAITED_FIXED}`);
      assert.deepEqual(fs.readFileSync(path.join(project.dir, 'app.ts')), expected);
    });
  }

  it('does not write a file that the fixes would break, and exits with 2', (t) => {
    const source = 'export function handler(): void {\n  breakMe();\n}\n';
    const project = makeProject('os', { 'app.ts': source });
    t.after(project.dispose);
    const run = runInProcess(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'app.ts'), source);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, `app.ts:2:3  warning  ${STAND_IN_MESSAGES.broken}  missing-cancellation-signal\n1 problem (1 warning) in 1 file; 1 file could not be fixed\n`);
    assert.match(run.stderr, /^app\.ts: not fixed: the fixes would leave the file unreadable \(syntax error at /);
  });

  it('does not overwrite a file saved by someone else while it was being fixed', (t) => {
    const source = `// ${SAVE_DURING_FIX_MARKER}\n${EXPRESS_UNAWAITED}`;
    const project = makeProject('os', { 'app.ts': source });
    t.after(project.dispose);
    const run = runInProcess(['--fix'], project.dir);
    assert.equal(readFile(project.dir, 'app.ts'), source + SAVED_BY_EDITOR);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'app.ts: not fixed: the file changed on disk while it was being fixed\n');
    assert.deepEqual(fs.readdirSync(project.dir), ['app.ts']);
  });

  it('leaves a read-only folder untouched and exits with 2', { skip: (process.platform === 'win32' || process.getuid?.() === 0) && 'needs a non-root POSIX user' }, (t) => {
    const project = makeProject('os', { 'locked/app.ts': EXPRESS_UNAWAITED });
    t.after(() => {
      fs.chmodSync(path.join(project.dir, 'locked'), 0o755);
      project.dispose();
    });
    fs.chmodSync(path.join(project.dir, 'locked'), 0o555);
    const run = runInProcess(['--fix'], project.dir);
    assert.equal(run.status, 2);
    assert.equal(readFile(project.dir, 'locked/app.ts'), EXPRESS_UNAWAITED);
    assert.match(run.stderr, /^locked\/app\.ts: not fixed: /);
    assert.equal(run.stdout, `${APP_LINE.replace('src/app.ts', 'locked/app.ts')}\n1 problem (1 warning) in 1 file; 1 file could not be fixed\n`);
  });
});

describe('progress', () => {
  it('goes to stderr when it is a terminal, and never to stdout', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['--format', 'json'], project.dir, { tty: true });
    assert.match(run.stderr, /scanning 3\/3 files/);
    assert.equal(JSON.parse(run.stdout).files, 3);
    assert.doesNotMatch(run.stdout, /scanning|reading/);
  });

  it('is not shown when stderr is not a terminal', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    assert.equal(runInProcess([], project.dir).stderr, '');
  });
});

describe('files the user names', () => {
  it('analyses each file once, however often it is named', (t) => {
    const project = shopProject();
    t.after(project.dispose);
    const run = runInProcess(['src/app.ts', 'src', './src/app.ts'], project.dir);
    assert.equal(run.stdout, `${APP_LINE}\n${DB_LINE}\n2 problems (2 warnings) in 3 files\n`);
  });

  it('says why a named file is not analysed', (t) => {
    const project = shopProject({
      'context-pool-lint.json': JSON.stringify({ exclude: ['src/generated/**'] }),
      'src/generated/api.ts': EXPRESS_UNAWAITED,
      'src/types.d.ts': 'export {};\n',
      'notes.md': '# notes\n',
    });
    t.after(project.dispose);
    const run = runInProcess(['src/generated/api.ts', 'src/types.d.ts', 'notes.md', 'src/util.ts'], project.dir);
    assert.deepEqual(run, {
      status: 0,
      stdout: 'no problems in 1 file\n',
      stderr: [
        'src/generated/api.ts: ignored: excluded by context-pool-lint.json',
        'src/types.d.ts: ignored: declaration file',
        'notes.md: ignored: not a TypeScript or JavaScript file',
        '',
      ].join('\n'),
    });
  });

  it('skips dependencies and build output in folders, and declaration files', (t) => {
    const project = shopProject({
      'node_modules/dep/index.js': EXPRESS_UNAWAITED,
      'dist/app.js': EXPRESS_UNAWAITED,
      'build/app.js': EXPRESS_UNAWAITED,
      'out/app.js': EXPRESS_UNAWAITED,
      'coverage/app.js': EXPRESS_UNAWAITED,
      '.next/app.js': EXPRESS_UNAWAITED,
      '.git/hooks/app.js': EXPRESS_UNAWAITED,
      '.yarn/releases/yarn.cjs': EXPRESS_UNAWAITED,
      'src/.eslintrc.js': EXPRESS_UNAWAITED,
      'src/types.d.ts': 'export declare function sendMail(): Promise<void>;\n',
      'README.md': '# shop\n',
    });
    t.after(project.dispose);
    writeFile(project.dir, 'src/more.mjs', 'export const x = 1;\n');
    const run = runInProcess([], project.dir);
    assert.equal(run.stdout, `${APP_LINE}\n${DB_LINE}\n2 problems (2 warnings) in 4 files\n`);
    // Named, a skipped folder is searched like any other.
    const named = runInProcess(['dist', '.next'], project.dir);
    assert.equal(
      named.stdout,
      `${APP_LINE.replace('src/app.ts', '.next/app.js')}\n${APP_LINE.replace('src/app.ts', 'dist/app.js')}\n2 problems (2 warnings) in 2 files\n`,
    );
  });
});

describe('internal errors', () => {
  it('exit with 2 and a message on stderr', (t) => {
    const project = makeProject('os', { 'app.ts': CLEAN });
    t.after(project.dispose);
    let stderr = '';
    const status = runCliInProcess([], {
      cwd: project.dir,
      stdout: {
        write() {
          throw new Error('stdout is gone');
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
    });
    assert.equal(status, 2);
    assert.match(stderr, /^context-pool-lint: internal error: Error: stdout is gone\n/);
  });
});
