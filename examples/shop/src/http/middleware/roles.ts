import type { NextFunction, Request, Response } from 'express';

/** Lets only staff whose gateway-verified role is `role` through. */
export function requireRole(role: 'admin' | 'support') {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.get('x-staff-role') === role) {
      next();
    }
  };
}
