import { Router } from 'express';
import { findProduct, listProducts } from '../../db/productsRepo';
import { calculators } from '../../lib/priceCalculator';

const REVIEWS_API_URL = process.env.REVIEWS_API_URL ?? 'http://localhost:8081';

export const productsRouter = Router();

productsRouter.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const offset = Math.max(Number(req.query.offset ?? 0), 0);
  const category = typeof req.query.category === 'string' ? req.query.category : undefined;
  const products = await listProducts({ limit, offset, category });
  res.json({ products, limit, offset });
});

productsRouter.get('/:id', async (req, res) => {
  const product = await findProduct(Number(req.params.id));
  if (!product) {
    res.status(404).json({ error: 'no such product' });
    return;
  }
  res.json(product);
});

productsRouter.get('/:id/reviews', async (req, res) => {
  const product = await findProduct(Number(req.params.id));
  if (!product) {
    res.status(404).json({ error: 'no such product' });
    return;
  }
  const response = await fetch(`${REVIEWS_API_URL}/products/${encodeURIComponent(product.sku)}/reviews?limit=10`);
  if (!response.ok) {
    res.status(502).json({ error: 'reviews are unavailable' });
    return;
  }
  res.json(await response.json());
});

/** Price preview on the product page: quantity discounts and VAT, no basket needed. */
productsRouter.get('/:id/price', async (req, res) => {
  const product = await findProduct(Number(req.params.id));
  if (!product) {
    res.status(404).json({ error: 'no such product' });
    return;
  }
  const quantity = Math.max(Number(req.query.quantity ?? 1), 1);
  const currency = typeof req.query.currency === 'string' ? req.query.currency : 'EUR';
  const calculator = calculators.acquire();
  calculator.currency = currency;
  calculator.add({ sku: product.sku, quantity, unitPriceCents: product.priceCents });
  const totalCents = calculator.totalCents();
  calculator.reset();
  calculators.release(calculator);
  res.json({ sku: product.sku, quantity, currency, totalCents });
});
