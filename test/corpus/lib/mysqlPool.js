// The reporting database (MySQL). CommonJS, shared with the legacy reporting routes.
'use strict';

const mysql = require('mysql2');

const pool = mysql.createPool({
  host: process.env.REPORTS_DB_HOST ?? 'localhost',
  user: process.env.REPORTS_DB_USER ?? 'reports',
  password: process.env.REPORTS_DB_PASSWORD,
  database: 'reports',
  connectionLimit: 8,
  waitForConnections: true,
});

const promisePool = pool.promise();

module.exports = { pool, promisePool };
