import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { Acquisition, ReleaseStyle } from './poolModel';

// What counts as giving a resource back, per release style (RULES.md §3): `client.release()`,
// `pool.release(x)`, `free.push(x)`; for an unknown library, any of the usual forms.

const ANY_RESOURCE_METHODS = new Set(['release', 'end', 'close', 'destroy', 'endSession']);
const ANY_POOL_METHODS = new Set(['release', 'destroy', 'releaseConnection']);

/** `x.<name>(...)` releases the resource `x`. */
export function isReleaseMethod(name: string, style: ReleaseStyle): boolean {
  if (style.kind === 'method') return style.names.includes(name);
  if (style.kind === 'any') return ANY_RESOURCE_METHODS.has(name);
  return false;
}

/** `call` gives back the resource it receives as argument `index`: `pool.release(x)`, `free.push(x)`. */
export function releasesArgument(call: ts.CallExpression | ts.NewExpression, index: number, acquisition: Pick<Acquisition, 'release' | 'kind'>): boolean {
  if (!ts.isCallExpression(call) || index !== 0 || call.arguments.length !== 1) return false;
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const style = acquisition.release;
  if (style.kind === 'poolMethod') return style.names.includes(method) || style.discarding.includes(method);
  if (style.kind === 'push') return (method === 'push' || method === 'unshift') && skipOuter(callee.expression).getText() === style.list;
  if (style.kind === 'any') return ANY_POOL_METHODS.has(method);
  // mysql2 pools also take connections back with `pool.releaseConnection(conn)`.
  return acquisition.kind === 'mysql' && method === 'releaseConnection';
}

const releaseNames = new WeakMap<ReleaseStyle, ReadonlySet<string>>();

/** Every method name a release call of the acquisition's resource can have, in either form. */
export function releaseMethodNames(acquisition: Pick<Acquisition, 'release' | 'kind'>): ReadonlySet<string> {
  const style = acquisition.release;
  let names = releaseNames.get(style);
  if (!names) {
    const list =
      style.kind === 'method' ? [...style.names]
      : style.kind === 'poolMethod' ? [...style.names, ...style.discarding]
      : style.kind === 'push' ? ['push', 'unshift']
      : [...ANY_RESOURCE_METHODS, ...ANY_POOL_METHODS];
    // mysql2 pools also take connections back with `pool.releaseConnection(conn)` (any pool may be one).
    list.push('releaseConnection');
    names = new Set(list);
    releaseNames.set(style, names);
  }
  return names;
}

/** Whether `call` releases the resource named by one of `names`, in either form. */
export function isReleaseCall(call: ts.CallExpression, names: ReadonlySet<string>, acquisition: Pick<Acquisition, 'release' | 'kind'>): boolean {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name)) {
    const receiver = skipOuter(callee.expression);
    if (ts.isIdentifier(receiver) && names.has(receiver.text) && isReleaseMethod(callee.name.text, acquisition.release)) return true;
  }
  const first = call.arguments[0] && skipOuter(call.arguments[0]);
  return !!first && ts.isIdentifier(first) && names.has(first.text) && releasesArgument(call, 0, acquisition);
}

/** The method name a fix should call to release, and whether the call returns a promise to await. */
export function releaseCallText(acquisition: Acquisition, resource: string): { text: string; awaited: boolean } | undefined {
  const style = acquisition.release;
  const pool = skipOuter(acquisition.pool).getText();
  switch (style.kind) {
    case 'method':
      return { text: `${resource}.${style.names[0]}()`, awaited: false };
    case 'poolMethod':
      return { text: `${pool}.${style.names[0]}(${resource})`, awaited: style.returnsPromise };
    case 'push':
      return { text: `${style.list}.push(${resource})`, awaited: false };
    case 'any':
      return undefined;
  }
}
