// /carts: pricing, coupons and checkout previews for the web shop.
import { Router, type Request, type Response } from 'express';
import { drafts, lookups, type CartDraft } from '../../pools/cartPool.js';
import { query } from '../../lib/db.js';
import { cachedProduct, refreshProduct } from '../../lib/catalogCache.js';
import { signalFor } from '../../lib/requestSignal.js';
import { logger } from '../../lib/logger.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { flush } from '../../lib/metrics.js';

export const cartsRouter = Router();

const PROMO_URL = process.env.PROMO_URL ?? 'http://promotions.internal';
const GATEWAY = process.env.METRICS_GATEWAY ?? 'http://metrics.internal/push';

interface CartBody {
  lines: { sku: string; quantity: number }[];
  coupon?: string;
}

function fillDraft(draft: CartDraft, customerId: string, body: CartBody): void {
  draft.customerId = customerId;
  for (const line of body.lines) {
    const product = cachedProduct(line.sku);
    draft.lines.push({ sku: line.sku, quantity: line.quantity, unitCents: product?.price_cents ?? 0 });
  }
}

async function rememberCoupon(customerId: string, code: string): Promise<void> {
  await query('INSERT INTO coupon_uses (customer_id, code) VALUES ($1, $2)', [customerId, code]);
}

/** Helpers reached from the handlers with the request itself. */
function noteCouponUse(req: Request, code: string): void {
  const customer = String(req.get('x-customer-id') ?? 'guest');
  rememberCoupon(customer, code); // expect: unawaited-background-work
}

function applyCoupon(req: Request, draft: CartDraft, code: string): void {
  draft.couponCode = code;
  draft.adjustments.set('coupon', -Math.round(draft.total() * 0.1));
  noteCouponUse(req, code);
}

function trackPricing(): Promise<void> {
  return flush(GATEWAY);
}

cartsRouter.post('/price', (req: Request, res: Response) => {
  const body = req.body as CartBody;
  const draft = drafts.obtain();
  fillDraft(draft, String(req.get('x-customer-id') ?? 'guest'), body);
  if (body.coupon) applyCoupon(req, draft, body.coupon);
  const total = draft.total();
  drafts.recycle(draft); // expect: pooled-object-not-reset
  res.on('finish', () => trackPricing()); // expect: unawaited-background-work
  res.json({ total });
});

cartsRouter.post('/quote', (req, res) => {
  const body = req.body as CartBody & { currency?: string };
  const draft = drafts.obtain();
  draft.customerId = 'quote';
  draft.currency = body.currency ?? 'EUR';
  for (const line of body.lines) draft.lines.push({ sku: line.sku, quantity: line.quantity, unitCents: cachedProduct(line.sku)?.price_cents ?? 0 });
  const total = draft.total();
  draft.customerId = '';
  draft.lines.length = 0;
  drafts.recycle(draft); // expect: pooled-object-not-reset
  res.json({ total, currency: body.currency ?? 'EUR' });
});

cartsRouter.post('/estimate', (req, res) => {
  const body = req.body as CartBody;
  const draft = drafts.obtain();
  draft.customerId = 'estimate';
  for (const line of body.lines) draft.lines.push({ sku: line.sku, quantity: line.quantity, unitCents: cachedProduct(line.sku)?.price_cents ?? 0 });
  const total = draft.total();
  draft.customerId = '';
  draft.lines.length = 0;
  drafts.recycle(draft);
  res.json({ total });
});

cartsRouter.post('/promotions/match', async (req, res) => {
  const skus = (req.body as { skus: string[] }).skus;
  const table = lookups.borrow(); // expect: pool-resource-leak
  for (const sku of skus) table.set(sku, cachedProduct(sku)?.price_cents ?? 0);
  const signal = signalFor(res);
  const answer = await fetch(`${PROMO_URL}/match`, { method: 'POST', body: JSON.stringify(Object.fromEntries(table)), signal });
  lookups.giveBack(table);
  res.json(await answer.json());
});

cartsRouter.post('/refresh', (req, res) => {
  const skus = (req.body as { skus: string[] }).skus;
  queueMicrotask(async () => { // expect: unawaited-background-work
    for (const sku of skus) await refreshProduct(sku);
  });
  Promise.all(skus.map((sku) => refreshProduct(sku))); // expect: unawaited-background-work
  res.sendStatus(202);
});

cartsRouter.post('/warm', async (req, res) => {
  const skus = (req.body as { skus: string[] }).skus;
  void (async () => {
    for (const sku of skus) await refreshProduct(sku);
  })();
  (async () => { // expect: unawaited-background-work
    await query('UPDATE cart_stats SET warmed = warmed + 1');
  })();
  res.sendStatus(202);
});

cartsRouter.get('/:id', async (req, res) => {
  const rows = await query<{ sku: string; quantity: number }>('SELECT sku, quantity FROM cart_lines WHERE cart_id = $1', [req.params.id]);
  const missing = rows.filter((r) => !cachedProduct(r.sku)).map((r) => r.sku);
  const refreshes: Promise<unknown>[] = [];
  for (const sku of missing) refreshes.push(refreshProduct(sku));
  await Promise.all(refreshes);
  query('UPDATE carts SET viewed_at = now() WHERE id = $1', [req.params.id]) // expect: unawaited-background-work
    .catch((err) => logger.warn('could not touch cart', err))
    .then(() => logger.debug('cart touched'));
  res.json(rows.map((r) => ({ ...r, product: cachedProduct(r.sku) })));
});

cartsRouter.delete('/:id', async (req, res) => {
  const pending = query('DELETE FROM cart_lines WHERE cart_id = $1', [req.params.id]);
  const stale = query('DELETE FROM cart_snapshots WHERE cart_id = $1', [req.params.id]); // expect: unawaited-background-work
  await pending;
  res.sendStatus(204);
});
