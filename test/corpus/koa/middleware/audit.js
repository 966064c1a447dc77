// Audit trail for mutating requests (CommonJS).
'use strict';

const { EventEmitter } = require('node:events');

const auditBus = new EventEmitter();
const inFlight = new Map();

/** Correct: entry removed when the request finishes, and next() awaited. */
async function trackInFlight(ctx, next) {
  const id = ctx.get('x-request-id') || String(Date.now());
  inFlight.set(id, { method: ctx.method, path: ctx.path, startedAt: Date.now() });
  try {
    await next();
  } finally {
    inFlight.delete(id);
  }
}

/** Wrong: subscribes per request on a process-wide bus and never unsubscribes. */
async function auditMutations(ctx, next) {
  if (ctx.method === 'GET') return next();
  auditBus.on('flush', () => {
    console.log('audit', ctx.method, ctx.path, ctx.status); // expect: request-object-escapes
  });
  await next();
}

/** Wrong: fire-and-forget next() in a Koa middleware. */
function auditHeaders(ctx, next) {
  ctx.set('x-audited', '1');
  next(); // expect: unawaited-next
}

function inFlightCount() {
  return inFlight.size;
}

module.exports = { trackInFlight, auditMutations, auditHeaders, inFlightCount, auditBus };
