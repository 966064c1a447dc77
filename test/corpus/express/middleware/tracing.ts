// Request tracing: a trace id per request, available to every log line through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface TraceStore {
  traceId: string;
  route: string;
  startedAt: number;
}

export const traceStorage = new AsyncLocalStorage<TraceStore>();

export function currentTraceId(): string | undefined {
  return traceStorage.getStore()?.traceId;
}

/** Correct: the rest of the chain runs inside `run`, and the store ends with it. */
export function tracing() {
  return (req: Request, res: Response, next: NextFunction) => {
    const traceId = req.get('x-trace-id') ?? randomUUID();
    res.setHeader('x-trace-id', traceId);
    traceStorage.run({ traceId, route: req.path, startedAt: Date.now() }, () => next());
  };
}

/** Legacy variant kept for the internal admin app. */
export function legacyTracing(req: Request, res: Response, next: NextFunction): void {
  const traceId = req.get('x-trace-id') ?? randomUUID();
  res.setHeader('x-trace-id', traceId);
  traceStorage.enterWith({ traceId, route: req.path, startedAt: Date.now() }); // expect: als-enter-with
  next();
}

// Start-up: the boot sequence gets its own store once; no request is involved.
traceStorage.enterWith({ traceId: 'boot', route: '(startup)', startedAt: Date.now() });
