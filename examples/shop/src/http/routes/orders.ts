import { Router } from 'express';
import { cancelOrder, findOrder, listOrderEvents, listOrders } from '../../db/ordersRepo';
import { sendMail } from '../../lib/mailer';
import { requireUser } from '../middleware/auth';

export const ordersRouter = Router();

ordersRouter.get('/', async (req, res) => {
  const user = requireUser(req);
  res.json({ orders: await listOrders(user.id) });
});

ordersRouter.get('/:id', async (req, res) => {
  const user = requireUser(req);
  const orderId = Number(req.params.id);
  const [order, events] = await Promise.all([findOrder(user.id, orderId), listOrderEvents(orderId)]);
  if (!order) {
    res.status(404).json({ error: 'no such order' });
    return;
  }
  res.json({ ...order, events });
});

ordersRouter.post('/:id/cancel', async (req, res) => {
  const user = requireUser(req);
  const orderId = Number(req.params.id);
  if (!(await cancelOrder(user.id, orderId))) {
    res.status(409).json({ error: 'only pending orders can be cancelled' });
    return;
  }
  // The cancellation is committed; a lost e-mail must not turn it into an error for the customer.
  sendMail({ to: user.email, subject: `Order #${orderId} cancelled`, text: 'Your order was cancelled.' })
    .catch((error) => console.warn(`cancellation mail for order ${orderId} failed`, error));
  res.json({ id: orderId, status: 'cancelled' });
});
