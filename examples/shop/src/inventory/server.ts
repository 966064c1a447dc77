import Fastify from 'fastify';
import { Pool } from 'pg';
import { stockRoutes } from './stockRoutes';

// The inventory service owns its own database; the shop talks to it over HTTP.
const db = new Pool({ connectionString: process.env.INVENTORY_DATABASE_URL, max: 5 });
const SERVICE_TOKEN = process.env.INVENTORY_SERVICE_TOKEN ?? 'local-dev-token';

export function buildInventoryService() {
  const app = Fastify({ logger: true });

  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers['x-service-token'] !== SERVICE_TOKEN) {
      reply.code(403).send({ error: 'unknown caller' });
      return;
    }
    done();
  });

  app.addHook('onResponse', async (request, reply) => {
    await db.query('INSERT INTO inventory_requests (method, url, status) VALUES ($1, $2, $3)', [
      request.method,
      request.url,
      reply.statusCode,
    ]);
  });

  app.addHook('onClose', async () => {
    await db.end();
  });

  app.register(stockRoutes, { db });
  return app;
}

async function main(): Promise<void> {
  const app = buildInventoryService();
  await app.listen({ port: Number(process.env.PORT ?? 3001), host: '0.0.0.0' });
}

main().catch((error) => {
  console.error('inventory service failed to start', error);
  process.exit(1);
});
