import {
  WorkDoneProgressReporter,
  type CancellationToken,
  type ClientCapabilities,
  type ExecuteCommandParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID, docsUrl } from '../core';
import { FIX_ALL_TITLE, toLspEdit } from './codeActions';
import type { ServerContext } from './context';
import type { DocumentLinter } from './documentLinter';
import { Commands } from './protocol';
import type { WorkspaceScanner } from './workspaceScan';

/** `workspace/executeCommand` for the commands in `protocol.ts`. */
export class CommandHandler {
  constructor(
    private readonly ctx: ServerContext,
    private readonly linter: DocumentLinter,
    private readonly scanner: WorkspaceScanner,
    private readonly clientCapabilities: () => ClientCapabilities,
  ) {}

  async execute(params: ExecuteCommandParams, token: CancellationToken, workDone: WorkDoneProgressReporter): Promise<unknown> {
    const args = params.arguments ?? [];
    switch (params.command) {
      case Commands.scanWorkspace:
        return this.#scanWorkspace(token, workDone);
      case Commands.applyFixAll:
        return this.#applyFixAll(args[0]);
      case Commands.showDocumentation:
        return this.#showDocumentation(args[0]);
      default:
        this.ctx.connection.console.warn(`Unknown command ${params.command}`);
        return null;
    }
  }

  async #scanWorkspace(token: CancellationToken, workDone: WorkDoneProgressReporter) {
    if (!WorkDoneProgressReporter.isNullInstance(workDone)) return this.scanner.scan([token], workDone);
    // The client gave no progress token (VS Code's executeCommand never does): make our own,
    // which the client can cancel with window/workDoneProgress/cancel.
    let progress: WorkDoneProgressReporter = workDone;
    let progressToken: CancellationToken | undefined;
    try {
      const created = await this.ctx.connection.window.createWorkDoneProgress();
      progress = created;
      progressToken = created.token;
    } catch (error) {
      this.ctx.connection.console.warn(`No progress for the scan: ${String(error)}`);
    }
    return this.scanner.scan([token, progressToken], progress);
  }

  async #applyFixAll(uri: unknown): Promise<{ applied: boolean }> {
    if (typeof uri !== 'string') {
      this.ctx.connection.console.warn(`${Commands.applyFixAll} needs a document URI argument.`);
      return { applied: false };
    }
    const fix = await this.linter.fixAllEdit(uri);
    if (!fix) return { applied: false };
    const edits = [toLspEdit(TextDocument.create(uri, 'plaintext', 0, fix.before), fix.edit)];
    const { version } = fix;
    const versioned = version !== undefined && this.clientCapabilities().workspace?.workspaceEdit?.documentChanges === true;
    const result = await this.ctx.connection.workspace.applyEdit({
      label: FIX_ALL_TITLE,
      // Versioned when the document is open: the client refuses the edit if the user typed since.
      edit: versioned ? { documentChanges: [{ textDocument: { uri, version }, edits }] } : { changes: { [uri]: edits } },
    });
    if (!result.applied && result.failureReason) this.ctx.connection.console.warn(`Fix all was not applied: ${result.failureReason}`);
    return { applied: result.applied };
  }

  async #showDocumentation(ruleId: unknown): Promise<{ success: boolean }> {
    if (typeof ruleId !== 'string' || !RULES_BY_ID.has(ruleId)) {
      this.ctx.connection.console.warn(`${Commands.showDocumentation}: unknown rule ${JSON.stringify(ruleId)}`);
      return { success: false };
    }
    const uri = docsUrl(ruleId);
    if (!this.clientCapabilities().window?.showDocument?.support) {
      this.ctx.connection.window.showInformationMessage(`Documentation for ${ruleId}: ${uri}`);
      return { success: true };
    }
    return this.ctx.connection.window.showDocument({ uri, external: true });
  }
}
