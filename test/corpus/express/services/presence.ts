// Who is online, for the admin presence widget. Called from the session controller with the request.
import type { Request } from 'express';

interface Presence {
  userId: string;
  lastSeen: number;
  userAgent: string;
}

const online = new Map<string, Presence>();
const loginRequests = new Map<string, Request>();

/** Helper called with `req`: keeps the whole request object, forever. */
export function rememberLogin(req: Request, userId: string): void {
  loginRequests.set(userId, req); // expect: request-object-escapes, unbounded-request-store
}

/** Helper called with `req`: copies primitives, and the sweep below shrinks the map. */
export function touchPresence(req: Request): void {
  const userId = String(req.headers['x-user-id'] ?? '');
  if (!userId) return;
  online.set(userId, { userId, lastSeen: Date.now(), userAgent: String(req.headers['user-agent'] ?? '') });
}

export function sweepPresence(maxAgeMs: number): void {
  const cutoff = Date.now() - maxAgeMs;
  for (const [id, p] of online) if (p.lastSeen < cutoff) online.delete(id);
}

export function loginRequestCount(): number {
  return loginRequests.size;
}
