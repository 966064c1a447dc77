// gRPC inventory service: stock lookups, reservation and a server-streaming watch.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import pg from 'pg';
import { pool } from '../lib/db.js';
import { logger } from '../lib/logger.js';

interface SkuRequest {
  sku: string;
  warehouse?: string;
}

interface StockReply {
  sku: string;
  qty: number;
}

const definition = protoLoader.loadSync('protos/inventory.proto', { keepCase: true, defaults: true });
const proto = grpc.loadPackageDefinition(definition) as any;

const watchers = new Map<string, grpc.ServerWritableStream<SkuRequest, StockReply>>();

async function qtyOf(sku: string): Promise<number> {
  const { rows } = await pool.query<{ qty: number }>('SELECT qty FROM stock WHERE sku = $1', [sku]);
  return rows[0]?.qty ?? 0;
}

const inventory = {
  // Correct: awaited query, answered through the callback.
  async getStock(call: grpc.ServerUnaryCall<SkuRequest, StockReply>, callback: grpc.sendUnaryData<StockReply>) {
    try {
      callback(null, { sku: call.request.sku, qty: await qtyOf(call.request.sku) });
    } catch (err) {
      callback({ code: grpc.status.INTERNAL, message: String(err) });
    }
  },

  // Wrong: the reminder keeps the call alive for a minute after it was answered.
  reserve(call: grpc.ServerUnaryCall<SkuRequest, StockReply>, callback: grpc.sendUnaryData<StockReply>) {
    pool.query('UPDATE stock SET qty = qty - 1 WHERE sku = $1 RETURNING qty', [call.request.sku]).then(
      ({ rows }) => callback(null, { sku: call.request.sku, qty: rows[0]?.qty ?? 0 }),
      (err) => callback({ code: grpc.status.INTERNAL, message: String(err) }),
    );
    setTimeout(() => {
      logger.info('reservation follow-up', { sku: call.request.sku, peer: call.getPeer() }); // expect: request-object-escapes
    }, 60_000);
  },

  // Wrong: nothing stops the poll when the client cancels; the map keeps every stream.
  watchStock(call: grpc.ServerWritableStream<SkuRequest, StockReply>) {
    watchers.set(call.request.sku, call); // expect: request-object-escapes, unbounded-request-store
    setInterval(() => { // expect: timer-without-cleanup
      qtyOf(call.request.sku).then(
        (qty) => call.write({ sku: call.request.sku, qty }),
        (err) => call.destroy(err as Error),
      );
    }, 2_000);
  },

  // Correct: cleared on cancel and on end.
  watchWarehouse(call: grpc.ServerWritableStream<SkuRequest, StockReply>) {
    const sku = call.request.sku;
    const poll = setInterval(() => {
      qtyOf(sku).then(
        (qty) => call.write({ sku, qty }),
        (err) => call.destroy(err as Error),
      );
    }, 2_000);
    call.on('cancelled', () => clearInterval(poll));
    call.on('finish', () => clearInterval(poll));
  },

  // Wrong: a pool to the replica for every call.
  async history(call: grpc.ServerUnaryCall<SkuRequest, { rows: unknown[] }>, callback: grpc.sendUnaryData<{ rows: unknown[] }>) {
    const replica = new pg.Pool({ connectionString: process.env.REPLICA_URL }); // expect: pool-per-request
    try {
      const { rows } = await replica.query('SELECT * FROM stock_history WHERE sku = $1', [call.request.sku]);
      callback(null, { rows });
    } catch (err) {
      callback({ code: grpc.status.UNAVAILABLE, message: String(err) });
    }
  },
};

export function startInventoryServer(port = 50051): grpc.Server {
  const server = new grpc.Server();
  server.addService(proto.inventory.Inventory.service, inventory);
  server.bindAsync(`0.0.0.0:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
    if (err) logger.error('bind failed', { err: err.message });
  });
  return server;
}

export function watcherCount(): number {
  return watchers.size;
}
