// Hover on a finding (issue 4, item 3): the rule's explanation and its docs link, from what is
// published for the document's current version; nothing elsewhere, and nothing stale.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MarkupKind, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { CLEAN_JS, UNAWAITED_JS, UNAWAITED_JS_ANCHOR } from './fixtures';
import { LspTestClient, makeTempWorkspace, removeWorkspace, uriOf } from './lspHarness';

describe('language server: hover', { timeout: 180_000 }, () => {
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

  it("explains the finding under the cursor, with the rule's docs link and its quick fixes", async () => {
    const doc = uri('hover.js');
    await client.open(doc, UNAWAITED_JS);
    const [diagnostic] = (await client.waitForDiagnostics(doc)).diagnostics;
    const hover = await client.hover(doc, { line: UNAWAITED_JS_ANCHOR.line, character: UNAWAITED_JS_ANCHOR.character + 3 });
    assert.ok(hover, 'a hover on the finding');
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    assert.match(contents.value, /^\*\*unawaited-background-work\*\* \(context-pool-lint\)/);
    assert.ok(!contents.value.includes(String(diagnostic.message)), 'the editor shows the message from the diagnostic already');
    assert.match(contents.value, /\*A promise started while handling a request that nothing waits for: its failure is lost and it can outlive the request\.\*/);
    assert.match(contents.value, /Quick fixes: Await the background work · Detach explicitly with an error handler/);
    assert.ok(contents.value.includes('(https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/unawaited-background-work.md)'));
    assert.deepEqual(hover.range, diagnostic.range);
  });

  it('says nothing away from findings, or about a version it has not analysed yet', async () => {
    const doc = uri('quiet.js');
    await client.open(doc, UNAWAITED_JS);
    await client.waitForDiagnostics(doc);
    assert.equal(await client.hover(doc, { line: 0, character: 3 }), null);
    // Typing: the published findings belong to the previous version until the pause elapses.
    await client.change(doc, CLEAN_JS);
    assert.equal(await client.hover(doc, UNAWAITED_JS_ANCHOR), null);
  });
});
