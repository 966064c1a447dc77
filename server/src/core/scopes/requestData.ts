import { ts } from 'ts-morph';
import { resolveBinding, isValueReference, type Binding } from '../syntax/bindings';
import { skipOuter } from './appKinds';
import type { RequestScope } from './requestScope';

/**
 * "Derived from request data" (RULES.md §1): a value that flows from a request object through
 * property reads, element access, destructuring, template literals, `String()`/`Number()` and
 * local variables. Other calls do not propagate it.
 *
 * Judgement calls, the same for every rule that asks:
 * - The request objects are the scope's `requestObjects`, and any parameter of the scope's own
 *   function that is destructured (`({ params }, res)`, a route handler's `{ params }`) or, in a
 *   NestJS scope, that carries a parameter decorator (`@Body() body`, `@Param('id') id`).
 * - Reading request data through the request objects' own accessors is a property read in another
 *   spelling: `req.get('x')`, `req.header()`, `c.req.param('id')`, `c.req.query()`, `c.get('user')`,
 *   `ctx.get()`, and the body readers `request.json()` / `text()` / `formData()` / `c.req.valid()`.
 *   Any other call ends the flow, as §1 says.
 * - Literals that contain request data (`{ id: req.params.id }`, `[req.ip]`), `a ?? b`, `a || b`,
 *   `cond ? a : b`, string concatenation and comparisons (`req.query.debug === '1'`) carry it on:
 *   they are what a template literal is, spelled differently.
 * - `await` is transparent; a local variable is derived when its initializer or any assignment to it
 *   in the scope is.
 */
export class RequestData {
  readonly #memo = new Map<ts.Node, boolean>();

  constructor(readonly scope: RequestScope) {}

  /** Whether `expression` (inside the scope's function) holds a value derived from request data. */
  isDerived(expression: ts.Expression): boolean {
    return this.#expression(expression, 0);
  }

