// Server-sent-events helpers shared by the Express live routes.
import type { Response } from 'express';

/** Two calls deep from the handler: the keep-alive interval is never cleared. */
function keepAlive(res: Response, everyMs: number): void {
  setInterval(() => res.write(': keep-alive\n\n'), everyMs); // expect: timer-without-cleanup
}

/** Called by the handler with `res`: opens the stream and starts the keep-alive. */
export function openEventStream(res: Response): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  keepAlive(res, 20_000);
}

/** Correct: returns a stop function that the caller wires to close. */
export function openStoppableStream(res: Response): () => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
  return () => clearInterval(beat);
}

export function sendEvent(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
