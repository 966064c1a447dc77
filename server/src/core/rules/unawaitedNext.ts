import { ts } from 'ts-morph';
import { makeAsyncEdits } from '../fixes/makeAsync';
import type { Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { indexOf } from '../syntax/fileIndex';
import type { Fix } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_TITLE = 'Await next()';

/** Frameworks whose `next()` returns the promise of the rest of the chain (RULES.md §2.9). */
const PROMISE_CHAIN_FRAMEWORKS = new Set<RequestScope['framework']>(['koa', 'hono']);

/** A `next()` call of a Koa / Hono middleware used as a bare statement (plain data; see `detect`). */
interface UnawaitedNext {
  call: ts.CallExpression;
  scope: RequestScope;
}

export const unawaitedNext: Rule = {
  id: 'unawaited-next',
  description: 'A Koa or Hono middleware calls next() without awaiting or returning it, so downstream errors and timing escape it.',
  fixTitles: [FIX_TITLE],
  check(ctx) {
    for (const found of detect(ctx)) {
      ctx.report({
        node: found.call,
        message: explain(found),
        related: scopeRelated(found.scope, `the middleware (${found.scope.reason}) whose next() this is`, ctx.sourceFile),
        fixes: fix(found, ctx.sourceFile),
      });
    }
  },
};

/**
 * Every `next()` statement directly in a Koa / Hono middleware's own body (not in a function nested
 * in it, whose result may be returned or awaited elsewhere: `als.run(s, () => next())`). Only a call
 * whose value is thrown away is reported: `await next()`, `return next()`, `(c, next) => next()`,
 * `const p = next()` and `next().then(...)` hand the promise on.
 */
function detect(ctx: RuleContext): UnawaitedNext[] {
  const scopes = ctx.facts.requestScopes.filter((scope) => PROMISE_CHAIN_FRAMEWORKS.has(scope.framework) && scope.next?.kind === 'next');
  if (scopes.length === 0) return [];
  const declarations = indexOf(ctx.sourceFile).declarations;
  const found: UnawaitedNext[] = [];
  for (const scope of scopes) {
    const nextName = scope.next!.name;
    const parameter = scope.fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === nextName);
    if (!parameter || !scope.fn.body || !ts.isBlock(scope.fn.body)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isExpressionStatement(node)) {
        const call = skipOuter(node.expression);
        if (ts.isCallExpression(call) && isNextCall(call, nextName) && declarations.lookup(nextName, call.expression) === parameter) {
          found.push({ call, scope });
        }
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(scope.fn.body, visit);
  }
  return found;
}

function isNextCall(call: ts.CallExpression, nextName: string): boolean {
  const callee = skipOuter(call.expression);
  return ts.isIdentifier(callee) && callee.text === nextName && !call.questionDotToken;
}

function explain(found: UnawaitedNext): string {
  const framework = found.scope.framework === 'koa' ? 'Koa' : 'Hono';
  return `This ${framework} middleware calls next() without awaiting or returning it, so it finishes before the downstream middleware does: their errors escape its error handling and any code after next() runs before the response is ready.`;
}

/** "Await next()": `await` before the call, and `async` on the middleware if it isn't. */
function fix(found: UnawaitedNext, sourceFile: ts.SourceFile): Fix[] {
  const asyncEdits = makeAsyncEdits(found.scope.fn, sourceFile);
  if (!asyncEdits) return [];
  const start = found.call.getStart(sourceFile);
  return [{ title: FIX_TITLE, preferred: true, edits: [...asyncEdits, { start, end: start, newText: 'await ' }] }];
}
