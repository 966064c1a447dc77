// Edge API entry point (Cloudflare Workers + Hono).
import { Hono } from 'hono';
import type { Env } from './middleware.js';
import { apiKey, rateLimit, timing } from './middleware.js';
import { images } from './routes/images.js';

const app = new Hono<{ Bindings: Env }>();

app.use('*', timing);
app.use('/api/*', apiKey, rateLimit(120));
app.route('/img', images);

app.get('/api/feed', async (c) => {
  const answer = await fetch(`${c.env.ORIGIN_URL}/feed?lang=${c.req.query('lang') ?? 'en'}`, { signal: c.req.raw.signal });
  return c.json(await answer.json());
});

app.get('/api/profile/:id', async (c) => {
  const cached = await c.env.SESSIONS.get(`profile:${c.req.param('id')}`);
  if (cached) return c.json(JSON.parse(cached));
  const answer = await fetch(`${c.env.ORIGIN_URL}/profiles/${c.req.param('id')}`, { // expect: missing-cancellation-signal
    headers: { authorization: c.req.header('authorization') ?? '' },
  });
  const profile = await answer.text();
  c.executionCtx.waitUntil(c.env.SESSIONS.put(`profile:${c.req.param('id')}`, profile, { expirationTtl: 300 }));
  return c.json(JSON.parse(profile));
});

app.post('/api/events', async (c) => {
  const events = await c.req.json<{ type: string }[]>();
  const forward = fetch(`${c.env.ORIGIN_URL}/events`, { method: 'POST', body: JSON.stringify(events) });
  c.executionCtx.waitUntil(forward);
  return c.json({ accepted: events.length }, 202);
});

app.get('/api/products', async (c) => {
  const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean).slice(0, 20);
  const loadOne = async (id: string) => {
    const answer = await fetch(`${c.env.ORIGIN_URL}/products/${encodeURIComponent(id)}`); // expect: missing-cancellation-signal
    return answer.ok ? answer.json() : null;
  };
  return c.json(await Promise.all(ids.map(loadOne)));
});

app.delete('/api/sessions/:id', async (c) => {
  const id = c.req.param('id');
  await c.env.SESSIONS.delete(`session:${id}`);
  c.env.SESSIONS.delete(`profile:${id}`).catch(() => undefined);
  return c.body(null, 204);
});

app.get('/api/search', async (c) => {
  const q = c.req.query('q') ?? '';
  const [local, remote] = await Promise.all([
    c.env.SESSIONS.get(`search:${q}`),
    fetch(`${c.env.ORIGIN_URL}/search?q=${encodeURIComponent(q)}`), // expect: missing-cancellation-signal
  ]);
  return c.json({ local, remote: await remote.json() });
});

app.onError((err, c) => {
  console.error('edge error', err);
  return c.json({ error: 'internal error' }, 500);
});

export default app;
