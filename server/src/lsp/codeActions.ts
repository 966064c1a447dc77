import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, TextEdit } from '../core';
import { findingFor } from './diagnostics';
import { disableRuleEdit } from './disableComment';
import { Commands, FIX_ALL_KIND } from './protocol';

export const FIX_ALL_TITLE = 'Fix all Context & Pool Lint problems';

export interface CodeActionInput {
  document: TextDocument;
  /** The findings published for exactly this version of the document. */
  findings: readonly Finding[];
  /** The client's `context.diagnostics`: the ones under the cursor or selection. */
  diagnostics: readonly Diagnostic[];
  only: readonly string[] | undefined;
  /** The whole-file fix-all edit; computed only when an action needs it (it re-runs the rules). */
  fixAll: () => TextEdit | undefined;
}

/**
 * Quick fixes for our diagnostics under the cursor (each rule fix, then "Disable <rule> for this
 * line" and "Show documentation for <rule>"), and the fix-all source action.
 */
export function codeActions(input: CodeActionInput): CodeAction[] {
  const { document } = input;
  const wants = (kind: string) => !input.only || input.only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const matched: { diagnostic: Diagnostic; finding: Finding }[] = [];
  for (const diagnostic of input.diagnostics) {
    const finding = findingFor(diagnostic, input.findings);
    if (finding) matched.push({ diagnostic, finding });
  }

  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const { diagnostic, finding } of matched) {
      for (const fix of finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred,
          edit: { changes: { [document.uri]: fix.edits.map((e) => toLspEdit(document, e)) } },
        });
      }
    }
    const seen = new Set<string>();
    for (const { diagnostic, finding } of matched) {
      const key = `${finding.rule}@${finding.startLc.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const edit = disableRuleEdit(document.getText(), finding.startLc.line, finding.rule);
      if (!edit) continue;
      actions.push({
        title: `Disable ${finding.rule} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [document.uri]: [toLspEdit(document, edit)] } },
      });
    }
    const documented = new Set<string>();
    for (const { diagnostic, finding } of matched) {
      if (documented.has(finding.rule)) continue;
      documented.add(finding.rule);
      const title = `Show documentation for ${finding.rule}`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title, command: Commands.showDocumentation, arguments: [finding.rule] },
      });
    }
  }

  // Asked for explicitly (save actions, "Fix All"), or offered next to a fixable diagnostic.
  const explicitFixAll = input.only !== undefined && wants(FIX_ALL_KIND);
  const fixableHere = input.only === undefined && matched.some(({ finding }) => finding.fixes.some(isFixAllFix));
  if (explicitFixAll || fixableHere) {
    const edit = input.fixAll();
    if (edit) {
      actions.push({
        title: FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: matched.map((m) => m.diagnostic),
        edit: { changes: { [document.uri]: [toLspEdit(document, edit)] } },
      });
    }
  }
  return actions;
}

export function isFixAllFix(fix: Finding['fixes'][number]): boolean {
  return fix.fixAll ?? fix.preferred;
}

export function toLspEdit(document: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText };
}
