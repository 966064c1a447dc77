// A scripted LSP client for the protocol tests: it starts the built server (dist/server.js) as a
// child process over stdio and talks to it the way an editor does, answering the server's
// requests (configuration, progress, registrations, edits, showDocument) like VS Code would.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CancellationTokenSource,
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  createMessageConnection,
  type ApplyWorkspaceEditParams,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type FileEvent,
  type Hover,
  type InitializeResult,
  type MessageConnection,
  type Position,
  type ProgressToken,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type ShowDocumentParams,
  type TextEdit,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ensureBundlesBuilt } from '../support/bundles';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The built server; CPL_TEST_SERVER_JS points the tests at another build of it (a packaged one, say). */
export const SERVER_JS = process.env.CPL_TEST_SERVER_JS ?? path.join(REPO_ROOT, 'dist', 'server.js');

/** What the client knows how to do: VS Code's answers to the capabilities the server looks at. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    executeCommand: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
  general: { positionEncodings: ['utf-16'] },
};

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StatusParams {
  state: 'analysing' | 'idle';
  findings: number;
  lastAnalysisMs?: number;
  lastAnalysisAt?: string;
  skipped?: { file: string; reason: string }[];
}

export interface StartOptions {
  /** Workspace folders as directories; the first is also the root. */
  folders: string[];
  capabilities?: ClientCapabilities;
  /** The `contextPoolLint` section for a resource (undefined scope: the window). */
  settings?: (scopeUri: string | undefined) => unknown;
}

/** Builds the bundles when they are missing or stale, unless the tests run against another build. */
export function ensureServerBuilt(): void {
  if (!process.env.CPL_TEST_SERVER_JS) ensureBundlesBuilt();
}


/** A scratch workspace in the OS temp folder: nothing resolves from node_modules there. */
export function makeTempWorkspace(files: Record<string, string | Buffer>): string {
  return writeWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-')), files);
}

/**
 * A scratch workspace inside the repository (test/.tmp-*), so `express`, `pg` and their types
 * resolve from the repository's node_modules, as in a real project.
 */
export function makeTypedWorkspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', '.tmp-lsp-'));
  return writeWorkspace(dir, {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, esModuleInterop: true, types: ['node'] },
    }),
    ...files,
  });
}

function writeWorkspace(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return fs.realpathSync(dir);
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** Applies LSP edits to a text, the way an editor does. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'typescript', 0, text), edits);
}

/** The edits a WorkspaceEdit makes to one document, whichever form the server chose. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const fromChanges = edit.changes?.[uri] ?? [];
  const fromDocumentChanges = (edit.documentChanges ?? []).flatMap((change) =>
    'textDocument' in change && change.textDocument.uri === uri ? (change.edits as TextEdit[]) : [],
  );
  return [...fromChanges, ...fromDocumentChanges];
}

/** How long a wait may take before the test fails with a description of what never happened. */
const WAIT_LIMIT_MS = 45_000;

