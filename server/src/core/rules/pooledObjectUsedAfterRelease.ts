import type { Rule } from '../ruleApi';

const FIX_0 = "Move the release after the last use";
const FIX_1 = "Copy the value before releasing";

// Scaffold: detection and fixes are not written yet.
export const pooledObjectUsedAfterRelease: Rule = {
  id: 'pooled-object-used-after-release',
  description: "A pooled object, or something read from it, is used or escapes after it was given back to the pool.",
  fixTitles: [FIX_0, FIX_1],
  check() {},
};
