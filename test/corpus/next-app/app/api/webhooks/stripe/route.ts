// Next.js route handler: payment provider webhooks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after } from 'next/server';
import { db } from '../../../../lib/inventory';

interface ProviderEvent {
  id: string;
  type: string;
  data: { object: { id: string; metadata?: { orderId?: string } } };
}

function verify(payload: string, header: string | null): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', process.env.WEBHOOK_SECRET ?? '').update(payload).digest();
  const given = Buffer.from(header, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function processEvent(event: ProviderEvent): Promise<void> {
  const orderId = event.data.object.metadata?.orderId;
  if (!orderId) return;
  if (event.type === 'payment_intent.succeeded') {
    await db.query("UPDATE orders SET status = 'paid' WHERE id = $1", [orderId]);
  } else if (event.type === 'payment_intent.payment_failed') {
    await db.query("UPDATE orders SET status = 'payment_failed' WHERE id = $1", [orderId]);
  }
}

async function markSeen(eventId: string): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO webhook_events (id) VALUES ($1) ON CONFLICT DO NOTHING', [eventId]);
  return rowCount === 1;
}

export async function POST(request: Request) {
  const payload = await request.text();
  if (!verify(payload, request.headers.get('x-signature'))) {
    return new Response('bad signature', { status: 400 });
  }
  const event = JSON.parse(payload) as ProviderEvent;
  if (!(await markSeen(event.id))) return new Response('duplicate', { status: 200 });
  if (event.type.startsWith('payment_intent.')) {
    processEvent(event); // expect: unawaited-background-work
  } else {
    after(async () => {
      await db.query('INSERT INTO webhook_backlog (id, payload) VALUES ($1, $2)', [event.id, payload]);
    });
  }
  return new Response('ok');
}
