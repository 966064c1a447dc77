// RULES.md §2.4's fix "Copy the needed values before the callback": every read of a primitive,
// never-changing value from a request-side object inside a deferred callback (`req.ip`,
// `req.headers['x-id']`, `c.req.path`) becomes a `const` declared just before the statement that
// creates the callback, so the callback keeps the values and no longer the request.
import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { RequestObjectRefs } from '../scopes/requestObjectRefs';
import type { TextEdit } from '../types';
import { indexOf } from '../syntax/fileIndex';
import { indentAt, lineStartOf, newlineOf } from './text';

/** Primitive values of the request that the framework sets once, before the handler runs. */
const LEAVES = new Set([
  'ip', 'id', 'method', 'url', 'originalUrl', 'path', 'hostname', 'host', 'protocol', 'secure', 'xhr', 'httpVersion', 'baseUrl',
  'href', 'origin', 'querystring', 'search', 'routePath',
]);
/** Bags of strings parsed once from the request; one key read from them is a primitive. */
const STRING_BAGS = new Set(['headers', 'header', 'params']);
/** Parsed query values may be arrays or objects (`?a[b]=1`): copied only when types say primitive. */
const TYPED_BAGS = new Set(['query']);
/** Request objects a value may be read from (not the response side: its state changes). */
const REQUEST_SIDE = new Set(['req', 'request', 'ctx', 'c', 'fetchRequest', 'derived']);

/** A read to replace, and the text of its value. */
interface LeafRead {
  node: ts.Expression;
  text: string;
  base: string;
}

/**
 * The edits, or undefined when some use of a request object in the callbacks is not such a read,
 * or the statement can't take a declaration before it. `isPrimitive` answers from types when
 * they resolve (undefined otherwise).
 */
export function copyRequestValuesEdits(
  callbacks: readonly ts.Node[],
  refs: RequestObjectRefs,
  sourceFile: ts.SourceFile,
  isPrimitive: (node: ts.Expression) => boolean | undefined,
): TextEdit[] | undefined {
  if (callbacks.length === 0) return undefined;
  const { declarations, imports } = indexOf(sourceFile);
  const statement = statementAround(callbacks[0], refs.scope.fn);
  if (!statement) return undefined;
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() !== '') return undefined;
  const reads: LeafRead[] = [];
  for (const callback of callbacks) {
    for (const reference of refs.referencesIn(callback)) {
      const read = leafRead(reference, refs, sourceFile, isPrimitive);
      if (!read) return undefined;
      reads.push(read);
    }
  }
  if (reads.length === 0) return undefined;
  const names = new Map<string, string>();
  const taken = namesUsedIn(refs.scope.fn);
  const isFree = (name: string): boolean => !taken.has(name) && !declarations.lookup(name, statement) && !imports.get(name);
  for (const read of reads) {
    if (names.has(read.text)) continue;
    let name = read.base;
    for (let n = 2; !isFree(name); n++) name = `${read.base}${n}`;
    taken.add(name);
    names.set(read.text, name);
  }
  const nl = newlineOf(text);
  const indent = indentAt(text, start);
  const lines = [...names].map(([value, name]) => `${indent}const ${name} = ${value};${nl}`).join('');
  const edits: TextEdit[] = [{ start: lineStart, end: lineStart, newText: lines }];
  for (const read of reads) edits.push({ start: read.node.getStart(sourceFile), end: read.node.end, newText: names.get(read.text)! });
  return edits;
}

/** Names the function uses or declares (property names after a dot excluded: `req.ip` leaves `ip` free). */
function namesUsedIn(fn: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (!(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) names.add(node.text);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return names;
}

/** The statement in a block of the handler that contains `node`. */
function statementAround(node: ts.Node, fn: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    if (current === fn) return undefined;
    if (ts.isBlock(current.parent) && ts.isStatement(current)) {
      return current.parent.pos >= fn.pos && current.parent.end <= fn.end ? current : undefined;
    }
  }
  return undefined;
}

function leafRead(reference: ts.Identifier, refs: RequestObjectRefs, sourceFile: ts.SourceFile, isPrimitive: (node: ts.Expression) => boolean | undefined): LeafRead | undefined {
  const kind = refs.kindOf(reference);
  if (!kind || !REQUEST_SIDE.has(kind)) return undefined;
  // The access chain from the reference: `req.headers['x-id']` -> [headers, x-id].
  const chain: { name: string; node: ts.Expression; computed: boolean }[] = [];
  let node: ts.Expression = reference;
  for (;;) {
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && !parent.questionDotToken) {
      chain.push({ name: parent.name.text, node: parent, computed: false });
      node = parent;
    } else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(skipOuter(parent.argumentExpression))) {
      chain.push({ name: (skipOuter(parent.argumentExpression) as ts.StringLiteralLike).text, node: parent, computed: true });
      node = parent;
    } else break;
  }
  let segments = chain;
  if (kind === 'derived') {
    const bag = derivedBag(reference, refs);
    if (!bag) return undefined;
    segments = [{ name: bag, node: reference, computed: false }, ...chain];
  } else if (kind === 'c') {
    if (segments[0]?.name !== 'req') return undefined;
    segments = segments.slice(1);
  } else if (kind === 'ctx' && segments[0]?.name === 'request') {
    segments = segments.slice(1);
  }
  const first = segments[0];
  if (!first || first.computed) return undefined;
  let read: { name: string; node: ts.Expression } | undefined;
  if (LEAVES.has(first.name) && kind !== 'derived') read = first;
  else if ((STRING_BAGS.has(first.name) || TYPED_BAGS.has(first.name)) && segments[1]) {
    read = segments[1];
    if (first.name === 'headers' && read.name.toLowerCase() === 'set-cookie') return undefined;
    if (TYPED_BAGS.has(first.name) && isPrimitive(read.node) !== true) return undefined;
  }
  if (!read || !isPlainRead(read.node)) return undefined;
  return { node: read.node, text: read.node.getText(sourceFile), base: identifierFor(read.name) };
}

/** `const headers = req.headers` / `const { headers } = req`: which bag a derived local is. */
function derivedBag(reference: ts.Identifier, refs: RequestObjectRefs): string | undefined {
  const name = reference.text;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = skipOuter(node.initializer);
      if (ts.isIdentifier(node.name) && node.name.text === name && ts.isPropertyAccessExpression(init)) found = init.name.text;
      else if (ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) {
          const property = element.propertyName ?? element.name;
          if (ts.isIdentifier(element.name) && element.name.text === name && ts.isIdentifier(property)) found = property.text;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (refs.scope.fn.body) visit(refs.scope.fn.body);
  return found && (STRING_BAGS.has(found) || TYPED_BAGS.has(found)) ? found : undefined;
}

/** Read for its value: not assigned, deleted, incremented or called. */
function isPlainRead(node: ts.Expression): boolean {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  if (ts.isDeleteExpression(parent) || ts.isPostfixUnaryExpression(parent)) return false;
  if (ts.isPrefixUnaryExpression(parent) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return false;
  if (ts.isCallExpression(parent) && parent.expression === current) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  return true;
}

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'implements', 'interface',
  'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined',
]);

/** `x-request-id` -> `xRequestId`; something that can't be a name -> `value`. */
function identifierFor(key: string): string {
  const camel = key.replace(/[-_\s]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^\w$]/g, '');
  if (!/^[A-Za-z_$][\w$]*$/.test(camel)) return 'value';
  if (RESERVED.has(camel)) return `${camel}Value`;
  return camel;
}
