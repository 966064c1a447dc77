import type { Rule } from '../ruleApi';

const FIX_0 = "Use run() around the rest of the chain";

// Scaffold: detection and fixes are not written yet.
export const alsEnterWith: Rule = {
  id: 'als-enter-with',
  description: "AsyncLocalStorage#enterWith in a request scope leaks the store into later continuations, including other requests'.",
  fixTitles: [FIX_0],
  check() {},
};
