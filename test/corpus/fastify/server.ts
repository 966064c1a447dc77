// Back-office API on Fastify: plugins, hooks and start-up.
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { pool } from '../lib/db.js';
import { logger } from '../lib/logger.js';
import { recordAudit } from '../lib/audit.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { flush, increment } from '../lib/metrics.js';
import searchPlugin from './plugins/search.js';
import { paymentsPlugin } from './plugins/payments.js';
import { exportsPlugin } from './plugins/exports.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import health from './plugins/health.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import notifications from './plugins/notifications.mjs';

const fastify = Fastify({ logger: false, genReqId: () => randomUUID() });
const GATEWAY = process.env.METRICS_GATEWAY ?? 'http://metrics.internal/push';

async function rememberRequest(id: string, url: string): Promise<void> {
  await pool.query('INSERT INTO request_log (id, url) VALUES ($1, $2)', [id, url]);
}

fastify.addHook('onRequest', async (request) => {
  increment('fastify.requests');
  request.log.debug({ url: request.url }, 'incoming');
});

fastify.addHook('preHandler', (request, reply, done) => {
  if (request.method !== 'GET') {
    rememberRequest(request.id, request.url); // expect: unawaited-background-work
  }
  done();
});

fastify.addHook('onResponse', async (request, reply) => {
  if (reply.statusCode >= 500) {
    recordAudit({ actor: 'system', action: 'http.5xx', target: request.url }).catch((err) => logger.warn('audit failed', err));
  }
  flush(GATEWAY); // expect: unawaited-background-work
});

fastify.addHook('onError', async (request, reply, error) => {
  await pool.query('INSERT INTO error_reports (path, message, at) VALUES ($1, $2, now())', [request.url, error.message]);
});

fastify.addHook('onClose', async () => {
  logger.info('closing pool');
  pool.end();
});

fastify.register(searchPlugin);
fastify.register(paymentsPlugin, { prefix: '/finance' });
fastify.register(exportsPlugin, { prefix: '/exports' });
fastify.register(health);
fastify.register(notifications, { prefix: '/push' });

fastify.get('/me', async (request, reply) => {
  const userId = request.headers['x-user-id'];
  if (!userId) return reply.code(401).send({ error: 'anonymous' });
  const { rows } = await pool.query('SELECT id, name FROM users WHERE id = $1', [userId]);
  reply.send(rows[0] ?? null);
});

async function main(): Promise<void> {
  await fastify.listen({ port: Number(process.env.PORT ?? 5000), host: '0.0.0.0' });
  logger.info('back office up');
}

main().catch((err) => {
  logger.error('failed to start', err);
  process.exit(1);
});
