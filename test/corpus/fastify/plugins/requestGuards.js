// Hooks shared by every Fastify service: tenant context, signatures, deadlines (CommonJS).
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');

const tenantStore = new AsyncLocalStorage();
let lastTenantHeader = '';

async function requestGuards(fastify) {
  // Wrong: enterWith in a hook.
  fastify.addHook('onRequest', (request, reply, done) => {
    tenantStore.enterWith({ tenant: request.headers['x-tenant'] || 'public' }); // expect: als-enter-with
    done();
  });

  // Wrong: a rejected signature leaves the request hanging (code() does not send).
  fastify.addHook('preValidation', (request, reply, done) => {
    if (!request.headers['x-signature']) {
      reply.code(401);
      return; // expect: middleware-drops-request
    }
    done();
  });

  // Wrong: the deadline signal is aborted as soon as done() returns.
  fastify.addHook('preHandler', (request, reply, done) => {
    const controller = new AbortController();
    request.deadline = controller.signal;
    done();
    controller.abort(); // expect: abort-before-downstream
  });

  // Correct: aborted when the raw response closes.
  fastify.addHook('preHandler', (request, reply, done) => {
    const controller = new AbortController();
    request.cancel = controller.signal;
    reply.raw.once('close', () => controller.abort());
    done();
  });

  // Wrong: the header of whichever request came last, read by the debug route.
  fastify.addHook('preHandler', async (request) => {
    lastTenantHeader = String(request.headers['x-tenant']); // expect: request-state-in-module-variable
  });

  fastify.get('/debug/tenant', async () => ({ lastTenantHeader, store: tenantStore.getStore() || null }));
}

// What fastify-plugin does: the hooks apply to the parent instance.
requestGuards[Symbol.for('skip-override')] = true;

module.exports = requestGuards;
