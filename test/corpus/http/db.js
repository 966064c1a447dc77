// Inventory service database (CommonJS).
'use strict';

const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.INVENTORY_DB_URL, max: 5 });

async function stockFor(sku) {
  const { rows } = await pool.query('SELECT sku, stock, reserved FROM stock WHERE sku = $1', [sku]);
  return rows[0];
}

module.exports = { pool, stockFor };
