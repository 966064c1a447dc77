import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

export interface Trace {
  traceId: string;
  startedAt: number;
}

/** The current request's trace, for log lines written deep inside repositories. */
export const traces = new AsyncLocalStorage<Trace>();

export function tracing(req: Request, res: Response, next: NextFunction): void {
  const traceId = req.get('x-trace-id') ?? randomUUID();
  res.setHeader('x-trace-id', traceId);
  traces.enterWith({ traceId, startedAt: Date.now() });
  next();
}

export function currentTraceId(): string | undefined {
  return traces.getStore()?.traceId;
}
