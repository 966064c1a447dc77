// /users: profile, sign-up, avatar proxy and CSV import.
import { Router } from 'express';
import { userRepo } from '../repositories/userRepo.js';
import { recordAudit } from '../../lib/audit.js';
import { sendMail, welcomeHtml } from '../../lib/mailer.js';
import { withTransaction } from '../../lib/db.js';
import { signalFor } from '../../lib/requestSignal.js';
import { logger } from '../../lib/logger.js';
import { HttpError } from '../middleware/errorHandler.js';

export const usersRouter = Router();

interface ImportRow {
  email: string;
  name: string;
}

function parseCsv(text: string): ImportRow[] {
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [email = '', name = ''] = line.split(',');
      return { email: email.trim(), name: name.trim() };
    });
}

const ANALYTICS_BEACON = process.env.ANALYTICS_BEACON ?? 'https://beacon.example.com/e';

usersRouter.get('/:id', async (req, res) => {
  const user = await userRepo.findById(req.params.id);
  if (!user) throw new HttpError(404, 'no such user');
  fetch(ANALYTICS_BEACON, { method: 'POST', body: JSON.stringify({ event: 'profile.view', user: user.id }) }).catch(() => undefined);
  res.json(user);
});

usersRouter.get('/:id/roles', (req, res, next) => {
  userRepo
    .findWithRoles(req.params.id)
    .then((user) => (user ? res.json(user) : res.sendStatus(404)))
    .catch(next);
});

usersRouter.post('/', async (req, res) => {
  const { email, name } = req.body as { email?: string; name?: string };
  if (!email || !name) throw new HttpError(400, 'email and name are required');
  const existing = await userRepo.findByEmail(email);
  if (existing) throw new HttpError(409, 'email already registered');
  const user = await userRepo.upsert({ email, name });
  sendMail(email, 'Welcome!', welcomeHtml(name)); // expect: unawaited-background-work
  recordAudit({ actor: user.id, action: 'user.signup' }).catch((err) => logger.warn('audit failed', err));
  res.status(201).json(user);
});

usersRouter.get('/:id/avatar', async (req, res) => {
  const user = await userRepo.findById(req.params.id);
  if (!user) throw new HttpError(404, 'no such user');
  const hash = Buffer.from(user.email.trim().toLowerCase()).toString('hex').slice(0, 32);
  const upstream = await fetch(`https://www.gravatar.com/avatar/${hash}?s=256&d=identicon`, { signal: signalFor(res) });
  res.type(upstream.headers.get('content-type') ?? 'image/png');
  res.send(Buffer.from(await upstream.arrayBuffer()));
});

usersRouter.patch('/:id', async (req, res) => {
  const { name } = req.body as { name?: string };
  const updated = await withTransaction(async (client) => {
    const { rows } = await client.query('UPDATE users SET name = $2 WHERE id = $1 RETURNING *', [req.params.id, name]);
    await client.query('INSERT INTO user_history (user_id, field) VALUES ($1, $2)', [req.params.id, 'name']);
    return rows[0];
  });
  void recordAudit({ actor: String(res.locals.userId), action: 'user.rename', target: req.params.id });
  res.json(updated);
});

usersRouter.post('/import', async (req, res) => {
  const rows = parseCsv(String(req.body));
  rows.forEach(async (row) => { // expect: unawaited-background-work
    await userRepo.upsert(row);
  });
  res.status(202).json({ accepted: rows.length });
});

usersRouter.post('/import/sync', async (req, res) => {
  const rows = parseCsv(String(req.body));
  const results = await Promise.allSettled(rows.map((row) => userRepo.upsert(row)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  res.json({ imported: rows.length - failed, failed });
});

usersRouter.delete('/:id', async (req, res) => {
  const deleted = await withTransaction((client) => userRepo.deleteWithClient(client, req.params.id));
  if (deleted === 0) {
    res.sendStatus(404);
    return;
  }
  const audit = recordAudit({ actor: String(res.locals.userId), action: 'user.delete', target: req.params.id });
  res.sendStatus(204);
  await audit;
});
