// Edit builders for fixes that hand the request's cancellation signal to a call (RULES.md §2.2, and
// later §2.3/§2.6): get the request's signal in a handler — reusing one in scope, or declaring a
// linked controller once at the top of the handler — and put it where a call expects its options.
import { ts } from 'ts-morph';
import type { ImportTable } from '../scopes/imports';
import type { Framework, MissingParameter, RequestScope } from '../scopes/requestScope';
import type { SignalPlacement } from '../signals/signalApi';
import type { RequestSignals } from '../signals/requestSignals';
import type { TextEdit } from '../types';
import { indentAt, indentUnitOf, lineEndOf, newlineOf } from './text';

/** An expression evaluating to the request's signal, and the edits that make it valid. */
export interface SignalText {
  expression: string;
  /** Declarations or parameters to add first; identical for every call in one handler. */
  edits: TextEdit[];
}

/** The name of the controller a fix declares, before collision numbering. */
export const REQUEST_ABORT_NAME = 'requestAbort';

/** Placeholder names for parameters skipped over when a later one is added (`_request`). */
const PARAMETER_NAMES: Partial<Record<Framework, string[]>> = {
  express: ['req', 'res', 'next'],
  'node-http': ['req', 'res'],
  fastify: ['request', 'reply'],
  fetch: ['request'],
  koa: ['ctx', 'next'],
  hono: ['c', 'next'],
  nest: ['req', 'res', 'next'],
  grpc: ['call', 'callback'],
};

/** The name a fix gives the response it takes from a call (`context.switchToHttp().getResponse()`). */
const RESPONSE_NAME = 'response';

/**
 * The request's signal at `at` inside `scope`: one already in scope (a local signal, a linked
 * controller, the native signal), or — when there is none — a controller declared at the top of the
 * handler and aborted when the response closes before it finished:
 * `const requestAbort = new AbortController(); res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });`
 * The declaration depends only on the handler, so every fix in one handler makes the same edit and
 * fix-all, applying them together, declares it once. Undefined when no safe form exists.
 */
export function requestSignalFor(scope: RequestScope, at: ts.Node, signals: RequestSignals, sourceFile: ts.SourceFile, imports: ImportTable): SignalText | undefined {
  const existing = signals.expressionAt(at);
  if (existing) return { expression: existing, edits: [] };
  const source = scope.signal;
  if (source.kind === 'none') return undefined;
  const parameterEdits = source.missingParameter ? addParameterEdits(scope, source.missingParameter, sourceFile, imports) : [];
  if (!parameterEdits) return undefined;
  if (source.kind === 'native') return source.missingParameter ? { expression: source.expression, edits: parameterEdits } : undefined;

  const name = freshName(REQUEST_ABORT_NAME, scope.fn);
  const statements: string[] = [];
  let emitter = source.closeEmitter;
  let finishedCheck = source.finishedCheck;
  // An emitter reached through calls (Nest: `context.switchToHttp().getResponse()`) is taken once, into a local.
  if (emitter.includes('(')) {
    const local = freshName(RESPONSE_NAME, scope.fn);
    statements.push(`const ${local} = ${emitter};`);
    if (finishedCheck?.startsWith(emitter)) finishedCheck = local + finishedCheck.slice(emitter.length);
    emitter = local;
  }
  const abort = finishedCheck ? `{ if (!${finishedCheck}) ${name}.abort(); }` : `${name}.abort()`;
  const listen = source.optionalEmitter ? '?.once' : '.once';
  statements.push(`const ${name} = new AbortController();`, `${emitter}${listen}('${source.event}', () => ${abort});`);
  const declaration = declareAtTop(scope.fn, statements, sourceFile);
  return declaration ? { expression: `${name}.signal`, edits: [...parameterEdits, ...declaration] } : undefined;
}

/** The edit that puts `property: expression` where `placement` says the call takes its options. */
export function signalOptionEdits(call: ts.CallExpression, placement: SignalPlacement, expression: string, sourceFile: ts.SourceFile): TextEdit[] {
  const text = sourceFile.text;
  const property = expression === placement.property ? expression : `${placement.property}: ${expression}`;
  switch (placement.kind) {
    case 'merge':
      return mergeIntoObject(placement.object, property, sourceFile);
    case 'encoding': {
      const argument = placement.argument;
      const start = argument.getStart(sourceFile);
      return [{ start, end: argument.end, newText: `{ encoding: ${text.slice(start, argument.end)}, ${property} }` }];
    }
    case 'replace':
      return [{ start: placement.argument.getStart(sourceFile), end: placement.argument.end, newText: `{ ${property} }` }];
    case 'beforeCallback': {
      const start = placement.callback.getStart(sourceFile);
      return [{ start, end: start, newText: `{ ${property} }, ` }];
    }
    case 'append': {
      const fill = 'undefined, '.repeat(placement.fill);
      const args = call.arguments;
      if (args.length === 0) return [{ start: args.pos, end: args.pos, newText: `${fill}{ ${property} }` }];
      const last = args[args.length - 1];
      return [{ start: last.end, end: last.end, newText: `, ${fill}{ ${property} }` }];
    }
  }
}

