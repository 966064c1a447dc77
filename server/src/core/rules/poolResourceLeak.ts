import { ts } from 'ts-morph';
import { RELEASE_IN_FINALLY, releaseInFinally } from '../fixes/releaseInFinally';
import { dirtyObjectsBleed, elementOf, resolvesToModuleLevel } from '../pools/objectPools';
import { poolFactsOf } from '../pools/poolFacts';
import { viaRelated } from './scopeRelated';
import type { Leak, OwnershipReport } from '../pools/ownership';
import type { Acquisition } from '../pools/poolModel';
import { skipOuter } from '../scopes/appKinds';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';

export const poolResourceLeak: Rule = {
  id: 'pool-resource-leak',
  description: "A pooled connection or object is not given back on every path, so the pool drains until requests hang.",
  fixTitles: [RELEASE_IN_FINALLY],
  check(ctx) {
    const pools = poolFactsOf(ctx.facts);
    if (!pools.mayHavePools) return;
    for (const acquisition of pools.acquisitions) {
      const report = detect(acquisition, ctx);
      if (report) ctx.report({ ...explain(acquisition, report, ctx), fixes: fix(acquisition, report, ctx) });
    }
  },
};

// ----- detect ------------------------------------------------------------------------------------

/** The paths on which the acquired resource is neither released nor handed on (pools/ownership). */
function detect(acquisition: Acquisition, ctx: RuleContext): OwnershipReport | undefined {
  const report = poolFactsOf(ctx.facts).ownership.reportFor(acquisition);
  return report && report.leaks.length > 0 ? report : undefined;
}

// ----- explain -----------------------------------------------------------------------------------

function explain(acquisition: Acquisition, report: OwnershipReport, ctx: RuleContext): ReportDescriptor {
  const resource = resourceName(acquisition);
  const subject = resource ? `\`${resource}\` from \`${acquiringText(acquisition)}\`` : `What \`${acquiringText(acquisition)}\` hands out`;
  const verb = acquisition.connections ? 'released' : 'given back to the pool';
  const message = report.neverReleased
    ? `${subject} is never ${verb}, so ${consequence(acquisition, true)}.`
    : `${subject} is not ${verb} when ${when(report.leaks[0], acquisition, ctx.sourceFile)}, so ${consequence(acquisition, false)}.`;

  const related: RelatedDescriptor[] = [];
  const seen = new Set<ts.Node>();
  for (const leak of report.leaks) {
    if (seen.has(leak.at) || related.length === 3) continue;
    seen.add(leak.at);
    const note = acquisition.holder.kind === 'discarded' ? 'the resource is dropped here without being released' : leakNote(leak, resource, verbBase(acquisition));
    related.push({ ...leakSpan(leak, ctx.sourceFile), message: note });
  }
  const scope = ctx.facts.scopeOf(acquisition.call);
  if (scope) related.push({ ...functionLabel(scope.fn, ctx.sourceFile), message: `request handler (${scope.reason}) that takes it from the pool` }, ...viaRelated(scope));
  // A callback-style acquisition spans its whole callback: the callee is enough to point at.
  const anchor = acquisition.holder.kind === 'callback' && acquisition.holder.fn.parent === acquisition.call ? acquisition.call.expression : acquisition.call;
  return { node: anchor, message, related };
}

/** Why the leak matters for this kind of pool: on every call (never released) or each time a leaking path runs. */
function consequence(acquisition: Acquisition, every: boolean): string {
  if (acquisition.kind === 'mongodb') {
    return every
      ? 'every call leaves a server session open until it times out, and sessions pile up on the server'
      : 'each time that happens a server session stays open until it times out, and sessions pile up on the server';
  }
  if (!acquisition.connections) {
    return every ? 'every call costs the pool an object and it has to allocate a new one' : 'each time that happens the pool loses an object and has to allocate a new one';
  }
  const method = (skipOuter(acquisition.call.expression) as ts.PropertyAccessExpression).name.text;
  const noun = acquisition.kind === 'pg' || acquisition.kind === 'mysql' || acquisition.kind === 'mariadb' || /^(connect|getConnection)$/.test(method) ? 'connection' : 'pooled resource';
  const hang = 'until the pool is exhausted and requests hang waiting for one';
  return every ? `every call keeps a ${noun} checked out ${hang}` : `each time that happens a ${noun} stays checked out ${hang}`;
}

