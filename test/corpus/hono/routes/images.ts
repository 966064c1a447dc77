// Image delivery: originals from R2, resized variants from the origin's resizer.
import { Hono } from 'hono';
import type { Env } from '../middleware.js';

export const images = new Hono<{ Bindings: Env }>();

interface TransformPlan {
  width: number;
  format: string;
  ops: string[];
}

// Plans are recycled between requests (module-level free list).
const plans: TransformPlan[] = [];

images.get('/:key', async (c) => {
  const object = await c.env.IMAGES.get(c.req.param('key'));
  if (!object) return c.notFound();
  return new Response(object.body, { headers: { 'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream' } });
});

images.get('/:key/w/:width', async (c) => {
  const width = Number(c.req.param('width'));
  if (!Number.isInteger(width) || width < 16 || width > 4096) return c.json({ error: 'bad width' }, 400);
  const resized = await fetch(`${c.env.ORIGIN_URL}/resize/${c.req.param('key')}?w=${width}`); // expect: missing-cancellation-signal
  if (!resized.ok) return c.json({ error: 'resize failed' }, 502);
  const bytes = await resized.arrayBuffer();
  c.env.IMAGES.put(`${c.req.param('key')}@${width}`, bytes); // expect: unawaited-background-work
  return c.body(bytes, 200, { 'content-type': resized.headers.get('content-type') ?? 'image/webp' });
});

images.post('/:key', async (c) => {
  const bytes = await c.req.arrayBuffer();
  c.executionCtx.waitUntil(c.env.IMAGES.put(c.req.param('key'), bytes));
  const purge = fetch(`${c.env.ORIGIN_URL}/purge/${c.req.param('key')}`, { method: 'POST', signal: c.req.raw.signal });
  await purge;
  return c.json({ stored: bytes.byteLength }, 201);
});

images.get('/:key/plan', (c) => {
  const plan = plans.pop() ?? { width: 0, format: 'webp', ops: [] };
  plan.width = Number(c.req.query('w') ?? 0);
  if (c.req.query('gray')) plan.ops.push('grayscale');
  plan.ops.push('resize');
  const description = `${plan.format}:${plan.width}:${plan.ops.join('+')}`;
  plans.push(plan); // expect: pooled-object-not-reset
  return c.text(description);
});

images.get('/:key/plan.json', (c) => {
  const plan = plans.pop() ?? { width: 0, format: 'webp', ops: [] };
  plan.width = Number(c.req.query('w') ?? 0);
  plan.format = c.req.query('format') ?? 'webp';
  plan.ops.push('resize');
  const body = { key: c.req.param('key'), ...plan, ops: [...plan.ops] };
  plan.width = 0;
  plan.format = 'webp';
  plan.ops.length = 0;
  plans.push(plan);
  return c.json(body);
});
