import { ts } from 'ts-morph';
import { packageOfFile, type TypeInfo } from '../typeInfo';
import type { ImportTable } from './imports';

/** What kind of framework object an expression is, as far as registering handlers goes. */
export type AppKind = 'express' | 'koa' | 'koaRouter' | 'fastify' | 'hono' | 'httpServer';

const KOA_ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);

/**
 * Decides what framework object an expression holds: from the expression that created it
 * (`express()`, `new Koa()`), from a parameter's type annotation, and — only when the syntax
 * leaves it open and a caller allows it — from the type checker.
 */
export class AppKinds {
  readonly #cache = new Map<ts.Node, AppKind | undefined>();
  /** Parameters known to hold a Fastify instance (plugins), filled by the scope finder. */
  readonly fastifyPluginParams = new Set<ts.ParameterDeclaration>();

  constructor(
    private readonly imports: ImportTable,
    private readonly declarations: LocalDeclarations,
    private readonly types: TypeInfo,
  ) {}

  kindOf(expression: ts.Expression, useTypes: boolean): AppKind | undefined {
    const syntactic = this.#syntactic(expression, 0);
    if (syntactic || !useTypes) return syntactic;
    return this.#fromTypes(expression);
  }

  #syntactic(expression: ts.Expression, depth: number): AppKind | undefined {
    if (depth > 4) return undefined;
    if (this.#cache.has(expression)) return this.#cache.get(expression);
    const kind = this.#compute(skipOuter(expression), depth);
    this.#cache.set(expression, kind);
    return kind;
  }

  #compute(expression: ts.Expression, depth: number): AppKind | undefined {
    if (ts.isCallExpression(expression)) {
      const callee = skipOuter(expression.expression);
      // `app.route('/x').get(...)` chains on the same router.
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'route') {
        const inner = this.#syntactic(callee.expression, depth + 1);
        if (inner === 'express') return 'express';
      }
      return this.#factoryKind(callee);
    }
    if (ts.isNewExpression(expression)) {
      const target = importOf(this.imports, expression.expression);
      if (!target) return undefined;
      if (target.module === 'koa') return 'koa';
      if (KOA_ROUTER_MODULES.has(target.module)) return 'koaRouter';
      if (target.module === 'hono' || target.module.startsWith('hono/')) return 'hono';
      if (target.module === 'express' && target.name === 'Router') return 'express';
      return undefined;
    }
    if (ts.isIdentifier(expression)) {
      const declaration = this.declarations.lookup(expression.text, expression);
      if (!declaration) return undefined;
      if (ts.isParameter(declaration)) return this.#parameterKind(declaration);
      if (ts.isVariableDeclaration(declaration)) {
        const annotated = declaration.type ? this.#typeNodeKind(declaration.type) : undefined;
        if (annotated) return annotated;
        return declaration.initializer ? this.#syntactic(declaration.initializer, depth + 1) : undefined;
      }
      return undefined;
    }
    return undefined;
  }

  /** `express()`, `express.Router()`, `Router()`, `Fastify()`, `connect()`, `http.createServer()`. */
  #factoryKind(callee: ts.Expression): AppKind | undefined {
    const target = importOf(this.imports, callee);
    if (!target) return undefined;
    const { module, name } = target;
    if (module === 'express' && (name === 'default' || name === '*' || name === 'Router')) return 'express';
    if (module === 'connect' || module === 'router') return 'express';
    if (module === 'fastify' && (name === 'default' || name === '*' || name === 'fastify' || name === 'Fastify')) return 'fastify';
    if ((module === 'http' || module === 'https' || module === 'http2') && /^create(Secure)?Server$/.test(name)) return 'httpServer';
    return undefined;
  }

  #parameterKind(parameter: ts.ParameterDeclaration): AppKind | undefined {
    if (this.fastifyPluginParams.has(parameter)) return 'fastify';
    return parameter.type ? this.#typeNodeKind(parameter.type) : undefined;
  }

  /** `Express`, `Router`, `express.Application`, `FastifyInstance`, `Hono`, `Koa`, `Server`. */
  #typeNodeKind(type: ts.TypeNode): AppKind | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const target = importOfEntityName(this.imports, type.typeName);
    if (!target) return undefined;
    const { module, name } = target;
    if (module === 'express' && ['Express', 'Application', 'Router', 'IRouter'].includes(name)) return 'express';
    if (module === 'koa' && (name === 'default' || name === '*' || name === 'Koa')) return 'koa';
    if (KOA_ROUTER_MODULES.has(module)) return 'koaRouter';
    if (module === 'fastify' && name === 'FastifyInstance') return 'fastify';
    if (module === 'hono' && name === 'Hono') return 'hono';
    if ((module === 'http' || module === 'https') && name === 'Server') return 'httpServer';
    return undefined;
  }

  #fromTypes(expression: ts.Expression): AppKind | undefined {
    const type = this.types.typeOf(expression);
    if (!this.types.isKnown(type)) return undefined;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    if (!symbol || !declaration) return undefined;
    const pkg = packageOfFile(declaration.getSourceFile().fileName);
    const name = symbol.getName();
    if ((pkg === 'express-serve-static-core' || pkg === 'express') && /^(Express|Application|Router|IRouter)$/.test(name)) return 'express';
    if (pkg === 'koa' && /^(Application|Koa)$/.test(name)) return 'koa';
    if (pkg && KOA_ROUTER_MODULES.has(pkg)) return 'koaRouter';
    if (pkg === 'fastify' && /^Fastify/.test(name)) return 'fastify';
    if (pkg === 'hono' && /^Hono/.test(name)) return 'hono';
    if (pkg === 'node' && name === 'Server') return 'httpServer';
    return undefined;
  }
}

