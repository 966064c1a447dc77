// Push notifications (ESM JavaScript Fastify plugin). Device-gateway connections come from a
// generic-pool; each connection keeps per-tenant routing state.
import genericPool from 'generic-pool';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

class GatewayConnection {
  constructor() {
    this.id = randomUUID();
    this.tenant = null;
  }
  async push(deviceToken, payload) {
    return { deviceToken, bytes: JSON.stringify(payload).length };
  }
  async close() {}
}

const gateways = genericPool.createPool(
  {
    create: async () => new GatewayConnection(),
    destroy: async (conn) => conn.close(),
  },
  { max: 8 },
);

export default async function notifications(fastify) {
  fastify.post('/notify/:device', async (request, reply) => {
    const { title, body } = request.body;
    if (!title) return reply.code(400).send({ error: 'title is required' });
    const conn = await gateways.acquire(); // expect: pool-resource-leak
    const result = await conn.push(request.params.device, { title, body });
    if (!result.bytes) {
      return reply.code(502).send({ error: 'gateway refused the message' });
    }
    await gateways.release(conn);
    return { delivered: true, via: conn.id }; // expect: pooled-object-used-after-release
  });

  fastify.post('/notify/:device/tenant/:tenant', async (request, reply) => {
    const conn = await gateways.acquire();
    conn.tenant = request.params.tenant;
    try {
      await conn.push(request.params.device, request.body);
    } catch (err) {
      await gateways.destroy(conn);
      throw err;
    }
    await gateways.destroy(conn);
    reply.code(202).send({ queued: true });
  });

  fastify.post('/notify/broadcast', async (request, reply) => {
    const devices = request.body.devices ?? [];
    const results = await Promise.all(
      devices.map((device) => gateways.use((conn) => conn.push(device, request.body.message))),
    );
    reply.send({ sent: results.length });
  });

  fastify.post('/notify/:device/retry', async (request, reply) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const conn = await gateways.acquire();
      try {
        const result = await conn.push(request.params.device, request.body);
        if (result.bytes) return reply.send({ attempts: attempt + 1 });
      } finally {
        await gateways.release(conn);
      }
      await sleep(200 * (attempt + 1)); // expect: missing-cancellation-signal
    }
    return reply.code(504).send({ error: 'gave up' });
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-notification-gateway', 'v2');
    return payload;
  });
}
