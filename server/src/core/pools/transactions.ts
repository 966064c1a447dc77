import { ts } from 'ts-morph';
import { flowGraphOf, isFunctionWithBody, isOwnCode, walkPaths, within, type FunctionWithBody } from '../flow';
import { callsOfMethods } from './methodCalls';
import { skipOuter } from '../scopes/appKinds';

/** A transaction opened on a pooled connection: `client.query('BEGIN')`, `conn.beginTransaction()`. */
export interface OpenedTransaction {
  readonly begin: ts.CallExpression;
  /** The statement that rolls it back, written in the file's quote style. */
  readonly rollback: string;
}

export interface TransactionExits {
  readonly transactions: readonly OpenedTransaction[];
  /** Some path returns (or falls off the end) with the transaction still open. */
  readonly openOnNormalExit: boolean;
  /** Some exception leaves the function with the transaction still open. */
  readonly openOnException: boolean;
}

/**
 * Whether a transaction begun on the resource can still be open when the function is left: a
 * pooled pg or mysql connection given back mid-transaction hands the next borrower an open
 * transaction, so the release fix must roll back first on exceptions, and must not be offered at
 * all when a normal exit leaves it open.
 */
export function transactionExits(fn: FunctionWithBody, resource: string): TransactionExits {
  const transactions: OpenedTransaction[] = [];
  const sourceFile = fn.getSourceFile();
  // The function's own calls that can begin one, from the file's method calls rather than a walk.
  for (const call of callsOfMethods(sourceFile, BEGIN_METHODS)) {
    if (!within(call, fn.body) || call === fn.body || !isOwnCode(call, fn)) continue;
    const rollback = beginRollback(call, resource);
    if (rollback) transactions.push({ begin: call, rollback });
  }
  let openOnNormalExit = false;
  let openOnException = false;
  if (transactions.length === 0) return { transactions, openOnNormalExit, openOnException };

  const graph = flowGraphOf(fn);
  // The state is where to resume inside the BEGIN step (only what follows the BEGIN counts there).
  const starts = transactions.flatMap((t) => graph.stepsContaining(t.begin).map((node) => ({ node, state: { resume: t.begin.end } })));
  walkPaths<{ resume?: number }>(graph, starts, {
    key: (state) => (state.resume === undefined ? '' : String(state.resume)),
    step: (node, state) => {
      const thrown: { resume?: number }[] = [];
      const ast = node.ast;
      if (!ast || node.role === 'catch' || node.role === 'jump') return { next: {}, thrown };
      // An await completes after its operand: a COMMIT that is awaited has already been sent.
      const points: { pos: number; closes: boolean }[] = node.awaits.map((a) => ({ pos: a.end, closes: false }));
      if (node.role !== 'iteration') {
        // Calls in the step, outside the functions it creates, that end the transaction.
        for (const call of callsOfMethods(sourceFile, END_METHODS)) {
          if (within(call, ast) && !insideFunction(call, ast) && endsTransaction(call, resource)) points.push({ pos: call.end - 0.5, closes: true });
        }
      }
      points.sort((a, b) => a.pos - b.pos);
      for (const point of points) {
        if (state.resume !== undefined && point.pos <= state.resume) continue;
        if (point.closes) return { thrown };
        thrown.push({});
      }
      if (node.role === 'throw') return { thrown: [...thrown, {}] };
      return { next: {}, thrown };
    },
    reachedExit: (exit) => {
      if (exit === graph.throwExit) openOnException = true;
      else openOnNormalExit = true;
    },
  });
  return { transactions, openOnNormalExit, openOnException };
}

const BEGIN_METHODS: ReadonlySet<string> = new Set(['beginTransaction', 'query', 'execute']);
const END_METHODS: ReadonlySet<string> = new Set(['commit', 'rollback', 'query', 'execute']);

/** Whether a function with a body lies between `node` and `ast` (`ast` itself included). */
function insideFunction(node: ts.Node, ast: ts.Node): boolean {
  if (node === ast) return false;
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionWithBody(current)) return true;
    if (current === ast) return false;
  }
  return false;
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const END = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+TO\b))\b/i;

/** The rollback statement for a call that begins a transaction on `resource`, if it is one. */
function beginRollback(call: ts.CallExpression, resource: string): string | undefined {
  const method = methodOn(call, resource);
  if (method === 'beginTransaction') return `await ${resource}.rollback();`;
  if (method !== 'query' && method !== 'execute') return undefined;
  const sql = sqlText(call);
  if (!sql || !BEGIN.test(sql.text)) return undefined;
  return `await ${resource}.${method}(${sql.quote}ROLLBACK${sql.quote});`;
}

function endsTransaction(call: ts.CallExpression, resource: string): boolean {
  const method = methodOn(call, resource);
  if (method === 'commit' || method === 'rollback') return true;
  if (method !== 'query' && method !== 'execute') return false;
  const sql = sqlText(call);
  return !!sql && END.test(sql.text);
}

function methodOn(call: ts.CallExpression, resource: string): string | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || ts.isPrivateIdentifier(callee.name)) return undefined;
  const receiver = skipOuter(callee.expression);
  return ts.isIdentifier(receiver) && receiver.text === resource ? callee.name.text : undefined;
}

function sqlText(call: ts.CallExpression): { text: string; quote: string } | undefined {
  const first = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) return undefined;
  const quote = first.getText()[0];
  return { text: first.text, quote };
}

