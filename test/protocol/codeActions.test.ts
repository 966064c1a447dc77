import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { TWO_UNAWAITED_JS, TWO_UNAWAITED_JS_FIXED, UNAWAITED_JS, UNAWAITED_JS_AWAITED } from './fixtures';
import { LspTestClient, applyTextEdits, editsFor, isCodeAction, makeTempWorkspace, removeWorkspace, uriOf } from './lspHarness';

const RULE = 'unawaited-background-work';

describe('language server: code actions', { timeout: 180_000 }, () => {
  let workspace: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(workspace, name));

  before(async () => {
    workspace = makeTempWorkspace({ 'on-disk.js': TWO_UNAWAITED_JS });
    client = await LspTestClient.start({ folders: [workspace] });
  });
  after(async () => {
    await client?.shutdown();
    removeWorkspace(workspace);
  });

  /** Opens `text`, waits for its single finding and asks for the actions on it, as a lightbulb would. */
  async function actionsOnFinding(name: string, text: string, only?: string[]): Promise<{ doc: string; diagnostic: Diagnostic; actions: CodeAction[] }> {
    const doc = uri(name);
    await client.open(doc, text);
    const diagnostics = await client.waitForCurrentDiagnostics(doc);
    const diagnostic = diagnostics.find((d) => d.code === RULE);
    assert.ok(diagnostic, `a ${RULE} finding in ${name}`);
    const actions = await client.codeActions(doc, diagnostic.range, [diagnostic], only);
    assert.ok(actions.every(isCodeAction), 'code actions, not bare commands');
    return { doc, diagnostic, actions: actions as CodeAction[] };
  }

  it("offers the rule's fixes (preferred first choice), disable-for-this-line, documentation and fix-all", async () => {
    const { diagnostic, actions } = await actionsOnFinding('offers.js', UNAWAITED_JS);
    const byTitle = new Map(actions.map((a) => [a.title, a]));
    const awaitFix = byTitle.get('Await the background work');
    assert.equal(awaitFix?.kind, 'quickfix');
    assert.equal(awaitFix?.isPreferred, true);
    assert.deepEqual(awaitFix?.diagnostics, [diagnostic]);
    const detach = byTitle.get('Detach explicitly with an error handler');
    assert.equal(detach?.kind, 'quickfix');
    assert.notEqual(detach?.isPreferred, true);
    assert.equal(byTitle.has('Hand it to waitUntil'), false, 'no waitUntil in scope');
    assert.equal(byTitle.get(`Disable ${RULE} for this line`)?.kind, 'quickfix');
    const docs = byTitle.get(`Show documentation for ${RULE}`);
    assert.deepEqual(docs?.command, { title: `Show documentation for ${RULE}`, command: 'contextPoolLint.showDocumentation', arguments: [RULE] });
    assert.equal(byTitle.get('Fix all Context & Pool Lint problems')?.kind, 'source.fixAll.contextPoolLint');
    // Rule fixes come before the generic actions.
    const titles = actions.map((a) => a.title);
    assert.ok(titles.indexOf('Await the background work') < titles.indexOf(`Disable ${RULE} for this line`));
    assert.ok(titles.indexOf(`Disable ${RULE} for this line`) < titles.indexOf(`Show documentation for ${RULE}`));
  });

  it('offers nothing for a range without diagnostics of ours', async () => {
    const doc = uri('elsewhere.js');
    await client.open(doc, UNAWAITED_JS);
    await client.waitForCurrentDiagnostics(doc);
    const foreign: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, message: 'x', source: 'eslint', code: RULE };
    assert.deepEqual(await client.codeActions(doc, foreign.range, [foreign]), []);
    assert.deepEqual(await client.codeActions(doc, foreign.range, []), []);
  });

  it('still finds the diagnostic when a client sends its columns back converted (Neovim 0.7 sends bytes)', async () => {
    const text = UNAWAITED_JS.replace('  sendMail();', "  const tag = 'é🚀'; sendMail();");
    const { doc, diagnostic } = await actionsOnFinding('bytes.js', text);
    const line = text.split('\n')[diagnostic.range.start.line];
    const bytes = (character: number) => Buffer.byteLength(line.slice(0, character));
    const asBytes = {
      ...diagnostic,
      range: {
        start: { line: diagnostic.range.start.line, character: bytes(diagnostic.range.start.character) },
        end: { line: diagnostic.range.end.line, character: bytes(diagnostic.range.end.character) },
      },
    };
    assert.notDeepEqual(asBytes.range, diagnostic.range);
    const actions = (await client.codeActions(doc, asBytes.range, [asBytes], ['quickfix'])) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Await the background work');
    assert.equal(applyTextEdits(text, editsFor(fix.edit!, doc)), text.replace(' sendMail();', ' await sendMail();'));
  });

  it('applying the preferred quick fix removes the diagnostic', async () => {
    const { doc, actions } = await actionsOnFinding('apply.js', UNAWAITED_JS);
    const fix = actions.find((a) => a.isPreferred)!;
    await client.applyWorkspaceEdit(fix.edit!);
    assert.equal(client.text(doc), UNAWAITED_JS_AWAITED);
    assert.deepEqual(await client.waitForCurrentDiagnostics(doc), []);
  });

  it('"Disable … for this line" inserts an indented comment above the line, and the diagnostic goes', async () => {
    const { doc, actions } = await actionsOnFinding('disable.js', UNAWAITED_JS);
    const disable = actions.find((a) => a.title === `Disable ${RULE} for this line`)!;
    await client.applyWorkspaceEdit(disable.edit!);
    assert.equal(client.text(doc), UNAWAITED_JS.replace('  sendMail();', `  // context-pool-lint-disable-next-line ${RULE}\n  sendMail();`));
    assert.deepEqual(await client.waitForCurrentDiagnostics(doc), []);
  });

  it('"Disable … for this line" adds the rule to a disable comment already above the line', async () => {
    const text = UNAWAITED_JS.replace('  sendMail();', '  // context-pool-lint-disable-next-line pool-resource-leak\n  sendMail();');
    const { doc, actions } = await actionsOnFinding('disable-more.js', text);
    const disable = actions.find((a) => a.title === `Disable ${RULE} for this line`)!;
    await client.applyWorkspaceEdit(disable.edit!);
    assert.equal(client.text(doc), text.replace('pool-resource-leak', `pool-resource-leak, ${RULE}`));
    assert.deepEqual(await client.waitForCurrentDiagnostics(doc), []);
  });

  it('"Show documentation" opens the rule page through window/showDocument', async () => {
    const { actions } = await actionsOnFinding('docs.js', UNAWAITED_JS);
    const docs = actions.find((a) => a.title === `Show documentation for ${RULE}`)!;
    const before = client.shownDocuments.length;
    await client.executeCommand(docs.command!.command, docs.command!.arguments);
    assert.deepEqual(client.shownDocuments.slice(before), [
      { uri: `https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/${RULE}.md`, external: true },
    ]);
  });

  it('answers `only` as editors ask it: quickfix alone, source.fixAll alone, unrelated kinds with nothing', async () => {
    const { doc, diagnostic } = await actionsOnFinding('only.js', TWO_UNAWAITED_JS);
    const quickfixes = await client.codeActions(doc, diagnostic.range, [diagnostic], ['quickfix']);
    assert.ok(quickfixes.length > 0 && quickfixes.every((a) => isCodeAction(a) && a.kind === 'quickfix'));
    for (const only of [['source.fixAll'], ['source.fixAll.contextPoolLint'], ['source']]) {
      const fixAll = await client.codeActions(doc, diagnostic.range, [diagnostic], only);
      assert.deepEqual(fixAll.map((a) => (a as CodeAction).kind), ['source.fixAll.contextPoolLint'], only.join());
    }
    assert.deepEqual(await client.codeActions(doc, diagnostic.range, [diagnostic], ['source.organizeImports']), []);
  });

  it('fix-all on save (source.fixAll with no diagnostics in context) fixes every finding in the file', async () => {
    const doc = uri('fix-all.js');
    await client.open(doc, TWO_UNAWAITED_JS);
    assert.equal((await client.waitForCurrentDiagnostics(doc)).length, 2);
    // editor.codeActionsOnSave asks for the whole document with an empty context.
    const actions = await client.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    const fixAll = actions[0] as CodeAction;
    assert.equal(applyTextEdits(client.text(doc), editsFor(fixAll.edit!, doc)), TWO_UNAWAITED_JS_FIXED);
    await client.applyWorkspaceEdit(fixAll.edit!);
    assert.deepEqual(await client.waitForCurrentDiagnostics(doc), []);
    // Nothing left to fix: no action at all.
    assert.deepEqual(await client.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']), []);
  });

  it('the applyFixAll command applies fix-all to an open document through workspace/applyEdit', async () => {
    const doc = uri('command.js');
    await client.open(doc, TWO_UNAWAITED_JS);
    assert.equal((await client.waitForCurrentDiagnostics(doc)).length, 2);
    const result = await client.executeCommand<{ applied: boolean }>('contextPoolLint.applyFixAll', [doc]);
    assert.deepEqual(result, { applied: true });
    const request = client.editRequests.at(-1)!;
    assert.equal(request.label, 'Fix all Context & Pool Lint problems');
    // Versioned, so an editor refuses it if the user typed in between.
    assert.equal((request.edit.documentChanges?.[0] as { textDocument: { version: number } }).textDocument.version, 1);
    assert.equal(client.text(doc), TWO_UNAWAITED_JS_FIXED);
    assert.deepEqual(await client.waitForCurrentDiagnostics(doc), []);
  });

  it('the applyFixAll command fixes a file that is not open, on disk', async () => {
    const file = path.join(workspace, 'on-disk.js');
    const result = await client.executeCommand<{ applied: boolean }>('contextPoolLint.applyFixAll', [uriOf(file)]);
    assert.deepEqual(result, { applied: true });
    assert.equal(fs.readFileSync(file, 'utf8'), TWO_UNAWAITED_JS_FIXED);
  });

  it('the applyFixAll command does nothing, and says so, when there is nothing to fix or no document', async () => {
    const doc = uri('clean.js');
    await client.open(doc, UNAWAITED_JS_AWAITED);
    await client.waitForCurrentDiagnostics(doc);
    const before = client.editRequests.length;
    assert.deepEqual(await client.executeCommand('contextPoolLint.applyFixAll', [doc]), { applied: false });
    assert.deepEqual(await client.executeCommand('contextPoolLint.applyFixAll', []), { applied: false });
    assert.equal(client.editRequests.length, before);
  });
});