export class LspTestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: { token: ProgressToken; value: ProgressValue }[] = [];
  readonly progressCreated: ProgressToken[] = [];
  readonly statuses: StatusParams[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly shownMessages: string[] = [];
  readonly editRequests: ApplyWorkspaceEditParams[] = [];
  readonly registrations: Registration[] = [];
  readonly logs: string[] = [];
  settings: (scopeUri: string | undefined) => unknown;
  /** What the client answers for `files.exclude` (VS Code's glob → true map). */
  filesExclude: Record<string, boolean> | null = null;
  /** Called after answering window/workDoneProgress/create (the cancellation test cancels there). */
  onProgressCreated: ((token: ProgressToken) => void) | undefined;
  initializeResult!: InitializeResult;

  readonly #documents = new Map<string, TextDocument>();
  readonly #waiters = new Set<() => void>();
  #stderr = '';
  #configurationHeld: Promise<void> | undefined;
  #exit: string | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    settings: (scopeUri: string | undefined) => unknown,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<LspTestClient> {
    ensureServerBuilt();
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection, options.settings ?? (() => ({})));
    client.#listen();
    connection.listen();
    const folders = options.folders.map((dir) => ({ uri: uriOf(dir), name: path.basename(dir) }));
    const initialized = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: options.capabilities ?? VSCODE_LIKE_CAPABILITIES,
    });
    // A server that dies on start never answers: say so instead of hanging.
    const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`server exited with ${code} before initializing:\n${client.#stderr}`))));
    died.catch(() => undefined);
    client.initializeResult = await Promise.race([initialized, died]);
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  #listen(): void {
    const { connection, child } = this;
    child.stderr!.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      this.#exit = `server exited (code ${code}, signal ${signal})`;
      this.#notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.#notify();
    });
    connection.onNotification('contextPoolLint/status', (params: StatusParams) => {
      this.statuses.push(params);
      this.#notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.#notify();
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shownMessages.push(params.message);
      this.#notify();
    });
    // Progress on tokens nobody registered a handler for: all of ours (the server's scans).
    connection.onUnhandledProgress((params) => {
      this.progress.push({ token: params.token, value: params.value as ProgressValue });
      this.#notify();
    });
    connection.onRequest(ConfigurationRequest.type, async (params) => {
      await this.#configurationHeld;
      return params.items.map((item) => (item.section === 'contextPoolLint' ? this.settings(item.scopeUri) : item.section === 'files.exclude' ? this.filesExclude : null));
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.progressCreated.push(params.token);
      // After the response has been written, so the server knows the token when the cancel arrives.
      if (this.onProgressCreated) setImmediate(() => this.onProgressCreated?.(params.token));
      this.#notify();
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.#notify();
    });
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      this.#notify();
      return { success: true };
    });
    connection.onRequest(ApplyWorkspaceEditRequest.type, async (params) => {
      this.editRequests.push(params);
      await this.applyWorkspaceEdit(params.edit);
      this.#notify();
      return { applied: true };
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves with the first non-undefined value of `check`, re-evaluated whenever the server says something. */
  waitFor<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        this.#waiters.delete(evaluate);
        clearTimeout(limit);
      };
      const evaluate = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          done();
          reject(error);
          return;
        }
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (this.#exit) {
          done();
          reject(new Error(`${this.#exit} while waiting for ${what}\n${this.#stderr}`));
        }
      };
      const limit = setTimeout(() => {
        done();
        reject(new Error(`gave up waiting for ${what}; last messages:\n${this.logs.slice(-10).join('\n')}\n${this.#stderr}`));
      }, WAIT_LIMIT_MS);
      this.#waiters.add(evaluate);
      evaluate();
    });
  }

  /**
   * Waits until the latest diagnostics published for `uri` satisfy `accept`, looking only at
   * publishes from index `since` of `published` on (take `published.length` before acting).
   */
  waitForDiagnostics(
    uri: string,
    accept: (params: PublishDiagnosticsParams) => boolean = () => true,
    since = 0,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri}`, () => {
      for (let i = this.published.length - 1; i >= since; i--) {
        const params = this.published[i];
        if (params.uri === uri) return accept(params) ? params : undefined;
      }
      return undefined;
    });
  }

  /** Diagnostics for the document's current version (the server publishes versions for open documents). */
  waitForCurrentDiagnostics(uri: string): Promise<Diagnostic[]> {
    const version = this.#documents.get(uri)?.version;
    return this.waitForDiagnostics(uri, (p) => p.version === version).then((p) => p.diagnostics);
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return this.published.findLast((p) => p.uri === uri);
  }

  text(uri: string): string {
    const document = this.#documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document.getText();
  }

  version(uri: string): number {
    return this.#documents.get(uri)?.version ?? -1;
  }

  async open(uri: string, text: string, languageId = languageIdOf(uri)): Promise<void> {
    this.#documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (one content change without a range); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const document = this.#documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const version = document.version + 1;
    this.#documents.set(uri, TextDocument.update(document, [{ text }], version));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Sends ranged edits as an incremental change, as editors do while typing. */
  async edit(uri: string, edits: TextEdit[]): Promise<number> {
    const document = this.#documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const version = document.version + 1;
    // Editors send changes in reverse document order, each against the text before it.
    const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    const contentChanges = ordered.map((e) => ({ range: e.range, text: e.newText }));
    this.#documents.set(uri, TextDocument.update(document, contentChanges, version));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
    return version;
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.#documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Applies an edit to open documents through didChange (like an editor) or to files on disk. */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    const uris = new Set([...Object.keys(edit.changes ?? {}), ...(edit.documentChanges ?? []).flatMap((c) => ('textDocument' in c ? [c.textDocument.uri] : []))]);
    for (const uri of uris) {
      const edits = editsFor(edit, uri);
      if (this.#documents.has(uri)) {
        await this.edit(uri, edits);
      } else {
        const file = new URL(uri);
        fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), edits));
      }
    }
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    return this.connection
      .sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } })
      .then((actions) => actions ?? []);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  executeCommand<T>(command: string, args: unknown[] = [], options: { workDoneToken?: ProgressToken; cancel?: CancellationTokenSource } = {}): Promise<T> {
    return this.connection.sendRequest(
      ExecuteCommandRequest.type,
      { command, arguments: args, ...(options.workDoneToken !== undefined ? { workDoneToken: options.workDoneToken } : {}) },
      options.cancel?.token,
    ) as Promise<T>;
  }

  /** Tells the server the configuration changed; it pulls the values through `settings`. */
  async settingsChanged(settings: (scopeUri: string | undefined) => unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /**
   * Leaves the server's workspace/configuration requests unanswered until the returned function is
   * called: a server waiting for its settings is a server at a known point, which is how the
   * cancellation tests cancel before any file is analysed without racing it.
   */
  holdConfiguration(): () => void {
    let release!: () => void;
    this.#configurationHeld = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.#configurationHeld = undefined;
      release();
    };
  }

  sendProgressCancel(token: ProgressToken): void {
    void this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  progressFor(token: ProgressToken): ProgressValue[] {
    return this.progress.filter((p) => p.token === token).map((p) => p.value);
  }

  async shutdown(): Promise<void> {
    if (!this.#exit) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
        await exited;
      } catch {
        this.child.kill();
      }
    }
    this.connection.dispose();
  }

  get stderr(): string {
    return this.#stderr;
  }
}

function languageIdOf(uri: string): string {
  if (/\.[mc]?tsx?$/.test(uri)) return uri.endsWith('x') ? 'typescriptreact' : 'typescript';
  return uri.endsWith('x') ? 'javascriptreact' : 'javascript';
}

/** A range covering every line of `text`: "give me all actions" as a client would ask. */
export function wholeRange(text: string): Range {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

export function isCodeAction(action: CodeAction | Command): action is CodeAction {
  return typeof (action as Command).command !== 'string';
}
