// Counters pushed to the metrics gateway (CommonJS: shared with the legacy services).
'use strict';

const counters = new Map();

function increment(name, by = 1) {
  counters.set(name, (counters.get(name) ?? 0) + by);
}

async function flush(gatewayUrl) {
  if (counters.size === 0) return;
  const body = JSON.stringify(Object.fromEntries(counters));
  counters.clear();
  await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

module.exports = { increment, flush };
