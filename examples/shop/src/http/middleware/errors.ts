import type { ErrorRequestHandler } from 'express';
import { PaymentDeclinedError } from '../../lib/payments';

/** The last middleware: turns thrown errors into JSON answers. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    // Express closes the connection for us; a second answer would throw.
    next(err);
    return;
  }
  if (err instanceof PaymentDeclinedError) {
    res.status(402).json({ error: err.message });
    return;
  }
  if (err instanceof Error && err.name === 'AbortError') {
    // The client went away and the work was cancelled: nobody reads this answer.
    res.status(499).end();
    return;
  }
  console.error(`unhandled error on ${req.method} ${req.originalUrl}`, err);
  res.status(500).json({ error: 'internal error' });
};
