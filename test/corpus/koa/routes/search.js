// Catalogue search routes (CommonJS, @koa/router).
'use strict';

const Router = require('@koa/router');

const router = new Router({ prefix: '/search' });
const SEARCH_URL = process.env.SEARCH_URL || 'http://search.internal';

function requestSignal(ctx) {
  const controller = new AbortController();
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) controller.abort();
  });
  return controller.signal;
}

// Wrong: next() not awaited in a router-level middleware.
router.use((ctx, next) => {
  ctx.set('x-search-version', '2');
  next(); // expect: unawaited-next
});

// Correct: linked to the response closing, with a deadline.
router.get('/', async (ctx) => {
  const signal = AbortSignal.any([requestSignal(ctx), AbortSignal.timeout(3_000)]);
  const res = await fetch(`${SEARCH_URL}/q?term=${encodeURIComponent(String(ctx.query.term || ''))}`, { signal });
  ctx.body = await res.json();
});

// Wrong: a root controller, only aborted by its own timer.
router.get('/similar/:sku', async (ctx) => {
  const controller = new AbortController(); // expect: detached-root-signal
  const timer = setTimeout(() => controller.abort(), 2_000);
  try {
    const res = await fetch(`${SEARCH_URL}/similar/${ctx.params.sku}`, { signal: controller.signal });
    ctx.body = await res.json();
  } finally {
    clearTimeout(timer);
  }
});

// Correct: a controller linked to the request's end.
router.get('/export', async (ctx) => {
  const controller = new AbortController();
  ctx.res.once('close', () => controller.abort());
  const res = await fetch(`${SEARCH_URL}/export`, { signal: controller.signal });
  ctx.type = 'application/x-ndjson';
  ctx.body = res.body;
});

module.exports = router;
