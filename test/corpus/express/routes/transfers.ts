// /transfers: moving store credit between customer wallets.
import { Router } from 'express';
import { pool } from '../../lib/db.js';
import { runAndRelease, UnitOfWork } from '../../lib/unitOfWork.js';
import { HttpError } from '../middleware/errorHandler.js';
import { recordAudit } from '../../lib/audit.js';
import type { Request, Response } from 'express';

export const transfersRouter = Router();

const STATEMENTS_URL = process.env.STATEMENTS_URL ?? 'http://statements.internal';

class StatementController {
  async download(req: Request, res: Response): Promise<void> {
    const wallet = String(req.params.wallet);
    const answer = await fetch(`${STATEMENTS_URL}/wallets/${encodeURIComponent(wallet)}.pdf`); // expect: missing-cancellation-signal
    if (!answer.ok) throw new HttpError(answer.status, 'statement not available');
    recordAudit({ actor: String(res.locals.userId), action: 'statement.download', target: wallet }); // expect: unawaited-background-work
    res.type('application/pdf').send(Buffer.from(await answer.arrayBuffer()));
  }
}

const statements = new StatementController();

interface TransferBody {
  from: string;
  to: string;
  cents: number;
}

transfersRouter.post('/', async (req, res) => {
  const { from, to, cents } = req.body as TransferBody;
  if (!(cents > 0)) throw new HttpError(400, 'amount must be positive');
  const uow = await UnitOfWork.begin();
  try {
    const { rows } = await uow.query<{ balance: number }>('SELECT balance FROM wallets WHERE id = $1 FOR UPDATE', [from]);
    if ((rows[0]?.balance ?? 0) < cents) {
      await uow.rollback();
      throw new HttpError(409, 'insufficient funds');
    }
    await uow.query('UPDATE wallets SET balance = balance - $2 WHERE id = $1', [from, cents]);
    await uow.query('UPDATE wallets SET balance = balance + $2 WHERE id = $1', [to, cents]);
    await uow.commit();
  } catch (err) {
    await uow.rollback();
    throw err;
  }
  res.status(201).json({ from, to, cents });
});

transfersRouter.post('/bulk', async (req, res) => {
  const transfers = req.body as TransferBody[];
  const client = await pool.connect();
  const statements = transfers.flatMap((t): [string, unknown[]][] => [
    ['UPDATE wallets SET balance = balance - $2 WHERE id = $1', [t.from, t.cents]],
    ['UPDATE wallets SET balance = balance + $2 WHERE id = $1', [t.to, t.cents]],
  ]);
  const affected = await runAndRelease(client, statements);
  res.json({ affected });
});

transfersRouter.get('/:wallet/history', async (req, res) => {
  const client = await pool.connect(); // expect: pool-resource-leak
  const limit = Math.min(Number(req.query.limit ?? 50), 500);
  if (!Number.isFinite(limit)) {
    res.status(400).json({ error: 'bad limit' });
    return;
  }
  try {
    const { rows } = await client.query('SELECT * FROM wallet_entries WHERE wallet_id = $1 ORDER BY at DESC LIMIT $2', [req.params.wallet, limit]);
    res.json(rows);
  } finally {
    client.release();
  }
});

transfersRouter.get('/:wallet/balance', async (req, res) => {
  const { rows } = await pool.query<{ balance: number }>('SELECT balance FROM wallets WHERE id = $1', [req.params.wallet]);
  if (!rows[0]) throw new HttpError(404, 'no such wallet');
  res.json(rows[0]);
});

transfersRouter.get('/:wallet/pending', (req, res) =>
  pool
    .query('SELECT * FROM wallet_entries WHERE wallet_id = $1 AND settled_at IS NULL', [req.params.wallet])
    .then(({ rows }) => res.json(rows)),
);

transfersRouter.get('/:wallet/statement.pdf', (req, res) => statements.download(req, res));
