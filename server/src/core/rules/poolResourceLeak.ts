import type { Rule } from '../ruleApi';

export const poolResourceLeak: Rule = {
  id: 'pool-resource-leak',
  description: 'A pooled resource is not given back on every path.',
  fixTitles: ["Release in a finally block"],
  check() {
    // Not implemented yet.
  },
};
