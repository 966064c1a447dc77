import { ts } from 'ts-morph';
import type { FunctionWithBody } from './evaluated';
import { functionIndexOf, within } from './functionIndex';
import type { FinallyRoute, FlowEdge, FlowEdgeKind, FlowGraph, FlowNode, FlowNodeKind, FlowStepRole } from './flowGraph';

const graphs = new WeakMap<ts.Node, FlowGraph>();

/** The control-flow view of `fn`, built once per function node and shared by every rule. */
export function flowGraphOf(fn: FunctionWithBody): FlowGraph {
  let graph = graphs.get(fn);
  if (!graph) {
    graph = new GraphBuilder(fn).build();
    graphs.set(fn, graph);
  }
  return graph;
}

class MutableNode implements FlowNode {
  readonly edges: FlowEdge[] = [];
  #throwTarget: (() => FlowNode) | undefined;
  #resolvedThrowTarget: FlowNode | undefined;
  #awaits: readonly ts.Node[] | undefined;

  constructor(
    readonly id: number,
    readonly kind: FlowNodeKind,
    readonly ast: ts.Node | undefined,
    readonly statement: ts.Node | undefined,
    readonly role: FlowStepRole | undefined,
    readonly finallyRoute: FinallyRoute | undefined,
    throwTarget: (() => FlowNode) | undefined,
    private readonly fn: FunctionWithBody | undefined,
  ) {
    this.#throwTarget = throwTarget;
  }

  // Resolved on first use: a `finally` copy for the exception route is only built if someone asks.
  get throwTarget(): FlowNode | undefined {
    if (this.#throwTarget) {
      this.#resolvedThrowTarget = this.#throwTarget();
      this.#throwTarget = undefined;
    }
    return this.#resolvedThrowTarget;
  }

  get awaits(): readonly ts.Node[] {
    if (!this.#awaits) {
      const ast = this.ast;
      if (!ast || this.kind !== 'step') this.#awaits = [];
      else if (this.role === 'iteration') {
        const loop = this.statement as ts.ForOfStatement;
        this.#awaits = ts.isForOfStatement(loop) && loop.awaitModifier ? [loop] : [];
      } else if (this.role === 'catch' || this.role === 'jump') this.#awaits = [];
      // The function's own awaits that this step evaluates (what `awaitPointsIn(ast)` finds),
      // from the function's index rather than a walk of the step.
      else this.#awaits = functionIndexOf(this.fn!).awaits.filter((a) => within(a, ast));
    }
    return this.#awaits;
  }

  link(to: FlowNode, kind: FlowEdgeKind = 'next'): void {
    this.edges.push({ to, kind });
  }
}

/** Where jumps go from the code being built; targets are thunks so `finally` copies are made lazily. */
interface Targets {
  throwTarget: () => FlowNode;
  returnTarget: () => FlowNode;
  /** `undefined` label: the nearest loop or switch. */
  breakTarget: (label: string | undefined) => FlowNode | undefined;
  continueTarget: (label: string | undefined) => FlowNode | undefined;
  finallyRoute: FinallyRoute | undefined;
}

class GraphBuilder {
  readonly #nodes: MutableNode[] = [];
  readonly #byAst = new Map<ts.Node, MutableNode[]>();

  constructor(private readonly fn: FunctionWithBody) {}

