import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileResult } from '../core';
import type { PublishedDiagnostics } from './publishedDiagnostics';
import type { SettingsStore } from './settings';
import type { StatusReporter } from './status';
import type { UriSpelling } from './uris';
import type { WorkspaceAnalyzers } from './workspaceAnalyzers';

/** The server's long-lived parts, handed to each feature module. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyzers: WorkspaceAnalyzers;
  settings: SettingsStore;
  published: PublishedDiagnostics;
  status: StatusReporter;
  uris: UriSpelling;
}

/** Results already logged: the analyser returns the same object for unchanged text, which needs saying once. */
const logged = new WeakSet<FileResult>();

/** Logs what the user should know about one file's analysis and keeps the status's skipped list current. */
export function noteFileResult(ctx: ServerContext, result: FileResult): void {
  if (result.skipped) {
    if (ctx.status.skipped(result.fileName, result.skipped)) {
      ctx.connection.console.info(`Not analysed: ${result.fileName}: ${result.skipped}`);
    }
  } else {
    ctx.status.notSkipped(result.fileName);
  }
  if (logged.has(result)) return;
  logged.add(result);
  for (const error of result.ruleErrors ?? []) {
    ctx.connection.console.error(`Rule ${error.rule} failed on ${result.fileName} (its other findings are shown): ${error.message}`);
  }
}
