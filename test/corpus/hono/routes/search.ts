// Search API on the edge: fans out to the index service with a per-call budget.
import { Hono } from 'hono';

type Env = { Bindings: { INDEX_URL: string; SUGGEST_URL: string } };

export const search = new Hono<Env>();

interface Hit {
  id: string;
  score: number;
}

// Wrong: the controller is a fresh root; a client that goes away doesn't stop the fan-out.
search.get('/query', async (c) => {
  const controller = new AbortController(); // expect: detached-root-signal
  const budget = setTimeout(() => controller.abort(), 2_000);
  try {
    const res = await fetch(`${c.env.INDEX_URL}/search?q=${encodeURIComponent(c.req.query('q') ?? '')}`, {
      signal: controller.signal,
    });
    return c.json((await res.json()) as Hit[]);
  } finally {
    clearTimeout(budget);
  }
});

// Correct: the request's own signal, bounded by a timeout.
search.get('/suggest', async (c) => {
  const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(800)]);
  const res = await fetch(`${c.env.SUGGEST_URL}?prefix=${encodeURIComponent(c.req.query('prefix') ?? '')}`, { signal });
  return c.json(await res.json());
});

// The race's timer is never cleared: it fires (and rejects) long after the answer was sent.
search.get('/facets', async (c) => {
  const res = await Promise.race([
    fetch(`${c.env.INDEX_URL}/facets`, { signal: c.req.raw.signal }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('facets timed out')), 1_500)), // expect: timer-without-cleanup
  ]);
  return c.json(await res.json());
});

// Correct: the race timer is cleared in finally.
search.get('/count', async (c) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const res = await Promise.race([
      fetch(`${c.env.INDEX_URL}/count`, { signal: c.req.raw.signal }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('count timed out')), 1_500);
      }),
    ]);
    return c.json(await res.json());
  } finally {
    clearTimeout(timer);
  }
});

// Wrong: a timeout on its own is a root signal too.
search.get('/export', async (c) => {
  const signal = AbortSignal.timeout(30_000); // expect: detached-root-signal
  const res = await fetch(`${c.env.INDEX_URL}/export`, { signal });
  return new Response(res.body, { headers: { 'content-type': 'application/x-ndjson' } });
});
