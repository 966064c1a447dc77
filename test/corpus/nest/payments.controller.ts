// NestJS controller for card payments: PSP calls with the request's signal, pooled DB clients.
import { Body, Controller, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { PoolClient } from 'pg';
import { pool } from '../lib/db.js';

interface ChargeBody {
  orderId: string;
  amountCents: number;
}

/** The request's signal for a Nest handler, from the underlying Express response. */
function requestSignal(req: Request): AbortSignal {
  const controller = new AbortController();
  req.res?.once('close', () => {
    if (!req.res?.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Helper called with a pooled client: gives it back on every path, then keeps using it. */
async function markCharged(client: PoolClient, orderId: string, pspId: string): Promise<void> {
  try {
    await client.query('UPDATE orders SET psp_id = $2 WHERE id = $1', [orderId, pspId]);
  } finally {
    client.release();
  }
  await client.query('INSERT INTO order_events (order_id, kind) VALUES ($1, $2)', [orderId, 'charged']); // expect: pooled-object-used-after-release
}

@Controller('payments')
export class PaymentsController {
  @Post('charge')
  async charge(@Body() body: ChargeBody, @Req() req: Request): Promise<{ pspId: string }> {
    const signal = requestSignal(req);
    const psp = await fetch(`${process.env.PSP_URL}/charges`, {
      method: 'POST',
      body: JSON.stringify({ amount: body.amountCents, reference: body.orderId }),
      headers: { 'content-type': 'application/json' },
      signal,
    });
    const { id } = (await psp.json()) as { id: string };
    const client = await pool.connect();
    await markCharged(client, body.orderId, id);
    return { pspId: id };
  }

  @Post('refund')
  async refund(@Body() body: ChargeBody, @Req() req: Request): Promise<{ refunded: boolean }> {
    const signal = AbortSignal.any([requestSignal(req), AbortSignal.timeout(20_000)]);
    const psp = await fetch(`${process.env.PSP_URL}/refunds`, {
      method: 'POST',
      body: JSON.stringify({ amount: body.amountCents, reference: body.orderId }),
      headers: { 'content-type': 'application/json' },
      signal,
    });
    const client = await pool.connect();
    try {
      await client.query('UPDATE orders SET refunded = true WHERE id = $1', [body.orderId]);
    } finally {
      client.release();
    }
    return { refunded: psp.ok };
  }
}
