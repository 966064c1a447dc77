import { ts } from 'ts-morph';
import { freshName } from '../fixes/requestSignal';
import { indentAt, indentUnitOf, lineEndOf, newlineOf } from '../fixes/text';
import type { RelatedDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import { indexOf } from '../syntax/fileIndex';
import { type StartupTimer, startupTimers } from '../timers/startupTimers';
import type { TextEdit } from '../types';
import { functionLocation } from './scopeRelated';

const FIX_0 = "Make the timer stoppable";
const HANDLE_NAME = 'timer';

export const factoryTimerLeak: Rule = {
  id: 'factory-timer-leak',
  description: "A recurring timer started in a middleware factory, class constructor or server module can never be stopped.",
  fixTitles: [FIX_0],
  check(ctx) {
    for (const timer of startupTimers(ctx.facts)) {
      const fix = stoppableFix(ctx, timer);
      ctx.report({
        node: timer.call,
        message: explain(timer),
        related: relatedOf(timer, ctx.sourceFile),
        fixes: fix ? [{ title: FIX_0, preferred: true, edits: fix }] : [],
      });
    }
  },
};

function explain(timer: StartupTimer): string {
  const what = timer.recurring === 'interval' ? 'This setInterval' : 'This self-rescheduling setTimeout';
  const where =
    timer.context.kind === 'factory' ? 'in a middleware factory' :
    timer.context.kind === 'class' ? `in ${timer.context.cls.name?.text ?? 'a class'}'s ${memberName(timer.context.member)}` :
    timer.context.kind === 'fastifyPlugin' ? 'in a Fastify plugin' : 'at module scope of a server module';
  return `${what} started ${where} can never be stopped (no clear in a close/stop/shutdown hook, not unref'd), so it outlives every app instance that uses it and keeps the process, tests and hot reloads from shutting down cleanly.`;
}

function memberName(member: ts.ClassElement): string {
  if (ts.isConstructorDeclaration(member)) return 'constructor';
  return member.name && ts.isIdentifier(member.name) ? member.name.text : 'initialiser';
}

function relatedOf(timer: StartupTimer, sourceFile: ts.SourceFile): RelatedDescriptor[] {
  const context = timer.context;
  switch (context.kind) {
    case 'factory':
      return [{ node: context.middleware, message: 'the middleware this factory returns: every call of the factory starts another timer' }];
    case 'class':
      return [{ node: context.cls.name ?? context.member, message: 'the class whose instances start this timer' }];
    case 'fastifyPlugin':
      return [{ ...functionLocation(context.fn, sourceFile), message: 'the plugin that starts this timer each time it is registered' }];
    case 'module':
      return [{ ...functionLocation(context.handler.fn, sourceFile), message: `this module registers request handlers (${context.handler.reason}): the timer runs for as long as the process does` }];
  }
}

/** "Make the timer stoppable": keep the handle, `.unref()` it, and clear it in the framework's stop hook. */
function stoppableFix(ctx: RuleContext, timer: StartupTimer): TextEdit[] | undefined {
  if (timer.recurring !== 'interval') return undefined;
  const sourceFile = ctx.sourceFile;
  const text = sourceFile.text;
  const nl = newlineOf(text);
  const declarations = indexOf(sourceFile).declarations;
  if (declarations.lookup('clearInterval', timer.call) || ctx.facts.imports.get('clearInterval')) return undefined;
  const statement = statementOf(timer.call);
  if (!statement || !onOwnLine(statement, sourceFile)) return undefined;
  const indent = indentAt(text, statement.getStart(sourceFile));
  const after = lineEndOf(text, statement.end);
  if (text[after - 1] !== '\n') return undefined;
  const context = timer.context;
  const handle = timer.handle;

  if (context.kind === 'class') {
    if (!context.nest || (!ts.isConstructorDeclaration(context.member) && !ts.isMethodDeclaration(context.member))) return undefined;
    const isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
    let field: string;
    const edits: TextEdit[] = [];
    if (handle.kind === 'none') {
      field = freshName(HANDLE_NAME, context.cls);
      const start = statement.getStart(sourceFile);
      edits.push({ start, end: start, newText: `this.${field} = ` });
    } else if (handle.kind === 'property' && /^this\.[\w$]+$/.test(handle.text)) {
      field = handle.text.slice(5);
    } else return undefined;
    edits.push({ start: after, end: after, newText: `${indent}this.${field}.unref();${nl}` });
    const memberIndent = indentAt(text, context.member.getStart(sourceFile));
    const declared = context.cls.members.some((m) => ts.isPropertyDeclaration(m) && m.name.getText(sourceFile) === field);
    if (!declared) {
      const start = lineStartOfMember(context.member, sourceFile);
      edits.push({ start, end: start, newText: `${memberIndent}${isJs ? '' : 'private '}${field}${isJs ? '' : '?: ReturnType<typeof setInterval>'};${nl}${nl}` });
    }
    const destroy = context.cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText(sourceFile) === 'onModuleDestroy' && !!m.body);
    const unit = indentUnitOf(text);
    if (destroy) {
      const body = destroy.body!;
      const open = body.getStart(sourceFile) + 1;
      const bodyIndent = memberIndent + unit;
      edits.push({ start: open, end: open, newText: `${nl}${bodyIndent}clearInterval(this.${field});` });
    } else {
      const end = lineEndOf(text, context.member.end);
      edits.push({ start: end, end, newText: `${nl}${memberIndent}onModuleDestroy() {${nl}${memberIndent}${unit}clearInterval(this.${field});${nl}${memberIndent}}${nl}` });
    }
    return edits;
  }

  // A local handle: the existing `const`, or a fresh one.
  let name: string;
  const keep: TextEdit[] = [];
  if (handle.kind === 'none') {
    name = freshName(HANDLE_NAME, statement.parent);
    const start = statement.getStart(sourceFile);
    keep.push({ start, end: start, newText: `const ${name} = ` });
  } else if (handle.kind === 'variable' && ts.isVariableDeclaration(handle.holder) && handle.holder.parent.parent === statement) {
    name = handle.name;
  } else return undefined;

  if (context.kind === 'fastifyPlugin' || (context.kind === 'module' && context.fastifyApp)) {
    const instance = context.kind === 'fastifyPlugin' ? context.instance : context.fastifyApp!;
    const lines = `${indent}${name}.unref();${nl}${indent}${instance}.addHook('onClose', async () => clearInterval(${name}));${nl}`;
    return [...keep, { start: after, end: after, newText: lines }];
  }
  if (context.kind !== 'factory' || !context.returnStatement) return undefined;
  if (!(statement.parent === context.fn.body)) return undefined;
  const edits: TextEdit[] = [...keep, { start: after, end: after, newText: `${indent}${name}.unref();${nl}` }];
  const middleware = skipOuter(context.middleware);
  const close = `() => clearInterval(${name})`;
  const returnStatement = context.returnStatement;
  const isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
  if (ts.isIdentifier(middleware) && returnStatement.parent === context.fn.body) {
    const declaration = declarations.lookup(middleware.text, middleware);
    const local = declaration && (ts.isFunctionDeclaration(declaration) || (ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0));
    if (!local || !onOwnLine(returnStatement, sourceFile)) return undefined;
    // TypeScript accepts `mw.close = ...` on a function declaration or an unannotated const
    // (expando); an annotated const (`const mw: RequestHandler = ...`) gets Object.assign instead.
    if (isJs || !(ts.isVariableDeclaration(declaration) && declaration.type)) {
      const start = lineStartOfMember(returnStatement, sourceFile);
      const returnIndent = indentAt(text, returnStatement.getStart(sourceFile));
      edits.push({ start, end: start, newText: `${returnIndent}${middleware.text}.close = ${close};${nl}` });
      return edits;
    }
  }
  const typeArguments = isJs ? '' : assignTypeArguments(ctx, context.fn, context.middleware);
  if (typeArguments === undefined) return undefined;
  const start = context.middleware.getStart(sourceFile);
  edits.push({ start, end: start, newText: `Object.assign${typeArguments}(` }, { start: context.middleware.end, end: context.middleware.end, newText: `, { close: ${close} })` });
  return edits;
}

