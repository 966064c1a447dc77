import { ts } from 'ts-morph';
import { insertBefore, portableValue, resetStatements } from '../fixes/resetPooledObject';
import { findDirtyGiveBacks, giveBackStatement, type DirtyGiveBack } from '../pools/dirtyObjects';
import { dirtyObjectsBleed, elementOf, resolvesToModuleLevel } from '../pools/objectPools';
import { poolFactsOf } from '../pools/poolFacts';
import type { GiveBack } from '../pools/poolModel';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import type { Fix } from '../types';

const RESET_FIX = 'Reset the object before returning it to the pool';

export const pooledObjectNotReset: Rule = {
  id: 'pooled-object-not-reset',
  description: "A mutated object is given back to a pool without being reset, so the next borrower sees the previous request's state.",
  fixTitles: [RESET_FIX],
  check(ctx) {
    const pools = poolFactsOf(ctx.facts);
    if (!pools.mayHavePools || pools.giveBacks.length === 0) return;
    for (const dirty of detect(ctx)) ctx.report({ ...explain(dirty, ctx), fixes: fix(dirty, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

/** Give-backs to object pools that keep state, reached by an object changed since it was taken or reset. */
function detect(ctx: RuleContext): DirtyGiveBack[] {
  const pools = poolFactsOf(ctx.facts);
  const candidates = pools.giveBacks.filter((g) => !g.discards && dirtyObjectsBleed(g) && ts.isIdentifier(g.object));
  if (candidates.length === 0) return [];
  return findDirtyGiveBacks(pools, (g) => elementFor(g, ctx), candidates);
}

function elementFor(giveBack: GiveBack, ctx: RuleContext) {
  const pools = poolFactsOf(ctx.facts);
  return elementOf(giveBack, giveBack.object, pools.mayUseTypes ? ctx.types : undefined, pools.values);
}

// ----- explain -----------------------------------------------------------------------------------

function explain(dirty: DirtyGiveBack, ctx: RuleContext): ReportDescriptor {
  const name = (dirty.giveBack.object as ts.Identifier).text;
  const line = ctx.sourceFile.getLineAndCharacterOfPosition(dirty.mutation.getStart(ctx.sourceFile)).line + 1;
  const message = `\`${name}\` goes back to the pool still carrying the changes made at line ${line}, so the next caller that takes it from the pool starts with this one's leftover state.`;
  const related: RelatedDescriptor[] = [{ node: dirty.mutation, message: `\`${name}\` is changed here and not reset before it is given back` }];
  if (dirty.acquisition) related.push({ node: dirty.acquisition.call, message: `\`${name}\` is taken from the pool here` });
  return { node: dirty.giveBack.call, message, related };
}

// ----- fix ---------------------------------------------------------------------------------------

function fix(dirty: DirtyGiveBack, ctx: RuleContext): Fix[] {
  const statement = giveBackStatement(dirty.giveBack.call);
  if (!statement) return [];
  const name = (dirty.giveBack.object as ts.Identifier).text;
  const portable = portableValue(resolvesToModuleLevel(poolFactsOf(ctx.facts), statement));
  const lines = resetStatements(name, elementFor(dirty.giveBack, ctx), dirty.dirtyKeys, portable);
  if (!lines) return [];
  return [{ title: RESET_FIX, preferred: true, edits: [insertBefore(ctx.sourceFile, statement, lines)] }];
}
