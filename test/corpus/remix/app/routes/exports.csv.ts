// Remix resource route: CSV export of the customer list, rendered by the reporting service.
import { json, type LoaderFunctionArgs } from '@remix-run/node';

const REPORTING_URL = process.env.REPORTING_URL ?? 'http://reporting.internal';

// Wrong: a generous timeout, but the export keeps running after the user cancels the download.
export async function loader({ request }: LoaderFunctionArgs): Promise<Response> {
  const url = new URL(request.url);
  const segment = url.searchParams.get('segment') ?? 'all';
  const res = await fetch(`${REPORTING_URL}/customers.csv?segment=${encodeURIComponent(segment)}`, {
    signal: AbortSignal.timeout(120_000), // expect: detached-root-signal
  });
  if (!res.ok) return json({ error: 'export failed' }, { status: 502 });
  return new Response(res.body, { headers: { 'content-type': 'text/csv' } });
}

// Correct: the request's signal, bounded.
export async function action({ request }: LoaderFunctionArgs): Promise<Response> {
  const form = await request.formData();
  const res = await fetch(`${REPORTING_URL}/schedule`, {
    method: 'POST',
    body: JSON.stringify({ segment: String(form.get('segment') ?? 'all') }),
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.any([request.signal, AbortSignal.timeout(10_000)]),
  });
  return json({ scheduled: res.ok });
}
