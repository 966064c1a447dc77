// Multi-tenant resolution: which tenant a request belongs to, from the host name or a header.
'use strict';

const { LRUCache } = require('lru-cache');
const { promisePool } = require('../../lib/mysqlPool.js');

// Bounded: at most 500 tenants are kept.
const tenantsByHost = new LRUCache({ max: 500, ttl: 5 * 60 * 1000 });

// Every request id ever seen, for "debugging". Nothing removes entries.
const seenRequests = new Set();

// The tenant of "the current request": shared by every request in the process.
let currentTenant = null;

// Counters are fine in module state: they are not request data.
let resolvedCount = 0;

async function lookupTenant(host) {
  const cached = tenantsByHost.get(host);
  if (cached) return cached;
  const [rows] = await promisePool.query('SELECT id, name, plan FROM tenants WHERE host = ?', [host]);
  const tenant = rows[0] || null;
  if (tenant) tenantsByHost.set(host, tenant);
  return tenant;
}

function resolveTenant() {
  return async (req, res, next) => {
    seenRequests.add(req.get('x-request-id')); // expect: unbounded-request-store
    const tenant = await lookupTenant(req.hostname);
    if (!tenant) {
      res.status(404).json({ error: 'unknown tenant' });
      return;
    }
    resolvedCount += 1;
    currentTenant = tenant.id;
    req.tenant = tenant;
    next();
  };
}

function requirePlan(plan) {
  return (req, res, next) => {
    currentTenant = req.tenant.id; // expect: request-state-in-module-variable
    if (req.tenant.plan !== plan) {
      res.status(402).json({ error: `requires the ${plan} plan` });
      return;
    }
    next();
  };
}

function tenantStats() {
  return { resolvedCount, seen: seenRequests.size, current: currentTenant };
}

module.exports = { resolveTenant, requirePlan, tenantStats };
