import type { Rule } from '../ruleApi';

const FIX_0 = "Remove the entry when the request ends";

// Scaffold: detection and fixes are not written yet.
export const unboundedRequestStore: Rule = {
  id: 'unbounded-request-store',
  description: "A module-level collection grows on every request and nothing ever shrinks it.",
  fixTitles: [FIX_0],
  check() {},
};
