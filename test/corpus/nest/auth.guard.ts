// NestJS guards: API keys for partners, and a registry of open admin sessions.
import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { pool } from '../lib/db.js';

@Injectable()
export class SessionRegistry {
  private readonly open = new Map<string, Request>();
  private readonly tokens = new Map<string, number>();

  /** Called by the guard with the request: keeps it, and nothing ever removes it. */
  register(sessionId: string, req: Request): void {
    this.open.set(sessionId, req); // expect: request-object-escapes, unbounded-request-store
  }

  /** Correct: primitives only, and expired entries are swept. */
  touch(token: string): void {
    this.tokens.set(token, Date.now());
  }

  sweep(maxAgeMs: number): void {
    const cutoff = Date.now() - maxAgeMs;
    for (const [token, at] of this.tokens) if (at < cutoff) this.tokens.delete(token);
  }

  count(): number {
    return this.open.size + this.tokens.size;
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private lastKey = '';
  private checks = 0;

  constructor(private readonly sessions: SessionRegistry) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') throw new UnauthorizedException();
    this.checks++;
    this.lastKey = key; // expect: request-state-in-module-variable
    const { rows } = await pool.query<{ partner: string }>('SELECT partner FROM api_keys WHERE key = $1', [key]);
    if (rows.length === 0) throw new UnauthorizedException();
    const sessionId = req.headers['x-session-id'];
    if (typeof sessionId === 'string') this.sessions.register(sessionId, req);
    this.sessions.touch(key);
    return true;
  }

  lastChecked(): string {
    return `${this.checks} checks, last key ${this.lastKey.slice(0, 4)}…`;
  }
}