/**
 * Wrapping the returned middleware in `Object.assign(...)` takes away the contextual type it had
 * as the factory's return value, so `(req, res, next) => ...` under a declared `RequestHandler`
 * return type would get implicitly-`any` parameters. Where the middleware needs that type, it is
 * handed back through explicit type arguments: `Object.assign<RequestHandler, { close: () => void }>(`.
 * '' when nothing is lost, undefined when the type can't be restated (the fix is not offered).
 */
function assignTypeArguments(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, middleware: ts.Expression): string | undefined {
  if (!dependsOnContextualType(middleware)) return '';
  if (fn.type) {
    const isAsync = !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (isAsync || fn.asteriskToken) return undefined;
    // `T extends {}` in Object.assign: a union (with undefined, say) or a literal type can't be restated.
    if (!ts.isTypeReferenceNode(fn.type) && !ts.isFunctionTypeNode(fn.type) && !ts.isTypeLiteralNode(fn.type)) return undefined;
    return `<${fn.type.getText(ctx.sourceFile)}, { close: () => void }>`;
  }
  // A declared function has no contextual return type; a function expression may get one from
  // where it is assigned or passed, which the wrap would lose.
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return '';
  let contextual: ts.Type | undefined;
  try {
    contextual = ctx.types.checker.getContextualType(skipOuter(middleware));
  } catch {
    return undefined;
  }
  return contextual ? undefined : '';
}

/** A function whose parameters are typed by where it stands, or a call that may infer from it. */
function dependsOnContextualType(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return target.parameters.some((p) => !p.type);
  return !ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target);
}

/** The statement the timer call is (`setInterval(...);`, `this.t = setInterval(...);`, `const t = setInterval(...);`), directly in a block. */
function statementOf(call: ts.CallExpression): ts.Statement | undefined {
  let current: ts.Node = call;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  let parent = current.parent;
  if (ts.isBinaryExpression(parent) && parent.right === current) parent = parent.parent;
  if (ts.isVariableDeclaration(parent)) {
    const list = parent.parent;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
    parent = list.parent;
  }
  if (!(ts.isExpressionStatement(parent) || ts.isVariableStatement(parent))) return undefined;
  return ts.isBlock(parent.parent) || ts.isSourceFile(parent.parent) ? parent : undefined;
}

function onOwnLine(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  const text = sourceFile.text;
  const start = node.getStart(sourceFile);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return false;
  return /^[ \t]*(\/\/.*)?\r?$/.test(text.slice(node.end, lineEndOf(text, node.end)).replace(/\n$/, ''));
}

/** The start of the line a member (or statement) begins on, including leading decorators. */
function lineStartOfMember(node: ts.Node, sourceFile: ts.SourceFile): number {
  const start = node.getStart(sourceFile);
  return sourceFile.text.lastIndexOf('\n', start - 1) + 1;
}
