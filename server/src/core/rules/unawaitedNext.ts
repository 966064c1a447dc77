import type { Rule } from '../ruleApi';

const FIX_0 = "Await next()";

// Scaffold: detection and fixes are not written yet.
export const unawaitedNext: Rule = {
  id: 'unawaited-next',
  description: "A Koa or Hono middleware calls next() without awaiting or returning it, so downstream errors and timing escape it.",
  fixTitles: [FIX_0],
  check() {},
};
