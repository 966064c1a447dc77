// Server-sent events: order status pushed to dashboards, plus a plain JSON lookup.
import { EventEmitter } from 'node:events';
import { Router, type Response } from 'express';
import { pool } from '../../lib/db.js';

export const liveEventsRouter = Router();

/** Process-wide bus: the order service emits `status` here after every state change. */
export const orderEvents = new EventEmitter();
orderEvents.setMaxListeners(0);

interface StatusRow {
  id: string;
  status: string;
  warehouse: string;
}

function openStream(res: Response): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

// One order: heartbeat and subscription are both undone when the response closes.
liveEventsRouter.get('/orders/:id/stream', (req, res) => {
  openStream(res);
  const orderId = req.params.id;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const onStatus = (row: StatusRow) => {
    if (row.id === orderId) res.write(`data: ${JSON.stringify(row)}\n\n`);
  };
  orderEvents.on('status', onStatus);
  res.on('close', () => {
    clearInterval(heartbeat);
    orderEvents.off('status', onStatus);
  });
});

// A whole warehouse: nothing is undone when the dashboard goes away.
liveEventsRouter.get('/warehouses/:code/stream', (req, res) => {
  openStream(res);
  const heartbeat = setInterval(() => { // expect: timer-without-cleanup
    res.write(': keep-alive\n\n');
  }, 15_000);
  orderEvents.on('status', (row: StatusRow) => {
    if (row.warehouse !== req.params.code) return; // expect: request-object-escapes
    res.write(`data: ${JSON.stringify(row)}\n\n`);
  });
});

// Express 5 forwards rejections of async handlers: awaiting is all this needs.
liveEventsRouter.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query<StatusRow>('SELECT id, status, warehouse FROM orders WHERE id = $1', [req.params.id]);
  if (rows.length === 0) {
    res.sendStatus(404);
    return;
  }
  res.json(rows[0]);
});

// A plain route handler (no next): not checked for passing control on.
liveEventsRouter.get('/orders/:id/ping', (req, res) => {
  if (req.query.silent === '1') return;
  res.sendStatus(204);
});
