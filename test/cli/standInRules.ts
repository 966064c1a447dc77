// Stand-ins for the real rules, so the CLI's own behaviour (formats, fixing, writing, exit status)
// is tested with findings whose messages, positions and fixes the tests know exactly — whatever
// the real rules report this week. The real rules are exercised through dist/cli.js in cli.test.ts.
import * as fs from 'node:fs';
import { ts } from 'ts-morph';
import { RULES, type Rule } from '../../server/src/core';
import type { RuleContext } from '../../server/src/core/ruleApi';

export const STAND_IN_MESSAGES = {
  unawaited: 'sendMail() is started and nobody waits for it.',
  leak: 'The client from pool.connect() is not released on every path.',
  broken: 'breakMe() gets a fix that breaks the file.',
};

/** Text that makes the stand-in for pooled-object-not-reset throw, to test rule crashes. */
export const CRASH_MARKER = 'CRASH_THE_RULE';

/** Text that makes a stand-in change the file on disk while it is analysed, and what it appends. */
export const SAVE_DURING_FIX_MARKER = 'SAVE_DURING_FIX';
export const SAVED_BY_EDITOR = '// saved by the editor\n';

const STAND_INS: Record<string, (ctx: RuleContext) => void> = {
  // Reports `sendMail();` statements inside a function, with the two fixes RULES.md names.
  'unawaited-background-work'(ctx) {
    visit(ctx.sourceFile, (node) => {
      if (!ts.isExpressionStatement(node) || !isCallTo(node.expression, 'sendMail')) return;
      const enclosing = enclosingFunction(node);
      if (!enclosing) return;
      const start = node.expression.getStart(ctx.sourceFile);
      const end = node.expression.getEnd();
      ctx.report({
        node,
        message: STAND_IN_MESSAGES.unawaited,
        related: [{ node: enclosing, message: 'The request scope it belongs to.' }],
        fixes: [
          { title: 'Await the background work', preferred: true, edits: [{ start, end: start, newText: 'await ' }] },
          {
            title: 'Detach explicitly with an error handler',
            preferred: false,
            edits: [
              { start, end: start, newText: 'void ' },
              { start: end, end, newText: '.catch(() => {})' },
            ],
          },
        ],
      });
    });
  },
  // Reports every `pool.connect()` call, with no fix.
  'pool-resource-leak'(ctx) {
    visit(ctx.sourceFile, (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'connect') {
        ctx.report({ node, message: STAND_IN_MESSAGES.leak });
      }
    });
  },
  // Reports `breakMe();` with a "fix" that breaks the syntax, to test that such a file is not written.
  'missing-cancellation-signal'(ctx) {
    visit(ctx.sourceFile, (node) => {
      if (!ts.isExpressionStatement(node) || !isCallTo(node.expression, 'breakMe')) return;
      const start = node.getStart(ctx.sourceFile);
      ctx.report({ node, message: STAND_IN_MESSAGES.broken, fixes: [{ title: 'Pass the request\'s cancellation signal', preferred: true, edits: [{ start, end: start, newText: '(' }] }] });
    });
  },
  'pooled-object-not-reset'(ctx) {
    if (ctx.text.includes(CRASH_MARKER)) throw new Error('stand-in rule crashed on purpose');
    // Plays an editor that saves the file while --fix is working on it.
    if (ctx.text.includes(SAVE_DURING_FIX_MARKER)) {
      const onDisk = fs.readFileSync(ctx.fileName, 'utf8');
      if (!onDisk.endsWith(SAVED_BY_EDITOR)) fs.writeFileSync(ctx.fileName, onDisk + SAVED_BY_EDITOR);
    }
  },
};

/** Replaces every rule's check with its stand-in (or nothing); returns the undo. */
export function useStandInRules(): () => void {
  const originals = RULES.map((rule) => [rule, rule.check] as const);
  for (const rule of RULES as Rule[]) rule.check = STAND_INS[rule.id] ?? (() => {});
  return () => {
    for (const [rule, check] of originals) (rule as Rule).check = check;
  };
}

function visit(node: ts.Node, callback: (node: ts.Node) => void): void {
  callback(node);
  ts.forEachChild(node, (child) => visit(child, callback));
}

function isCallTo(expression: ts.Expression, name: string): boolean {
  return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === name;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}
