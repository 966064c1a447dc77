import { ts } from 'ts-morph';
import { enclosingFunction, flowGraphOf, walkPaths, type FlowNode, type FunctionWithBody } from '../flow';
import { lineEndOf, lineStartOf } from '../fixes/text';
import type { RelatedDescriptor, ReportDescriptor, Rule, RuleContext } from '../ruleApi';
import { skipOuter } from '../scopes/appKinds';
import { RequestData } from '../scopes/requestData';
import type { RequestScope } from '../scopes/requestScope';
import {
  fieldDeclaration, isExported, isRead, referencesOf, sameTarget, sharedTargetOf, targetKey,
  type SharedTarget, type TargetReference,
} from '../scopes/sharedState';
import type { Fix, TextEdit } from '../types';
import { scopeRelated } from './scopeRelated';

const FIX_0 = "Make it a local variable";

export const requestStateInModuleVariable: Rule = {
  id: 'request-state-in-module-variable',
  description: "Request data is kept in a module-level, static or singleton variable that concurrent requests overwrite.",
  fixTitles: [FIX_0],
  check(ctx) {
    const scopes = ctx.facts.requestScopes;
    if (scopes.length === 0) return;
    for (const finding of detect(ctx, scopes)) ctx.report({ ...explain(finding, ctx), fixes: fix(finding, ctx) });
  },
};

// ----- detect ------------------------------------------------------------------------------------

/** A request-derived assignment to shared state that is read where another request's value may be seen. */
interface SharedStateWrite {
  assignment: ts.BinaryExpression;
  target: SharedTarget;
  scope: RequestScope;
  /** Reads that may see another request's value (empty when the target is exported and read elsewhere). */
  unsafeReads: UnsafeRead[];
  references: TargetReference[];
}

interface UnsafeRead {
  node: ts.Expression;
  why: 'otherFunction' | 'afterAwait' | 'beforeAssignment' | 'exported';
  fn?: FunctionWithBody;
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken]);

