import type { NextFunction, Request, Response } from 'express';

/**
 * Gives downstream handlers `res.locals.deadline`, a signal that aborts after `ms`, so slow
 * upstream calls are cut off.
 */
export function deadline(ms: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    res.locals.deadline = controller.signal;
    try {
      next();
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  };
}
