// Per-request deadline handed to downstream handlers through res.locals.
'use strict';

const DEFAULT_BUDGET_MS = Number(process.env.REQUEST_BUDGET_MS || 10000);

/** Wrong: next() returns as soon as the route starts its async work, so this aborts it at once. */
function deadline(budgetMs = DEFAULT_BUDGET_MS) {
  return function deadlineMiddleware(req, res, next) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('deadline exceeded')), budgetMs);
    res.locals.signal = controller.signal;
    try {
      next();
    } finally {
      clearTimeout(timer);
      controller.abort(); // expect: abort-before-downstream
    }
  };
}

/** Correct: the abort waits for the response to close. */
function deadlineOnClose(budgetMs = DEFAULT_BUDGET_MS) {
  return function deadlineMiddleware(req, res, next) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('deadline exceeded')), budgetMs);
    res.locals.signal = controller.signal;
    res.once('close', () => {
      clearTimeout(timer);
      controller.abort();
    });
    next();
  };
}

/** Cancels downstream work for the upload routes; same mistake, without the try. */
function uploadCancellation(req, res, next) {
  const controller = new AbortController();
  req.uploadSignal = controller.signal;
  next();
  if (!res.headersSent) {
    controller.abort(); // expect: abort-before-downstream
  }
}

/** Correct: aborting before next() when the request is already rejected. */
function rejectOversized(limit) {
  return (req, res, next) => {
    const controller = new AbortController();
    req.uploadSignal = controller.signal;
    if (Number(req.headers['content-length'] || 0) > limit) {
      controller.abort();
      res.status(413).json({ error: 'payload too large' });
      return;
    }
    res.once('close', () => controller.abort());
    next();
  };
}

module.exports = { deadline, deadlineOnClose, uploadCancellation, rejectOversized };
