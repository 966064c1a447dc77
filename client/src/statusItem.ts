import * as vscode from 'vscode';
import { SCRIPT_DOCUMENTS } from './scriptDocuments';
import { presentStatus, type ConnectionState, type StatusParams, type StatusView } from './serverStatus';

const SEVERITY = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
} as const;

/** The "{ }" language status entry shown for TypeScript/JavaScript editors. */
export class ServerStatusItem implements vscode.Disposable {
  readonly #item: vscode.LanguageStatusItem;
  #view: StatusView = { connection: 'stopped', serverError: false };

  constructor(showOutputCommand: string) {
    this.#item = vscode.languages.createLanguageStatusItem('contextPoolLint.status', SCRIPT_DOCUMENTS);
    this.#item.name = 'Context & Pool Lint';
    this.#item.command = { title: 'Show Output', command: showOutputCommand };
    this.#render();
  }

  connectionChanged(connection: ConnectionState): void {
    // A new server process has published nothing yet. An earlier crash stays visible until the
    // user restarts the server on purpose: an automatic restart does not mean all is well.
    const server = connection === 'starting' ? undefined : this.#view.server;
    this.#view = { ...this.#view, connection, server };
    this.#render();
  }

  restartRequested(): void {
    this.#view = { ...this.#view, serverError: false };
    this.#render();
  }

  serverReported(status: StatusParams): void {
    this.#view = { ...this.#view, server: status };
    this.#render();
  }

  serverErrored(): void {
    this.#view = { ...this.#view, serverError: true };
    this.#render();
  }

  dispose(): void {
    this.#item.dispose();
  }

  #render(): void {
    const presentation = presentStatus(this.#view);
    this.#item.text = presentation.text;
    this.#item.detail = presentation.detail;
    this.#item.busy = presentation.busy;
    this.#item.severity = SEVERITY[presentation.severity];
  }
}
