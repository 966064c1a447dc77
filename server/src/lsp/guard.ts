import type { RemoteConsole } from 'vscode-languageserver/node';

/**
 * Runs a handler so that nothing it throws (or rejects with) reaches the connection: the error is
 * logged and the handler's fallback answer is returned. Whatever the user types must not take the
 * server down or leave a request unanswered.
 */
export function guard<A extends unknown[], R>(
  console: RemoteConsole,
  name: string,
  fallback: R,
  handler: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      logError(console, name, error);
      return fallback;
    }
  };
}

export function logError(console: RemoteConsole, what: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`${what} failed: ${detail}`);
}

/** Lets queued messages (requests, cancellations) in between long-running work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
