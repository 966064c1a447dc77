// Nightly job: gives the stock held by abandoned carts back to the shop.
//   node src/jobs/expireCarts.mjs [hours]
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

async function expireCarts(olderThanHours) {
  const { rows: carts } = await pool.query(
    'SELECT id FROM carts WHERE updated_at < now() - make_interval(hours => $1)',
    [olderThanHours],
  );
  let expired = 0;
  for (const cart of carts) {
    const client = await pool.connect();
    await client.query('BEGIN');
    const { rows: items } = await client.query(
      'SELECT sku, quantity FROM cart_items WHERE cart_id = $1 FOR UPDATE',
      [cart.id],
    );
    if (items.length === 0) {
      await client.query('ROLLBACK');
      continue;
    }
    for (const item of items) {
      await client.query('UPDATE products SET stock = stock + $2 WHERE sku = $1', [item.sku, item.quantity]);
    }
    await client.query('DELETE FROM carts WHERE id = $1', [cart.id]);
    await client.query('COMMIT');
    client.release();
    expired += 1;
  }
  return expired;
}

try {
  const expired = await expireCarts(Number(process.argv[2] ?? 24));
  console.log(`expired ${expired} abandoned carts`);
} finally {
  await pool.end();
}
