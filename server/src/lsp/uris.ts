import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file a `file:` URI names, or undefined for other schemes (untitled buffers, virtual files). */
export function fileOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** A comparable key for a path: the analyser's own spelling (resolved, forward slashes). */
export function pathKey(file: string): string {
  return path.resolve(file).replace(/\\/g, '/');
}

/**
 * URIs for files. Clients spell file URIs in their own way (VS Code writes `file:///c%3A/...` on
 * Windows), and diagnostics must be published under the URI the client used for an open document,
 * so the URIs clients sent are remembered and reused; other files get Node's spelling.
 */
export class UriSpelling {
  readonly #clientUris = new Map<string, string>();

  remember(uri: string): void {
    const file = fileOfUri(uri);
    if (file) this.#clientUris.set(pathKey(file), uri);
  }

  forget(uri: string): void {
    const file = fileOfUri(uri);
    if (file && this.#clientUris.get(pathKey(file)) === uri) this.#clientUris.delete(pathKey(file));
  }

  uriOf(file: string): string {
    return this.#clientUris.get(pathKey(file)) ?? pathToFileURL(path.resolve(file)).href;
  }
}
