// Fixed-window rate limiter backed by Postgres (CommonJS middleware factory).
'use strict';

const { pool } = require('../../lib/db.js');

async function hit(key, windowStart) {
  const { rows } = await pool.query(
    `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [key, windowStart],
  );
  return rows[0].hits;
}

async function forget(before) {
  await pool.query('DELETE FROM rate_limits WHERE window_start < $1', [before]);
}

function rateLimit({ windowMs = 60000, max = 100, keyFor = (req) => req.ip } = {}) {
  let lastSweep = 0;
  return function rateLimitMiddleware(req, res, next) {
    const now = Date.now();
    const windowStart = new Date(now - (now % windowMs));
    if (now - lastSweep > windowMs) {
      lastSweep = now;
      forget(new Date(now - 10 * windowMs)); // expect: unawaited-background-work
    }
    hit(keyFor(req), windowStart).then((hits) => {
      res.setHeader('x-ratelimit-remaining', String(Math.max(0, max - hits)));
      if (hits > max) return res.status(429).json({ error: 'too many requests' });
      next();
    }, next);
  };
}

module.exports = { rateLimit };