/** Removes parentheses, `as`, `!` and `satisfies` around an expression. */
export function skipOuter(expression: ts.Expression): ts.Expression {
  let current = expression;
  // Called for nearly every expression a rule looks at: one switch on the kind, no type guards.
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** The import an identifier or `ns.member` expression refers to, e.g. `express.Router` -> express/Router. */
export function importOf(imports: ImportTable, expression: ts.Expression): { module: string; name: string } | undefined {
  const target = skipOuter(expression);
  if (ts.isIdentifier(target)) return imports.get(target.text);
  if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression)) {
    const base = imports.get(target.expression.text);
    if (base && (base.name === '*' || base.name === 'default')) return { module: base.module, name: target.name.text };
  }
  return undefined;
}

function importOfEntityName(imports: ImportTable, name: ts.EntityName): { module: string; name: string } | undefined {
  if (ts.isIdentifier(name)) return imports.get(name.text);
  if (ts.isIdentifier(name.left)) {
    const base = imports.get(name.left.text);
    if (base && (base.name === '*' || base.name === 'default')) return { module: base.module, name: name.right.text };
  }
  return undefined;
}

export { importOfEntityName };

/**
 * Name -> declarations in the file, so an identifier can be followed to the variable, parameter
 * or function it names without the type checker. Shadowing is resolved by picking the innermost
 * declaration whose scope contains the use.
 */
export class LocalDeclarations {
  readonly #byName = new Map<string, ts.Declaration[]>();

  /** From declarations already collected (see `syntax/fileIndex.ts`, which walks each file once). */
  constructor(declarations: Iterable<ts.Declaration>) {
    for (const declaration of declarations) {
      const name = (declaration as ts.NamedDeclaration).name;
      if (name && ts.isIdentifier(name)) this.#add(name.text, declaration);
    }
  }

  /** Whether a node declares a name this index keeps. */
  static isIndexed(node: ts.Node): node is ts.Declaration {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) return ts.isIdentifier(node.name);
    return (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && !!node.name;
  }

  #add(name: string, declaration: ts.Declaration): void {
    const list = this.#byName.get(name);
    if (list) list.push(declaration);
    else this.#byName.set(name, [declaration]);
  }

  lookup(name: string, use: ts.Node): ts.Declaration | undefined {
    const candidates = this.#byName.get(name);
    if (!candidates) return undefined;
    if (candidates.length === 1) return scopeContains(candidates[0], use) ? candidates[0] : undefined;
    let best: ts.Declaration | undefined;
    let bestDepth = -1;
    for (const candidate of candidates) {
      if (!scopeContains(candidate, use)) continue;
      const depth = depthOf(candidate);
      if (depth > bestDepth) {
        best = candidate;
        bestDepth = depth;
      }
    }
    return best;
  }
}

/** The node whose subtree a declaration is visible in (function for var/params, block for let/const). */
function declarationScope(declaration: ts.Declaration): ts.Node {
  if (ts.isParameter(declaration)) return declaration.parent;
  if (ts.isFunctionDeclaration(declaration)) return declaration.parent;
  let node: ts.Node = declaration.parent;
  const isVar = ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0;
  while (node.parent) {
    if (ts.isFunctionLike(node) || ts.isSourceFile(node)) return node;
    if (!isVar && (ts.isBlock(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isCaseBlock(node))) return node;
    node = node.parent;
  }
  return node;
}

function scopeContains(declaration: ts.Declaration, use: ts.Node): boolean {
  const scope = declarationScope(declaration);
  return use.pos >= scope.pos && use.end <= scope.end;
}

function depthOf(node: ts.Node): number {
  let depth = 0;
  for (let current = node.parent; current; current = current.parent) depth++;
  return depth;
}
