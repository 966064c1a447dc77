// The public API process: wiring and start-up only.
import express from 'express';
import { pool, ping } from '../lib/db.js';
import { logger } from '../lib/logger.js';
import { warmCatalogCache } from '../lib/catalogCache.js';
import { requestId, requireAdmin, requireAuth } from './middleware/auth.js';
import { errorHandler } from './middleware/errorHandler.js';
import { usersRouter } from './routes/users.js';
import { ordersRouter } from './routes/orders.js';
import { emailInvoice, getInvoice, getInvoiceDraft, getInvoicePdf, getInvoicePreview, voidInvoice } from './controllers/invoiceController.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { uploadsRouter } from './routes/uploads.mjs';
import { adminRouter } from './routes/admin.js';
import { cartsRouter } from './routes/carts.js';
import { transfersRouter } from './routes/transfers.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import { rateLimit } from './middleware/rateLimit.js';
// @ts-ignore -- JavaScript module, typed through allowJs here (the repository-wide typecheck has no allowJs)
import reportsRouter from './routes/reports.js';

export const app = express();

app.disable('x-powered-by');
app.set('trust proxy', 1);
app.use(express.json({ limit: '1mb' }));
app.use(requestId());

app.get('/healthz', async (_req, res) => {
  res.json({ ok: await ping(), pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } });
});

app.use('/users', requireAuth({ role: 'user' }), usersRouter);
app.use('/orders', requireAuth({ role: 'user' }), ordersRouter);
const invoicesRouter = express.Router();
invoicesRouter.get('/:id', getInvoice);
invoicesRouter.get('/:id/pdf', getInvoicePdf);
invoicesRouter.get('/:id/preview', getInvoicePreview);
invoicesRouter.get('/:id/draft', getInvoiceDraft);
invoicesRouter.post('/:id/email', emailInvoice);
invoicesRouter.post('/:id/void', voidInvoice);
app.use('/invoices', requireAuth({ role: 'billing' }), invoicesRouter);
app.use('/uploads', express.raw({ type: '*/*', limit: '20mb' }), requireAuth({ role: 'user' }), uploadsRouter);
app.use('/reports', requireAuth({ role: 'analyst' }), reportsRouter);
app.use('/admin', requireAdmin, adminRouter);
app.use('/carts', rateLimit({ windowMs: 60_000, max: 300 }), cartsRouter);
app.use('/transfers', requireAuth({ role: 'user' }), transfersRouter);
app.use(errorHandler);

// Start-up code: not a request scope.
warmCatalogCache();

async function start(): Promise<void> {
  await pool.query('SELECT 1');
  const server = app.listen(Number(process.env.PORT ?? 3000), () => {
    logger.info('api listening', { port: process.env.PORT ?? 3000 });
  });
  const refresh = setInterval(() => {
    warmCatalogCache().catch((err) => logger.warn('catalogue refresh failed', err));
  }, 60_000);
  refresh.unref();
  process.on('SIGTERM', () => {
    clearInterval(refresh);
    server.close();
    pool.end();
  });
}

start();
