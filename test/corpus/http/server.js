// Inventory service on bare node:http (CommonJS). One handler, routed by hand.
'use strict';

const http = require('node:http');
const { pool, stockFor } = require('./db.js');
const metrics = require('../lib/metrics.js');

const SUPPLIER_URL = process.env.SUPPLIER_URL || 'https://supplier.example.com/api';
const GATEWAY = process.env.METRICS_GATEWAY || 'http://metrics.internal/push';

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function recordDisconnect(path) {
  await pool.query('INSERT INTO aborted_requests (path, at) VALUES ($1, now())', [path]);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url || '/', 'http://inventory.local');
  metrics.increment('http.requests');

  req.on('close', async () => { // expect: unawaited-background-work
    if (!res.writableFinished) await recordDisconnect(url.pathname);
  });

  try {
    if (req.method === 'GET' && url.pathname.startsWith('/stock/')) {
      const sku = decodeURIComponent(url.pathname.slice('/stock/'.length));
      const row = await stockFor(sku);
      return row ? sendJson(res, 200, row) : sendJson(res, 404, { error: 'unknown sku' });
    }

    if (req.method === 'POST' && url.pathname === '/reserve') {
      const { sku, quantity } = JSON.parse(await readBody(req));
      const client = await pool.connect(); // expect: pool-resource-leak
      await client.query('BEGIN');
      const { rows } = await client.query('SELECT stock - reserved AS free FROM stock WHERE sku = $1 FOR UPDATE', [sku]);
      if (!rows.length || rows[0].free < quantity) {
        await client.query('ROLLBACK');
        client.release();
        return sendJson(res, 409, { error: 'not enough stock' });
      }
      await client.query('UPDATE stock SET reserved = reserved + $2 WHERE sku = $1', [sku, quantity]);
      await client.query('COMMIT');
      client.release();
      return sendJson(res, 200, { reserved: quantity });
    }

    if (req.method === 'POST' && url.pathname === '/restock') {
      const { sku } = JSON.parse(await readBody(req));
      const supplier = await fetch(`${SUPPLIER_URL}/availability?sku=${encodeURIComponent(sku)}`); // expect: missing-cancellation-signal
      const { available } = await supplier.json();
      sendJson(res, 200, { sku, available });
      metrics.flush(GATEWAY); // expect: unawaited-background-work
      return;
    }

    if (req.method === 'GET' && url.pathname === '/healthz') {
      await pool.query('SELECT 1');
      return sendJson(res, 200, { ok: true });
    }

    sendJson(res, 404, { error: 'not found' });
  } catch (err) {
    sendJson(res, 500, { error: String(err && err.message) });
  }
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 8081));

process.on('SIGTERM', () => {
  server.close(() => pool.end());
});
