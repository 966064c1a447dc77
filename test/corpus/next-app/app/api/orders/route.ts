// Next.js route handler: /api/orders
import { after, NextResponse, type NextRequest } from 'next/server';
import { db, INVENTORY_URL, reserveStock, revalidateCatalog } from '../../../lib/inventory';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const customer = request.nextUrl.searchParams.get('customer');
  if (!customer) return NextResponse.json({ error: 'customer is required' }, { status: 400 });
  const { rows } = await db.query('SELECT id, status, total_cents FROM orders WHERE customer_id = $1 ORDER BY created_at DESC', [customer]);
  const stock = await fetch(`${INVENTORY_URL}/stock/summary`, { signal: request.signal, next: { revalidate: 30 } } as RequestInit);
  return NextResponse.json({ orders: rows, stock: await stock.json() });
}

export async function POST(request: NextRequest) {
  const body = (await request.json()) as { customer: string; sku: string; quantity: number };
  const reserved = await reserveStock(body.sku, body.quantity, AbortSignal.any([request.signal, AbortSignal.timeout(2_000)]));
  if (!reserved) return NextResponse.json({ error: 'out of stock' }, { status: 409 });
  const client = await db.connect();
  try {
    const { rows } = await client.query(
      "INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', 0) RETURNING id",
      [body.customer],
    );
    after(() => revalidateCatalog(body.sku));
    return NextResponse.json({ id: rows[0].id }, { status: 201 });
  } finally {
    client.release();
  }
}

export async function DELETE(request: NextRequest) {
  const id = request.nextUrl.searchParams.get('id');
  if (!id) return new Response(null, { status: 400 });
  await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [id]);
  await fetch(`${INVENTORY_URL}/release/${id}`, { method: 'POST' }); // expect: missing-cancellation-signal
  revalidateCatalog('orders'); // expect: unawaited-background-work
  return new Response(null, { status: 204 });
}