/** `{ method: 'POST' }` -> `{ method: 'POST', signal: x }`, keeping one property per line when it is laid out so. */
function mergeIntoObject(object: ts.ObjectLiteralExpression, property: string, sourceFile: ts.SourceFile): TextEdit[] {
  const text = sourceFile.text;
  const properties = object.properties;
  const open = object.getStart(sourceFile);
  if (properties.length === 0) {
    const inner = text.slice(open + 1, object.end - 1);
    if (inner.trim() === '') return [{ start: open, end: object.end, newText: `{ ${property} }` }];
    return [{ start: open + 1, end: open + 1, newText: ` ${property},` }];
  }
  const last = properties[properties.length - 1];
  const trailingComma = properties.hasTrailingComma;
  const closeLine = sourceFile.getLineAndCharacterOfPosition(object.end - 1).line;
  const lastLine = sourceFile.getLineAndCharacterOfPosition(last.end).line;
  if (closeLine === lastLine) {
    if (!trailingComma) return [{ start: last.end, end: last.end, newText: `, ${property}` }];
    const comma = text.indexOf(',', last.end);
    return [{ start: comma + 1, end: comma + 1, newText: ` ${property},` }];
  }
  // One property per line: a new line after the last one, after any comment ending that line.
  const nl = newlineOf(text);
  const indent = indentAt(text, last.getStart(sourceFile));
  const lineEnd = lineEndOf(text, last.end);
  const contentEnd = text[lineEnd - 1] === '\n' ? lineEnd - (text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
  const addLine = { start: contentEnd, end: contentEnd, newText: `${nl}${indent}${property}${trailingComma ? ',' : ''}` };
  if (trailingComma) return [addLine];
  if (contentEnd === last.end) return [{ start: last.end, end: last.end, newText: `,${addLine.newText}` }];
  return [{ start: last.end, end: last.end, newText: ',' }, addLine];
}

/**
 * Inserts statements at the top of a function body, after any directive prologue, in the body's
 * indentation; an expression body becomes a block that returns the expression.
 */
export function declareAtTop(fn: ts.FunctionLikeDeclaration, statements: string[], sourceFile: ts.SourceFile): TextEdit[] | undefined {
  const body = fn.body;
  if (!body) return undefined;
  const text = sourceFile.text;
  const nl = newlineOf(text);
  if (!ts.isBlock(body)) {
    const start = body.getStart(sourceFile);
    const outer = indentAt(text, start);
    const inner = outer + indentUnitOf(text);
    const head = statements.map((s) => `${nl}${inner}${s}`).join('');
    return [
      { start, end: start, newText: `{${head}${nl}${inner}return ` },
      { start: body.end, end: body.end, newText: `;${nl}${outer}}` },
    ];
  }
  const directives = prologueOf(body);
  const after = directives.length > 0 ? directives[directives.length - 1].end : body.getStart(sourceFile) + 1;
  const restOfLine = text.slice(after, lineEndOf(text, after));
  if (!/^[ \t]*(\/\/.*)?\r?\n?$/.test(restOfLine)) {
    return [{ start: after, end: after, newText: ` ${statements.join(' ')}` }];
  }
  const first = body.statements[directives.length];
  const firstStart = first?.getStart(sourceFile);
  const indent =
    first && sourceFile.getLineAndCharacterOfPosition(firstStart!).line > sourceFile.getLineAndCharacterOfPosition(after).line
      ? indentAt(text, firstStart!)
      : indentAt(text, body.getStart(sourceFile)) + indentUnitOf(text);
  const insertAt = lineEndOf(text, after);
  return [{ start: insertAt, end: insertAt, newText: statements.map((s) => `${indent}${s}${nl}`).join('') }];
}

function prologueOf(body: ts.Block): ts.Statement[] {
  const out: ts.Statement[] = [];
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    out.push(statement);
  }
  return out;
}

/**
 * Adds the parameter a handler lacks (`reply` to a Fastify handler written `async (request) =>`),
 * filling any gap with `_`-prefixed placeholders. In TypeScript it is annotated only when the
 * function is not typed by its context, and then only with a type the file already imports.
 */
export function addParameterEdits(scope: RequestScope, missing: MissingParameter, sourceFile: ts.SourceFile, imports: ImportTable): TextEdit[] | undefined {
  if (missing.decorator) return addDecoratedParameterEdits(scope.fn, missing, missing.decorator, sourceFile);
  const fn = scope.fn;
  const params = fn.parameters;
  if (params.length > missing.index) return undefined;
  const text = sourceFile.text;
  const isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
  const needsTypes = !isJs && !isContextuallyTyped(fn);
  const placeholderNames = PARAMETER_NAMES[scope.framework] ?? [];
  const added: string[] = [];
  for (let index = params.length; index < missing.index; index++) {
    if (needsTypes) return undefined;
    added.push(`_${placeholderNames[index] ?? `arg${index}`}`);
  }
  let annotation = '';
  if (needsTypes) {
    if (!missing.typeText || !isTypeAvailable(missing.typeText, scope.framework, imports)) return undefined;
    annotation = `: ${missing.typeText}`;
  }
  added.push(`${missing.name}${annotation}`);
  const list = added.join(', ');
  if (params.length === 0) return [{ start: params.pos, end: params.pos, newText: list }];
  const first = params[0];
  const last = params[params.length - 1];
  const parenthesized = text.slice(fn.getStart(sourceFile), first.getStart(sourceFile)).includes('(');
  if (!parenthesized) {
    return [
      { start: first.getStart(sourceFile), end: first.getStart(sourceFile), newText: '(' },
      { start: last.end, end: last.end, newText: `, ${list})` },
    ];
  }
  return [{ start: last.end, end: last.end, newText: `, ${list}` }];
}

