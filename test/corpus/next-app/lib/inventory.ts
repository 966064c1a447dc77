// Server-side helpers shared by the Next.js route handlers.
import pg from 'pg';

export const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });

export const INVENTORY_URL = process.env.INVENTORY_URL ?? 'http://inventory.internal:8081';

export async function reserveStock(sku: string, quantity: number, signal: AbortSignal): Promise<boolean> {
  const answer = await fetch(`${INVENTORY_URL}/reserve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, quantity }),
    signal,
  });
  return answer.ok;
}

export async function revalidateCatalog(tag: string): Promise<void> {
  await fetch(`${process.env.NEXT_PUBLIC_SITE_URL}/api/revalidate?tag=${encodeURIComponent(tag)}`, { method: 'POST' });
}
