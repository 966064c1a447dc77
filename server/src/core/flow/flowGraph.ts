import type { ts } from 'ts-morph';

/**
 * A control-flow view of one function, over raw TypeScript nodes, for rules that ask "on every
 * path from here to the function's exit ...": `pool-resource-leak`, and later
 * `middleware-drops-request` and `timer-without-cleanup`.
 *
 * A *step* evaluates one piece of code: a simple statement whole (expression, variable, `return`,
 * `throw`, `break`, `continue`), or the head of a compound statement (an `if` or loop condition, a
 * `for` initialiser or update, the iterable of `for…of`, a `switch` discriminant, a `catch`
 * binding). Branches, loops, `switch` fall-through, labels, `try`/`catch`/`finally` and jumps are
 * edges. Control flow *inside* an expression (`?:`, `&&`, optional chains) is not split: a step is
 * evaluated whole.
 *
 * `finally` blocks are copied once per way control can leave their `try` (normal completion,
 * exception, `return`, each `break`/`continue` target), so every path in the graph is a path the
 * program can take: a consumer never has to remember why it entered a `finally` to know where it
 * goes next. One statement of a `finally` therefore has one step per copy (`stepsOf`).
 *
 * Exceptions: every step knows where an exception raised while it runs goes (`throwTarget`: a
 * `catch` binding, a copy of a `finally`, or the function's `throwExit`). Whether a step may raise
 * one is the consumer's call; `awaits` lists the step's possible rejection points (`await`
 * expressions outside nested functions, and `for await` iterations), and `throw` statements are
 * steps with role `throw` and no normal successor.
 */
export interface FlowGraph {
  readonly fn: ts.SignatureDeclaration;
  readonly entry: FlowNode;
  /** Normal completion: a `return`, or falling off the end of the body. */
  readonly exit: FlowNode;
  /** An exception (a `throw` or a rejected `await`) leaves the function. */
  readonly throwExit: FlowNode;
  readonly nodes: readonly FlowNode[];
  /** The steps evaluating exactly `ast` (several when it sits in a copied `finally` block). */
  stepsOf(ast: ts.Node): readonly FlowNode[];
  /**
   * The steps in which `node` is evaluated: those of the innermost step code containing it. A node
   * inside a nested function belongs to the step that creates the function.
   */
  stepsContaining(node: ts.Node): readonly FlowNode[];
}

export type FlowNodeKind = 'entry' | 'exit' | 'throwExit' | 'step';

export type FlowStepRole =
  /** A simple statement, a `for` initialiser or update, or a `for…of` iterable. */
  | 'statement'
  /** An `if`/`while`/`do`/`for` condition (a `for(;;)` has its statement as the condition). */
  | 'condition'
  /** A `for…of`/`for…in` loop taking its next element: `true` into the body, `false` out. */
  | 'iteration'
  /** A `switch` discriminant: one `case` edge per clause, plus one past the switch without `default`. */
  | 'switch'
  /** Entering a `catch` clause. */
  | 'catch'
  | 'return'
  | 'throw'
  /** `break` or `continue`. */
  | 'jump'
  /** An arrow function's expression body, which is returned. */
  | 'expressionBody';

export type FlowEdgeKind = 'next' | 'true' | 'false' | 'case';

export interface FlowEdge {
  readonly to: FlowNode;
  readonly kind: FlowEdgeKind;
}

export interface FlowNode {
  readonly id: number;
  readonly kind: FlowNodeKind;
  /** For steps: the code evaluated (a statement, an expression, a variable declaration list, a catch clause). */
  readonly ast: ts.Node | undefined;
  /** For steps: the statement the step belongs to (the `if` of its condition, the loop of its head). */
  readonly statement: ts.Node | undefined;
  readonly role: FlowStepRole | undefined;
  /** Normal successors, in source order (`true` before `false`). */
  readonly edges: readonly FlowEdge[];
  /** Where an exception raised by this step goes. */
  readonly throwTarget: FlowNode | undefined;
  /** Rejection points of this step in evaluation order: `await` expressions, or the `for await` statement. */
  readonly awaits: readonly ts.Node[];
  /** Set on steps of a copied `finally` block: how control entered it. */
  readonly finallyRoute: FinallyRoute | undefined;
}

export type FinallyRoute = 'normal' | 'throw' | 'return' | 'break' | 'continue';
