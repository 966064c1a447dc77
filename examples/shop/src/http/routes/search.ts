import { Router } from 'express';

export const searchRouter = Router();

const SEARCH_URL = process.env.SEARCH_URL ?? 'http://localhost:9200/products/_search';

/** Full-text product search, proxied to the search cluster with a two-second budget. */
searchRouter.get('/', async (req, res) => {
  const query = String(req.query.q ?? '').slice(0, 200);
  const response = await fetch(SEARCH_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { match: { name: query } }, size: 20 }),
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) {
    res.status(502).json({ error: 'search unavailable' });
    return;
  }
  res.json(await response.json());
});
