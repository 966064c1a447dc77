// API-key checks for the partner API and the internal endpoints.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { logger } from '../../lib/logger.js';

function verifySignature(req: Request, secret: string, next: NextFunction): void {
  const signature = req.get('x-signature');
  if (signature && signature.length === 64 && secret.length > 0) next();
  else next(Object.assign(new Error('bad signature'), { status: 401 }));
}

export function requireApiKey(keys: Set<string>): RequestHandler {
  return (req, res, next) => {
    const key = req.get('x-api-key');
    if (!key) {
      res.status(401);
      logger.warn('request without api key', { path: req.path });
      return; // expect: middleware-drops-request
    }
    if (!keys.has(key)) {
      res.status(403).json({ error: 'invalid api key' });
      return;
    }
    next();
  };
}

export function onlyInternal(req: Request, _res: Response, next: NextFunction): void {
  const ip = req.ip ?? '';
  if (ip.startsWith('10.') || ip === '127.0.0.1') { // expect: middleware-drops-request
    next();
  }
}

/** Correct: control is handed to the verifier with `next`. */
export function signedWebhook(secret: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') {
      res.sendStatus(405);
      return;
    }
    verifySignature(req, secret, next);
  };
}

/** Correct: every path responds, throws, or passes control on. */
export function partnerOnly(req: Request, res: Response, next: NextFunction): void {
  const partner = req.get('x-partner');
  if (partner === 'blocked') throw Object.assign(new Error('partner blocked'), { status: 403 });
  if (!partner) return void res.redirect('/partners/signup');
  next();
}

/** Correct: error middleware that delegates when the response has started. */
export function apiErrors(err: Error & { status?: number }, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  res.status(err.status ?? 500).json({ error: err.message });
}
