import type { Rule } from '../ruleApi';
import { uncleanedTimers, type UncleanedTimer } from '../timers/uncleanedTimers';
import { timerCleanupFixes } from '../fixes/timerCleanup';
import { scopeRelated } from './scopeRelated';

const FIX_0 = "Clear the timer when the request ends";
const FIX_1 = "Clear the timeout in finally";
const FIX_2 = "Use AbortSignal.timeout instead";

export const timerWithoutCleanup: Rule = {
  id: 'timer-without-cleanup',
  description: "A per-request interval or timeout timer is not cleared when the request ends, so it keeps firing after the response.",
  fixTitles: [FIX_0, FIX_1, FIX_2],
  check(ctx) {
    for (const timer of uncleanedTimers(ctx.facts)) {
      ctx.report({
        node: timer.call,
        message: explain(timer),
        related: scopeRelated(timer.scope, `the request handler (${timer.scope.reason}) this timer outlives`, ctx.sourceFile),
        fixes: timerCleanupFixes(ctx, timer, { clearOnEnd: FIX_0, clearInFinally: FIX_1, abortSignalTimeout: FIX_2 }),
      });
    }
  },
};

function explain(timer: UncleanedTimer): string {
  if (timer.kind === 'interval') {
    return 'This setInterval is started for one request and never cleared, so it keeps firing after the response and keeps everything its callback captures alive for the life of the process.';
  }
  if (timer.cleanup?.kind === 'abort') {
    return `This timeout that aborts ${timer.cleanup.controller.text} is not cleared on every path or when the request ends, so it outlives the request and keeps the controller and its callback's captures alive until it fires (Go vet's lostcancel).`;
  }
  return "This timeout that rejects a promise raced with the request's work is not cleared on every path or when the request ends, so each request leaves a live timer and its callback's captures behind until it fires (Go vet's lostcancel).";
}
