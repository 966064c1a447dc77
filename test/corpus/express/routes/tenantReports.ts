// Reports that run against each tenant's own reporting database.
import { Router } from 'express';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { pool } from '../../lib/db.js';
import { signalFor } from '../../lib/requestSignal.js';

export const tenantReportsRouter = Router();

interface TenantDb {
  host: string;
  database: string;
}

async function tenantDb(tenantId: string): Promise<TenantDb> {
  const { rows } = await pool.query<TenantDb>('SELECT host, database FROM tenant_dbs WHERE tenant_id = $1', [tenantId]);
  if (!rows[0]) throw new Error(`no reporting database for ${tenantId}`);
  return rows[0];
}

// Wrong: a new pool (and its idle connections) for every request.
tenantReportsRouter.get('/:tenant/revenue', async (req, res) => {
  const db = await tenantDb(req.params.tenant);
  const reporting = new pg.Pool({ host: db.host, database: db.database, max: 4 }); // expect: pool-per-request
  const { rows } = await reporting.query('SELECT month, sum(total) AS revenue FROM invoices GROUP BY month');
  res.json(rows);
});

// Wrong: a MySQL pool per request, ended only when the query succeeds.
tenantReportsRouter.get('/:tenant/churn', async (req, res) => {
  const db = await tenantDb(req.params.tenant);
  const legacy = mysql.createPool({ host: db.host, database: db.database, connectionLimit: 2 }); // expect: pool-per-request
  const [rows] = await legacy.query('SELECT cohort, churned FROM churn_by_cohort');
  await legacy.end();
  res.json(rows);
});

// Correct: a dedicated client that is closed on every path.
tenantReportsRouter.get('/:tenant/export', async (req, res) => {
  const db = await tenantDb(req.params.tenant);
  const client = new pg.Client({ host: db.host, database: db.database, statement_timeout: 60_000 });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT * FROM monthly_export');
    res.json(rows);
  } finally {
    await client.end();
  }
});

// Correct: the shared pool, with a signal for the upstream call.
tenantReportsRouter.get('/:tenant/forecast', async (req, res) => {
  const signal = signalFor(res);
  const { rows } = await pool.query('SELECT month, revenue FROM revenue_history WHERE tenant_id = $1', [req.params.tenant]);
  const upstream = await fetch(`${process.env.FORECAST_URL}/predict`, {
    method: 'POST',
    body: JSON.stringify(rows),
    headers: { 'content-type': 'application/json' },
    signal,
  });
  res.status(upstream.status).json(await upstream.json());
});
