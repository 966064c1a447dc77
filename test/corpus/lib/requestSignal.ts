// A cancellation signal for frameworks without a native one: aborted when the client goes away
// before the response is finished.
import type { ServerResponse } from 'node:http';

export function signalFor(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The request's signal, with an upper bound on how long the work may take. */
export function withDeadline(signal: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
