// What the client's language status item says in each state. The wording is the only logic the
// thin client has of its own, and it is a pure function, so it is tested without an editor.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupFindings } from '../client/src/findingsModel';
import { clockTime, presentStatus, type StatusView } from '../client/src/serverStatus';

const at = (view: StatusView) => presentStatus(view, () => '10:31:02');

describe('language status item', () => {
  it('spins while the server starts', () => {
    assert.deepEqual(at({ connection: 'starting', serverError: false }), {
      text: '$(sync~spin) Context & Pool: starting',
      detail: undefined,
      busy: true,
      severity: 'information',
    });
  });

  it('is ready before the first analysis', () => {
    assert.equal(at({ connection: 'running', serverError: false }).text, 'Context & Pool: ready');
  });

  it('is busy while analysing, and keeps the last timing', () => {
    const view: StatusView = {
      connection: 'running',
      serverError: false,
      server: { state: 'analysing', findings: 2, lastAnalysisMs: 12.4, lastAnalysisAt: '2026-01-01T10:31:02Z' },
    };
    assert.deepEqual(at(view), {
      text: '$(sync~spin) Context & Pool: analysing',
      detail: 'last analysis 12 ms at 10:31:02',
      busy: true,
      severity: 'information',
    });
  });

  it('counts findings when idle', () => {
    const idle = (findings: number) =>
      at({ connection: 'running', serverError: false, server: { state: 'idle', findings } }).text;
    assert.equal(idle(0), 'Context & Pool: no findings');
    assert.equal(idle(1), 'Context & Pool: 1 finding');
    assert.equal(idle(3), 'Context & Pool: 3 findings');
  });

  it('says how many files were skipped', () => {
    const view: StatusView = {
      connection: 'running',
      serverError: false,
      server: {
        state: 'idle',
        findings: 0,
        lastAnalysisMs: 3,
        skipped: [
          { file: 'a.ts', reason: 'syntax error' },
          { file: 'b.min.js', reason: 'minified' },
        ],
      },
    };
    assert.equal(at(view).detail, 'last analysis 3 ms; 2 files skipped, see the output');
  });

  it('warns after a server error until the user restarts it', () => {
    const view: StatusView = { connection: 'running', serverError: true, server: { state: 'idle', findings: 1 } };
    const shown = at(view);
    assert.equal(shown.severity, 'warning');
    assert.equal(shown.text, 'Context & Pool: 1 finding');
    assert.match(shown.detail ?? '', /error/);
  });

  it('shows an error when the server is not running because it failed', () => {
    const shown = at({ connection: 'error', serverError: true });
    assert.equal(shown.severity, 'error');
    assert.equal(shown.busy, false);
    assert.match(shown.text, /server not running/);
    assert.match(shown.detail ?? '', /Restart Server/);
  });

  it('says stopped when stopped on purpose', () => {
    assert.deepEqual(at({ connection: 'stopped', serverError: false }), {
      text: 'Context & Pool: stopped',
      detail: undefined,
      busy: false,
      severity: 'information',
    });
  });

  it('formats the time of day as HH:MM:SS', () => {
    assert.equal(clockTime(new Date(2026, 0, 2, 9, 5, 7)), '09:05:07');
  });
});

describe('findings tree: grouped by rule, then file', () => {
  it('orders rules by id, files by path, findings by position, and counts each rule', () => {
    const groups = groupFindings([
      {
        uri: 'file:///w/src/b.ts',
        label: 'src/b.ts',
        findings: [
          { rule: 'pool-resource-leak', message: 'leak', line: 9, character: 2 },
          { rule: 'unawaited-background-work', message: 'late', line: 20, character: 4 },
          { rule: 'unawaited-background-work', message: 'early', line: 3, character: 1 },
        ],
      },
      { uri: 'file:///w/src/a.ts', label: 'src/a.ts', findings: [{ rule: 'unawaited-background-work', message: 'a', line: 1, character: 0 }] },
      { uri: 'file:///w/src/empty.ts', label: 'src/empty.ts', findings: [] },
    ]);
    assert.deepEqual(
      groups.map((g) => [g.rule, g.count, g.files.map((f) => [f.label, f.findings.map((x) => x.message)])]),
      [
        ['pool-resource-leak', 1, [['src/b.ts', ['leak']]]],
        ['unawaited-background-work', 3, [['src/a.ts', ['a']], ['src/b.ts', ['early', 'late']]]],
      ],
    );
  });

  it('is empty without findings', () => {
    assert.deepEqual(groupFindings([]), []);
  });
});
