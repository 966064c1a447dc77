import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import { indexOf } from '../syntax/fileIndex';

/**
 * The file's method calls (`receiver.method(...)`): pool recognition asks for a few names
 * (`connect`, `acquire`, `pop`, `release`, ...) instead of testing every call of the file once per
 * question. Built once per file from the shared call index.
 */
interface MethodCalls {
  /** By method name, in source order. */
  readonly byName: ReadonlyMap<string, readonly ts.CallExpression[]>;
  /** All of them in source order, with their method names. */
  readonly calls: readonly ts.CallExpression[];
  readonly names: readonly string[];
}

// Keyed by the SourceFile object: a file's new text is a new object, so entries never go stale.
const byFile = new WeakMap<ts.SourceFile, MethodCalls>();

function methodCallsOf(sourceFile: ts.SourceFile): MethodCalls {
  let index = byFile.get(sourceFile);
  if (!index) {
    const byName = new Map<string, ts.CallExpression[]>();
    const calls: ts.CallExpression[] = [];
    const names: string[] = [];
    for (const call of indexOf(sourceFile).calls) {
      const callee = skipOuter(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) continue;
      const name = callee.name.text;
      calls.push(call);
      names.push(name);
      const list = byName.get(name);
      if (list) list.push(call);
      else byName.set(name, [call]);
    }
    index = { byName, calls, names };
    byFile.set(sourceFile, index);
  }
  return index;
}

const NONE: readonly ts.CallExpression[] = [];

/** Calls of the method `name`, in source order. */
export function callsOfMethod(sourceFile: ts.SourceFile, name: string): readonly ts.CallExpression[] {
  return methodCallsOf(sourceFile).byName.get(name) ?? NONE;
}

/** Calls of any of `methods`, in source order. */
export function callsOfMethods(sourceFile: ts.SourceFile, methods: ReadonlySet<string>): readonly ts.CallExpression[] {
  const index = methodCallsOf(sourceFile);
  let found: readonly ts.CallExpression[] | undefined;
  for (const method of methods) {
    const list = index.byName.get(method);
    if (!list) continue;
    if (found) return index.calls.filter((_, i) => methods.has(index.names[i]));
    found = list;
  }
  return found ?? NONE;
}
