// /admin: feature flags, user impersonation and maintenance tasks for the back office.
import { Router, type Request, type Response } from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { recordAudit } from '../../lib/audit.js';
import { signalFor } from '../../lib/requestSignal.js';
import { pool } from '../../lib/db.js';
import { logger } from '../../lib/logger.js';

// The document store of the admin console (MongoDB driver, untyped here).
const mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://localhost:27017', { maxPoolSize: 20 });
const adminDb = mongo.db('admin_console');

export const adminRouter = Router();

/** Every admin action is audited with who did it and from where. */
function auditAdminAction(req: Request, res: Response, action: string): void {
  const actor = String(res.locals.userId ?? 'unknown');
  recordAudit({ actor, action, meta: { ip: req.ip, ua: req.get('user-agent') } }); // expect: unawaited-background-work
}

adminRouter.get('/flags', async (_req, res) => {
  const flags = await adminDb.collection('flags').find({}).toArray();
  res.json(flags);
});

adminRouter.put('/flags/:name', async (req, res) => {
  const session = mongo.startSession(); // expect: pool-resource-leak
  await session.withTransaction(async () => {
    await adminDb.collection('flags').updateOne({ name: req.params.name }, { $set: { value: req.body.value } }, { session });
    await adminDb.collection('flag_history').insertOne({ name: req.params.name, value: req.body.value, at: new Date() }, { session });
  });
  await session.endSession();
  auditAdminAction(req, res, `flag.set:${req.params.name}`);
  res.sendStatus(204);
});

adminRouter.delete('/flags/:name', async (req, res) => {
  const session = mongo.startSession();
  try {
    await session.withTransaction(async () => {
      await adminDb.collection('flags').deleteOne({ name: req.params.name }, { session });
    });
  } finally {
    await session.endSession();
  }
  auditAdminAction(req, res, `flag.delete:${req.params.name}`);
  res.sendStatus(204);
});

adminRouter.post('/maintenance/vacuum', async (req, res) => {
  const signal = signalFor(res);
  const tables = ['orders', 'order_lines', 'audit_log'];
  for (const table of tables) {
    await pool.query(`VACUUM (ANALYZE) ${table}`);
    await delay(500, undefined, { signal });
  }
  auditAdminAction(req, res, 'maintenance.vacuum');
  res.json({ vacuumed: tables });
});

adminRouter.post('/maintenance/drain', async (req, res) => {
  const seconds = Math.min(Number(req.query.seconds ?? 5), 30);
  logger.warn('draining connections', { seconds });
  await delay(seconds * 1000); // expect: missing-cancellation-signal
  res.json({ idle: pool.idleCount, total: pool.totalCount });
});

adminRouter.post('/users/:id/impersonate', async (req, res) => {
  const signal = AbortSignal.any([signalFor(res), AbortSignal.timeout(3_000)]);
  const answer = await fetch(`${process.env.AUTH_URL}/admin/impersonate/${req.params.id}`, { method: 'POST', signal });
  auditAdminAction(req, res, `impersonate:${req.params.id}`);
  res.status(answer.status).json(await answer.json());
});

adminRouter.get('/status', async (_req, res) => {
  const answer = await fetch(process.env.STATUS_URL ?? 'https://status.example.com/api/summary.json', {
    signal: AbortSignal.timeout(2_000), // expect: detached-root-signal
  });
  res.json(await answer.json());
});
