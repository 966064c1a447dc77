// Product analytics ingestion (ESM). Events are batched in memory and flushed by a job.
import express from 'express';
import { pool } from '../../lib/db.js';

export const analyticsRouter = express.Router();

const pending = [];
const MAX_PENDING = 10_000;
const sessions = new Map();
const recentIps = [];

// Correct: bounded by a size check before the insert; the flush job empties it.
analyticsRouter.post('/events', (req, res) => {
  if (pending.length >= MAX_PENDING) {
    res.status(503).json({ error: 'ingestion backlog full' });
    return;
  }
  pending.push({ name: String(req.body.name), at: Date.now(), user: String(req.body.userId) });
  res.sendStatus(202);
});

// Sessions end explicitly; the map shrinks there.
analyticsRouter.post('/sessions', (req, res) => {
  const id = String(req.body.sessionId);
  sessions.set(id, { startedAt: Date.now(), pages: 0 });
  res.sendStatus(201);
});

analyticsRouter.delete('/sessions/:id', (req, res) => {
  sessions.delete(req.params.id);
  res.sendStatus(204);
});

// Wrong: grows with every page view, never trimmed.
analyticsRouter.post('/pageviews', (req, res) => {
  recentIps.push(req.ip); // expect: unbounded-request-store
  res.sendStatus(202);
});

// Wrong: the whole request is kept for "replay" later.
const replayBuffer = {};
analyticsRouter.post('/replay/:id', (req, res) => {
  replayBuffer[req.params.id] = req; // expect: request-object-escapes, unbounded-request-store
  res.sendStatus(202);
});

export async function flushPending() {
  const batch = pending.splice(0, pending.length);
  if (batch.length === 0) return 0;
  await pool.query('INSERT INTO events (payload) SELECT * FROM json_array_elements($1::json)', [JSON.stringify(batch)]);
  return batch.length;
}

export function replayIds() {
  return Object.keys(replayBuffer);
}
