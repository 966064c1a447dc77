import express from 'express';
import { pool } from '../db/pool';
import { authenticate } from './middleware/auth';
import { deadline } from './middleware/deadline';
import { errorHandler } from './middleware/errors';
import { rateLimit } from './middleware/rateLimit';
import { requestLog } from './middleware/requestLog';
import { requireRole } from './middleware/roles';
import { resolveTenant } from './middleware/tenant';
import { tracing } from './middleware/tracing';
import { checkoutRouter } from './routes/checkout';
import { eventsRouter } from './routes/events';
import invoicesRouter from './routes/invoices';
import { ordersRouter } from './routes/orders';
import { productsRouter } from './routes/products';
import { reportsRouter } from './routes/reports';
import { searchRouter } from './routes/search';
import { usersRouter } from './routes/users';

export function createApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));
  app.use(tracing);
  app.use(requestLog());
  app.use(rateLimit({ perMinute: 600 }));
  app.use(resolveTenant);

  app.get('/healthz', async (_req, res) => {
    await pool.query('SELECT 1');
    res.json({ ok: true });
  });

  app.use('/products', productsRouter);
  app.use('/users', usersRouter);
  app.use('/orders', authenticate, ordersRouter);
  app.use('/checkout', authenticate, checkoutRouter);
  app.use('/invoices', authenticate, invoicesRouter);
  app.use('/events', authenticate, eventsRouter);
  app.use('/search', searchRouter);
  app.use('/reports', requireRole('admin'), deadline(10_000), reportsRouter);
  app.use(errorHandler);
  return app;
}

const port = Number(process.env.PORT ?? 3000);
const server = createApp().listen(port, () => console.log(`shop listening on :${port}`));

process.once('SIGTERM', () => {
  server.close(() => {
    pool.end().catch((error) => console.error('could not close the database pool', error));
  });
});
