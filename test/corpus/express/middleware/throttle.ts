// In-process throttling for the public endpoints (per instance; the edge does the global limit).
import type { RequestHandler } from 'express';

interface Throttle extends RequestHandler {
  close(): void;
}

/** Wrong: the reset timer of every throttle ever built keeps running, and keeps its map alive. */
export function throttle(limit: number, windowMs = 60_000): RequestHandler {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), windowMs); // expect: factory-timer-leak
  return (req, res, next) => {
    const key = req.ip ?? 'unknown';
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    if (count > limit) {
      res.status(429).json({ error: 'slow down' });
      return;
    }
    next();
  };
}

/** Correct: the timer does not keep the process alive and can be stopped. */
export function stoppableThrottle(limit: number, windowMs = 60_000): Throttle {
  const hits = new Map<string, number>();
  const reset = setInterval(() => hits.clear(), windowMs);
  reset.unref();
  const middleware: RequestHandler = (req, res, next) => {
    const key = req.ip ?? 'unknown';
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    if (count > limit) {
      res.status(429).json({ error: 'slow down' });
      return;
    }
    next();
  };
  return Object.assign(middleware, { close: () => clearInterval(reset) });
}

/** Wrong: a self-rescheduling sampler started by the factory, never stoppable. */
export function sampledLogging(rate: number): RequestHandler {
  let sampleNext = false;
  (function schedule() {
    setTimeout(() => { // expect: factory-timer-leak
      sampleNext = Math.random() < rate;
      schedule();
    }, 1_000);
  })();
  return (req, _res, next) => {
    if (sampleNext) console.log(req.method, req.originalUrl);
    next();
  };
}
