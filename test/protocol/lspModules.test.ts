// The language server's pure pieces, without a process: edit builders, settings validation,
// folder lookup and the status state machine.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { applyEdits, type Analyzer, type FileResult } from '../../server/src/core';
import { noteFileResult, type ServerContext } from '../../server/src/lsp/context';
import { disableRuleEdit } from '../../server/src/lsp/disableComment';
import { minimalEdit } from '../../server/src/lsp/minimalEdit';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { DEFAULT_SERVER_SETTINGS, validateSettings } from '../../server/src/lsp/settings';
import { StatusReporter } from '../../server/src/lsp/status';
import { WorkspaceAnalyzers } from '../../server/src/lsp/workspaceAnalyzers';

describe('disableRuleEdit', () => {
  const disable = (text: string, line: number, rule = 'pool-resource-leak') => {
    const edit = disableRuleEdit(text, line, rule);
    return edit && applyEdits(text, [edit]);
  };

  it('inserts a comment line above, with the indentation of the reported line', () => {
    assert.equal(disable('a();\n\t  b();\nc();\n', 1), 'a();\n\t  // context-pool-lint-disable-next-line pool-resource-leak\n\t  b();\nc();\n');
  });

  it('works on the first and on the last line (without a trailing newline)', () => {
    assert.equal(disable('b();', 0), '// context-pool-lint-disable-next-line pool-resource-leak\nb();');
    assert.equal(disable('a();\n  b();', 1), 'a();\n  // context-pool-lint-disable-next-line pool-resource-leak\n  b();');
  });

  it("keeps the file's CRLF line endings", () => {
    assert.equal(disable('a();\r\n  b();\r\n', 1), 'a();\r\n  // context-pool-lint-disable-next-line pool-resource-leak\r\n  b();\r\n');
  });

  it('adds the rule to a disable-next-line comment already above, before a `-- reason`', () => {
    const prefix = '  // context-pool-lint-disable-next-line';
    assert.equal(disable(`${prefix} unawaited-background-work\n  b();\n`, 1), `${prefix} unawaited-background-work, pool-resource-leak\n  b();\n`);
    assert.equal(disable(`${prefix} unawaited-background-work  \r\n  b();\r\n`, 1), `${prefix} unawaited-background-work, pool-resource-leak  \r\n  b();\r\n`);
    assert.equal(disable(`${prefix} unawaited-background-work -- mail is best effort\n  b();\n`, 1), `${prefix} unawaited-background-work, pool-resource-leak -- mail is best effort\n  b();\n`);
  });

  it('offers nothing when the comment above names the rule already', () => {
    assert.equal(disableRuleEdit('// context-pool-lint-disable-next-line a, pool-resource-leak\nb();\n', 1, 'pool-resource-leak'), undefined);
  });

  it('does not mistake other comments above for a disable comment', () => {
    assert.equal(disable('// context-pool-lint-disable-line x\nb();\n', 1), '// context-pool-lint-disable-line x\n// context-pool-lint-disable-next-line pool-resource-leak\nb();\n');
  });
});

describe('minimalEdit', () => {
  const roundTrip = (before: string, after: string) => {
    const edit = minimalEdit(before, after);
    assert.ok(edit);
    assert.equal(applyEdits(before, [edit]), after);
    return edit;
  };

  it('covers only the changed part', () => {
    assert.deepEqual(roundTrip('a\n  sendMail();\nb\n', 'a\n  await sendMail();\nb\n'), { start: 4, end: 4, newText: 'await ' });
  });

  it('is undefined for identical texts', () => {
    assert.equal(minimalEdit('same', 'same'), undefined);
  });

  it('never splits a surrogate pair or a CRLF', () => {
    const emoji = roundTrip('x = "\u{1F680}";', 'x = "\u{1F681}";');
    assert.equal(emoji.newText, '\u{1F681}');
    const crlf = roundTrip('a\r\nb', 'a\nb');
    assert.ok(crlf.start <= 1 && crlf.end >= 3);
  });

  it('handles insertions at either end and total replacement', () => {
    roundTrip('b', 'ab');
    roundTrip('a', 'ab');
    roundTrip('abc', 'xyz');
    roundTrip('aaa', 'aa');
  });
});

