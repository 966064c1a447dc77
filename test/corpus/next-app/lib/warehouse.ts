// Client for the analytics warehouse's HTTP API. Callers pass the request's signal.
const WAREHOUSE_API = process.env.WAREHOUSE_API ?? 'http://warehouse.internal';

/** Helper called with the request's signal; it drops it and creates a root of its own. */
export async function fetchWarehouse(query: string, signal: AbortSignal): Promise<unknown> {
  const local = new AbortController(); // expect: detached-root-signal
  const cap = setTimeout(() => local.abort(), 20_000);
  try {
    const res = await fetch(`${WAREHOUSE_API}/query`, {
      method: 'POST',
      body: JSON.stringify({ query, priority: signal.aborted ? 'low' : 'normal' }),
      headers: { 'content-type': 'application/json' },
      signal: local.signal,
    });
    return await res.json();
  } finally {
    clearTimeout(cap);
  }
}

/** Correct: the caller's signal, with a cap. */
export async function countWarehouse(table: string, signal: AbortSignal): Promise<number> {
  const res = await fetch(`${WAREHOUSE_API}/count/${encodeURIComponent(table)}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
  });
  return ((await res.json()) as { count: number }).count;
}