function detect(ctx: RuleContext, scopes: readonly RequestScope[]): SharedStateWrite[] {
  // Candidate assignments: request-derived values stored in shared targets inside request scopes.
  const candidates: { assignment: ts.BinaryExpression; target: SharedTarget; scope: RequestScope }[] = [];
  const seen = new Set<ts.Node>();
  for (const scope of scopes) {
    let data: RequestData | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind) && !seen.has(node)) {
        const target = sharedTargetOf(node.left);
        const owner = target && ctx.facts.scopeOf(node);
        // A nested scope's assignments are its own (the innermost scope owns them).
        if (target && owner === scope) {
          data ??= new RequestData(scope);
          if (data.isDerived(node.right)) {
            seen.add(node);
            candidates.push({ assignment: node, target, scope });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    if (scope.fn.body) visit(scope.fn.body);
  }
  if (candidates.length === 0) return [];

  const out: SharedStateWrite[] = [];
  const analysed = new Map<ts.Node, { target: SharedTarget; references: TargetReference[]; unsafe: UnsafeRead[] }[]>();
  for (const candidate of candidates) {
    const key = targetKey(candidate.target);
    let list = analysed.get(key);
    if (!list) analysed.set(key, (list = []));
    let entry = list.find((e) => sameTarget(e.target, candidate.target));
    if (!entry) {
      const references = referencesOf(candidate.target, ctx.sourceFile);
      entry = { target: candidate.target, references, unsafe: unsafeReads(candidate.target, references) };
      list.push(entry);
    }
    if (entry.unsafe.length === 0) continue;
    out.push({ ...candidate, unsafeReads: entry.unsafe, references: entry.references });
  }
  return out;
}

/** Reads that are not the synchronous continuation of a write in the same function. */
function unsafeReads(target: SharedTarget, references: TargetReference[]): UnsafeRead[] {
  const out: UnsafeRead[] = [];
  const byFunction = new Map<FunctionWithBody, TargetReference[]>();
  for (const reference of references) {
    const fn = enclosingFunction(reference.node);
    // Module-level code and field initializers run once, at start-up, before any request.
    if (!fn) continue;
    let list = byFunction.get(fn);
    if (!list) byFunction.set(fn, (list = []));
    list.push(reference);
  }
  for (const [fn, list] of byFunction) {
    const reads = list.filter((r) => isRead(r) && enclosingFunction(r.node) === fn);
    if (reads.length === 0) continue;
    const writes = list.filter((r) => r.write);
    if (writes.length === 0) {
      for (const read of reads) out.push({ node: read.node, why: 'otherFunction', fn });
      continue;
    }
    out.push(...staleReadsIn(fn, list));
  }
  if (isExported(target) && out.length === 0) {
    const declaration = (target as SharedTarget & { kind: 'module' }).declaration;
    out.push({ node: declaration.name as ts.Identifier, why: 'exported' });
  }
  out.sort((a, b) => a.node.pos - b.node.pos);
  return out;
}

interface StepEvent {
  at: number;
  kind: 'read' | 'write' | 'await';
  node?: ts.Expression;
}

/**
 * Walks every path through `fn`: a read is fresh when a plain write of the target in `fn` precedes
 * it with no `await` (or `yield`) in between; any other read may see another request's value.
 */
function staleReadsIn(fn: FunctionWithBody, references: TargetReference[]): UnsafeRead[] {
  const graph = flowGraphOf(fn);
  const readNodes = new Set(references.filter((r) => isRead(r)).map((r) => r.node as ts.Node));
  const writeNodes = new Set(references.filter((r) => r.write).map((r) => r.node as ts.Node));
  const stale = new Map<ts.Node, 'afterAwait' | 'beforeAssignment'>();
  const visited = new Set<ts.Node>();
  const eventsCache = new Map<FlowNode, StepEvent[]>();
  const eventsOf = (node: FlowNode): StepEvent[] => {
    let events = eventsCache.get(node);
    if (!events) {
      events = stepEvents(node, readNodes, writeNodes);
      eventsCache.set(node, events);
    }
    return events;
  };
  // State: 'none' (no write yet), 'fresh' (written, no await since), 'awaited' (written, then awaited).
  type State = 'none' | 'fresh' | 'awaited';
  walkPaths<State>(graph, [{ node: graph.entry, state: 'none' }], {
    key: (s) => s,
    step(node, state) {
      let s = state;
      for (const event of eventsOf(node)) {
        if (event.kind === 'read') {
          visited.add(event.node!);
          if (s !== 'fresh' && !stale.has(event.node!)) stale.set(event.node!, s === 'none' ? 'beforeAssignment' : 'afterAwait');
        } else if (event.kind === 'write') {
          s = 'fresh';
        } else if (s === 'fresh') {
          s = 'awaited';
        }
      }
      const thrown: State[] = node.awaits.length > 0 ? [s === 'none' ? 'none' : 'awaited'] : node.role === 'throw' ? [s] : [];
      return { next: s, thrown };
    },
    reachedExit() {},
  });
  const out: UnsafeRead[] = [];
  for (const read of readNodes) {
    const why = stale.get(read);
    if (why) out.push({ node: read as ts.Expression, why, fn });
    // Not in any step (a parameter's default value): evaluated before any write of the function.
    else if (!visited.has(read) && graph.stepsContaining(read).length === 0) out.push({ node: read as ts.Expression, why: 'beforeAssignment', fn });
  }
  return out;
}

/** What one step does with the target, in evaluation order. */
function stepEvents(node: FlowNode, reads: ReadonlySet<ts.Node>, writes: ReadonlySet<ts.Node>): StepEvent[] {
  const ast = node.ast;
  if (!ast || node.kind !== 'step' || node.role === 'catch' || node.role === 'jump' || node.role === 'iteration' || ast === node.statement && node.role === 'condition') return [];
  const events: StepEvent[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (reads.has(current)) events.push({ at: current.getStart(), kind: 'read', node: current as ts.Expression });
    if (writes.has(current)) {
      // The value is stored once the right side is evaluated: at the end of the assignment.
      let assignment: ts.Node = current;
      while (!ts.isBinaryExpression(assignment)) assignment = assignment.parent;
      events.push({ at: assignment.end, kind: 'write' });
    }
    if (ts.isAwaitExpression(current) || ts.isYieldExpression(current)) events.push({ at: current.end, kind: 'await' });
    ts.forEachChild(current, visit);
  };
  visit(ast);
  // Reads before writes at one offset: `x = x + 1` reads first.
  const order = { read: 0, await: 1, write: 2 };
  return events.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
}

// ----- explain -----------------------------------------------------------------------------------

function describeTarget(target: SharedTarget, left: ts.Expression): string {
  switch (target.kind) {
    case 'module':
      return `\`${target.name}\` is a module-level variable`;
    case 'static':
      return `\`${target.cls.name?.text ?? 'the class'}.${target.name}\` is a static field`;
    case 'instance':
      return target.why === 'nest'
        ? `\`${compact(left.getText())}\` is a field of a singleton NestJS ${classKind(target.cls)}`
        : `\`${compact(left.getText())}\` is a field of the one \`${target.cls.name?.text ?? 'class'}\` instance this module creates`;
    case 'object':
      return `\`${(target.holder.name as ts.Identifier).text}.${target.name}\` is a field of a module-level object`;
  }
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

function classKind(cls: ts.ClassLikeDeclaration): string {
  const decorators = ts.canHaveDecorators(cls) ? ts.getDecorators(cls) ?? [] : [];
  return decorators.some((d) => /^@?Controller\b/.test(d.expression.getText())) ? 'controller' : 'provider';
}

function line(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

function functionName(fn: FunctionWithBody): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function whereRead(read: UnsafeRead, write: SharedStateWrite, sourceFile: ts.SourceFile): string {
  const at = `line ${line(read.node, sourceFile)}`;
  switch (read.why) {
    case 'exported':
      return 'exported for other modules to read';
    case 'afterAwait':
      return `read at ${at} after an \`await\``;
    case 'beforeAssignment':
      return `read at ${at} before this request assigns it`;
    case 'otherFunction': {
      const name = read.fn && functionName(read.fn);
      const inScope = read.fn && read.fn.pos >= write.scope.fn.pos && read.fn.end <= write.scope.fn.end;
      return name ? `read in \`${name}\` (${at})` : inScope ? `read in a callback at ${at}` : `read in another function at ${at}`;
    }
  }
}

function explain(write: SharedStateWrite, ctx: RuleContext): ReportDescriptor {
  const first = write.unsafeReads[0];
  const message = `${describeTarget(write.target, skipOuter(write.assignment.left))} that every request shares: it is given this request's data here and ${whereRead(first, write, ctx.sourceFile)}, where a concurrent request may already have overwritten it with its own.`;
  const related: RelatedDescriptor[] = [];
  for (const read of write.unsafeReads.slice(0, 3)) {
    if (read.why === 'exported') continue;
    related.push({ node: read.node, message: read.why === 'afterAwait' ? 'read after an `await`: another request may have run in between' : 'read here, where it may hold another request\'s value' });
  }
  related.push(...scopeRelated(write.scope, `request handler (${write.scope.reason}) that stores its data in shared state`, ctx.sourceFile));
  return { node: write.assignment, message, related };
}

// ----- fix ---------------------------------------------------------------------------------------

/**
 * "Make it a local variable": only when every reference in the scope comes after this assignment,
 * which is a statement of the handler's own body, and every read of the target is in the scope.
 * The assignment becomes a declaration (keeping the shared declaration's type annotation); the
 * other references in the scope then name the local. A module-level declaration nothing else uses
 * is removed when that loses nothing (no initializer beyond a literal, no comment).
 */
function fix(write: SharedStateWrite, ctx: RuleContext): Fix[] {
  const { assignment, scope, target } = write;
  if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
  if (write.unsafeReads.some((r) => r.why === 'exported')) return [];
  const body = scope.fn.body;
  if (!body || !ts.isBlock(body)) return [];
  const statement = assignment.parent;
  if (!ts.isExpressionStatement(statement) || statement.parent !== body || skipOuter(statement.expression) !== assignment) return [];
  const fn = scope.fn;
  const insideScope = (node: ts.Node): boolean => node.pos >= fn.pos && node.end <= fn.end;
  if (write.references.some((r) => isRead(r) && !insideScope(r.node))) return [];
  const inScope = write.references.filter((r) => insideScope(r.node));
  const left = skipOuter(assignment.left);
  if (inScope.some((r) => r.node !== left && r.node.pos < statement.end)) return [];
  const otherWrites = inScope.some((r) => r.node !== left && !isRead(r) || r.node !== left && isReadWrite(r.node));

  const isJs = /\.[cm]?jsx?$/i.test(ctx.fileName);
  const declaredType = target.kind === 'module' ? target.declaration.type : fieldDeclaration(target)?.type;
  if (!isJs && !declaredType && otherWrites) return [];
  const typeText = !isJs && declaredType ? `: ${declaredType.getText(ctx.sourceFile)}` : '';
  const keyword = otherWrites ? 'let' : 'const';
  const name = target.name;

  const edits: TextEdit[] = [];
  if (target.kind === 'module') {
    edits.push({ start: left.getStart(ctx.sourceFile), end: left.end, newText: `${keyword} ${name}${typeText}` });
    const removal = removeModuleDeclaration(target.declaration, write.references, insideScope, ctx);
    if (removal) edits.push(removal);
  } else {
    if (!canIntroduceLocal(fn, name)) return [];
    edits.push({ start: left.getStart(ctx.sourceFile), end: left.end, newText: `${keyword} ${name}${typeText}` });
    for (const reference of inScope) {
      if (reference.node === left) continue;
      edits.push({ start: reference.node.getStart(ctx.sourceFile), end: reference.node.end, newText: name });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  return [{ title: FIX_0, preferred: true, edits }];
}

function isReadWrite(node: ts.Node): boolean {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  return ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment;
}

/** A new local `name` must not capture or shadow anything the handler already names `name`. */
function canIntroduceLocal(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  if (ts.identifierToKeywordKind(ts.factory.createIdentifier(name)) !== undefined) return false;
  let clash = false;
  const visit = (node: ts.Node): void => {
    if (clash) return;
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = node.parent;
      const propertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!propertyName) clash = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return !clash;
}

/** Removes `let name;` when the scope held its only references and the statement holds nothing else. */
function removeModuleDeclaration(declaration: ts.VariableDeclaration, references: TargetReference[], insideScope: (n: ts.Node) => boolean, ctx: RuleContext): TextEdit | undefined {
  if (references.some((r) => !insideScope(r.node))) return undefined;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const init = declaration.initializer && skipOuter(declaration.initializer);
  const literal = !init || ts.isLiteralExpression(init) || ts.isNoSubstitutionTemplateLiteral(init) || init.kind === ts.SyntaxKind.NullKeyword || init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(init) && init.text === 'undefined');
  if (!literal) return undefined;
  const text = ctx.text;
  const start = statement.getStart(ctx.sourceFile);
  if (ts.getLeadingCommentRanges(text, statement.pos)?.length || ts.getTrailingCommentRanges(text, statement.end)?.length) return undefined;
  const lineStart = lineStartOf(text, start);
  const lineEnd = lineEndOf(text, statement.end);
  if (text.slice(lineStart, start).trim() !== '' || text.slice(statement.end, lineEnd).trim() !== '') return undefined;
  // Also drop one blank line when the declaration stood alone between blank lines.
  const previousBlank = lineStart === 0 || text.slice(lineStartOf(text, lineStart - 1), lineStart).trim() === '';
  const nextEnd = lineEndOf(text, lineEnd);
  const nextBlank = lineEnd < text.length && text.slice(lineEnd, nextEnd).trim() === '';
  return { start: lineStart, end: previousBlank && nextBlank ? nextEnd : lineEnd, newText: '' };
}
