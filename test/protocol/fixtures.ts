// Source texts the protocol tests open, with what RULES.md says the rules must report for them.

/** An Express handler that starts a promise nobody waits for (RULES.md 2.1), in plain JavaScript. */
export const UNAWAITED_JS = `const express = require('express');

const app = express();

async function sendMail() {}

app.get('/x', async (req, res) => {
  sendMail();
  res.send('ok');
});
`;

/** Where `sendMail();` starts in UNAWAITED_JS. */
export const UNAWAITED_JS_ANCHOR = { line: 7, character: 2 };

/** UNAWAITED_JS after "Await the background work". */
export const UNAWAITED_JS_AWAITED = UNAWAITED_JS.replace('  sendMail();', '  await sendMail();');

/** The same handler with no finding at all. */
export const CLEAN_JS = UNAWAITED_JS_AWAITED;

/** A pg client acquired and never released (RULES.md 3.1), typed: pg's types must resolve. */
export const POOL_LEAK_TS = `import { Pool } from 'pg';

const pool = new Pool();

export async function countUsers(): Promise<number> {
  const client = await pool.connect();
  const result = await client.query('select count(*) as n from users');
  return Number(result.rows[0].n);
}
`;

/** Where `pool.connect()` starts in POOL_LEAK_TS. */
export const POOL_LEAK_ANCHOR = { line: 5, character: 23 };

/** Two findings of 2.1 in one handler, for fix-all. */
export const TWO_UNAWAITED_JS = `const express = require('express');

const app = express();

async function sendMail() {}
async function audit() {}

app.post('/y', async (req, res) => {
  sendMail();
  audit();
  res.send('ok');
});
`;

export const TWO_UNAWAITED_JS_FIXED = TWO_UNAWAITED_JS.replace('  sendMail();', '  await sendMail();').replace('  audit();', '  await audit();');

export const SYNTAX_ERROR_JS = `const express = require('express');
const app = express();
app.get('/x', async (req, res) => {
  res.send('ok'
});
`;

export const BINARY_CONTENT = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3e, 0x00]);
