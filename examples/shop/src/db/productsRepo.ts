import { pool } from './pool';

export interface Product {
  id: number;
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
}

interface ProductRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  stock: number;
}

const COLUMNS = 'id, sku, name, category, price_cents, stock';

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    priceCents: row.price_cents,
    stock: row.stock,
  };
}

export async function listProducts(page: { limit: number; offset: number; category?: string }): Promise<Product[]> {
  const { rows } = await pool.query<ProductRow>(
    `SELECT ${COLUMNS} FROM products
      WHERE ($1::text IS NULL OR category = $1)
      ORDER BY name
      LIMIT $2 OFFSET $3`,
    [page.category ?? null, page.limit, page.offset],
  );
  return rows.map(toProduct);
}

export async function findProduct(id: number): Promise<Product | undefined> {
  const { rows } = await pool.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE id = $1`, [id]);
  return rows[0] && toProduct(rows[0]);
}

export async function findProductsBySku(skus: readonly string[]): Promise<Product[]> {
  if (skus.length === 0) return [];
  const { rows } = await pool.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku = ANY($1)`, [skus]);
  return rows.map(toProduct);
}
