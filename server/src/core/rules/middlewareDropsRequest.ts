import { ts } from 'ts-morph';
import { isAsyncFunction } from '../fixes/makeAsync';
import { addElseBranch, ensureNamedImport, insertAfterStatement, insertBeforeStatement, replaceStatement } from '../fixes/insertOnPath';
import { isFunctionWithBody } from '../flow';
import { controlParameterOf, droppingPaths, type ControlParameter, type DroppingPath } from '../flow/passesControl';
import type { ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import type { RequestObjectRole, RequestScope } from '../scopes/requestScope';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const END_RESPONSE = 'End the response on this path';
const PASS_CONTROL = 'Pass control on at the end of this path';

/** Fastify hooks that run once the response is over or abandoned: nothing is left to hang. */
const AFTER_RESPONSE_HOOK = /^Fastify (onResponse|onRequestAbort|onTimeout) hook/;

export const middlewareDropsRequest: Rule = {
  id: 'middleware-drops-request',
  description: 'A middleware path ends without passing control on, responding or throwing, so the request hangs.',
  fixTitles: [END_RESPONSE, PASS_CONTROL],
  check(ctx) {
    for (const scope of ctx.facts.requestScopes) {
      const control = controlParameterOf(scope);
      if (!control || AFTER_RESPONSE_HOOK.test(scope.reason)) continue;
      for (const drop of detect(scope, control, ctx)) {
        ctx.report({ ...explain(scope, control, drop, ctx), fixes: fix(scope, control, drop, ctx) });
      }
    }
  },
};

// ----- detect ------------------------------------------------------------------------------------

/** The middleware's paths that end without passing control on, responding or throwing (flow/passesControl). */
function detect(scope: RequestScope, control: ControlParameter, ctx: RuleContext): DroppingPath[] {
  if (!isFunctionWithBody(scope.fn)) return [];
  const drops = droppingPaths({ fn: scope.fn, framework: scope.framework, control, requestObjects: scope.requestObjects, values: ctx.facts.values });
  // One finding per anchor: an `if` whose both branches fall off the end is one place to fix.
  const seen = new Set<ts.Node>();
  return drops.filter((drop) => !seen.has(drop.statement) && !!seen.add(drop.statement));
}

// ----- explain -----------------------------------------------------------------------------------

function explain(scope: RequestScope, control: ControlParameter, drop: DroppingPath, ctx: RuleContext): ReportDescriptor {
  return {
    ...anchorOf(drop.statement, ctx.sourceFile),
    message: messageFor(scope, control),
    related: scopeRelated(scope, `the ${control.kind === 'callHandler' ? 'interceptor' : 'middleware'} (${scope.reason}) this path leaves`, ctx.sourceFile),
  };
}

function messageFor(scope: RequestScope, control: ControlParameter): string {
  const name = control.name;
  switch (control.kind) {
    case 'callHandler':
      return `This path ends without returning \`${name}.handle()\` or another Observable, so the route handler never runs and Nest fails the request instead of answering it.`;
    case 'nextCall':
      return `This path ends without calling \`${name}(...)\`, so the outgoing call is never started and its caller waits for a response that never comes.`;
    case 'done':
      return `This path ends without calling \`${name}()\` or sending a reply, so Fastify never runs the rest of the request and it hangs until the client times out.`;
    case 'next':
      if (scope.framework === 'koa') {
        return `This path ends without calling \`${name}()\`, setting a body or throwing, so the request never reaches the rest of the chain and Koa answers 404 Not Found.`;
      }
      if (scope.framework === 'hono') {
        return `This path ends without calling \`${name}()\` or returning a response, so the request never reaches the rest of the chain and Hono fails it with "Context is not finalized".`;
      }
      return `This path ends without calling \`${name}()\`, responding or throwing, so the request hangs until the client times out and its socket stays tied up meanwhile.`;
  }
}

/** The start of the last statement on the path: a `return`, an `if (...)` header, a loop header, a first line. */
function anchorOf(statement: ts.Node, sourceFile: ts.SourceFile): { start: number; end: number } {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const closeParen = (after: number): number => {
    const at = text.indexOf(')', after);
    return at < 0 ? after : at + 1;
  };
  if (ts.isIfStatement(statement) || ts.isSwitchStatement(statement) || ts.isWhileStatement(statement)) return { start, end: closeParen(statement.expression.end) };
  if (ts.isForStatement(statement) || ts.isForOfStatement(statement) || ts.isForInStatement(statement)) {
    const body = statement.statement.getStart(sourceFile);
    return { start, end: text.lastIndexOf(')', body) + 1 || body };
  }
  if (ts.isCatchClause(statement)) return { start, end: statement.variableDeclaration ? closeParen(statement.variableDeclaration.end) : start + 'catch'.length };
  const newline = text.indexOf('\n', start);
  let end = newline < 0 || newline > statement.end ? statement.end : newline;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

// ----- fix ---------------------------------------------------------------------------------------

/**
 * How one framework ends a path: a statement that can be followed by more code (`res.sendStatus(403);`,
 * `next();`), and/or a form that leaves the function (`return next();`, `throw new ...`).
 */
interface Ending {
  statement?: string;
  leaving?: string;
  /** Edits the ending needs elsewhere (an import). */
  extra?: TextEdit[];
}

function fix(scope: RequestScope, control: ControlParameter, drop: DroppingPath, ctx: RuleContext): Fix[] {
  if (!drop.onlyDropping || inFinally(drop.statement, scope.fn)) return [];
  const fixes: Fix[] = [];
  const respond = responseEnding(scope, control, drop, ctx);
  const pass = passEnding(scope, control, caughtError(drop.statement, scope.fn), ctx);
  for (const [title, ending] of [[END_RESPONSE, respond], [PASS_CONTROL, pass]] as const) {
    if (!ending) continue;
    const edit = placeEnding(drop, ending, ctx.sourceFile);
    if (edit) fixes.push({ title, preferred: false, fixAll: false, edits: [...(ending.extra ?? []), edit] });
  }
  return fixes;
}

/** Puts the ending on the dropping path only: before or in place of its `return`/jump, or after its last step. */
function placeEnding(drop: DroppingPath, ending: Ending, sourceFile: ts.SourceFile): TextEdit | undefined {
  const { from, statement } = drop;
  const line = ending.statement ?? ending.leaving!;
  if (from.role === 'return' || from.role === 'jump') {
    const jump = statement as ts.ReturnStatement | ts.BreakOrContinueStatement;
    const bare = !ts.isReturnStatement(jump) || !jump.expression || isVoid(jump.expression);
    if (bare && ending.leaving) return replaceStatement(sourceFile, jump, [ending.leaving]);
    return ending.statement ? insertBeforeStatement(sourceFile, jump, [ending.statement]) : undefined;
  }
  if (from.role === 'condition' && ts.isIfStatement(statement)) {
    return drop.edge === 'false' && !statement.elseStatement ? addElseBranch(sourceFile, statement, [line]) : undefined;
  }
  if ((from.role === 'condition' || from.role === 'iteration') && ts.isIterationStatement(statement, false) && drop.edge === 'false') {
    return insertAfterStatement(sourceFile, statement, [line]);
  }
  if (from.role === 'statement' && from.ast === statement) return insertAfterStatement(sourceFile, statement as ts.Statement, [line]);
  return undefined;
}

function responseEnding(scope: RequestScope, control: ControlParameter, drop: DroppingPath, ctx: RuleContext): Ending | undefined {
  const forbidden = scope.framework === 'nest' || control.kind === 'callHandler';
  if (forbidden) {
    const extra = ensureNamedImport(ctx.sourceFile, '@nestjs/common', 'ForbiddenException');
    return extra && isEsModule(ctx.sourceFile) ? { leaving: 'throw new ForbiddenException();', extra } : undefined;
  }
  // An error being handled (error middleware, a `catch`) answers 500; anything else refuses (403).
  const status = scope.role === 'error-middleware' || inCatch(drop.statement, scope.fn) ? 500 : 403;
  // `res.status(401); return;`: the path already chose its status, it only has to send it.
  const chosen = statusChosenBefore(drop, scope);
  switch (scope.framework) {
    case 'express':
    case 'node-http': {
      const res = nameOf(scope, 'res');
      if (!res) return undefined;
      if (chosen === res) return { statement: `${res}.end();` };
      const express = scope.framework === 'express' && !lacksExpressMethods(scope, res, ctx);
      return { statement: express ? `${res}.sendStatus(${status});` : `${res}.writeHead(${status}).end();` };
    }
    case 'koa': {
      const koaCtx = nameOf(scope, 'ctx');
      return koaCtx ? { statement: `${koaCtx}.status = ${status};` } : undefined;
    }
    case 'fastify': {
      const reply = nameOf(scope, 'reply');
      if (reply && chosen === reply) return { statement: `${reply}.send();` };
      return reply ? { statement: `${reply}.code(${status}).send();` } : undefined;
    }
    case 'hono': {
      const c = nameOf(scope, 'c');
      return c ? { leaving: `return ${c}.text('Forbidden', ${status});` } : undefined;
    }
    case 'grpc': {
      const callback = nameOf(scope, 'callback');
      if (!callback) return undefined;
      const status = statusImportName(ctx.sourceFile);
      return status ? { statement: `${callback}({ code: ${status}.PERMISSION_DENIED });` } : undefined;
    }
    default:
      return undefined;
  }
}

/** `caught`: the error a `catch` on the path holds, handed on with control (`next(error)`). */
function passEnding(scope: RequestScope, control: ControlParameter, caught: string | undefined, ctx: RuleContext): Ending | undefined {
  const name = control.name;
  switch (control.kind) {
    case 'callHandler':
      return { leaving: `return ${name}.handle();` };
    case 'nextCall': {
      const options = scope.fn.parameters[0];
      if (!options || !ts.isIdentifier(options.name)) return undefined;
      // An interceptor returns an InterceptingCall: wrap the started call in one.
      const bound = ctx.facts.imports.get('InterceptingCall');
      const extra = bound ? (bound.module === '@grpc/grpc-js' && bound.name === 'InterceptingCall' ? [] : undefined) : isEsModule(ctx.sourceFile) ? ensureNamedImport(ctx.sourceFile, '@grpc/grpc-js', 'InterceptingCall') : undefined;
      return extra ? { leaving: `return new InterceptingCall(${name}(${options.name.text}));`, extra } : undefined;
    }
    case 'done':
      return { statement: `${name}(${caught ?? ''});`, leaving: `return ${name}(${caught ?? ''});` };
    case 'next': {
      if (scope.framework === 'koa' || scope.framework === 'hono') {
        return { statement: isAsyncFunction(scope.fn) ? `await ${name}();` : undefined, leaving: `return ${name}();` };
      }
      const error = scope.role === 'error-middleware' ? scope.fn.parameters[0] : undefined;
      if (error && !ts.isIdentifier(error.name)) return undefined;
      const argument = error ? (error.name as ts.Identifier).text : caught ?? '';
      return { statement: `${name}(${argument});`, leaving: `return ${name}(${argument});` };
    }
  }
}

/**
 * The response object whose status the statement just before the path's end sets
 * (`res.status(401);`, `reply.code(401);`), if any.
 */
function statusChosenBefore(drop: DroppingPath, scope: RequestScope): string | undefined {
  let previous: ts.Node | undefined;
  if (drop.from.role === 'return' || drop.from.role === 'jump') {
    const parent = drop.statement.parent;
    if (ts.isBlock(parent)) previous = parent.statements[parent.statements.indexOf(drop.statement as ts.Statement) - 1];
  } else if (drop.from.role === 'statement') previous = drop.statement;
  if (!previous || !ts.isExpressionStatement(previous)) return undefined;
  let current = previous.expression;
  let setsStatus = false;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    if (!/^(status|code)$/.test(current.expression.name.text)) return undefined;
    setsStatus = true;
    current = current.expression.expression;
  }
  if (!setsStatus || !ts.isIdentifier(current)) return undefined;
  const role = scope.requestObjects.get(current.text);
  return role === 'res' || role === 'reply' ? current.text : undefined;
}

/** The name a `catch` around `node` (inside `fn`) binds the error to. */
function caughtError(node: ts.Node, fn: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = node; current && current !== fn; current = current.parent) {
    if (ts.isCatchClause(current)) {
      const binding = current.variableDeclaration?.name;
      return binding && ts.isIdentifier(binding) ? binding.text : undefined;
    }
  }
  return undefined;
}

