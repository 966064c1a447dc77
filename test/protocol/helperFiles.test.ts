// Helpers across open documents (RULES.md §1, "Helpers"): a finding inside a helper depends on the
// handler file that passes it the request, so editing the handler re-publishes the helper's file.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, makeTempWorkspace, removeWorkspace, uriOf } from './lspHarness';

const HANDLER = `const express = require('express');
const { recordVisit } = require('./visits');

const app = express();
app.get('/orders', async (req, res) => {
  await recordVisit(req, 'orders');
  res.json([]);
});
`;

const HELPER = `async function recordVisit(incoming, page) {
  fetch('https://stats.internal/visit?page=' + page, { method: 'POST' });
}

module.exports = { recordVisit };
`;

describe('language server: helpers in other open files', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(workspace, name));

  before(async () => {
    workspace = makeTempWorkspace({ 'package.json': '{"name":"scratch"}' });
    client = await LspTestClient.start({ folders: [workspace] });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  it("reports in the helper's file, and follows edits to the handler's file", async () => {
    await client.open(uri('app.js'), HANDLER);
    await client.waitForDiagnostics(uri('app.js'));
    await client.open(uri('visits.js'), HELPER);
    const first = await client.waitForDiagnostics(uri('visits.js'), (p) => p.diagnostics.length > 0);
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.range.start.line]), [['missing-cancellation-signal', 1], ['unawaited-background-work', 1]]);
    const related = first.diagnostics[0].relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri === uri('app.js') && r.location.range.start.line === 5), JSON.stringify(related));

    // The handler stops passing the request: the helper is no longer a request scope.
    await client.change(uri('app.js'), HANDLER.replace('recordVisit(req, ', "recordVisit(null, "));
    const cleared = await client.waitForDiagnostics(uri('visits.js'), (p) => p.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });
});
