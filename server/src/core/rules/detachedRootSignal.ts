import type { Rule } from '../ruleApi';

const FIX_0 = "Link to the request's cancellation signal";

// Scaffold: detection and fixes are not written yet.
export const detachedRootSignal: Rule = {
  id: 'detached-root-signal',
  description: "A signal-accepting call in a request scope gets a fresh root signal that the request's end never aborts.",
  fixTitles: [FIX_0],
  check() {},
};
