// Helper functions (RULES.md §1, "Helpers"): a project function that a request scope calls with a
// request object or its signal is analysed in that role, exactly two calls deep, cycle-safe, across
// files, and its findings lead back to the handler through related information.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Analyzer, DEFAULT_SETTINGS, type Finding } from '../../server/src/core';

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** A project on disk with the given files, preloaded as a scan does. */
function project(files: Record<string, string>): { analyzer: Analyzer; root: string; findings: (file: string, rule?: string) => Finding[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-helpers-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const analyzer = new Analyzer(root);
  analyzer.preload(Object.keys(files).map((f) => path.join(root, f)));
  const findings = (file: string, rule?: string) => {
    const result = analyzer.analyzeFile(path.join(root, file), DEFAULT_SETTINGS);
    assert.equal(result.ruleErrors, undefined, JSON.stringify(result.ruleErrors));
    return result.findings.filter((f) => !rule || f.rule === rule);
  };
  return { analyzer, root, findings };
}

const lineOf = (f: Finding) => f.startLc.line + 1;
const relatedLines = (f: Finding, root: string) => f.related.map((r) => `${path.relative(root, r.fileName)}:${r.startLc.line + 1}`);

const APP = `import express from 'express';
import { recordVisit } from './lib/visits';

const app = express();

app.get('/orders/:id', async (req, res) => {
  await recordVisit(req, 'orders');
  res.json({ ok: true });
});

app.listen(3000);
`;

describe('helper scopes', () => {
  it('analyses a helper in another file that a handler passes the request to, and leads back to the call', () => {
    const { findings, root } = project({
      'app.ts': APP,
      'lib/visits.ts': `export async function recordVisit(incoming: any, page: string) {
  fetch('https://stats.internal/visit?page=' + page + '&ip=' + incoming.ip);
}
`,
    });
    assert.deepEqual(findings('app.ts'), []);
    const found = findings('lib/visits.ts', 'unawaited-background-work');
    assert.equal(found.length, 1);
    assert.equal(lineOf(found[0]), 2);
    assert.deepEqual(relatedLines(found[0], root), ['lib/visits.ts:1', 'app.ts:7']);
    assert.match(found[0].related[1].message, /reaches `recordVisit` here, from the request handler/);
  });

  it('follows exactly two calls deep, and survives cycles', () => {
    const { findings } = project({
      'app.ts': APP,
      'lib/visits.ts': `export async function recordVisit(incoming: any, page: string) {
  await store(incoming, page);
}
async function store(r: any, page: string) {
  fetch('https://stats.internal/' + page);
  await deeper(r);
  if (page === 'again') await recordVisit(r, page);
}
async function deeper(x: any) {
  fetch('https://stats.internal/deeper');
}
`,
    });
    const lines = findings('lib/visits.ts', 'unawaited-background-work').map(lineOf);
    assert.deepEqual(lines, [5], 'store (2 deep) is analysed, deeper (3 deep) is not');
  });

  it('does not analyse helpers given only ids or strings taken from the request', () => {
    const { findings } = project({
      'app.ts': `import express from 'express';
const app = express();
app.get('/u/:id', async (req, res) => {
  res.json(await load(req.params.id, String(req.query.q)));
});
async function load(id: string, q: string) {
  fetch('https://users.internal/' + id + q);
  return {};
}
`,
    });
    assert.deepEqual(findings('app.ts'), []);
  });

  it('reports a helper reached from two handlers once, with both handlers in related information', () => {
    const { findings, root } = project({
      'app.ts': `import express from 'express';
import { recordVisit } from './lib/visits';
const app = express();
app.get('/a', async (req, res) => {
  await recordVisit(req, 'a');
  res.end();
});
app.get('/b', async (req, res) => {
  await recordVisit(req, 'b');
  res.end();
});
`,
      'lib/visits.ts': `export async function recordVisit(incoming: any, page: string) {
  fetch('https://stats.internal/' + page);
}
`,
    });
    const found = findings('lib/visits.ts', 'unawaited-background-work');
    assert.equal(found.length, 1);
    assert.deepEqual(relatedLines(found[0], root), ['lib/visits.ts:1', 'app.ts:5', 'app.ts:9']);
  });

  it("a helper given the request's signal is reported once, with the fix passing its parameter", () => {
    const { findings } = project({
      'app/api/report/route.ts': `import { buildReport } from '../../../lib/report';

export async function GET(request: Request) {
  return Response.json(await buildReport(request.signal, 'daily'));
}
`,
      'lib/report.ts': `export async function buildReport(cancel: AbortSignal, kind: string) {
  const response = await fetch('https://reports.internal/' + kind);
  return response.json();
}
`,
    });
    // Both the signal-helper analysis of §2.2 and the helper graph see this function: one finding.
    const found = findings('lib/report.ts', 'missing-cancellation-signal');
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
    const [finding] = found;
    assert.equal(lineOf(finding), 2);
    const fix = finding.fixes.find((f) => f.title === "Pass the request's cancellation signal");
    assert.ok(fix);
    assert.deepEqual(fix.edits.map((e) => e.newText), [', { signal: cancel }']);
  });

  it('forgets a helper role when the handler stops passing the request (incremental)', () => {
    const { analyzer, findings, root } = project({
      'app.ts': APP,
      'lib/visits.ts': `export async function recordVisit(incoming: any, page: string) {
  fetch('https://stats.internal/' + page);
}
`,
    });
    assert.equal(findings('lib/visits.ts', 'unawaited-background-work').length, 1);
    analyzer.setOpenText(path.join(root, 'app.ts'), APP.replace('recordVisit(req, ', 'recordVisit(null, '));
    assert.deepEqual(findings('lib/visits.ts'), []);
    analyzer.setOpenText(path.join(root, 'app.ts'), APP);
    assert.equal(findings('lib/visits.ts', 'unawaited-background-work').length, 1);
  });

  it('ignores handlers in test files: they do not make project functions helpers', () => {
    const { findings } = project({
      'app.test.ts': APP,
      'lib/visits.ts': `export async function recordVisit(incoming: any, page: string) {
  fetch('https://stats.internal/' + page);
}
`,
    });
    assert.deepEqual(findings('lib/visits.ts'), []);
  });

  it('leaves functions created inside the handler to the handler scope', () => {
    const { findings } = project({
      'app.ts': `import express from 'express';
const app = express();
app.get('/x', async (req, res) => {
  const log = async (r: any) => { fetch('https://log.internal/' + r.url); };
  await log(req);
  res.end();
});
`,
    });
    const found = findings('app.ts', 'unawaited-background-work');
    assert.equal(found.length, 1);
    assert.equal(found[0].related.length, 1, 'no helper chain: the arrow is part of the handler');
  });
});
