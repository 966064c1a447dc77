import type { Connection } from 'vscode-languageserver/node';
import type { Finding } from '../core';
import { toDiagnostic } from './diagnostics';
import type { UriSpelling } from './uris';

export interface AnalysisResult {
  uri: string;
  file: string;
  /** The document version analysed; undefined when the text came from disk. */
  version: number | undefined;
  findings: Finding[];
}

/**
 * What the client currently shows for each file, as findings: code actions read their fixes from
 * here instead of analysing again, and the status counts them.
 */
export class PublishedDiagnostics {
  readonly #results = new Map<string, AnalysisResult>();
  #total = 0;

  constructor(
    private readonly connection: Connection,
    private readonly uris: UriSpelling,
  ) {}

  get(uri: string): AnalysisResult | undefined {
    return this.#results.get(uri);
  }

  get totalFindings(): number {
    return this.#total;
  }

  publish(result: AnalysisResult): void {
    const previous = this.#results.get(result.uri);
    this.#total += result.findings.length - (previous?.findings.length ?? 0);
    this.#results.set(result.uri, result);
    const uriOf = (file: string) => this.uris.uriOf(file);
    this.connection.sendDiagnostics({
      uri: result.uri,
      ...(result.version !== undefined ? { version: result.version } : {}),
      diagnostics: result.findings.map((finding) => toDiagnostic(finding, uriOf)),
    });
  }

  /** Removes the file's diagnostics from the client (`version` when a document is what changed). */
  clear(uri: string, version?: number): void {
    const previous = this.#results.get(uri);
    if (!previous) return;
    this.#total -= previous.findings.length;
    this.#results.delete(uri);
    this.connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: [] });
  }
}
