import type { Rule } from '../ruleApi';

const FIX_0 = "Make the timer stoppable";

// Scaffold: detection and fixes are not written yet.
export const factoryTimerLeak: Rule = {
  id: 'factory-timer-leak',
  description: "A recurring timer started in a middleware factory, class constructor or server module can never be stopped.",
  fixTitles: [FIX_0],
  check() {},
};
