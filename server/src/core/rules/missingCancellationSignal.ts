import type { Rule } from '../ruleApi';

export const missingCancellationSignal: Rule = {
  id: 'missing-cancellation-signal',
  description: "A call that accepts an AbortSignal is made in a request scope without the request's signal.",
  fixTitles: ["Pass the request's cancellation signal"],
  check() {
    // Not implemented yet.
  },
};
