import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { createSession, createUser, findUserByEmail, recordLogin } from '../../db/usersRepo';
import { sendWelcomeMail } from '../../lib/mailer';
import { authenticate, requireUser } from '../middleware/auth';

const KEY_LENGTH = 64;

function deriveKey(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt);
  return `${salt.toString('hex')}:${key.toString('hex')}`;
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [saltHex, keyHex] = stored.split(':');
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await deriveKey(password, Buffer.from(saltHex, 'hex'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const usersRouter = Router();

usersRouter.post('/', async (req, res) => {
  const { email, name, password } = req.body as { email?: string; name?: string; password?: string };
  if (!email || !name || !password || password.length < 10) {
    res.status(400).json({ error: 'email, name and a password of at least 10 characters are required' });
    return;
  }
  if (await findUserByEmail(email)) {
    res.status(409).json({ error: 'an account with this e-mail exists' });
    return;
  }
  const user = await createUser({ email, name, passwordHash: await hashPassword(password) });
  const requestAbort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) requestAbort.abort();
  });
  await sendWelcomeMail(user.email, user.name, requestAbort.signal);
  res.status(201).json({ id: user.id, email: user.email, name: user.name });
});

usersRouter.post('/sessions', async (req, res) => {
  const { email, password } = req.body as { email?: string; password?: string };
  const user = email ? await findUserByEmail(email) : undefined;
  if (!user || !password || !(await verifyPassword(password, user.passwordHash))) {
    res.status(401).json({ error: 'wrong e-mail or password' });
    return;
  }
  const token = await createSession(user.id);
  // Last-login bookkeeping must never fail a login.
  void recordLogin(user.id).catch((error) => console.warn(`could not record login of user ${user.id}`, error));
  res.status(201).json({ token });
});

usersRouter.get('/me', authenticate, (req, res) => {
  const user = requireUser(req);
  res.json({ id: user.id, email: user.email, name: user.name });
});
