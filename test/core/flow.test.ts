// The control-flow view (server/src/core/flow): branches, early returns, throws, try/catch/finally,
// loops with break/continue and labels, switch, and awaits as rejection exits. Each test asks one
// question a rule asks: starting after a marked statement, how can the function be left without
// passing a statement that "settles" the question?
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { awaitPointsIn, callsWithin, flowGraphOf, functionIndexOf, isFunctionWithBody, isOwnCode, walkPaths, type FlowGraph, type FunctionWithBody } from '../../server/src/core/flow';

function firstFunction(code: string): { fn: FunctionWithBody; sf: ts.SourceFile } {
  const sf = ts.createSourceFile('flow.ts', code, ts.ScriptTarget.Latest, true);
  let found: FunctionWithBody | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && isFunctionWithBody(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  assert.ok(found, 'no function in snippet');
  return { fn: found, sf };
}

function statementContaining(graph: FlowGraph, sf: ts.SourceFile, text: string) {
  const at = sf.text.indexOf(text);
  assert.ok(at >= 0, `"${text}" not in snippet`);
  const steps = graph.nodes.filter((n) => n.kind === 'step' && n.ast && n.ast.getStart(sf) <= at && at < n.ast.end && n.role !== 'catch');
  // The innermost step: the one with the shortest code.
  const innermost = Math.min(...steps.map((s) => s.ast!.end - s.ast!.getStart(sf)));
  return steps.filter((s) => s.ast!.end - s.ast!.getStart(sf) === innermost);
}

/**
 * Ways out of the function from just after the statement containing `from`, on paths that never
 * run a step whose code contains `settled`: `return@<line>`, `end`, `throw@<line>`, `reject@<line>`,
 * or `again` when a path comes back to `from`'s step.
 */
function escapes(code: string, from: string, settled: string): string[] {
  const { fn, sf } = firstFunction(code);
  const graph = flowGraphOf(fn);
  const starts = statementContaining(graph, sf, from);
  const line = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const out = new Set<string>();
  type State = { first: boolean; cause?: string };
  walkPaths<State>(
    graph,
    starts.map((node) => ({ node, state: { first: true } })),
    {
      key: (s) => (s.first ? 'first' : ''),
      step: (node, state) => {
        if (!state.first && starts.includes(node)) {
          out.add('again');
          return {};
        }
        const text = node.ast!.getText(sf);
        if (!state.first && text.includes(settled) && node.role !== 'condition') return {};
        const thrown = state.first ? [] : node.awaits.map((a) => ({ first: false, cause: `reject@${line(a)}` }));
        if (node.role === 'throw') return { thrown: [...thrown, { first: false, cause: `throw@${line(node.ast!)}` }] };
        if (node.role === 'return') return { next: { first: false, cause: `return@${line(node.ast!)}` }, thrown };
        if (node.role === 'catch') return { next: { first: false }, thrown };
        return { next: { first: false, cause: state.cause }, thrown };
      },
      reachedExit: (exit, state) => {
        out.add(exit === graph.throwExit ? state.cause ?? 'throw' : state.cause ?? 'end');
      },
    },
  );
  return [...out].sort();
}

describe('flow graph', () => {
  it('if/else: both branches settle, or the missing else escapes', () => {
    assert.deepEqual(escapes(`function f(a) { start(); if (a) { done(); } else { done(); } }`, 'start', 'done'), []);
    assert.deepEqual(escapes(`function f(a) { start(); if (a) { done(); } }`, 'start', 'done'), ['end']);
  });

  it('early return before the settling statement', () => {
    const code = `function f(a) {
      start();
      if (!a) {
        return 1;
      }
      done();
      return 2;
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['return@4']);
  });

  it('awaits are rejection exits unless a catch handles them', () => {
    const code = `async function f() {
      start();
      await work();
      done();
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['reject@3']);
    const caught = `async function f() {
      start();
      try { await work(); } catch (e) { log(e); }
      done();
    }`;
    assert.deepEqual(escapes(caught, 'start', 'done'), []);
  });

  it('a catch that rethrows, and a throw statement, leave by the throw exit', () => {
    const code = `async function f() {
      start();
      try {
        await work();
      } catch (e) {
        throw e;
      }
      done();
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['throw@6']);
    assert.deepEqual(escapes(`function f(a) {\n start();\n if (a) throw new Error();\n done(); }`, 'start', 'done'), ['throw@3']);
  });

  it('finally runs on every way out of its try: normal, return, exception', () => {
    const code = `async function f(a) {
      start();
      try {
        if (a) return 1;
        await work();
      } finally {
        done();
      }
      return 2;
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), []);
    const { fn, sf } = firstFunction(code);
    const graph = flowGraphOf(fn);
    // One copy of the finally block per way out: normal completion, return, exception.
    assert.equal(statementContaining(graph, sf, 'done').length, 3);
  });

  it('a finally copy continues where its route was going', () => {
    // The return inside try passes the finally and then leaves; the normal route reaches `after`.
    const code = `function f(a) {
      start();
      try {
        if (a) return 1;
      } finally {
        cleanup();
      }
      done();
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['return@4']);
  });

  it('nested finally blocks all run before a return leaves', () => {
    const code = `async function f() {
      start();
      try {
        try {
          return await work();
        } finally {
          inner();
        }
      } finally {
        done();
      }
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), []);
    assert.deepEqual(escapes(code, 'start', 'inner'), []);
    assert.deepEqual(escapes(code.replace('done();', 'other();'), 'start', 'inner'), []);
  });

  it('loops: continue and the next iteration come back round; break leaves', () => {
    const code = `function f(items) {
      for (const item of items) {
        start();
        if (item.skip) continue;
        done();
      }
    }`;
    // After a `continue` the loop may also run out of items.
    assert.deepEqual(escapes(code, 'start', 'done'), ['again', 'end']);
    const whileTrue = `function f() {
      while (true) {
        start();
        if (ready()) break;
        done();
      }
    }`;
    assert.deepEqual(escapes(whileTrue, 'start', 'done'), ['end']);
    const settledBeforeBreak = `function f() {
      while (true) {
        start();
        if (ready()) { done(); break; }
        done();
      }
    }`;
    assert.deepEqual(escapes(settledBeforeBreak, 'start', 'done'), []);
  });

  it('for(;;), do-while and for-in loops', () => {
    assert.deepEqual(escapes(`function f() { for (;;) { start(); if (x()) return; done(); } }`, 'start', 'done'), ['return@1']);
    assert.deepEqual(escapes(`function f() { do { start(); } while (more()); done(); }`, 'start', 'done'), ['again']);
    assert.deepEqual(escapes(`function f(o) { start(); for (const k in o) { use(k); } done(); }`, 'start', 'done'), []);
  });

  it('labelled break and continue reach the labelled loop', () => {
    const code = `function f(rows) {
      outer: for (const row of rows) {
        for (const cell of row) {
          start();
          if (cell.bad) continue outer;
          if (cell.stop) break outer;
          done();
        }
      }
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['again', 'end']);
  });

  it('switch: cases, fall-through, break, and no default', () => {
    const code = `function f(kind) {
      start();
      switch (kind) {
        case 'a':
          prepare();
        case 'b':
          done();
          break;
        case 'c':
          return 3;
      }
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['end', 'return@10']);
    const withDefault = `function f(kind) {
      start();
      switch (kind) {
        case 'a':
          done();
          break;
        default:
          done();
      }
    }`;
    assert.deepEqual(escapes(withDefault, 'start', 'done'), []);
  });

  it('for await iterations are rejection points', () => {
    const code = `async function f(stream) {
      start();
      for await (const chunk of stream) {
        use(chunk);
      }
      done();
    }`;
    assert.deepEqual(escapes(code, 'start', 'done'), ['reject@3']);
  });

  it('an arrow function with an expression body returns it', () => {
    const { fn } = firstFunction(`const f = async (x) => await x.work();`);
    const graph = flowGraphOf(fn);
    const [body] = graph.entry.edges;
    assert.equal(body.to.role, 'expressionBody');
    assert.equal(body.to.awaits.length, 1);
    assert.equal(body.to.edges[0].to, graph.exit);
    assert.equal(body.to.throwTarget, graph.throwExit);
  });

  it('conditions branch with true and false edges; constant-true loops have no way out but jumps', () => {
    const { fn, sf } = firstFunction(`function f(a) { if (flag) { one(); } while (true) { if (b()) break; } }`);
    const graph = flowGraphOf(fn);
    const [ifCondition] = statementContaining(graph, sf, 'flag');
    assert.deepEqual(ifCondition.edges.map((e) => e.kind), ['true', 'false']);
    const [loop] = statementContaining(graph, sf, 'true');
    assert.deepEqual(loop.edges.map((e) => e.kind), ['true']);
  });

  it('the graph is built once per function node', () => {
    const { fn } = firstFunction(`function f() { a(); }`);
    assert.equal(flowGraphOf(fn), flowGraphOf(fn));
  });
});

