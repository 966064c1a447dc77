// The in-VS-Code integration suite: runs inside the extension host (code-server's or a desktop
// VS Code's, see ../README.md) against the extension under development, through the `vscode` API.
// The workspace is made by the runner (../workspace.ts): the files of ../../workspaceFiles.ts under
// src/, a tsconfig.json, and node_modules linked to the repository's so framework types resolve.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import * as files from '../../workspaceFiles';

const RULE = 'missing-cancellation-signal';
const SOURCE = 'context-pool-lint';
const FIX_TITLE = "Pass the request's cancellation signal";
const DISABLE_TITLE = `Disable ${RULE} for this line`;
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('contextPoolLint');
/** Where the rule anchors in every handler of workspaceFiles.ts: the `fetch` callee, line 6. */
const FETCH_RANGE = new vscode.Range(5, 25, 5, 30);

function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, 'src', ...relativePath.split('/'));
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

function describeDiagnostics(uri: vscode.Uri): string {
  const list = ours(uri).map((d) => `${ruleOf(d)} ${vscode.DiagnosticSeverity[d.severity]} ${d.range.start.line}:${d.range.start.character}`);
  return list.length > 0 ? list.join(', ') : 'none';
}

/**
 * Resolves once `condition` holds for the file's diagnostics: checked now and on every diagnostics
 * change of that file (no polling, no fixed sleeps), failing with what was there after `timeoutMs`.
 */
