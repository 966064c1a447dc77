import * as vscode from 'vscode';
import type { ScanSummary } from '../../server/src/lsp/protocol';

/**
 * Tells the user how "Scan Workspace" ended. The server returns the summary to whoever ran the
 * command, and a command run from the palette has nobody to read its result but the user.
 */
export function reportScan(result: unknown): void {
  if (!isScanSummary(result)) return;
  const files = `${result.files} ${result.files === 1 ? 'file' : 'files'}`;
  const findings = result.findings === 0 ? 'no findings' : `${result.findings} ${result.findings === 1 ? 'finding' : 'findings'}`;
  const skipped = result.skipped.length > 0 ? ` (${result.skipped.length} not analysed, see the output)` : '';
  const message = result.cancelled
    ? `Context & Pool Lint: scan cancelled after ${files}, ${findings} so far.`
    : `Context & Pool Lint: scanned ${files}, ${findings}${skipped}.`;
  if (result.findings === 0) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  void vscode.window.showInformationMessage(message, 'Show Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

function isScanSummary(value: unknown): value is ScanSummary {
  const summary = value as Partial<ScanSummary> | null;
  return (
    typeof summary === 'object' &&
    summary !== null &&
    typeof summary.files === 'number' &&
    typeof summary.findings === 'number' &&
    Array.isArray(summary.skipped)
  );
}
