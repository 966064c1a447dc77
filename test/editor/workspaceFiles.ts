// The workspace files of the editor scenarios, and what each must become. The expected texts are
// the documented outputs of the rules' fixes (docs/rules/missing-cancellation-signal.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const REVIEWS = `import express from 'express';

const app = express();

app.get('/products/:id/reviews', async (req, res) => {
  const response = await fetch(\`https://reviews.example.com/products/\${req.params.id}\`);
  res.json(await response.json());
});

export default app;
`;

export const REVIEWS_FIXED = `import express from 'express';

const app = express();

app.get('/products/:id/reviews', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const response = await fetch(\`https://reviews.example.com/products/\${req.params.id}\`, { signal: requestAbort.signal });
  res.json(await response.json());
});

export default app;
`;

export const INVENTORY = `import express from 'express';

export const router = express.Router();

router.get('/inventory/:sku', async (req, res) => {
  const response = await fetch(\`https://stock.example.com/\${req.params.sku}\`);
  res.json(await response.json());
});
`;

export const INVENTORY_DISABLED = `import express from 'express';

export const router = express.Router();

router.get('/inventory/:sku', async (req, res) => {
  // context-pool-lint-disable-next-line missing-cancellation-signal
  const response = await fetch(\`https://stock.example.com/\${req.params.sku}\`);
  res.json(await response.json());
});
`;

export const DASHBOARD = `import express from 'express';

const app = express();

app.get('/dashboard', async (req, res) => {
  const user = await fetch('https://users.example.com/me');
  const orders = await fetch('https://orders.example.com/recent');
  res.json({ user: await user.json(), orders: await orders.json() });
});

export default app;
`;

export const DASHBOARD_FIXED = `import express from 'express';

const app = express();

app.get('/dashboard', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const user = await fetch('https://users.example.com/me', { signal: requestAbort.signal });
  const orders = await fetch('https://orders.example.com/recent', { signal: requestAbort.signal });
  res.json({ user: await user.json(), orders: await orders.json() });
});

export default app;
`;

/** Plain JavaScript (CommonJS), no types: the editor's fix-all on save applies here. */
export const LEGACY = `const express = require('express');

const router = express.Router();

router.get('/stock/:sku', async (req, res) => {
  const response = await fetch(\`https://stock.example.com/\${req.params.sku}\`);
  res.json(await response.json());
});

module.exports = router;
`;

export const LEGACY_FIXED_ON_SAVE = `const express = require('express');

const router = express.Router();

router.get('/stock/:sku', async (req, res) => {
  const requestAbort = new AbortController();
  res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });
  const response = await fetch(\`https://stock.example.com/\${req.params.sku}\`, { signal: requestAbort.signal });
  res.json(await response.json());
});


module.exports = router;
`;

/** A clean handler that already has a controller aborted when the client goes. */
export const HEALTH = `import express from 'express';

export const health = express.Router();

health.get('/health', async (req, res) => {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  res.json({ ok: true });
});
`;

/** HEALTH after the typing scenario: an upstream call typed in, then given the signal. */
export const HEALTH_TYPED = `import express from 'express';

export const health = express.Router();

health.get('/health', async (req, res) => {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  res.json({ ok: true });
  await fetch('https://db.example.com/ping', { signal: abort.signal });
});
`;

/** For the settings scenario: one finding whose severity the user changes. */
export const CATALOG = `import express from 'express';

export const catalog = express.Router();

catalog.get('/catalog', async (req, res) => {
  const response = await fetch('https://catalog.example.com/items');
  res.json(await response.json());
});
`;

/** Never opened in the editor: only "Scan Workspace" can report it. */
export const PAYMENTS = `import express from 'express';

export const payments = express.Router();

payments.post('/payments/:id/capture', async (req, res) => {
  const response = await fetch(\`https://psp.example.com/payments/\${req.params.id}/capture\`, { method: 'POST' });
  res.status(response.status).end();
});
`;

/** For the hover scenario: one finding to rest the mouse on. */
export const SHIPPING = `import express from 'express';

export const shipping = express.Router();

shipping.get('/shipping/quote', async (req, res) => {
  const response = await fetch('https://rates.example.com/quote');
  res.json(await response.json());
});
`;

/** A finding of a second rule (pool-resource-leak), so the findings view groups by rule. */
export const ORDERS = `import express from 'express';
import pg from 'pg';

const pool = new pg.Pool();

export const orders = express.Router();

orders.get('/orders/:id', async (req, res) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  client.release();
  res.json(rows[0]);
});
`;

/** For the language status scenario: a clean handler into which a finding is typed. */
export const SEARCH = `import express from 'express';

export const search = express.Router();

search.get('/search', async (req, res) => {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  res.json({ hits: [] });
});
`;

/** Clean route files that give the workspace scan something to do (and show progress for). */
export const GENERATED_ROUTES = 600;

export function generatedRoute(index: number): string {
  return `import express from 'express';

export const route${index} = express.Router();

route${index}.get('/items/${index}', async (req, res) => {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const response = await fetch('https://items.example.com/${index}', { signal: abort.signal });
  res.json(await response.json());
});
`;
}

export const SOURCES: Record<string, string> = {
  'reviews.ts': REVIEWS,
  'inventory.ts': INVENTORY,
  'dashboard.ts': DASHBOARD,
  'legacy.cjs': LEGACY,
  'health.ts': HEALTH,
  'catalog.ts': CATALOG,
  'billing/payments.ts': PAYMENTS,
  'shipping.ts': SHIPPING,
  'orders/orders.ts': ORDERS,
  'search.ts': SEARCH,
};

/**
 * Writes the workspace both editor runners open into a new temp folder: the scenario files under
 * src/, `routes` clean generated routes (so "Scan Workspace" has work to do), a tsconfig.json, and
 * node_modules linked to the repository's so the framework types resolve.
 */
export function writeWorkspace(prefix: string, routes: number): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'shop-api', private: true, type: 'module' }, null, 2));
  fs.writeFileSync(
    path.join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], skipLibCheck: true, noEmit: true },
      include: ['src'],
    }, null, 2),
  );
  for (const [name, text] of Object.entries(SOURCES)) {
    fs.mkdirSync(path.dirname(path.join(folder, 'src', name)), { recursive: true });
    fs.writeFileSync(path.join(folder, 'src', name), text);
  }
  fs.mkdirSync(path.join(folder, 'src', 'routes'), { recursive: true });
  for (let i = 1; i <= routes; i++) {
    fs.writeFileSync(path.join(folder, 'src', 'routes', `route${String(i).padStart(3, '0')}.ts`), generatedRoute(i));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return folder;
}
