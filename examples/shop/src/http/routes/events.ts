import { Router } from 'express';
import { findOrder } from '../../db/ordersRepo';
import { orderEvents, type OrderEvent } from '../../lib/orderEvents';
import { requireUser } from '../middleware/auth';

export const eventsRouter = Router();

/** Server-sent events for one order: its status now, then every change. */
eventsRouter.get('/orders/:id', async (req, res) => {
  const orderId = Number(req.params.id);
  const order = await findOrder(requireUser(req).id, orderId);
  if (!order) {
    res.status(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write(`data: ${JSON.stringify({ orderId, status: order.status })}\n\n`);

  orderEvents.on('status', (event: OrderEvent) => {
    if (event.orderId === orderId) res.write(`data: ${JSON.stringify(event)}\n\n`);
  });

  setInterval(() => {
    res.write(': keep-alive\n\n');
  }, 15_000);
});