function diagnosticsUntil(uri: vscode.Uri, condition: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 45_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = ours(uri);
      if (!condition(diagnostics)) return false;
      finish();
      resolve(diagnostics);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what} in ${vscode.workspace.asRelativePath(uri)} (diagnostics: ${describeDiagnostics(uri)})`));
    }, timeoutMs);
    function finish(): void {
      clearTimeout(timer);
      listener.dispose();
    }
    check();
  });
}

const hasRule = (diagnostics: vscode.Diagnostic[]) => diagnostics.some((d) => ruleOf(d) === RULE);
const hasNone = (diagnostics: vscode.Diagnostic[]) => diagnostics.length === 0;

async function open(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  return vscode.window.showTextDocument(document);
}

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind?.value,
  );
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'kind' in action || 'edit' in action || 'diagnostics' in action);
}

/** Applies a code action as the editor does: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

export function defineTests(): void {
  describe('Context & Pool Lint in the extension host', () => {
    before(async function () {
      this.timeout(120_000);
      const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'context-pool-lint');
      assert.ok(extension, 'the extension under development is loaded');
      // Opening a TypeScript file is what activates it (activationEvents: onLanguage).
      await open('health.ts');
      await extension.activate();
    });

    after(async () => {
      // The workspace is a throwaway copy: save what the tests changed, so closing asks nothing.
      await vscode.workspace.saveAll(false);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('reports a handler file with its rule, range, severity and docs link', async () => {
      const editor = await open('reviews.ts');
      const [diagnostic] = await diagnosticsUntil(editor.document.uri, hasRule, `${RULE} is reported`);
      assert.equal(ruleOf(diagnostic), RULE);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.deepEqual(
        [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
        [FETCH_RANGE.start.line, FETCH_RANGE.start.character, FETCH_RANGE.end.line, FETCH_RANGE.end.character],
      );
      assert.equal(editor.document.getText(diagnostic.range), 'fetch');
      assert.ok(typeof diagnostic.code === 'object', 'the code carries a docs link');
      assert.match(diagnostic.code.target.toString(), new RegExp(`docs/rules/${RULE}\\.md$`));
      assert.ok(diagnostic.message.length > 0);
    });

    it('reports nothing for a handler that is already correct', async () => {
      const editor = await open('health.ts');
      // Reported files are analysed once the server is up; a finding would have come with reviews.ts's.
      await diagnosticsUntil(workspaceUri('reviews.ts'), hasRule, 'the server answers');
      assert.deepEqual(ours(editor.document.uri), []);
    });

    it('lists the RULES.md fix titles as quick fixes', async () => {
      const uri = workspaceUri('reviews.ts');
      await diagnosticsUntil(uri, hasRule, `${RULE} is reported`);
      const actions = await codeActions(uri, FETCH_RANGE, vscode.CodeActionKind.QuickFix);
      const titles = actions.map((action) => action.title);
      assert.ok(titles.includes(FIX_TITLE), `quick fixes: ${JSON.stringify(titles)}`);
      assert.ok(titles.includes(DISABLE_TITLE), `quick fixes: ${JSON.stringify(titles)}`);
      const fix = actions.find((action) => action.title === FIX_TITLE)!;
      assert.equal(fix.isPreferred, true, 'the rule fix is the preferred one');
      assert.ok(fix.kind?.value.startsWith('quickfix'), `kind: ${fix.kind?.value}`);
      // (`vscode.executeCodeActionProvider` drops an action's `diagnostics`, so they can't be asserted here.)
    });

    it("applying the fix's edit changes the text as documented and removes the diagnostic", async () => {
      const editor = await open('reviews.ts');
      const uri = editor.document.uri;
      await diagnosticsUntil(uri, hasRule, `${RULE} is reported`);
      const fix = (await codeActions(uri, FETCH_RANGE, vscode.CodeActionKind.QuickFix)).find((action) => action.title === FIX_TITLE);
      assert.ok(fix, `"${FIX_TITLE}" is offered`);
      await apply(fix);
      assert.equal(editor.document.getText(), files.REVIEWS_FIXED);
      await diagnosticsUntil(uri, hasNone, 'the diagnostic is gone');
      assert.ok(await editor.document.save());
    });

    it('"Disable for this line" adds the suppression comment and removes the diagnostic', async () => {
      const editor = await open('inventory.ts');
      const uri = editor.document.uri;
      await diagnosticsUntil(uri, hasRule, `${RULE} is reported`);
      const disable = (await codeActions(uri, FETCH_RANGE, vscode.CodeActionKind.QuickFix)).find((action) => action.title === DISABLE_TITLE);
      assert.ok(disable, `"${DISABLE_TITLE}" is offered`);
      await apply(disable);
      assert.equal(editor.document.getText(), files.INVENTORY_DISABLED);
      await diagnosticsUntil(uri, hasNone, 'the diagnostic is gone');
    });

    it('the source.fixAll.contextPoolLint action fixes every finding of a file', async () => {
      const editor = await open('dashboard.ts');
      const uri = editor.document.uri;
      await diagnosticsUntil(uri, (diagnostics) => diagnostics.filter((d) => ruleOf(d) === RULE).length === 2, 'both calls are reported');
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const actions = await codeActions(uri, whole, FIX_ALL_KIND);
      const fixAll = actions.find((action) => action.kind?.value === FIX_ALL_KIND.value);
      assert.ok(fixAll, `fix-all is offered: ${JSON.stringify(actions.map((action) => action.kind?.value))}`);
      await apply(fixAll);
      assert.equal(editor.document.getText(), files.DASHBOARD_FIXED);
      await diagnosticsUntil(uri, hasNone, 'the diagnostics are gone');
    });

    it('works in plain JavaScript (CommonJS, no types)', async () => {
      const editor = await open('legacy.cjs');
      const [diagnostic] = await diagnosticsUntil(editor.document.uri, hasRule, `${RULE} is reported`);
      assert.equal(editor.document.getText(diagnostic.range), 'fetch');
      const titles = (await codeActions(editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix)).map((action) => action.title);
      assert.ok(titles.includes(FIX_TITLE), `quick fixes: ${JSON.stringify(titles)}`);
    });

    it('"Scan Workspace" fills diagnostics for files that were never opened', async function () {
      this.timeout(180_000);
      const unopened = workspaceUri('billing/payments.ts');
      assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === unopened.toString()), 'payments.ts is not open');
      assert.deepEqual(ours(unopened), [], 'nothing is reported before the scan');
      const scanned = diagnosticsUntil(unopened, hasRule, `the scan reports ${RULE}`, 150_000);
      await vscode.commands.executeCommand('contextPoolLint.scanWorkspace');
      const [diagnostic] = await scanned;
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [FETCH_RANGE.start.line, FETCH_RANGE.start.character]);
      assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === unopened.toString()), 'the scan did not open payments.ts');
      // The generated routes are clean: the scan reports nothing for them.
      assert.deepEqual(ours(workspaceUri('routes/route001.ts')), []);
    });

    describe('contextPoolLint.rules', () => {
      const configuration = () => vscode.workspace.getConfiguration('contextPoolLint', workspaceUri('catalog.ts'));

      after(async () => {
        await configuration().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      });

      it('changing a severity updates the open file live', async () => {
        const editor = await open('catalog.ts');
        const uri = editor.document.uri;
        await diagnosticsUntil(uri, (d) => hasRule(d) && d[0].severity === vscode.DiagnosticSeverity.Warning, 'it is a warning');
        await configuration().update('rules', { [RULE]: 'error' }, vscode.ConfigurationTarget.Workspace);
        await diagnosticsUntil(uri, (d) => hasRule(d) && d.every((x) => x.severity === vscode.DiagnosticSeverity.Error), 'it is an error');
        await configuration().update('rules', { [RULE]: 'information' }, vscode.ConfigurationTarget.Workspace);
        await diagnosticsUntil(uri, (d) => hasRule(d) && d.every((x) => x.severity === vscode.DiagnosticSeverity.Information), 'it is information');
        await configuration().update('rules', { [RULE]: 'hint' }, vscode.ConfigurationTarget.Workspace);
        await diagnosticsUntil(uri, (d) => hasRule(d) && d.every((x) => x.severity === vscode.DiagnosticSeverity.Hint), 'it is a hint');
      });

      it('"off" removes the finding, and removing the setting brings it back as a warning', async () => {
        const editor = await open('catalog.ts');
        const uri = editor.document.uri;
        await configuration().update('rules', { [RULE]: 'off' }, vscode.ConfigurationTarget.Workspace);
        await diagnosticsUntil(uri, hasNone, 'the rule is off');
        await configuration().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
        await diagnosticsUntil(uri, (d) => hasRule(d) && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning), 'it is a warning again');
      });
    });

    it('keeps diagnostics current while typing', async () => {
      const editor = await open('health.ts');
      const uri = editor.document.uri;
      assert.deepEqual(ours(uri), []);
      const end = editor.document.lineAt(editor.document.lineCount - 2).range.start; // before the closing `});`
      assert.ok(await editor.edit((edit) => edit.insert(end, "  await fetch('https://db.example.com/ping');\n")));
      const [diagnostic] = await diagnosticsUntil(uri, hasRule, `the typed call is reported`);
      assert.equal(editor.document.getText(diagnostic.range), 'fetch');
      await vscode.commands.executeCommand('undo');
      await diagnosticsUntil(uri, hasNone, 'undo removes the finding');
      assert.equal(editor.document.getText(), files.HEALTH);
    });
  });
}
