import type { Rule } from '../ruleApi';

export const unawaitedBackgroundWork: Rule = {
  id: 'unawaited-background-work',
  description: 'A promise started in a request scope that nobody waits for.',
  fixTitles: ["Await the background work", "Hand it to waitUntil", "Detach explicitly with an error handler"],
  check() {
    // Not implemented yet.
  },
};
