import { ts } from 'ts-morph';
import { locate } from '../locate';
import type { Framework, HelperCall, RequestObjectRole, RequestScope, SignalSource } from '../scopes/requestScope';
import { type FunctionWithBody, indexOf } from '../syntax/fileIndex';
import type { ValueResolver } from '../syntax/values';

/**
 * A function analysed in a request role: a registered request scope (depth 0) or a helper it
 * reaches. Everything here is what a helper inherits from its caller.
 */
export interface Caller {
  readonly fn: ts.FunctionLikeDeclaration;
  readonly framework: Framework;
  readonly requestObjects: ReadonlyMap<string, RequestObjectRole>;
  readonly signal: SignalSource;
  readonly waitUntil?: string;
  readonly reason: string;
  readonly via: readonly HelperCall[];
  readonly depth: number;
}

/** One call from a caller into a project function, with what each parameter receives. */
export interface HelperEdge {
  readonly target: FunctionWithBody;
  readonly caller: Caller;
  readonly call: ts.CallExpression;
  /** Parameter name -> the request object it receives. */
  readonly requestObjects: ReadonlyMap<string, RequestObjectRole>;
  /** A parameter that receives the request's signal itself. */
  readonly signalParameter?: string;
}

/** Helpers are followed exactly this many calls deep from a request scope (RULES.md §1, "Helpers"). */
export const MAX_HELPER_DEPTH = 2;

export function callerOfScope(scope: RequestScope): Caller {
  return { ...scope, via: scope.via ?? [], depth: 0 };
}

/**
 * Calls inside `caller` (its nested functions included) that hand a request object or the
 * request's native signal to a function declared in the project. Calls with ids, strings or
 * numbers only are not helpers (RULES.md §1): an argument counts only when it is the request
 * object or signal itself.
 */
export function helperEdgesFrom(caller: Caller, values: ValueResolver): HelperEdge[] {
  const sourceFile = caller.fn.getSourceFile();
  const fn = caller.fn;
  const names = caller.requestObjects;
  const nativeSignal = caller.signal.kind === 'native' && !caller.signal.missingParameter ? caller.signal.expression : undefined;
  if (names.size === 0 && !nativeSignal) return [];
  const edges: HelperEdge[] = [];
  for (const call of indexOf(sourceFile).calls) {
    if (call.pos < fn.pos || call.end > fn.end || call.arguments.length === 0) continue;
    const passed: { index: number; role?: RequestObjectRole; signal?: true }[] = [];
    call.arguments.forEach((argument, index) => {
      if (ts.isIdentifier(argument)) {
        const role = names.get(argument.text);
        if (role && !shadowed(argument, fn)) passed.push({ index, role });
      } else if (nativeSignal && ts.isPropertyAccessExpression(argument) && compact(argument.getText(sourceFile)) === nativeSignal) {
        passed.push({ index, signal: true });
      }
    });
    if (passed.length === 0 || passed.some((p) => call.arguments.slice(0, p.index + 1).some(ts.isSpreadElement))) continue;
    const callee = values.infoOf(call.expression);
    if (callee.kind !== 'function' || !callee.fn.body || callee.fn === fn) continue;
    const target = callee.fn as FunctionWithBody;
    if (target.getSourceFile().isDeclarationFile) continue;
    const requestObjects = new Map<string, RequestObjectRole>();
    let signalParameter: string | undefined;
    for (const p of passed) {
      const parameter = target.parameters[p.index];
      if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) continue;
      if (p.role) requestObjects.set(parameter.name.text, p.role);
      else signalParameter = parameter.name.text;
    }
    if (requestObjects.size === 0 && !signalParameter) continue;
    edges.push({ target, caller, call, requestObjects, signalParameter });
  }
  return edges;
}

/** The helper's view of its caller's signal: the parameter the signal or its source arrives in. */
export function mappedSignal(edge: HelperEdge): SignalSource {
  if (edge.signalParameter) return { kind: 'native', expression: edge.signalParameter };
  const source = edge.caller.signal;
  const rename = renamer(edge);
  if (source.kind === 'native' && !source.missingParameter) {
    const expression = rename(source.expression);
    return expression ? { kind: 'native', expression } : { kind: 'none' };
  }
  if (source.kind === 'derive' && !source.missingParameter) {
    const closeEmitter = rename(source.closeEmitter);
    if (!closeEmitter) return { kind: 'none' };
    const finishedCheck = source.finishedCheck ? rename(source.finishedCheck) : undefined;
    const { missingParameter: _none, ...rest } = source;
    return { ...rest, closeEmitter, finishedCheck };
  }
  return { kind: 'none' };
}

/** `waitUntil` text in the helper, when the object it hangs off is passed in. */
export function mappedWaitUntil(edge: HelperEdge): string | undefined {
  return edge.caller.waitUntil ? renamer(edge)(edge.caller.waitUntil) : undefined;
}

/** The related-information entry for the call itself. */
export function helperCallOf(edge: HelperEdge): HelperCall {
  const sourceFile = edge.call.getSourceFile();
  const start = edge.call.getStart(sourceFile);
  const callee = compact(edge.call.expression.getText(sourceFile));
  const what = [...edge.requestObjects.values()].length > 0 ? 'the request' : "the request's signal";
  const where = edge.caller.depth === 0 ? `the request handler (${edge.caller.reason})` : 'a helper of the request handler';
  return {
    fileName: sourceFile.fileName,
    ...locate(sourceFile, start, edge.call.end),
    message: `${what} reaches \`${callee}\` here, from ${where}`,
  };
}

/** Rewrites an expression rooted at one of the caller's request objects to the helper's parameter. */
function renamer(edge: HelperEdge): (expression: string) => string | undefined {
  const byCallerName = new Map<string, string>();
  const args = edge.call.arguments;
  const params = edge.target.parameters;
  args.forEach((argument, index) => {
    const parameter = params[index];
    if (ts.isIdentifier(argument) && parameter && ts.isIdentifier(parameter.name) && edge.caller.requestObjects.has(argument.text)) {
      byCallerName.set(argument.text, parameter.name.text);
    }
  });
  return (expression) => {
    const match = /^([A-Za-z_$][\w$]*)(.*)$/.exec(expression);
    const renamed = match ? byCallerName.get(match[1]) : undefined;
    return renamed === undefined ? undefined : renamed + match![2];
  };
}

/** True when `identifier` resolves to something declared inside `fn` other than its parameters. */
function shadowed(identifier: ts.Identifier, fn: ts.FunctionLikeDeclaration): boolean {
  for (let node: ts.Node | undefined = identifier.parent; node && node !== fn; node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text)) return true;
  }
  return false;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
