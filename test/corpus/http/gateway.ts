// Edge gateway on node:http (TypeScript): proxies the legacy SOAP bridge and the pricing engine.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { signalFor } from '../lib/requestSignal.js';
import { createHash } from 'node:crypto';
import { logger } from '../lib/logger.js';
import { smallBuffers } from '../pools/bufferPool.js';

const PRICING_URL = process.env.PRICING_URL ?? 'http://pricing.internal';
const SOAP_BRIDGE = process.env.SOAP_BRIDGE ?? 'https://soap-bridge.example.com/quote';

async function proxyPricing(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const signal = signalFor(res);
  const upstream = await fetch(`${PRICING_URL}${req.url}`, {
    method: req.method,
    headers: { accept: 'application/json', 'x-forwarded-for': req.socket.remoteAddress ?? '' },
    signal,
  });
  res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

function proxySoap(req: IncomingMessage, res: ServerResponse): void {
  https.get(`${SOAP_BRIDGE}?${new URL(req.url ?? '/', 'http://x').searchParams}`, (answer) => { // expect: missing-cancellation-signal
    res.writeHead(answer.statusCode ?? 502, { 'content-type': 'text/xml' });
    answer.pipe(res);
  });
}

async function renderBarcode(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const code = new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? '';
  const child = spawn('zint', ['--direct', '--filetype=PNG', '-d', code], { signal: signalFor(res) });
  res.writeHead(200, { 'content-type': 'image/png' });
  child.stdout.pipe(res);
  const [exitCode] = await once(child, 'exit'); // expect: missing-cancellation-signal
  if (exitCode !== 0) logger.warn('zint failed', { exitCode });
}

const server = http.createServer();

function etagFor(url: string): string {
  const buf = smallBuffers.acquire();
  const length = buf.write(url, 'utf8');
  const tag = createHash('sha1').update(buf.subarray(0, length)).digest('base64url');
  smallBuffers.release(buf); // expect: pooled-object-not-reset
  return `"${tag}"`;
}

server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const path = req.url ?? '/';
  res.setHeader('etag', etagFor(path));
  if (path.startsWith('/pricing/')) {
    proxyPricing(req, res).catch((err) => {
      logger.error('pricing proxy failed', { err: String(err) });
      if (!res.headersSent) res.writeHead(502).end();
    });
  } else if (path.startsWith('/soap/')) {
    proxySoap(req, res);
  } else if (path.startsWith('/barcode')) {
    renderBarcode(req, res); // expect: unawaited-background-work
  } else {
    res.writeHead(404).end();
  }
});

server.listen(Number(process.env.PORT ?? 8082), () => logger.info('gateway up'));
