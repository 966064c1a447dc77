// CSV exports, streamed in batches. Uses the shared buffer pool and row-batch pool.
import type { FastifyPluginAsync } from 'fastify';
import { pool } from '../../lib/db.js';
import { chunkBuffers, rowBatches, smallBuffers } from '../../pools/bufferPool.js';
import { takeParseState, giveParseState } from '../../pools/scratch.js';

function csvLine(values: unknown[]): string {
  return values.map((v) => `"${String(v ?? '').replace(/"/g, '""')}"`).join(',') + '\n';
}

export const exportsPlugin: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { table: 'orders' | 'users' } }>('/:table.csv', async (request, reply) => {
    const table = request.params.table === 'users' ? 'users' : 'orders';
    const client = await pool.connect();
    const batch = rowBatches.get();
    try {
      const { rows } = await client.query(`SELECT * FROM ${table} ORDER BY id LIMIT 10000`);
      for (const row of rows) {
        const line = csvLine(Object.values(row));
        batch.rows.push(line);
        batch.bytes += line.length;
      }
      reply.header('content-type', 'text/csv');
      return batch.rows.join('');
    } finally {
      rowBatches.put(batch);
      client.release();
    }
  });

  fastify.get<{ Params: { id: string } }>('/orders/:id/label', async (request, reply) => {
    const buf = smallBuffers.acquire(); // expect: pool-resource-leak
    const { rows } = await pool.query<{ address: string }>('SELECT address FROM orders WHERE id = $1', [request.params.id]);
    const written = buf.write(`SHIP TO\n${rows[0]?.address ?? ''}`, 'utf8');
    const label = Buffer.from(buf.subarray(0, written));
    buf.fill(0);
    smallBuffers.release(buf);
    reply.type('text/plain').send(label);
  });

  fastify.get<{ Params: { id: string } }>('/orders/:id/packing-slip', async (request, reply) => {
    const { rows } = await pool.query<{ sku: string; quantity: number }>('SELECT sku, quantity FROM order_lines WHERE order_id = $1', [request.params.id]);
    const buf = chunkBuffers.acquire();
    let offset = 0;
    for (const line of rows) offset += buf.write(csvLine([line.sku, line.quantity]), offset, 'utf8');
    const slip = Buffer.from(buf.subarray(0, offset));
    chunkBuffers.release(buf); // expect: pooled-object-not-reset
    reply.type('text/csv').send(slip);
  });

  fastify.post<{ Body: { fields: string[] } }>('/validate', async (request, reply) => {
    const state = takeParseState();
    state.strict = true;
    for (const field of request.body.fields) {
      state.path.push(field);
      if (!/^[a-z_]+$/.test(field)) state.errors.push(`bad field name: ${field}`);
    }
    const errors = [...state.errors];
    giveParseState(state);
    reply.code(errors.length ? 422 : 200).send({ errors });
  });
};
