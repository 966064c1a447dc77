'use strict';
// Printable invoices. Written before the TypeScript move and kept as CommonJS.
const path = require('node:path');
const { readFile } = require('node:fs/promises');
const express = require('express');
const { pool } = require('../../db/pool');

const router = express.Router();

// Row arrays are reused between invoices: year-end statements render thousands of rows.
/** @type {string[][]} */
const rowBuffers = [];

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatEuros(cents) {
  return `€${(cents / 100).toFixed(2)}`;
}

function renderRows(lines) {
  const rows = rowBuffers.pop() ?? [];
  for (const line of lines) {
    rows.push(
      `<tr><td>${escapeHtml(line.sku)}</td><td>${line.quantity}</td><td>${formatEuros(line.quantity * line.unit_price_cents)}</td></tr>`,
    );
  }
  const html = rows.join('\n');
  rowBuffers.push(rows);
  return html;
}

router.get('/:orderId', async (req, res) => {
  const orderId = Number(req.params.orderId);
  const { rows: orders } = await pool.query(
    'SELECT id, total_cents, created_at FROM orders WHERE id = $1 AND user_id = $2',
    [orderId, req.user.id],
  );
  const order = orders[0];
  if (!order) {
    res.status(404).send('No such order');
    return;
  }
  const { rows: lines } = await pool.query(
    'SELECT sku, quantity, unit_price_cents FROM order_lines WHERE order_id = $1 ORDER BY sku',
    [orderId],
  );
  const template = await readFile(path.join(__dirname, 'invoice.html'), 'utf8');
  const html = template
    .replaceAll('{{orderId}}', String(order.id))
    .replace('{{date}}', order.created_at.toISOString().slice(0, 10))
    .replace('{{lines}}', renderRows(lines))
    .replace('{{total}}', formatEuros(order.total_cents));
  res.type('html').send(html);
});

module.exports = router;
