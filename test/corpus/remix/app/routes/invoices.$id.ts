// Remix route module: /invoices/:id
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getInvoice, lockInvoice, pool } from '../lib/db.server';

const FX_URL = process.env.FX_URL ?? 'https://fx.example.com/latest';
const LEDGER_URL = process.env.LEDGER_URL ?? 'http://ledger.internal';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invoice = await getInvoice(params.id ?? '');
  if (!invoice) throw new Response('Not found', { status: 404 });
  const currency = new URL(request.url).searchParams.get('currency') ?? 'EUR';
  const fx = await fetch(`${FX_URL}?base=EUR&symbols=${currency}`); // expect: missing-cancellation-signal
  const rates = (await fx.json()) as { rates: Record<string, number> };
  return json({ invoice, converted: Math.round(invoice.total_cents * (rates.rates[currency] ?? 1)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get('intent');
  const client = await pool.connect(); // expect: pool-resource-leak
  try {
    await client.query('BEGIN');
    const invoice = await lockInvoice(client, params.id ?? '');
    if (!invoice) {
      await client.query('ROLLBACK');
      return json({ error: 'not found' }, { status: 404 });
    }
    if (intent === 'void') {
      await client.query("UPDATE invoices SET status = 'void' WHERE id = $1", [invoice.id]);
    } else if (intent === 'issue') {
      await client.query("UPDATE invoices SET status = 'issued' WHERE id = $1", [invoice.id]);
      await fetch(`${LEDGER_URL}/entries`, {
        method: 'POST',
        body: JSON.stringify({ invoice: invoice.id, amount: invoice.total_cents }),
        signal: request.signal,
      });
    }
    await client.query('COMMIT');
    client.release();
    return redirect(`/invoices/${invoice.id}`);
  } catch (err) {
    await client.query('ROLLBACK');
    client.release();
    throw err;
  }
}
