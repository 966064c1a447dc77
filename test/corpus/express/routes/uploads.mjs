// Image uploads: stored under UPLOAD_DIR, thumbnailed with ImageMagick. ESM JavaScript.
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { signalFor } from '../../lib/requestSignal.js';

const execFileAsync = promisify(execFile);
const UPLOAD_DIR = process.env.UPLOAD_DIR ?? '/var/lib/app/uploads';

export const uploadsRouter = Router();

uploadsRouter.post('/', async (req, res, next) => {
  try {
    const id = randomUUID();
    const signal = signalFor(res);
    await writeFile(path.join(UPLOAD_DIR, `${id}.bin`), req.body, { signal });
    res.status(201).json({ id });
  } catch (err) {
    next(err);
  }
});

uploadsRouter.post('/:id/thumbnail', async (req, res, next) => {
  const source = path.join(UPLOAD_DIR, `${path.basename(req.params.id)}.bin`);
  const target = path.join(UPLOAD_DIR, `${path.basename(req.params.id)}.thumb.png`);
  try {
    await execFileAsync('convert', [source, '-thumbnail', '256x256', target]); // expect: missing-cancellation-signal
    const png = await readFile(target); // expect: missing-cancellation-signal
    res.type('image/png').send(png);
  } catch (err) {
    next(err);
  }
});

uploadsRouter.get('/:id/meta', async (req, res, next) => {
  const source = path.join(UPLOAD_DIR, `${path.basename(req.params.id)}.bin`);
  const signal = signalFor(res);
  try {
    const { stdout } = await execFileAsync('identify', ['-format', '%w %h %m', source], { signal, timeout: 5_000 });
    const [width, height, format] = stdout.trim().split(' ');
    res.json({ width: Number(width), height: Number(height), format });
  } catch (err) {
    next(err);
  }
});

uploadsRouter.delete('/:id', async (req, res) => {
  const base = path.join(UPLOAD_DIR, path.basename(req.params.id));
  await unlink(`${base}.bin`);
  unlink(`${base}.thumb.png`); // expect: unawaited-background-work
  res.sendStatus(204);
});

uploadsRouter.get('/:id/raw', async (req, res) => {
  const file = path.join(UPLOAD_DIR, `${path.basename(req.params.id)}.bin`);
  const data = await readFile(file, { signal: signalFor(res) });
  res.type('application/octet-stream').send(data);
});