/**
 * A Nest controller method's `@Req() req: Request`, appended last (Nest finds it by its decorator),
 * importing `Req` from `@nestjs/common` when the file doesn't yet. TypeScript only (JavaScript Nest
 * code has no parameter decorators), only when the file imports Express's `Request` type to
 * annotate it with, and only when neither name is taken.
 */
function addDecoratedParameterEdits(fn: ts.FunctionLikeDeclaration, missing: MissingParameter, decorator: 'Req', sourceFile: ts.SourceFile): TextEdit[] | undefined {
  if (/\.[cm]?jsx?$/.test(sourceFile.fileName) || !missing.typeText) return undefined;
  const params = fn.parameters;
  if (params.some((p) => p.dotDotDotToken) || namesVisibleIn(fn).has(missing.name)) return undefined;
  const typeName = importedName(sourceFile, 'express', missing.typeText);
  if (!typeName) return undefined;
  const edits: TextEdit[] = [];
  let decoratorName = importedName(sourceFile, '@nestjs/common', decorator);
  if (!decoratorName) {
    const nest = sourceFile.statements.find(
      (s): s is ts.ImportDeclaration =>
        ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === '@nestjs/common' &&
        !!s.importClause && !s.importClause.isTypeOnly && !!s.importClause.namedBindings && ts.isNamedImports(s.importClause.namedBindings),
    );
    const elements = (nest?.importClause?.namedBindings as ts.NamedImports | undefined)?.elements;
    if (!elements || elements.length === 0 || namesVisibleIn(sourceFile).has(decorator)) return undefined;
    const last = elements[elements.length - 1];
    edits.push({ start: last.end, end: last.end, newText: `, ${decorator}` });
    decoratorName = decorator;
  }
  const parameter = `@${decoratorName}() ${missing.name}: ${typeName}`;
  if (params.length === 0) edits.push({ start: params.pos, end: params.pos, newText: parameter });
  else edits.push({ start: params[params.length - 1].end, end: params[params.length - 1].end, newText: `, ${parameter}` });
  return edits;
}

/** The local name a value-or-type import of `module`'s export `name` has in the file, if any. */
function importedName(sourceFile: ts.SourceFile, module: string, name: string): string | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) if ((element.propertyName ?? element.name).text === name) return element.name.text;
  }
  return undefined;
}

/** Inline handlers passed to a call (or in an options object passed to one) get their parameter types from it. */
function isContextuallyTyped(fn: ts.FunctionLikeDeclaration): boolean {
  let node: ts.Node = fn;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
    node = parent;
    parent = parent.parent;
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return parent.arguments?.includes(node as ts.Expression) ?? false;
  if (ts.isVariableDeclaration(parent)) return !!parent.type;
  const object = ts.isPropertyAssignment(parent) ? parent.parent : ts.isMethodDeclaration(fn) ? fn.parent : undefined;
  return !!object && ts.isObjectLiteralExpression(object) && (ts.isCallExpression(object.parent) || ts.isArrayLiteralExpression(object.parent));
}

/** `Request` is global for Fetch handlers; framework types must be imported already. */
function isTypeAvailable(typeText: string, framework: Framework, imports: ImportTable): boolean {
  if (framework === 'fetch' && typeText === 'Request') return true;
  // Nest's `Request` / `Response` are parameter decorators, not types: only Express's will do.
  if (framework === 'nest') return imports.get(typeText)?.module === 'express';
  return imports.get(typeText) !== undefined;
}

/** `base`, `base2`, ... : the first name no identifier in the handler and no enclosing declaration uses. */
export function freshName(base: string, fn: ts.Node): string {
  const taken = namesVisibleIn(fn);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

function namesVisibleIn(fn: ts.Node): Set<string> {
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(fn);
  // Declarations in enclosing blocks and functions are visible inside the handler too.
  for (let ancestor = fn.parent; ancestor; ancestor = ancestor.parent) {
    if (ts.isFunctionLike(ancestor)) for (const p of ancestor.parameters) addBindingNames(p.name, names);
    const statements = ts.isBlock(ancestor) || ts.isSourceFile(ancestor) || ts.isModuleBlock(ancestor) ? ancestor.statements : undefined;
    for (const statement of statements ?? []) {
      if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) addBindingNames(d.name, names);
      else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) names.add(statement.name.text);
      else if (ts.isImportDeclaration(statement) && statement.importClause) collect(statement.importClause);
    }
    if (ts.isSourceFile(ancestor)) break;
  }
  return names;
}

function addBindingNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) names.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, names);
}