function inCatch(node: ts.Node, fn: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current && current !== fn; current = current.parent) {
    if (ts.isCatchClause(current)) return true;
  }
  return false;
}

/**
 * A `(req, res, next)` middleware recognised by its shape whose `res` is typed as a plain
 * `ServerResponse` (a Connect stack on node:http): Express's `sendStatus` would not type-check.
 */
function lacksExpressMethods(scope: RequestScope, res: string, ctx: RuleContext): boolean {
  if (!/\.[cm]?tsx?$/.test(ctx.fileName)) return false;
  const parameter = scope.fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === res);
  if (!parameter) return false;
  const type = ctx.types.checker.getTypeAtLocation(parameter);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return !type.getProperty('sendStatus') && !!type.getProperty('writeHead');
}

function nameOf(scope: RequestScope, role: RequestObjectRole): string | undefined {
  for (const [name, r] of scope.requestObjects) if (r === role) return name;
  return undefined;
}

/** The local name of @grpc/grpc-js `status`, when imported. */
function statusImportName(sourceFile: ts.SourceFile): string | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== '@grpc/grpc-js') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === 'status');
      if (element) return element.name.text;
    }
    if (bindings && ts.isNamespaceImport(bindings)) return `${bindings.name.text}.status`;
  }
  return undefined;
}

function isEsModule(sourceFile: ts.SourceFile): boolean {
  return /\.(tsx?|mts|cts)$/.test(sourceFile.fileName) || sourceFile.statements.some((s) => ts.isImportDeclaration(s));
}

function inFinally(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node; current.parent && current !== fn; current = current.parent) {
    if (ts.isTryStatement(current.parent) && current.parent.finallyBlock === current) return true;
  }
  return false;
}

function isVoid(expression: ts.Expression): boolean {
  let target = expression;
  while (ts.isParenthesizedExpression(target)) target = target.expression;
  return ts.isVoidExpression(target) || (ts.isIdentifier(target) && target.text === 'undefined');
}
