// Where a request scope's request objects (RULES.md §1 table) are referenced: the handler's own
// parameters, and locals bound to objects reached from them (`const { headers } = req`,
// `const body = ctx.request.body`, `const socket = req.socket`). §2.4 asks which of them a callback
// captures, and whether a callback completes the response (then the request waits for it).
import { ts } from 'ts-morph';
import { type LocalDeclarations, skipOuter } from './appKinds';
import type { RequestObjectRole, RequestScope } from './requestScope';

/** Properties of a request object that are objects with the request's lifetime (RULES.md §2.4). */
const OBJECT_PROPERTIES = new Set([
  'headers', 'body', 'params', 'query', 'socket', 'connection', 'request', 'req', 'res', 'response', 'raw', 'cookies', 'session',
  'files', 'file', 'state', 'locals',
]);
/** Methods that send the response when called on (a chain from) a responding request object. */
const RESPONDING_METHODS = new Set([
  'send', 'json', 'jsonp', 'end', 'redirect', 'render', 'sendFile', 'sendStatus', 'download', 'text', 'html', 'body', 'notFound',
  'newResponse', 'callNotFound', 'view',
]);
const ANSWERING_ROLES = new Set<string>(['res', 'reply', 'ctx', 'c', 'call']);

export type RequestObjectKind = RequestObjectRole | 'derived';

export class RequestObjectRefs {
  /** Locals in the scope bound to an object reached from a request object, with the role they play. */
  readonly #derived = new Map<ts.Node, RequestObjectKind>();
  /** Names bound by destructuring such an object (not in the declaration index). */
  readonly #derivedNames = new Set<string>();
  /** The derived locals are collected on the first question (most scopes are never asked). */
  #collected = false;

  constructor(
    readonly scope: RequestScope,
    private readonly declarations: LocalDeclarations,
  ) {}

  /** What request object an identifier names here, if any. */
  kindOf(identifier: ts.Identifier): RequestObjectKind | undefined {
    if (!this.#collected) {
      // Set first: the collection asks `kindOf` itself and sees what it collected so far.
      this.#collected = true;
      if (this.scope.fn.body) this.#collectDerived(this.scope.fn.body);
    }
    if (!isReference(identifier)) return undefined;
    const name = identifier.text;
    const declaration = this.declarations.lookup(name, identifier);
    const role = this.scope.requestObjects.get(name);
    if (role) {
      if (!declaration) return isInside(identifier, this.scope.fn) ? role : undefined;
      if (ts.isParameter(declaration) && declaration.parent === this.scope.fn) return role;
    }
    const derived = declaration && this.#derived.get(declaration);
    if (derived) return derived;
    if (!declaration && this.#derivedNames.has(name) && isInside(identifier, this.scope.fn)) return 'derived';
    return undefined;
  }

  /** Every reference to a request object under `node`, in source order. */
  referencesIn(node: ts.Node): ts.Identifier[] {
    const out: ts.Identifier[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        if (this.kindOf(child)) out.push(child);
        return;
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
    return out;
  }

  /** A request object itself or an object reached from one (`req`, `req.body`, `ctx.request.headers`, `reply.raw.socket`). */
  isRequestObjectExpression(expression: ts.Expression): boolean {
    let current = skipOuter(expression);
    while (ts.isPropertyAccessExpression(current)) {
      if (!OBJECT_PROPERTIES.has(current.name.text)) return false;
      current = skipOuter(current.expression);
    }
    return ts.isIdentifier(current) && this.kindOf(current) !== undefined;
  }

  /**
   * Whether running `body` completes the response (RULES.md §2.4): a responding method on
   * `res`/`reply`/`ctx`/`c` (chains like `res.status(500).json(...)` included), an assignment to
   * `ctx.body`, the gRPC `callback`, or passing control on with `next`/`done` (the request goes on).
   */
  completesResponse(body: ts.Node): boolean {
    let found = false;
    const next = this.scope.next?.name;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node)) {
        const callee = skipOuter(node.expression);
        // `sendList(req, res)`, `handleError(res, err)`: whoever gets the response may answer it,
        // and when unsure the continuation is not reported (RULES.md §2.4 exempts answering ones).
        if (node.arguments.some((argument) => this.#isAnsweringObject(argument))) found = true;
        else if (ts.isIdentifier(callee)) {
          if (this.kindOf(callee) === 'callback' || (next !== undefined && callee.text === next)) found = true;
        } else if (ts.isPropertyAccessExpression(callee) && RESPONDING_METHODS.has(callee.name.text)) {
          const root = chainRoot(callee.expression);
          const kind = root && this.kindOf(root);
          if (kind && (ANSWERING_ROLES.has(kind) || kind === 'derived')) found = true;
        }
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = skipOuter(node.left);
        if (ts.isPropertyAccessExpression(left) && left.name.text === 'body') {
          const root = chainRoot(left.expression);
          if (root && this.kindOf(root) === 'ctx') found = true;
        }
      }
      if (!found) ts.forEachChild(node, visit);
    };
    visit(body);
    return found;
  }

  /** `res`, `reply`, `ctx`, `c` (or a local taken from one): an object a response is sent through. */
  #isAnsweringObject(argument: ts.Expression): boolean {
    const target = skipOuter(argument);
    if (!ts.isIdentifier(target)) return false;
    const kind = this.kindOf(target);
    return !!kind && ANSWERING_ROLES.has(kind);
  }

  /** Nest `context.switchToHttp().getRequest()` / `.getResponse()`: the underlying request or response. */
  #unwrappedRole(init: ts.Expression): RequestObjectKind | undefined {
    if (!ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) return undefined;
    const method = init.expression.name.text;
    if (method !== 'getRequest' && method !== 'getResponse') return undefined;
    const root = chainRoot(init.expression.expression);
    if (!root || this.kindOf(root) !== 'executionContext') return undefined;
    return method === 'getRequest' ? 'req' : 'res';
  }

  #collectDerived(body: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer) {
        const init = skipOuter(node.initializer);
        if (ts.isIdentifier(node.name)) {
          if (ts.isPropertyAccessExpression(init) && this.isRequestObjectExpression(init)) this.#derived.set(node, 'derived');
          const unwrapped = this.#unwrappedRole(init);
          if (unwrapped) this.#derived.set(node, unwrapped);
        } else if (ts.isObjectBindingPattern(node.name) && this.isRequestObjectExpression(init)) {
          for (const element of node.name.elements) {
            const property = element.propertyName ?? element.name;
            if (ts.isIdentifier(property) && OBJECT_PROPERTIES.has(property.text) && ts.isIdentifier(element.name)) this.#derivedNames.add(element.name.text);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
  }
}

/** `res.status(500).json` -> `res`; `ctx.response` -> `ctx`. */
export function chainRoot(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuter(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuter(current.expression);
    else if (ts.isCallExpression(current)) current = skipOuter(current.expression);
    else break;
  }
  return ts.isIdentifier(current) ? current : undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** An identifier that reads a variable (not a property name, a declared name or a label). */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isBindingElement(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isPropertySignature(parent) || ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) return false;
  return true;
}
