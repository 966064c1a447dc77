import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorHandler, LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';
import { SERVER_COMMANDS } from './commandIds';
import { SCRIPT_DOCUMENTS, isScriptDocument } from './scriptDocuments';
import { STATUS_NOTIFICATION, type ConnectionState, type StatusParams } from './serverStatus';
import { reportScan } from './scanReport';

type Library = typeof import('./languageClientLibrary');
let library: Library | undefined;

/**
 * The language client library, loaded when the server is first started rather than when the
 * extension loads (see languageClientLibrary.ts). The bundle sits next to this one in dist/.
 */
function lc(): Library {
  library ??= require('./languageClient.js') as Library;
  return library;
}

/** The client id doubles as the settings section: the client reads `<id>.trace.server`. */
const CLIENT_ID = 'contextPoolLint';
const CLIENT_NAME = 'Context & Pool Lint';

export interface ServerEvents {
  connectionChanged(state: ConnectionState): void;
  serverReported(status: StatusParams): void;
  serverErrored(): void;
}

/**
 * Owns the language client: starts the bundled server, restarts it on request, and turns the
 * client's lifecycle into the few states the status item shows. A failed start leaves a client
 * that cannot be started again, so a restart always builds a new one.
 */
export class LanguageServer implements vscode.Disposable {
  readonly #serverModule: string;
  readonly #output: vscode.LogOutputChannel;
  readonly #watchers: vscode.FileSystemWatcher[];
  readonly #events: ServerEvents;
  #client: LanguageClient | undefined;
  #clientSubscriptions: vscode.Disposable[] = [];
  #started: Promise<void> = Promise.resolve();
  #lifecycle: Promise<void> = Promise.resolve();
  /** Set when the error handler gave up on a crashing server, so "stopped" reads as "error". */
  #gaveUp = false;

  constructor(
    extensionPath: string,
    output: vscode.LogOutputChannel,
    watchers: vscode.FileSystemWatcher[],
    events: ServerEvents,
  ) {
    this.#serverModule = path.join(extensionPath, 'dist', 'server.js');
    this.#output = output;
    this.#watchers = watchers;
    this.#events = events;
  }

  /** Starts the server. The promise settles once it runs or has failed; it never rejects. */
  start(): Promise<void> {
    const client = this.#createClient();
    this.#client = client;
    this.#gaveUp = false;
    this.#started = client.start().catch((error: unknown) => {
      this.#output.error(`${CLIENT_NAME} server failed to start`, error);
      this.#events.serverErrored();
    });
    return this.#started;
  }

  /** Restarts run one after another: two at once would start two servers. */
  restart(): Promise<void> {
    return this.#serialize(async () => {
      await this.#disposeClient();
      await this.start();
    });
  }

  /** Waits for a pending start; true when the server is up. */
  async ready(): Promise<boolean> {
    await this.#started;
    return this.#client?.isRunning() ?? false;
  }

  dispose(): Promise<void> {
    return this.#serialize(() => this.#disposeClient());
  }

  #serialize(step: () => Promise<void>): Promise<void> {
    const next = this.#lifecycle.then(step);
    this.#lifecycle = next.catch(() => undefined);
    return next;
  }

  #createClient(): LanguageClient {
    const serverOptions: ServerOptions = {
      run: { module: this.#serverModule, transport: lc().TransportKind.ipc },
      debug: {
        module: this.#serverModule,
        transport: lc().TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const errorHandler = this.#errorHandler(() => client);
    const clientOptions: LanguageClientOptions = {
      documentSelector: SCRIPT_DOCUMENTS,
      synchronize: { fileEvents: this.#watchers },
      outputChannel: this.#output,
      errorHandler,
      middleware: {
        executeCommand: async (command, args, next) => {
          const result: unknown = await next(command, commandArguments(command, args));
          if (command === SERVER_COMMANDS.scanWorkspace) reportScan(result);
          return result;
        },
      },
    };
    const client = new (lc().LanguageClient)(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.#clientSubscriptions = [
      client.onDidChangeState(({ newState }) => this.#events.connectionChanged(this.#connectionState(newState))),
      client.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => this.#events.serverReported(status)),
    ];
    return client;
  }

  /** The default restart policy, plus a record of every failure for the status item. */
  #errorHandler(client: () => LanguageClient): ErrorHandler {
    let fallback: ErrorHandler | undefined;
    const defaults = (): ErrorHandler => (fallback ??= client().createDefaultErrorHandler());
    return {
      error: async (error, message, count) => {
        const result = await defaults().error(error, message, count);
        if (result.action === lc().ErrorAction.Shutdown) this.#events.serverErrored();
        return result;
      },
      closed: async () => {
        this.#events.serverErrored();
        const result = await defaults().closed();
        if (result.action === lc().CloseAction.DoNotRestart) this.#gaveUp = true;
        return result;
      },
    };
  }

  #connectionState(state: State): ConnectionState {
    const { State: states } = lc();
    switch (state) {
      case states.Starting:
        return 'starting';
      case states.Running:
        return 'running';
      case states.StartFailed:
        return 'error';
      case states.Stopped:
        return this.#gaveUp ? 'error' : 'stopped';
    }
  }

  async #disposeClient(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    // A client can only be stopped once it has finished starting.
    await this.#started;
    try {
      if (client.isRunning()) await client.dispose();
    } catch (error) {
      this.#output.warn('Stopping the server failed', error);
    }
    for (const subscription of this.#clientSubscriptions) subscription.dispose();
    this.#clientSubscriptions = [];
    this.#events.connectionChanged('stopped');
  }
}

/**
 * Server commands take plain JSON arguments, but VS Code callers (keybindings, other extensions)
 * pass `Uri` objects or nothing at all: send URIs as strings, and let "apply fix-all" default to
 * the active editor.
 */
function commandArguments(command: string, args: unknown[]): unknown[] {
  if (command === SERVER_COMMANDS.applyFixAll && args.length === 0) {
    const document = vscode.window.activeTextEditor?.document;
    return document && isScriptDocument(document) ? [document.uri.toString()] : args;
  }
  return args.map((arg) => (arg instanceof vscode.Uri ? arg.toString() : arg));
}