  build(): FlowGraph {
    const entry = this.#node('entry');
    const exit = this.#node('exit');
    const throwExit = this.#node('throwExit');
    const targets: Targets = {
      throwTarget: () => throwExit,
      returnTarget: () => exit,
      breakTarget: () => undefined,
      continueTarget: () => undefined,
      finallyRoute: undefined,
    };
    const body = this.fn.body;
    if (ts.isBlock(body)) {
      entry.link(this.#statements(body.statements, exit, targets));
    } else {
      const step = this.#step(body, body, 'expressionBody', targets);
      step.link(exit);
      entry.link(step);
    }
    // Resolve every throw target now, so each `finally` copy exists and `stepsOf` sees them all;
    // copies made here add steps of their own, which the loop reaches in turn.
    for (let i = 0; i < this.#nodes.length; i++) void this.#nodes[i].throwTarget;
    const byAst = this.#byAst;
    return {
      fn: this.fn,
      entry,
      exit,
      throwExit,
      nodes: this.#nodes,
      stepsOf: (ast) => byAst.get(ast) ?? [],
      stepsContaining(node) {
        for (let current: ts.Node | undefined = node; current; current = current.parent) {
          const steps = byAst.get(current);
          if (steps) return steps;
        }
        return [];
      },
    };
  }

  #node(kind: FlowNodeKind): MutableNode {
    const node = new MutableNode(this.#nodes.length, kind, undefined, undefined, undefined, undefined, undefined, undefined);
    this.#nodes.push(node);
    return node;
  }

  #step(ast: ts.Node, statement: ts.Node, role: FlowStepRole, targets: Targets): MutableNode {
    const node = new MutableNode(this.#nodes.length, 'step', ast, statement, role, targets.finallyRoute, targets.throwTarget, this.fn);
    this.#nodes.push(node);
    const list = this.#byAst.get(ast);
    if (list) list.push(node);
    else this.#byAst.set(ast, [node]);
    return node;
  }

  /** Builds `statements` so that their normal completion continues at `next`; returns the entry. */
  #statements(statements: readonly ts.Statement[], next: FlowNode, targets: Targets): FlowNode {
    let entry = next;
    for (let i = statements.length - 1; i >= 0; i--) entry = this.#statement(statements[i], entry, targets, []);
    return entry;
  }

  #statement(statement: ts.Statement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    switch (statement.kind) {
      case ts.SyntaxKind.Block:
        return this.#labelled(labels, next, targets, (inner) => this.#statements((statement as ts.Block).statements, next, inner));
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
        return next;
      case ts.SyntaxKind.LabeledStatement: {
        const labelled = statement as ts.LabeledStatement;
        return this.#statement(labelled.statement, next, targets, [...labels, labelled.label.text]);
      }
      case ts.SyntaxKind.IfStatement:
        return this.#labelled(labels, next, targets, (inner) => this.#if(statement as ts.IfStatement, next, inner));
      case ts.SyntaxKind.WhileStatement:
        return this.#while(statement as ts.WhileStatement, next, targets, labels);
      case ts.SyntaxKind.DoStatement:
        return this.#do(statement as ts.DoStatement, next, targets, labels);
      case ts.SyntaxKind.ForStatement:
        return this.#for(statement as ts.ForStatement, next, targets, labels);
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.#forEach(statement as ts.ForOfStatement | ts.ForInStatement, next, targets, labels);
      case ts.SyntaxKind.SwitchStatement:
        return this.#switch(statement as ts.SwitchStatement, next, targets, labels);
      case ts.SyntaxKind.TryStatement:
        return this.#labelled(labels, next, targets, (inner) => this.#try(statement as ts.TryStatement, next, inner));
      case ts.SyntaxKind.ReturnStatement: {
        const step = this.#step(statement, statement, 'return', targets);
        step.link(targets.returnTarget());
        return step;
      }
      case ts.SyntaxKind.ThrowStatement:
        return this.#step(statement, statement, 'throw', targets);
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const jump = statement as ts.BreakOrContinueStatement;
        const label = jump.label?.text;
        const target = ts.isBreakStatement(jump) ? targets.breakTarget(label) : targets.continueTarget(label);
        const step = this.#step(statement, statement, 'jump', targets);
        // A jump to nowhere is a syntax error the analyser never sees; fall through rather than strand the path.
        step.link(target ?? next);
        return step;
      }
      default: {
        const step = this.#step(statement, statement, 'statement', targets);
        step.link(next);
        return step;
      }
    }
  }

  /** A labelled non-loop statement: `break label` inside it continues after it. */
  #labelled(labels: string[], next: FlowNode, targets: Targets, build: (targets: Targets) => FlowNode): FlowNode {
    if (labels.length === 0) return build(targets);
    return build({
      ...targets,
      breakTarget: (label) => (label !== undefined && labels.includes(label) ? next : targets.breakTarget(label)),
    });
  }

  #loopTargets(targets: Targets, labels: string[], breakTo: FlowNode, continueTo: FlowNode): Targets {
    return {
      ...targets,
      breakTarget: (label) => (label === undefined || labels.includes(label) ? breakTo : targets.breakTarget(label)),
      continueTarget: (label) => (label === undefined || labels.includes(label) ? continueTo : targets.continueTarget(label)),
    };
  }

  #if(statement: ts.IfStatement, next: FlowNode, targets: Targets): FlowNode {
    const condition = this.#step(statement.expression, statement, 'condition', targets);
    const thenEntry = this.#statement(statement.thenStatement, next, targets, []);
    const elseEntry = statement.elseStatement ? this.#statement(statement.elseStatement, next, targets, []) : next;
    condition.link(thenEntry, 'true');
    condition.link(elseEntry, 'false');
    return condition;
  }

  #while(statement: ts.WhileStatement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    const head = this.#step(statement.expression, statement, 'condition', targets);
    const body = this.#statement(statement.statement, head, this.#loopTargets(targets, labels, next, head), []);
    head.link(body, 'true');
    if (!isAlwaysTrue(statement.expression)) head.link(next, 'false');
    return head;
  }

  #do(statement: ts.DoStatement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    const condition = this.#step(statement.expression, statement, 'condition', targets);
    const body = this.#statement(statement.statement, condition, this.#loopTargets(targets, labels, next, condition), []);
    condition.link(body, 'true');
    if (!isAlwaysTrue(statement.expression)) condition.link(next, 'false');
    return body;
  }

  #for(statement: ts.ForStatement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    const head = this.#step(statement.condition ?? statement, statement, 'condition', targets);
    let update: FlowNode = head;
    if (statement.incrementor) {
      const step = this.#step(statement.incrementor, statement, 'statement', targets);
      step.link(head);
      update = step;
    }
    const body = this.#statement(statement.statement, update, this.#loopTargets(targets, labels, next, update), []);
    head.link(body, 'true');
    if (statement.condition && !isAlwaysTrue(statement.condition)) head.link(next, 'false');
    if (!statement.initializer) return head;
    const init = this.#step(statement.initializer, statement, 'statement', targets);
    init.link(head);
    return init;
  }

  #forEach(statement: ts.ForOfStatement | ts.ForInStatement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    const head = this.#step(statement.initializer, statement, 'iteration', targets);
    const body = this.#statement(statement.statement, head, this.#loopTargets(targets, labels, next, head), []);
    head.link(body, 'true');
    head.link(next, 'false');
    const iterable = this.#step(statement.expression, statement, 'statement', targets);
    iterable.link(head);
    return iterable;
  }

  #switch(statement: ts.SwitchStatement, next: FlowNode, targets: Targets, labels: string[]): FlowNode {
    const discriminant = this.#step(statement.expression, statement, 'switch', targets);
    const inner: Targets = {
      ...targets,
      breakTarget: (label) => (label === undefined || labels.includes(label) ? next : targets.breakTarget(label)),
    };
    const clauses = statement.caseBlock.clauses;
    const entries: FlowNode[] = new Array(clauses.length);
    let following = next;
    for (let i = clauses.length - 1; i >= 0; i--) {
      following = this.#statements(clauses[i].statements, following, inner);
      entries[i] = following;
    }
    clauses.forEach((_, i) => discriminant.link(entries[i], 'case'));
    if (!clauses.some((clause) => ts.isDefaultClause(clause))) discriminant.link(next, 'case');
    return discriminant;
  }

  #try(statement: ts.TryStatement, next: FlowNode, targets: Targets): FlowNode {
    let inner = targets;
    let afterBody = next;
    const finallyBlock = statement.finallyBlock;
    if (finallyBlock) {
      const copies = new Map<string, FlowNode>();
      // One copy of the finally block per way out of the try; its own jumps use the outer targets.
      const through = (key: string, route: FinallyRoute, target: () => FlowNode | undefined): FlowNode | undefined => {
        let copy = copies.get(key);
        if (!copy) {
          const destination = target();
          if (!destination) return undefined;
          copy = this.#statements(finallyBlock.statements, destination, { ...targets, finallyRoute: route });
          copies.set(key, copy);
        }
        return copy;
      };
      afterBody = through('normal', 'normal', () => next)!;
      inner = {
        throwTarget: () => through('throw', 'throw', targets.throwTarget)!,
        returnTarget: () => through('return', 'return', targets.returnTarget)!,
        breakTarget: (label) => through(`break:${label ?? ''}`, 'break', () => targets.breakTarget(label)),
        continueTarget: (label) => through(`continue:${label ?? ''}`, 'continue', () => targets.continueTarget(label)),
        finallyRoute: targets.finallyRoute,
      };
    }
    let tryTargets = inner;
    const catchClause = statement.catchClause;
    if (catchClause) {
      const catchBody = this.#statements(catchClause.block.statements, afterBody, inner);
      const catchStep = this.#step(catchClause, catchClause, 'catch', inner);
      catchStep.link(catchBody);
      tryTargets = { ...inner, throwTarget: () => catchStep };
    }
    return this.#statements(statement.tryBlock.statements, afterBody, tryTargets);
  }
}

/** `while (true)`, `for (;;)`, `while (1)`: loops left only by jumps. */
function isAlwaysTrue(expression: ts.Expression): boolean {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  if (current.kind === ts.SyntaxKind.TrueKeyword) return true;
  return ts.isNumericLiteral(current) && Number(current.text) !== 0;
}
