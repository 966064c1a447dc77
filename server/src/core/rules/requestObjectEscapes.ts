import type { Rule } from '../ruleApi';

const FIX_0 = "Copy the needed values before the callback";

// Scaffold: detection and fixes are not written yet.
export const requestObjectEscapes: Rule = {
  id: 'request-object-escapes',
  description: "A request object is kept alive after the response by a timer, listener, unawaited continuation or long-lived store.",
  fixTitles: [FIX_0],
  check() {},
};
