// Health and readiness probes (CommonJS Fastify plugin).
'use strict';

const { pool } = require('../../lib/db.js');

const DEPENDENCIES = {
  search: process.env.OPENSEARCH_URL || 'http://opensearch.internal:9200',
  payments: process.env.PAYMENTS_URL || 'http://payments.internal',
};

module.exports = async function health(fastify) {
  fastify.get('/health', async () => ({ status: 'ok', uptime: process.uptime() }));

  fastify.get('/ready', async (request, reply) => {
    const checks = await Promise.allSettled(
      Object.entries(DEPENDENCIES).map(async ([name, url]) => {
        const answer = await fetch(`${url}/health`); // expect: missing-cancellation-signal
        return [name, answer.ok];
      }),
    );
    const db = await pool.query('SELECT 1').then(() => true, () => false);
    const ok = db && checks.every((c) => c.status === 'fulfilled' && c.value[1]);
    reply.code(ok ? 200 : 503).send({ db, checks: checks.map((c) => c.status) });
  });

  fastify.get('/live', (request, reply) => {
    reply.send({ live: true });
  });
};
