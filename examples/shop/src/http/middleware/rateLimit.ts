import type { NextFunction, Request, Response } from 'express';

export interface RateLimitOptions {
  perMinute: number;
}

/** At most `perMinute` requests per client address and minute. */
export function rateLimit(options: RateLimitOptions) {
  const hits = new Map<string, number>();
  setInterval(() => hits.clear(), 60_000);

  return (req: Request, res: Response, next: NextFunction): void => {
    const client = req.ip ?? 'unknown';
    const count = (hits.get(client) ?? 0) + 1;
    hits.set(client, count);
    if (count > options.perMinute) {
      res.status(429).json({ error: 'too many requests' });
      return;
    }
    next();
  };
}
