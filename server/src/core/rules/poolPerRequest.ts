import type { Rule } from '../ruleApi';

const FIX_0 = "Move the pool to module scope";

// Scaffold: detection and fixes are not written yet.
export const poolPerRequest: Rule = {
  id: 'pool-per-request',
  description: "A pool or shared client is created for every request instead of once per process.",
  fixTitles: [FIX_0],
  check() {},
};
