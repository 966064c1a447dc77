// Legacy reporting routes (CommonJS, callback style in places).
'use strict';

const express = require('express');
const axios = require('axios');
const { exec } = require('node:child_process');
const { pool, promisePool } = require('../../lib/mysqlPool.js');
const metrics = require('../../lib/metrics.js');

const router = express.Router();

// Line arrays recycled between CSV renders.
const lineArrays = [];

function toCsv(rows) {
  const lines = lineArrays.pop() ?? [];
  for (const row of rows) lines.push(Object.values(row).join(';'));
  const csv = lines.join('\n');
  lineArrays.push(lines); // expect: pooled-object-not-reset
  return csv;
}

function toTsv(rows) {
  const lines = lineArrays.pop() ?? [];
  for (const row of rows) lines.push(Object.values(row).join('\t'));
  const tsv = lines.join('\n');
  lines.length = 0;
  lineArrays.push(lines);
  return tsv;
}
const FX_API = process.env.FX_API ?? 'https://fx.example.com/latest';

router.get('/daily', (req, res, next) => {
  const day = String(req.query.day || new Date().toISOString().slice(0, 10));
  pool.getConnection((err, conn) => { // expect: pool-resource-leak
    if (err) return next(err);
    conn.query('SELECT channel, SUM(amount) AS total FROM sales WHERE day = ? GROUP BY channel', [day], (qerr, rows) => {
      if (qerr) return next(qerr);
      conn.release();
      metrics.increment('reports.daily');
      res.json({ day, rows });
    });
  });
});

router.get('/weekly', (req, res, next) => {
  pool.getConnection((err, conn) => {
    if (err) return next(err);
    conn.query('SELECT week, SUM(amount) AS total FROM sales GROUP BY week ORDER BY week DESC LIMIT 12', (qerr, rows) => {
      conn.release();
      if (qerr) return next(qerr);
      if (req.query.format === 'csv') return res.type('text/csv').send(toCsv(rows));
      if (req.query.format === 'tsv') return res.type('text/tab-separated-values').send(toTsv(rows));
      res.json(rows);
    });
  });
});

router.get('/revenue', async (req, res, next) => {
  try {
    const currency = String(req.query.currency || 'EUR');
    const [rows] = await promisePool.query('SELECT SUM(amount) AS total FROM sales WHERE day >= CURDATE() - INTERVAL 30 DAY');
    const fx = await axios.get(FX_API, { params: { base: 'EUR', symbols: currency } }); // expect: missing-cancellation-signal
    res.json({ currency, total: Number(rows[0].total) * fx.data.rates[currency] });
  } catch (err) {
    next(err);
  }
});

router.get('/by-region', async (req, res, next) => {
  const conn = await promisePool.getConnection(); // expect: pool-resource-leak
  try {
    const [rows] = await conn.query('SELECT region, SUM(amount) AS total FROM sales GROUP BY region');
    conn.release();
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.get('/top-products', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 10, 50);
  let conn;
  try {
    conn = await promisePool.getConnection();
    const [rows] = await conn.query('SELECT sku, SUM(qty) AS sold FROM sales GROUP BY sku ORDER BY sold DESC LIMIT ?', [limit]);
    res.json(rows);
  } catch (err) {
    next(err);
  } finally {
    if (conn) conn.release();
  }
});

router.get('/build-info', (req, res) => {
  exec('git rev-parse --short HEAD', (err, stdout) => { // expect: missing-cancellation-signal
    res.json({ commit: err ? 'unknown' : stdout.trim() });
  });
});

router.post('/refresh', async (req, res) => {
  promisePool.query('CALL refresh_materialized_reports()'); // expect: unawaited-background-work
  metrics.increment('reports.refresh');
  res.status(202).end();
});

module.exports = router;
