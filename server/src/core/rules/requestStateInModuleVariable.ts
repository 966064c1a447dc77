import type { Rule } from '../ruleApi';

const FIX_0 = "Make it a local variable";

// Scaffold: detection and fixes are not written yet.
export const requestStateInModuleVariable: Rule = {
  id: 'request-state-in-module-variable',
  description: "Request data is kept in a module-level, static or singleton variable that concurrent requests overwrite.",
  fixTitles: [FIX_0],
  check() {},
};