  #expression(node: ts.Expression, depth: number): boolean {
    if (depth > 40) return false;
    const e = skipOuter(node);
    if (ts.isAwaitExpression(e)) return this.#expression(e.expression, depth + 1);
    if (ts.isIdentifier(e)) return this.#identifier(e, depth);
    if (ts.isPropertyAccessExpression(e)) return this.#expression(e.expression, depth + 1);
    if (ts.isElementAccessExpression(e)) return this.#expression(e.expression, depth + 1);
    if (ts.isTemplateExpression(e)) return e.templateSpans.some((span) => this.#expression(span.expression, depth + 1));
    if (ts.isCallExpression(e)) return this.#call(e, depth);
    if (ts.isConditionalExpression(e)) return this.#expression(e.whenTrue, depth + 1) || this.#expression(e.whenFalse, depth + 1);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.CommaToken) return this.#expression(e.right, depth + 1);
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) return false;
      if (op === ts.SyntaxKind.InstanceOfKeyword || op === ts.SyntaxKind.InKeyword) return false;
      return this.#expression(e.left, depth + 1) || this.#expression(e.right, depth + 1);
    }
    if (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.ExclamationToken || e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken)) {
      return this.#expression(e.operand, depth + 1);
    }
    if (ts.isObjectLiteralExpression(e)) {
      return e.properties.some((p) => {
        if (ts.isPropertyAssignment(p)) return this.#expression(p.initializer, depth + 1);
        if (ts.isShorthandPropertyAssignment(p)) return this.#identifier(p.name, depth);
        if (ts.isSpreadAssignment(p)) return this.#expression(p.expression, depth + 1);
        return false;
      });
    }
    if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => this.#expression(ts.isSpreadElement(x) ? x.expression : x, depth + 1));
    return false;
  }

  #call(call: ts.CallExpression, depth: number): boolean {
    const callee = skipOuter(call.expression);
    // String(x) / Number(x)
    if (ts.isIdentifier(callee) && (callee.text === 'String' || callee.text === 'Number') && !resolveBinding(callee)) {
      return call.arguments.length === 1 && this.#expression(call.arguments[0], depth + 1);
    }
    // The request objects' own accessors: `req.get('x')`, `c.req.param('id')`, `await request.json()`.
    if (ts.isPropertyAccessExpression(callee) && REQUEST_ACCESSORS.has(callee.name.text)) {
      return this.#isRequestObjectPath(callee.expression);
    }
    return false;
  }

  /** `req`, `c.req`, `ctx.request`, `request`: a request object or a property path from one. */
  #isRequestObjectPath(expression: ts.Expression): boolean {
    const e = skipOuter(expression);
    if (ts.isIdentifier(e)) return this.#requestObjectBinding(e) !== undefined;
    if (ts.isPropertyAccessExpression(e) && /^(req|request|raw)$/.test(e.name.text)) return this.#isRequestObjectPath(e.expression);
    return false;
  }

  /** The binding when `identifier` names one of the scope's request objects (or request-data parameters). */
  #requestObjectBinding(identifier: ts.Identifier): Binding | undefined {
    const binding = resolveBinding(identifier);
    if (!binding) return undefined;
    const fn = this.scope.fn;
    if (ts.isParameter(binding)) {
      if (binding.parent !== fn) return undefined;
      if (this.scope.requestObjects.has(identifier.text)) return binding;
      if (this.scope.framework === 'nest' && ts.canHaveDecorators(binding) && (ts.getDecorators(binding)?.length ?? 0) > 0) return binding;
      return undefined;
    }
    // Locals the recogniser made request objects: Nest's `const req = context.switchToHttp().getRequest()`.
    if (ts.isVariableDeclaration(binding) && ts.isIdentifier(binding.name) && this.scope.requestObjects.has(binding.name.text) && within(binding, fn)) return binding;
    if (ts.isBindingElement(binding)) {
      let node: ts.Node = binding;
      while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
      if (ts.isParameter(node) && node.parent === fn) return binding;
    }
    return undefined;
  }

  #identifier(identifier: ts.Identifier, depth: number): boolean {
    if (!isValueReference(identifier) && !ts.isShorthandPropertyAssignment(identifier.parent)) return false;
    if (this.#requestObjectBinding(identifier)) return true;
    const binding = resolveBinding(identifier);
    if (!binding || !within(binding, this.scope.fn)) return false;
    return this.#binding(binding, depth);
  }

  /** A local variable or destructured element inside the scope: derived when what it is bound to is. */
  #binding(binding: Binding, depth: number): boolean {
    const memo = this.#memo.get(binding);
    if (memo !== undefined) return memo;
    this.#memo.set(binding, false); // cycles: not derived
    let derived = false;
    if (ts.isVariableDeclaration(binding)) {
      derived = (!!binding.initializer && this.#expression(binding.initializer, depth + 1)) || this.#assignedDerived(binding, depth);
      // `for (const item of req.body.items)`: each element is request data.
      const list = binding.parent;
      const loop = list?.parent;
      if (!derived && loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && loop.initializer === list) derived = this.#expression(loop.expression, depth + 1);
    } else if (ts.isBindingElement(binding)) {
      let root: ts.Node = binding;
      while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
      if (ts.isVariableDeclaration(root)) {
        derived = !!root.initializer && this.#expression(root.initializer, depth + 1);
        const loop = root.parent?.parent;
        if (!derived && loop && ts.isForOfStatement(loop) && loop.initializer === root.parent) derived = this.#expression(loop.expression, depth + 1);
      }
    }
    this.#memo.set(binding, derived);
    return derived;
  }

  /** `let user; ...; user = req.user`: some plain assignment to the variable inside the scope is derived. */
  #assignedDerived(declaration: ts.VariableDeclaration, depth: number): boolean {
    if (!ts.isIdentifier(declaration.name)) return false;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) !== 0) return false;
    const name = declaration.name.text;
    let derived = false;
    const visit = (node: ts.Node): void => {
      if (derived) return;
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = skipOuter(node.left);
        if (ts.isIdentifier(left) && left.text === name && resolveBinding(left) === declaration && this.#expression(node.right, depth + 1)) {
          derived = true;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(this.scope.fn);
    return derived;
  }
}

/** Methods of request objects that read the request's own data. */
const REQUEST_ACCESSORS = new Set(['get', 'header', 'headers', 'param', 'params', 'query', 'queries', 'cookie', 'json', 'text', 'formData', 'arrayBuffer', 'blob', 'parseBody', 'valid']);

function within(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}
