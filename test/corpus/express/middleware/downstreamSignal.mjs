// Cancellation signals for the route handlers, attached by middleware (ESM).
import { setTimeout as delay } from 'node:timers/promises';

/** Wrong: the finally runs as soon as next() returns, before any route awaited anything. */
export function withCancellation() {
  return (req, res, next) => {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), 15_000);
    req.signal = controller.signal;
    try {
      next();
    } catch (err) {
      next(err);
    } finally {
      clearTimeout(deadline);
      controller.abort(); // expect: abort-before-downstream
    }
  };
}

/** Wrong: the signal put on res.locals is cancelled synchronously after next(). */
export function lockSignal(req, res, next) {
  const lock = new AbortController();
  res.locals.lockSignal = lock.signal;
  next();
  lock.abort(); // expect: abort-before-downstream
}

/** Correct: the abort and the timer clean-up move to the response's close. */
export function withCancellationOnClose() {
  return (req, res, next) => {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), 15_000);
    req.signal = controller.signal;
    res.once('close', () => {
      clearTimeout(deadline);
      controller.abort();
    });
    next();
  };
}

/** Correct: an async route awaiting its own work; the abort after it is the route's business. */
export async function slowEcho(req, res) {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  await delay(100, undefined, { signal: controller.signal });
  res.json({ echo: req.query.q ?? null });
  controller.abort();
}
