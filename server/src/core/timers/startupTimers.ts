// RULES.md §2.7 as plain data: recurring timers started outside request scopes — in a middleware
// factory, in the constructor or initialiser of a middleware / interceptor / provider class, in a
// Fastify plugin, or at module scope of a module that registers request scopes — that nothing can
// ever stop: the handle never reaches `clearInterval`/`clearTimeout`, is never `.unref()`ed, and is
// not handed on to code that could.
import { ts } from 'ts-morph';
import type { FileFacts } from '../fileFacts';
import { enclosingFunction, type FunctionWithBody } from '../flow';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import type { RequestScope } from '../scopes/requestScope';
import { indexOf } from '../syntax/fileIndex';
import { clearedExpression, compact, type TimerHandle, timerHandleOf, timerKindOf, variableHandleUses } from './timerFacts';

/** Where the timer is started. */
export type StartupContext =
  | { kind: 'factory'; fn: FunctionWithBody; middleware: ts.Expression; returnStatement: ts.ReturnStatement | undefined }
  | { kind: 'class'; cls: ts.ClassLikeDeclaration; member: ts.ClassElement; nest: boolean }
  | { kind: 'fastifyPlugin'; fn: FunctionWithBody; instance: string }
  | { kind: 'module'; fastifyApp?: string; handler: RequestScope };

export interface StartupTimer {
  call: ts.CallExpression;
  recurring: 'interval' | 'rescheduling';
  context: StartupContext;
  handle: TimerHandle;
}

const INITIALISERS = /^(onModuleInit|onApplicationBootstrap|init|initialize|initialise|start)$/;
const NEST_ROLES = /^(NestMiddleware|NestInterceptor|CanActivate|PipeTransform)$/;

export function startupTimers(facts: FileFacts): StartupTimer[] {
  const sourceFile = facts.sourceFile;
  if (!/set(Interval|Timeout)/.test(sourceFile.text)) return [];
  const { calls, declarations } = indexOf(sourceFile);
  const imports = facts.imports;
  const scopes = facts.requestScopes;
  const out: StartupTimer[] = [];
  for (const call of calls) {
    const kind = timerKindOf(call, declarations, imports);
    if (kind !== 'setInterval' && kind !== 'setTimeout') continue;
    if (facts.scopeOf(call)) continue;
    let startedIn: ts.Node = call;
    if (kind === 'setTimeout') {
      const tick = reschedulingFunction(call, declarations);
      if (!tick) continue;
      startedIn = tick;
    }
    const context = contextOf(startedIn, scopes, sourceFile);
    if (!context) continue;
    const handle = timerHandleOf(call, declarations);
    if (!canNeverStop(handle, sourceFile, declarations, facts)) continue;
    out.push({ call, recurring: kind === 'setInterval' ? 'interval' : 'rescheduling', context, handle });
  }
  return out;
}

function canNeverStop(handle: TimerHandle, sourceFile: ts.SourceFile, declarations: LocalDeclarations, facts: FileFacts): boolean {
  if (handle.unref) return false;
  switch (handle.kind) {
    case 'none':
      return true;
    case 'escapes':
      return false;
    case 'variable': {
      if (!handle.declaration || ts.isParameter(handle.declaration)) return false;
      const root = enclosingFunction(handle.declaration) ?? sourceFile;
      const uses = variableHandleUses(handle.name, handle.declaration, root, declarations, facts.imports);
      // Exported module state can be cleared by whoever imports it.
      if (!enclosingFunction(handle.declaration) && isExported(handle.declaration)) return false;
      return uses.clears.length === 0 && uses.escapes.length === 0 && !uses.unref;
    }
    case 'property': {
      let root = skipOuter(handle.target);
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
      if (root.kind !== ts.SyntaxKind.ThisKeyword) return false;
      const text = handle.text;
      for (const other of indexOf(sourceFile).calls) {
        const cleared = clearedExpression(other, declarations, facts.imports);
        if (cleared && compact(cleared.getText(sourceFile)) === text) return false;
        const callee = skipOuter(other.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'unref' && compact(callee.expression.getText(sourceFile)).replace(/\?$/, '') === text) return false;
      }
      return true;
    }
  }
}

/**
 * A `setTimeout(tick, ms)` inside `tick` itself, run on every pass (a statement of tick's body, or
 * of a `finally` in it): the function it reschedules. Conditional rescheduling can be stopped.
 */
