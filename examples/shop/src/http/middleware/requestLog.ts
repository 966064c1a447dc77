import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pool } from '../../db/pool';

/** Logs every request to stdout and to the access_log table, tagged with a request id. */
export function requestLog(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = req.get('x-request-id') ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    res.on('finish', async () => {
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${requestId} ${req.method} ${req.originalUrl} ${res.statusCode} ${elapsedMs.toFixed(1)}ms`);
      await pool.query(
        'INSERT INTO access_log (request_id, method, path, status, duration_ms) VALUES ($1, $2, $3, $4, $5)',
        [requestId, req.method, req.originalUrl, res.statusCode, elapsedMs],
      );
    });
    next();
  };
}
