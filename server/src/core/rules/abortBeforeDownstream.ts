import type { Rule } from '../ruleApi';

const FIX_0 = "Abort when the response closes";

// Scaffold: detection and fixes are not written yet.
export const abortBeforeDownstream: Rule = {
  id: 'abort-before-downstream',
  description: "A callback middleware aborts the signal it handed downstream as soon as next() returns, before downstream work ends.",
  fixTitles: [FIX_0],
  check() {},
};