function resourceName(acquisition: Acquisition): string | undefined {
  const holder = acquisition.holder;
  if (holder.kind === 'variable') return holder.identifier.text;
  if (holder.kind === 'callback') return holder.resource.text;
  return undefined;
}

/** `pool.connect()`, `this.pool.getConnection()`; a long receiver is shortened. */
function acquiringText(acquisition: Acquisition): string {
  const callee = skipOuter(acquisition.call.expression) as ts.PropertyAccessExpression;
  const receiver = skipOuter(callee.expression).getText();
  const shown = receiver.length <= 30 && !receiver.includes('\n') ? receiver : '…';
  return `${shown}.${callee.name.text}()`;
}

function when(leak: Leak, acquisition: Acquisition, sourceFile: ts.SourceFile): string {
  const where = leak.fn === acquisition.fn ? 'the function' : 'the callback';
  const line = sourceFile.getLineAndCharacterOfPosition(leak.at.getStart(sourceFile)).line + 1;
  switch (leak.kind) {
    case 'return':
      return `${where} returns at line ${line}`;
    case 'end':
      return `${where} reaches its end`;
    case 'throw':
      return `the error thrown at line ${line} leaves ${where}`;
    case 'reject':
      return `the await at line ${line} rejects`;
    case 'loop':
      return 'the loop comes round and acquires again';
    case 'overwrite':
      return `the variable is overwritten at line ${line}`;
  }
}

/** `releasing client` / `giving buf back`. */
function verbBase(acquisition: Acquisition): (name: string) => string {
  return acquisition.connections ? (name) => `releasing ${name}` : (name) => `giving ${name} back`;
}

function leakNote(leak: Leak, resource: string | undefined, doing: (name: string) => string): string {
  const name = resource ? `\`${resource}\`` : 'the resource';
  switch (leak.kind) {
    case 'return':
      return `returns here without ${doing(name)}`;
    case 'end':
      return `ends here with ${name} still held`;
    case 'throw':
      return `throws here without ${doing(name)}`;
    case 'reject':
      return `if this await rejects, it skips ${doing(name)}`;
    case 'loop':
      return `this loop acquires again while ${name} is still held`;
    case 'overwrite':
      return `overwrites ${name} while it is still held`;
  }
}

function leakSpan(leak: Leak, sourceFile: ts.SourceFile): { node?: ts.Node; start?: number; end?: number } {
  if (leak.kind === 'end' && ts.isBlock(leak.at)) return { start: leak.at.end - 1, end: leak.at.end };
  if (leak.kind === 'loop') return firstLine(leak.at, sourceFile);
  return { node: leak.at };
}

function firstLine(node: ts.Node, sourceFile: ts.SourceFile): { start: number; end: number } {
  const start = node.getStart(sourceFile);
  const newline = sourceFile.text.indexOf('\n', start);
  return { start, end: newline < 0 || newline > node.end ? node.end : newline };
}

/** The function's name, or its parameter list when it has none. */
function functionLabel(fn: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): { node?: ts.Node; start?: number; end?: number } {
  if (fn.name) return { node: fn.name };
  if (fn.parameters.length > 0) return { start: fn.parameters[0].getStart(sourceFile), end: fn.parameters[fn.parameters.length - 1].end };
  return firstLine(fn, sourceFile);
}

// ----- fix ---------------------------------------------------------------------------------------

function fix(acquisition: Acquisition, report: OwnershipReport, ctx: RuleContext) {
  const pools = poolFactsOf(ctx.facts);
  const object = acquisition.holder.kind === 'variable' ? acquisition.holder.identifier : undefined;
  const built = releaseInFinally(acquisition, report, {
    sourceFile: ctx.sourceFile,
    resolvesToModuleLevel: resolvesToModuleLevel(pools, acquisition.call),
    element: elementOf(acquisition, object, pools.mayUseTypes ? ctx.types : undefined, pools.values),
    resetMatters: acquisition.reusableObject && dirtyObjectsBleed(acquisition),
  });
  return built ? [built] : [];
}
