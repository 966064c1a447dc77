// The VS Code side of Context & Pool Lint, kept thin: it starts the bundled language server, wires
// the client's own commands, and shows the server's state. Everything else happens in the server.
import * as vscode from 'vscode';
import { CLIENT_COMMANDS } from './commandIds';
import { FINDINGS_VIEW, FindingsTree } from './findingsTree';
import { registerClientCommands } from './commands';
import { LanguageServer } from './languageServer';
import { WATCHED_FILE_GLOBS, isScriptDocument } from './scriptDocuments';
import { ServerStatusItem } from './statusItem';

let server: LanguageServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Context & Pool Lint', { log: true });
  const status = new ServerStatusItem(CLIENT_COMMANDS.showOutput);
  // Created once and shared by every client instance: a restart builds a new client, and the
  // client only hooks listeners onto watchers, it never disposes them.
  const watchers = WATCHED_FILE_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  server = new LanguageServer(context.extensionPath, output, watchers, status);
  const findings = new FindingsTree();
  context.subscriptions.push(output, status, findings, vscode.window.registerTreeDataProvider(FINDINGS_VIEW, findings), ...watchers, ...registerClientCommands(server, status, output));

  // Activated by a command (e.g. "Scan Workspace" in an empty window): VS Code runs the command as
  // soon as activation ends, and the server's commands exist only once the server has started.
  if (!vscode.workspace.textDocuments.some(isScriptDocument)) {
    await server.start();
    return;
  }
  // Activated by opening a TS/JS file: return at once and start the server right after, so
  // loading the language client and spawning the server don't count against activation (or
  // hold up the editor); diagnostics follow when the server is up.
  const starting = server;
  setImmediate(() => void starting.start());
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
