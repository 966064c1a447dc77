import type { Rule } from '../ruleApi';

const FIX_0 = "Clear the timer when the request ends";
const FIX_1 = "Clear the timeout in finally";
const FIX_2 = "Use AbortSignal.timeout instead";

// Scaffold: detection and fixes are not written yet.
export const timerWithoutCleanup: Rule = {
  id: 'timer-without-cleanup',
  description: "A per-request interval or timeout timer is not cleared when the request ends, so it keeps firing after the response.",
  fixTitles: [FIX_0, FIX_1, FIX_2],
  check() {},
};
