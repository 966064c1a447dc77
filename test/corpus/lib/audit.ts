// Audit trail. Called with plain event objects (never with request objects), so nothing in here
// runs as a request scope.
import { query } from './db.js';
import { logger } from './logger.js';

export interface AuditEvent {
  actor: string;
  action: string;
  target?: string;
  meta?: Record<string, unknown>;
}

export async function recordAudit(event: AuditEvent): Promise<void> {
  await query('INSERT INTO audit_log (actor, action, target, meta) VALUES ($1, $2, $3, $4)', [
    event.actor,
    event.action,
    event.target ?? null,
    JSON.stringify(event.meta ?? {}),
  ]);
}

export async function recordAuditBatch(events: AuditEvent[]): Promise<void> {
  for (const event of events) {
    await recordAudit(event);
  }
  logger.debug('audit batch written', { count: events.length });
}
