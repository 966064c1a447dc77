// Payouts: statements are uploaded to the bank's SFTP drop; payout rows live in Postgres.
import type { FastifyPluginAsync } from 'fastify';
import { sftpPool } from '../../pools/sftpPool.js';
import { pool } from '../../lib/db.js';
import { recordAudit } from '../../lib/audit.js';

interface PayoutParams {
  id: string;
}

export const paymentsPlugin: FastifyPluginAsync = async (fastify) => {
  fastify.route<{ Params: PayoutParams }>({
    method: 'POST',
    url: '/payouts/:id/submit',
    handler: async (request, reply) => {
      const { rows } = await pool.query<{ csv: string }>('SELECT csv FROM payouts WHERE id = $1', [request.params.id]);
      if (rows.length === 0) return reply.code(404).send({ error: 'unknown payout' });
      const conn = await sftpPool.acquire().promise; // expect: pool-resource-leak
      await conn.put(`payout-${request.params.id}.csv`, Buffer.from(rows[0]!.csv));
      sftpPool.release(conn);
      await pool.query("UPDATE payouts SET state = 'submitted' WHERE id = $1", [request.params.id]);
      reply.code(202).send({ submitted: true });
    },
  });

  fastify.get('/payouts/inbox', async () => {
    const conn = await sftpPool.acquire().promise;
    try {
      return { files: await conn.list() };
    } finally {
      sftpPool.release(conn);
    }
  });

  fastify.post<{ Params: PayoutParams }>('/payouts/:id/approve', async (request, reply) => {
    const approver = String(request.headers['x-user-id'] ?? 'unknown');
    await pool.query("UPDATE payouts SET state = 'approved', approved_by = $2 WHERE id = $1", [request.params.id, approver]);
    recordAudit({ actor: approver, action: 'payout.approve', target: request.params.id }); // expect: unawaited-background-work
    return reply.code(204).send();
  });

  fastify.post<{ Params: PayoutParams }>('/payouts/:id/retry', async (request, reply) => {
    const conn = await sftpPool.acquire().promise;
    try {
      conn.cwd = '/retries';
      await conn.put(`payout-${request.params.id}.csv`, Buffer.alloc(0));
    } finally {
      sftpPool.release(conn); // expect: pooled-object-not-reset
    }
    reply.send({ retried: true });
  });
};