describe('validateSettings', () => {
  const validate = (raw: unknown) => {
    const warnings: string[] = [];
    return { settings: validateSettings(raw, (w) => warnings.push(w)), warnings };
  };

  it('reads every setting of DESIGN.md', () => {
    const { settings, warnings } = validate({
      rules: { 'pool-resource-leak': 'error', 'unawaited-background-work': 'off' },
      run: 'onSave',
      exclude: ['generated/**'],
      safeCalls: ['logger.flush'],
      trace: { server: 'verbose' },
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, {
      analyzer: { rules: { 'pool-resource-leak': 'error', 'unawaited-background-work': 'off' }, exclude: ['generated/**'], safeCalls: ['logger.flush'], includeTests: false },
      run: 'onSave',
    });
  });

  it('gives the defaults, silently, for missing settings', () => {
    assert.deepEqual(validate(undefined), { settings: DEFAULT_SERVER_SETTINGS, warnings: [] });
    assert.deepEqual(validate(null), { settings: DEFAULT_SERVER_SETTINGS, warnings: [] });
    assert.deepEqual(validate({}), { settings: DEFAULT_SERVER_SETTINGS, warnings: [] });
  });

  it('replaces each malformed value by its default and warns about it', () => {
    const { settings, warnings } = validate({ rules: { 'pool-resource-leak': 'loud', nope: 'error', 'unawaited-background-work': 'hint' }, run: 'sometimes', exclude: 'x/**', safeCalls: ['ok', 3] });
    assert.deepEqual(settings, {
      analyzer: { rules: { 'unawaited-background-work': 'hint' }, exclude: [], safeCalls: ['ok'], includeTests: false },
      run: 'onType',
    });
    assert.equal(warnings.length, 5, warnings.join('\n'));
    assert.equal(validate([]).warnings.length, 1);
    assert.equal(validate({ rules: ['pool-resource-leak'] }).warnings.length, 1);
  });
});

describe('WorkspaceAnalyzers', () => {
  const root = path.join(os.tmpdir(), 'cpl-folders');
  const folder = (...parts: string[]) => path.join(root, ...parts);
  const make = () => new WorkspaceAnalyzers((rootDir) => ({ rootDir }) as unknown as Analyzer);

  it('answers with the innermost workspace folder containing the file', () => {
    const analyzers = make();
    analyzers.setFolders([pathToFileURL(folder('repo')).href, pathToFileURL(folder('repo', 'packages', 'api')).href]);
    assert.equal(analyzers.analyzerFor(folder('repo', 'packages', 'api', 'src', 'x.ts')).rootDir, folder('repo', 'packages', 'api'));
    assert.equal(analyzers.analyzerFor(folder('repo', 'packages', 'web', 'x.ts')).rootDir, folder('repo'));
    assert.equal(analyzers.folderOf(folder('repo-other', 'x.ts')), undefined, 'a sibling with a common prefix is not inside');
  });

  it('roots a file outside every folder at its own directory, and frees that once it is closed', () => {
    const analyzers = make();
    analyzers.setFolders([pathToFileURL(folder('repo')).href]);
    const loose = folder('elsewhere', 'script.js');
    const first = analyzers.analyzerFor(loose);
    assert.equal(first.rootDir, folder('elsewhere'));
    assert.equal(analyzers.analyzerFor(loose), first, 'one Analyzer per root, reused');
    analyzers.releaseLooseAnalyzers([loose]);
    assert.equal(analyzers.existingAnalyzerFor(loose), first);
    analyzers.releaseLooseAnalyzers([]);
    assert.equal(analyzers.existingAnalyzerFor(loose), undefined);
  });

  it('follows workspace folder changes', () => {
    const analyzers = make();
    analyzers.setFolders([pathToFileURL(folder('a')).href]);
    analyzers.addFolders([pathToFileURL(folder('b')).href], [pathToFileURL(folder('a')).href]);
    assert.deepEqual(analyzers.folders.map((f) => f.dir), [folder('b')]);
  });
});

describe('StatusReporter', () => {
  it('stays analysing while analyses overlap, then reports idle with findings, timing and skipped files', () => {
    const sent: StatusParams[] = [];
    let findings = 0;
    const status = new StatusReporter((p) => sent.push(p), () => findings);
    status.begin();
    status.begin();
    findings = 3;
    status.end(12.4);
    assert.deepEqual(sent.map((s) => s.state), ['analysing']);
    assert.equal(status.skipped('/w/a.js', 'binary file'), true);
    assert.equal(status.skipped('/w/a.js', 'binary file'), false, 'known already: not news');
    status.end(20);
    assert.equal(sent.at(-1)?.state, 'idle');
    assert.equal(sent.at(-1)?.findings, 3);
    assert.equal(sent.at(-1)?.lastAnalysisMs, 20);
    assert.deepEqual(sent.at(-1)?.skipped, [{ file: '/w/a.js', reason: 'binary file' }]);
    status.notSkipped('/w/a.js');
    status.findingsChanged();
    assert.equal(sent.at(-1)?.skipped, undefined);
  });
});

describe('noteFileResult', () => {
  function fakeContext() {
    const logs: string[] = [];
    const sent: StatusParams[] = [];
    const log = (message: string) => logs.push(message);
    const status = new StatusReporter((p) => sent.push(p), () => 0);
    const ctx = { connection: { console: { info: log, error: log, warn: log, log } }, status } as unknown as ServerContext;
    return { ctx, logs, sent, status };
  }

  it('logs a crashed rule once per analysis result, naming the rule and the file', () => {
    const { ctx, logs } = fakeContext();
    const result: FileResult = { fileName: '/w/a.js', findings: [], ruleErrors: [{ rule: 'pool-resource-leak', message: 'boom' }] };
    noteFileResult(ctx, result);
    noteFileResult(ctx, result);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /pool-resource-leak.*\/w\/a\.js.*boom/);
  });

  it('logs a skipped file when it becomes skipped, and keeps it in the status until analysed again', () => {
    const { ctx, logs, sent, status } = fakeContext();
    noteFileResult(ctx, { fileName: '/w/b.js', findings: [], skipped: 'syntax error at 1:1: x' });
    noteFileResult(ctx, { fileName: '/w/b.js', findings: [], skipped: 'syntax error at 2:1: y' });
    assert.equal(logs.length, 1, 'said once while it stays broken');
    status.findingsChanged();
    assert.deepEqual(sent.at(-1)?.skipped, [{ file: '/w/b.js', reason: 'syntax error at 2:1: y' }]);
    noteFileResult(ctx, { fileName: '/w/b.js', findings: [] });
    status.findingsChanged();
    assert.equal(sent.at(-1)?.skipped, undefined);
  });
});
