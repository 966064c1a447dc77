// In-process cache of the product catalogue, refreshed from the database.
import { query } from './db.js';
import { logger } from './logger.js';

export interface Product {
  id: string;
  sku: string;
  name: string;
  price_cents: number;
  stock: number;
}

const bySku = new Map<string, Product>();
let loadedAt = 0;

export async function warmCatalogCache(): Promise<void> {
  const rows = await query<Product>('SELECT id, sku, name, price_cents, stock FROM products WHERE active');
  bySku.clear();
  for (const row of rows) bySku.set(row.sku, row);
  loadedAt = Date.now();
  logger.info('catalogue cache warmed', { size: bySku.size });
}

export function cachedProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}

export function cacheAgeMs(): number {
  return Date.now() - loadedAt;
}

export async function refreshProduct(sku: string): Promise<Product | undefined> {
  const [row] = await query<Product>('SELECT id, sku, name, price_cents, stock FROM products WHERE sku = $1', [sku]);
  if (row) bySku.set(sku, row);
  else bySku.delete(sku);
  return row;
}
