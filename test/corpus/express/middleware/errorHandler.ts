// Last middleware of the chain: logs, reports 5xx to the incident webhook and answers JSON.
import type { ErrorRequestHandler } from 'express';
import { logger } from '../../lib/logger.js';

const INCIDENT_WEBHOOK = process.env.INCIDENT_WEBHOOK_URL;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = err instanceof HttpError ? err.status : 500;
  const message = status < 500 ? String(err.message) : 'internal error';
  logger.error('request failed', { path: req.path, status, err: String(err?.stack ?? err) });
  if (status >= 500 && INCIDENT_WEBHOOK) {
    fetch(INCIDENT_WEBHOOK, { // expect: unawaited-background-work, missing-cancellation-signal
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: req.path, requestId: res.locals.requestId, error: String(err) }),
    });
  }
  if (res.headersSent) return;
  res.status(status).json({ error: message, requestId: res.locals.requestId });
};
