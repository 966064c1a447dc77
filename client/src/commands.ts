import * as vscode from 'vscode';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from './commandIds';
import type { LanguageServer } from './languageServer';
import { isScriptDocument } from './scriptDocuments';
import type { ServerStatusItem } from './statusItem';

/** The client's own commands. The server's commands are registered by the language client. */
export function registerClientCommands(
  server: LanguageServer,
  status: ServerStatusItem,
  output: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CLIENT_COMMANDS.fixAll, () => fixAllInActiveEditor(server)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, async () => {
      status.restartRequested();
      output.info('Restarting the server');
      await server.restart();
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => output.show(true)),
  ];
}

async function fixAllInActiveEditor(server: LanguageServer): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !isScriptDocument(document)) {
    void vscode.window.showInformationMessage('Context & Pool Lint: open a TypeScript or JavaScript file to fix it.');
    return;
  }
  if (!(await server.ready())) {
    void vscode.window.showWarningMessage(
      'Context & Pool Lint: the server is not running, so nothing was fixed. Run "Context & Pool Lint: Restart Server" and try again.',
    );
    return;
  }
  // The server applies the edits itself (workspace/applyEdit), so they land as one undoable step.
  const result = await vscode.commands.executeCommand<{ applied?: boolean } | undefined>(
    SERVER_COMMANDS.applyFixAll,
    document.uri.toString(),
  );
  if (result?.applied === false) {
    void vscode.window.showInformationMessage('Context & Pool Lint: no fixes were applied to this file.');
  }
}
