// Streams order progress to the checkout page as newline-delimited JSON.
import { NextRequest } from 'next/server';
import { pool } from '../../../../lib/db.js';

export const dynamic = 'force-dynamic';

async function progress(orderId: string): Promise<{ step: string; done: boolean }> {
  const { rows } = await pool.query<{ step: string; done: boolean }>('SELECT step, done FROM checkout_progress WHERE order_id = $1', [orderId]);
  return rows[0] ?? { step: 'unknown', done: true };
}

// Wrong: nothing stops the poller when the client navigates away.
export async function GET(request: NextRequest): Promise<Response> {
  const orderId = request.nextUrl.searchParams.get('order') ?? '';
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      setInterval(() => { // expect: timer-without-cleanup
        progress(orderId).then(
          (p) => controller.enqueue(encoder.encode(JSON.stringify(p) + '\n')),
          () => controller.close(),
        );
      }, 1_000);
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } });
}

// Correct: the poller stops on cancel, on abort and when the order is done.
export async function POST(request: NextRequest): Promise<Response> {
  const { orderId } = (await request.json()) as { orderId: string };
  const encoder = new TextEncoder();
  let poll: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      poll = setInterval(() => {
        progress(orderId).then(
          (p) => {
            controller.enqueue(encoder.encode(JSON.stringify(p) + '\n'));
            if (p.done) {
              clearInterval(poll);
              controller.close();
            }
          },
          () => controller.close(),
        );
      }, 1_000);
      request.signal.addEventListener('abort', () => clearInterval(poll), { once: true });
    },
    cancel() {
      clearInterval(poll);
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } });
}
