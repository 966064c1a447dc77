import Koa from 'koa';
import Router from '@koa/router';
import { pool } from '../db/pool';

// The back-office API: a separate Koa process on an internal port.
const admin = new Koa();
const router = new Router({ prefix: '/admin' });

admin.use(async (ctx, next) => {
  const started = Date.now();
  next();
  ctx.set('x-response-time', `${Date.now() - started}ms`);
});

admin.use(async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    ctx.status = 500;
    ctx.body = { error: 'internal error' };
    ctx.app.emit('error', error, ctx);
  }
});

router.get('/orders/stats', async (ctx) => {
  const { rows } = await pool.query('SELECT status, count(*)::int AS n FROM orders GROUP BY status');
  ctx.body = rows;
});

admin.use(router.routes()).use(router.allowedMethods());

const port = Number(process.env.ADMIN_PORT ?? 3001);
admin.listen(port, '127.0.0.1', () => console.log(`admin listening on :${port}`));