function reschedulingFunction(call: ts.CallExpression, declarations: LocalDeclarations): FunctionWithBody | undefined {
  const fn = enclosingFunction(call);
  if (!fn || !ts.isBlock(fn.body)) return undefined;
  // `function tick() {...}`, `const tick = () => {...}`, and the named IIFE `(function tick() {...})()`.
  const ownName = (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name ? fn.name : undefined;
  const name = ownName ?? (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined);
  if (!name) return undefined;
  const callback = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!callback) return undefined;
  const refersToFn = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === name.text) {
      const found = declarations.lookup(name.text, node);
      // A function expression's own name is visible only inside it; no other declaration may shadow it.
      if (ts.isFunctionExpression(fn) && ownName) return found === undefined || !(found.pos >= fn.pos && found.end <= fn.end);
      return found === fn || found === fn.parent;
    }
    return ts.forEachChild(node, refersToFn) ?? false;
  };
  if (!refersToFn(callback)) return undefined;
  // A `return` or `throw` in its own code may end the loop (`if (stopped) return;`): stoppable.
  let exits = false;
  const visit = (node: ts.Node): void => {
    if (exits || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) exits = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  if (exits) return undefined;
  // Unconditional: the statement is in the body, or in a `finally` directly in it.
  let statement: ts.Node = call;
  while (statement.parent && !ts.isBlock(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  if (block === fn.body) return fn;
  const tryStatement = block.parent;
  if (ts.isTryStatement(tryStatement) && tryStatement.finallyBlock === block && tryStatement.parent === fn.body) return fn;
  return undefined;
}

/** The start-up context of code at `node`, or undefined when it is none §2.7 looks at. */
function contextOf(node: ts.Node, scopes: readonly RequestScope[], sourceFile: ts.SourceFile): StartupContext | undefined {
  // A class member's initialiser or constructor.
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) {
      const member = memberOf(node, current);
      if (!member) return undefined;
      const isInitialiser =
        ts.isConstructorDeclaration(member) || ts.isPropertyDeclaration(member) || (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name) && INITIALISERS.test(member.name.text));
      if (!isInitialiser || !directlyIn(node, member)) return undefined;
      const nest = isNestClass(current);
      const servesRequests = scopes.some((scope) => scope.fn.parent === current);
      return nest || servesRequests ? { kind: 'class', cls: current, member, nest } : undefined;
    }
    if (ts.isSourceFile(current)) break;
  }
  const fn = enclosingFunction(node);
  if (!fn) {
    const handler = scopes.find(isRegistration);
    if (!handler) return undefined;
    const fastifyApp = scopes.some((scope) => scope.framework === 'fastify') ? fastifyAppName(sourceFile) : undefined;
    return { kind: 'module', fastifyApp, handler };
  }
  if (enclosingFunction(fn) && !ts.isFunctionDeclaration(fn) && !ts.isVariableDeclaration(fn.parent)) return undefined;
  const middleware = returnedMiddleware(fn, scopes);
  if (middleware) return { kind: 'factory', fn, middleware: middleware.expression, returnStatement: middleware.statement };
  const first = fn.parameters[0];
  const registered = scopes.filter((scope) => scope.fn.pos > fn.pos && scope.fn.end <= fn.end && isRegistration(scope));
  if (first && ts.isIdentifier(first.name) && registered.some((scope) => scope.framework === 'fastify')) {
    return { kind: 'fastifyPlugin', fn, instance: first.name.text };
  }
  return undefined;
}

/** The member of `cls` holding `node`. */
function memberOf(node: ts.Node, cls: ts.ClassLikeDeclaration): ts.ClassElement | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    if (current.parent === cls) return ts.isClassElement(current) ? current : undefined;
  }
  return undefined;
}

/** No function between `node` and the member (the timer runs when the member runs). */
function directlyIn(node: ts.Node, member: ts.ClassElement): boolean {
  for (let current = node.parent; current && current !== member; current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
  }
  return true;
}

function isNestClass(cls: ts.ClassLikeDeclaration): boolean {
  const decorators = ts.canHaveDecorators(cls) ? ts.getDecorators(cls) ?? [] : [];
  const decorated = decorators.some((decorator) => {
    const expression = skipOuter(decorator.expression);
    const callee = ts.isCallExpression(expression) ? skipOuter(expression.expression) : expression;
    return ts.isIdentifier(callee) && /^(Injectable|Controller)$/.test(callee.text);
  });
  if (decorated) return true;
  return (cls.heritageClauses ?? []).some((clause) => clause.types.some((type) => ts.isIdentifier(type.expression) && NEST_ROLES.test(type.expression.text)));
}

function isRegistration(scope: RequestScope): boolean {
  return scope.role !== 'helper' && !/^parameter (shape|types)$/.test(scope.reason);
}

/** `const app = Fastify()` at module level: the name, for an `onClose` hook. */
function fastifyAppName(sourceFile: ts.SourceFile): string | undefined {
  const imports = indexOf(sourceFile).imports;
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuter(declaration.initializer);
      if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(declaration.name)) continue;
      const callee = skipOuter(init.expression);
      const imported = ts.isIdentifier(callee) ? imports.get(callee.text) : undefined;
      if (imported?.module === 'fastify') return declaration.name.text;
    }
  }
  return undefined;
}

/** `return (req, res, next) => ...` / `return middleware` where that is a request scope. */
function returnedMiddleware(fn: FunctionWithBody, scopes: readonly RequestScope[]): { expression: ts.Expression; statement: ts.ReturnStatement | undefined } | undefined {
  const isScope = (expression: ts.Expression): boolean => {
    const target = skipOuter(expression);
    const declarations = indexOf(fn.getSourceFile()).declarations;
    let resolved: ts.Node = target;
    if (ts.isIdentifier(target)) {
      const declaration = declarations.lookup(target.text, target);
      if (declaration && ts.isFunctionDeclaration(declaration)) resolved = declaration;
      else if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) resolved = skipOuter(declaration.initializer);
    }
    return scopes.some((scope) => scope.fn === resolved);
  };
  if (!ts.isBlock(fn.body)) return isScope(fn.body as ts.Expression) ? { expression: fn.body as ts.Expression, statement: undefined } : undefined;
  const returns: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) returns.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  const found = returns.find((statement) => statement.expression && isScope(statement.expression));
  return found ? { expression: found.expression!, statement: found } : undefined;
}

function isExported(declaration: ts.Declaration): boolean {
  const statement = declaration.parent?.parent;
  return !!statement && ts.isVariableStatement(statement) && !!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}