// The function index answers what walks of the function's steps used to: the identifiers a step
// evaluates itself, the closures it creates, its awaits in evaluation order.
describe('function index', () => {
  const code = `async function handler(client, items) {
  const first = await client.query(await sql('a'));
  items.forEach((item) => client.query(item));
  class Local { run() { return client; } }
  const release = () => client.release();
  function done() { client.release(); }
  type Callback = (client: unknown) => void;
  for await (const row of client.stream()) await client.query(row);
  return first;
}`;

  it('separates identifiers of the function itself from those of nested functions and classes', () => {
    const { fn, sf } = firstFunction(code);
    const index = functionIndexOf(fn);
    const lines = (ids: readonly ts.Node[]) => ids.map((id) => sf.getLineAndCharacterOfPosition(id.getStart(sf)).line + 1);
    assert.deepEqual(lines(index.ownIdentifiers('client')), [2, 8, 8]);
    assert.deepEqual(lines(index.allIdentifiers('client')), [2, 3, 4, 5, 6, 7, 8, 8]);
    assert.deepEqual(index.closures.map((c) => ts.SyntaxKind[c.kind]), ['ArrowFunction', 'ClassDeclaration', 'ArrowFunction', 'FunctionDeclaration']);
    assert.deepEqual(index.localFunctions.map((d) => d.name!.getText(sf)), ['first', 'release', 'done']);
    assert.strictEqual(functionIndexOf(fn), index, 'built once per function');
  });

  it('lists the awaits each step evaluates, as awaitPointsIn does', () => {
    const { fn } = firstFunction(code);
    const graph = flowGraphOf(fn);
    for (const node of graph.nodes) {
      if (node.kind !== 'step' || !node.ast || node.role === 'iteration' || node.role === 'catch' || node.role === 'jump') continue;
      assert.deepEqual(node.awaits, awaitPointsIn(node.ast), node.ast.getText());
    }
    const awaits = functionIndexOf(fn).awaits.map((a) => a.getText());
    assert.deepEqual(awaits, ["await sql('a')", "await client.query(await sql('a'))", 'await client.query(row)']);
  });

  it('finds calls inside a node from the shared call index, and tells own code from nested code', () => {
    const { fn, sf } = firstFunction(code);
    const statements = (fn.body as ts.Block).statements;
    assert.deepEqual(callsWithin(statements[1], sf).map((c) => c.getText(sf)), ['items.forEach((item) => client.query(item))', 'client.query(item)']);
    const [outer, inner] = callsWithin(statements[1], sf);
    assert.equal(isOwnCode(outer, fn), true);
    assert.equal(isOwnCode(inner, fn), false);
  });
});
