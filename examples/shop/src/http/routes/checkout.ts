import { Router } from 'express';
import { createOrder, markPaid, type OrderLine } from '../../db/ordersRepo';
import { findProductsBySku } from '../../db/productsRepo';
import { sendOrderConfirmation } from '../../lib/mailer';
import { chargeCard } from '../../lib/payments';
import { calculators } from '../../lib/priceCalculator';
import { requireUser } from '../middleware/auth';

interface BasketBody {
  items: { sku: string; quantity: number }[];
  couponCode?: string;
}

interface CheckoutBody extends BasketBody {
  cardToken: string;
}

export const checkoutRouter = Router();

async function priceLines(items: BasketBody['items']): Promise<OrderLine[]> {
  const products = await findProductsBySku(items.map((item) => item.sku));
  const lines: OrderLine[] = [];
  for (const item of items) {
    const product = products.find((candidate) => candidate.sku === item.sku);
    if (product) lines.push({ sku: item.sku, quantity: item.quantity, unitPriceCents: product.priceCents });
  }
  return lines;
}

function totalOf(lines: readonly OrderLine[], couponCode: string | undefined): number {
  const calculator = calculators.acquire();
  try {
    calculator.couponCode = couponCode;
    for (const line of lines) calculator.add(line);
    return calculator.totalCents();
  } finally {
    calculator.reset();
    calculators.release(calculator);
  }
}

/** Basket summary shown before the customer pays. */
checkoutRouter.post('/quote', async (req, res) => {
  const { items, couponCode } = req.body as BasketBody;
  const lines = await priceLines(items);
  const calculator = calculators.acquire();
  calculator.couponCode = couponCode;
  for (const line of lines) calculator.add(line);
  const quote = {
    subtotalCents: calculator.subtotalCents(),
    discountCents: calculator.discountCents(),
    totalCents: calculator.totalCents(),
  };
  calculators.release(calculator);
  res.json(quote);
});

checkoutRouter.post('/', async (req, res) => {
  const user = requireUser(req);
  const { items, couponCode, cardToken } = req.body as CheckoutBody;
  // Stop talking to the payment provider when the customer closes the tab.
  const requestAbort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) requestAbort.abort();
  });

  const lines = await priceLines(items);
  if (lines.length !== items.length) {
    res.status(422).json({ error: 'some products no longer exist' });
    return;
  }
  const totalCents = totalOf(lines, couponCode);
  const order = await createOrder(user.id, lines, totalCents);
  if (!order) {
    res.status(409).json({ error: 'some items are out of stock' });
    return;
  }
  const charge = await chargeCard(
    { cardToken, amountCents: totalCents, currency: 'EUR', idempotencyKey: `order-${order.id}` },
    requestAbort.signal,
  );
  await markPaid(order.id, charge.id);
  sendOrderConfirmation(user.email, order);
  res.status(201).json({ orderId: order.id, totalCents, chargeId: charge.id });
});
