// Storefront API on Koa.
import Koa from 'koa';
import { catalogRouter } from './routes/catalog.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { reviewsRouter } from './routes/reviews.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { geoIp } from './middleware/geo.mjs';
import { session } from './middleware/session.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { shippingRouter } from './routes/shipping.mjs';
import { logger } from '../lib/logger.js';
import { pool } from '../lib/db.js';

const app = new Koa({ proxy: true });

async function reportError(err: unknown, path: string): Promise<void> {
  await pool.query('INSERT INTO error_reports (path, message, at) VALUES ($1, $2, now())', [path, String(err)]);
}

app.use(async (ctx, next) => {
  ctx.res.once('finish', async () => { // expect: unawaited-background-work
    await pool.query('INSERT INTO access_log (path, status, at) VALUES ($1, $2, now())', [ctx.path, ctx.status]);
  });
  await next();
});

app.use(async (ctx, next) => {
  const started = performance.now();
  await next();
  ctx.set('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
});

app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const status = (err as { status?: number }).status ?? 500;
    ctx.status = status;
    ctx.body = { error: status < 500 ? (err as Error).message : 'internal error' };
    if (status >= 500) {
      reportError(err, ctx.path); // expect: unawaited-background-work
      logger.error('unhandled', { path: ctx.path, err: String(err) });
    }
  }
});

app.use((ctx, next) => {
  ctx.set('x-frame-options', 'DENY');
  next(); // expect: unawaited-next
});

app.use(geoIp({ fallback: 'DE' }));
app.use(session());
app.use(catalogRouter.routes()).use(catalogRouter.allowedMethods());
app.use(reviewsRouter.routes());
app.use(shippingRouter.routes());

app.on('error', (err) => {
  reportError(err, 'app');
});

app.listen(Number(process.env.PORT ?? 4000), () => logger.info('storefront up'));
