import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { serverCapabilities, WATCHED_GLOBS } from './capabilities';
import { codeActions } from './codeActions';
import { CommandHandler } from './commands';
import type { ServerContext } from './context';
import { DocumentLinter } from './documentLinter';
import { guard, logError } from './guard';
import { hoverFor } from './hover';
import { SETTINGS_SECTION, STATUS_NOTIFICATION } from './protocol';
import { PublishedDiagnostics } from './publishedDiagnostics';
import { SettingsStore } from './settings';
import { StatusReporter } from './status';
import { fileOfUri, UriSpelling } from './uris';
import { WorkspaceAnalyzers } from './workspaceAnalyzers';
import { WorkspaceScanner } from './workspaceScan';

const CONFIG_FILES = new Set(['tsconfig.json', 'jsconfig.json']);

/**
 * Wires the protocol to the analysis core. Every handler is guarded: an exception is logged and
 * the request answered with an empty result, so the server outlives whatever the user types.
 */
export function startServer(connection: Connection): void {
  const log = connection.console;
  let client: ClientCapabilities = {};
  const documents = new TextDocuments(TextDocument);
  const uris = new UriSpelling();
  const analyzers = new WorkspaceAnalyzers();
  const published = new PublishedDiagnostics(connection, uris);
  const ctx: ServerContext = {
    connection,
    documents,
    analyzers,
    settings: new SettingsStore(connection, () => client.workspace?.configuration === true),
    published,
    status: new StatusReporter(
      (params) => void connection.sendNotification(STATUS_NOTIFICATION, params).catch(() => undefined),
      () => published.totalFindings,
    ),
    uris,
  };
  const linter = new DocumentLinter(ctx);
  const scanner = new WorkspaceScanner(ctx, linter);
  const commands = new CommandHandler(ctx, linter, scanner, () => client);
  /** Documents seen opening; `onDidChangeContent` fires for opening too, and an open is handled apart. */
  const known = new Set<string>();

  const openFiles = () => documents.all().map((d) => fileOfUri(d.uri)).filter((f): f is string => f !== undefined);
  const relintOpenDocuments = () => Promise.all(documents.all().map((d) => linter.lintNow(d.uri)));

  connection.onInitialize((params: InitializeParams) => {
    client = params.capabilities;
    analyzers.setFolders(initialFolders(params));
    return { capabilities: serverCapabilities(), serverInfo: { name: 'context-pool-lint' } };
  });

  connection.onInitialized(
    guard(log, 'Initialisation', undefined, async () => {
      if (client.workspace?.didChangeConfiguration?.dynamicRegistration) {
        // Asks the client to announce changes of our section; the values are then pulled per resource.
        await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      if (client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
        });
      }
      if (client.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          analyzers.addFolders(event.added.map((f) => f.uri), event.removed.map((f) => f.uri));
        });
      }
    }),
  );

  documents.onDidChangeContent(
    guard(log, 'Document change', undefined, async ({ document }) => {
      const { uri } = document;
      if (known.has(uri)) return linter.changed(uri);
      known.add(uri);
      const file = fileOfUri(uri);
      if (file) {
        // A scan may have published this file under another spelling of its URI.
        const previousUri = uris.uriOf(file);
        uris.remember(uri);
        if (previousUri !== uri) published.clear(previousUri);
      }
      await linter.opened(uri);
    }),
  );

  documents.onDidSave(guard(log, 'Document save', undefined, ({ document }) => linter.saved(document.uri)));

  documents.onDidClose(
    guard(log, 'Document close', undefined, async ({ document }) => {
      const { uri } = document;
      known.delete(uri);
      linter.closed(uri);
      ctx.settings.forget(uri);
      const file = fileOfUri(uri);
      published.clear(uri);
      if (file) {
        analyzers.existingAnalyzerFor(file)?.closeFile(file);
        ctx.status.notSkipped(file);
        uris.forget(uri);
        analyzers.releaseLooseAnalyzers(openFiles());
        // The file's state on disk is what a scan reported; show that again.
        await scanner.refreshFile(file);
      }
      ctx.status.findingsChanged();
    }),
  );

  connection.onDidChangeConfiguration(
    guard(log, 'Configuration change', undefined, async (params) => {
      ctx.settings.invalidate(params.settings);
      linter.settingsChanged();
      await relintOpenDocuments();
      await scanner.refreshAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard(log, 'File change', undefined, async (params: DidChangeWatchedFilesParams) => {
      let configChanged = false;
      for (const change of params.changes) {
        const file = fileOfUri(change.uri);
        if (!file) continue;
        if (CONFIG_FILES.has(path.basename(file))) {
          configChanged = true;
          continue;
        }
        analyzers.existingAnalyzerFor(file)?.fileChangedOnDisk(file);
        if (change.type === FileChangeType.Deleted) scanner.forget(file);
        else await scanner.refreshFile(file);
      }
      if (configChanged) {
        // Compiler options are read when an Analyzer is made: start over with fresh ones.
        for (const root of analyzers.roots()) analyzers.reset(root);
        linter.resyncAll();
        await relintOpenDocuments();
        await scanner.refreshAll();
      }
      ctx.status.findingsChanged();
    }),
  );

  connection.onCodeAction(
    guard(log, 'Code actions', [], async (params) => {
      const { uri } = params.textDocument;
      if (!documents.get(uri)) return [];
      const settings = await ctx.settings.get(uri);
      const result = await linter.currentResult(uri);
      const document = documents.get(uri);
      if (!result || !document || result.version !== document.version) return [];
      return codeActions({
        document,
        findings: result.findings,
        diagnostics: params.context.diagnostics,
        only: params.context.only,
        fixAll: () => linter.fixAllEditWith(uri, settings)?.edit,
      });
    }),
  );

  connection.onHover(
    guard(log, 'Hover', null, (params) => {
      const { uri } = params.textDocument;
      const result = ctx.published.get(uri);
      const document = documents.get(uri);
      // Only what the editor shows now: a result for an older version would point at moved text.
      if (!result || !document || result.version !== document.version) return null;
      return hoverFor(result.findings, params.position);
    }),
  );

  connection.onExecuteCommand(
    guard(log, 'Command', null, (params, token, workDone) => commands.execute(params, token, workDone)),
  );

  connection.onShutdown(() => {
    scanner.cancel();
    linter.dispose();
  });

  documents.listen(connection);
  connection.listen();

  process.on('uncaughtException', (error) => logError(log, 'An unexpected error', error));
  process.on('unhandledRejection', (error) => logError(log, 'An unexpected rejection', error));
}

function initialFolders(params: InitializeParams): string[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders.map((f) => f.uri);
  if (params.rootUri) return [params.rootUri];
  if (params.rootPath) return [pathToFileURL(params.rootPath).href];
  return [];
}
