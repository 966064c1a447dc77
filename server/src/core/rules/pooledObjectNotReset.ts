import type { Rule } from '../ruleApi';

export const pooledObjectNotReset: Rule = {
  id: 'pooled-object-not-reset',
  description: 'An object is given back to a pool after being mutated, without being reset.',
  fixTitles: ["Reset the object before returning it to the pool"],
  check() {
    // Not implemented yet.
  },
};
