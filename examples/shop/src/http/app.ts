import express from 'express';
import { pool } from '../db/pool';
import { authenticate } from './middleware/auth';
import { errorHandler } from './middleware/errors';
import { requestLog } from './middleware/requestLog';
import { checkoutRouter } from './routes/checkout';
import invoicesRouter from './routes/invoices';
import { ordersRouter } from './routes/orders';
import { productsRouter } from './routes/products';
import { usersRouter } from './routes/users';

export function createApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));
  app.use(requestLog());

  app.get('/healthz', async (_req, res) => {
    await pool.query('SELECT 1');
    res.json({ ok: true });
  });

  app.use('/products', productsRouter);
  app.use('/users', usersRouter);
  app.use('/orders', authenticate, ordersRouter);
  app.use('/checkout', authenticate, checkoutRouter);
  app.use('/invoices', authenticate, invoicesRouter);
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
