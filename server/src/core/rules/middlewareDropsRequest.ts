import type { Rule } from '../ruleApi';

const FIX_0 = "End the response on this path";
const FIX_1 = "Pass control on at the end of this path";

// Scaffold: detection and fixes are not written yet.
export const middlewareDropsRequest: Rule = {
  id: 'middleware-drops-request',
  description: "A middleware path ends without passing control on, responding or throwing, so the request hangs.",
  fixTitles: [FIX_0, FIX_1],
  check() {},
};
