import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import { labelOf } from './knownSignalApis';
import type { SignalApi, SignalProperty, SignalSlot } from './signalApi';
import type { SignalEnv } from './signalEnv';

/** Methods never worth asking the checker about: event registration (excluded by §2.2) and array/string/promise helpers. */
const NEVER_SIGNAL_METHODS = new Set([
  'addEventListener', 'removeEventListener', 'dispatchEvent',
  'map', 'filter', 'forEach', 'reduce', 'flatMap', 'some', 'every', 'find', 'findIndex', 'includes', 'indexOf', 'toArray', 'take', 'drop',
  'push', 'pop', 'shift', 'unshift', 'splice', 'slice', 'concat', 'join', 'split', 'replace', 'replaceAll', 'trim', 'toString',
  'then', 'catch', 'finally', 'bind', 'call', 'apply',
  'toISOString', 'toJSON', 'getTime', 'valueOf', 'toFixed', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith', 'padStart', 'padEnd',
  'charAt', 'charCodeAt', 'localeCompare', 'match', 'matchAll', 'test', 'at', 'fill', 'sort', 'reverse', 'keys', 'values', 'entries', 'hasOwnProperty',
  // `Readable.from(iterable)`: stream construction, not a request that could be cancelled.
  'from',
  // Body readers, stream writes and loggers: typing their receiver is the costly part, and none takes a signal.
  'json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes', 'clone', 'end', 'write', 'writeHead', 'setHeader', 'getHeader', 'removeHeader',
  'pipe', 'emit', 'log', 'info', 'warn', 'error', 'debug', 'trace',
]);
const NEVER_SIGNAL_RECEIVERS = new Set([
  'console', 'JSON', 'Math', 'Object', 'Array', 'Number', 'String', 'Boolean', 'Date', 'Promise', 'Reflect', 'Symbol', 'BigInt', 'Buffer', 'AbortSignal', 'AbortController',
]);

/**
 * Whether a call is worth a type query: cheap syntax rules out logging, JSON, array and string
 * helpers, callback parameters (`next()`, `done()`), and methods of the request objects
 * themselves (`res.json`, `reply.send`, `c.text`).
 */
export function worthTypeQuery(call: ts.CallExpression, requestObjectNames: ReadonlySet<string>, env: SignalEnv): boolean {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'require' || requestObjectNames.has(callee.text)) return false;
    // A callback parameter (`done`, `next`, `resolve`) is no signal API, and typing one from its
    // context can mean resolving a framework's whole overload set.
    const declaration = env.declarations.lookup(callee.text, callee);
    return !(declaration && ts.isParameter(declaration) && !declaration.type);
  }
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (NEVER_SIGNAL_METHODS.has(callee.name.text)) return false;
  let root: ts.Expression = skipOuter(callee.expression);
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
  if (ts.isIdentifier(root) && (NEVER_SIGNAL_RECEIVERS.has(root.text) || requestObjectNames.has(root.text))) return false;
  return true;
}

/**
 * The call's API from types (RULES.md §2.2): any signature or overload of the callee whose
 * parameter is an options object with a `signal` (or `abortSignal`) property typed AbortSignal.
 * Calls on an AbortSignal and `addEventListener` are excluded. Undefined when types don't resolve.
 */
export function typedSignalApi(call: ts.CallExpression, env: SignalEnv): SignalApi | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee) && NEVER_SIGNAL_METHODS.has(callee.name.text)) return undefined;
  const types = env.types;
  const calleeType = types.typeOf(callee);
  if (!types.isKnown(calleeType)) return undefined;
  if (ts.isPropertyAccessExpression(callee) && isAbortSignalType(types.typeOf(callee.expression))) return undefined;
  const signatures = types.checker.getSignaturesOfType(types.checker.getNonNullableType(calleeType), ts.SignatureKind.Call);
  const slots: SignalSlot[] = [];
  for (const signature of signatures) {
    const parameters = signature.getParameters();
    parameters.forEach((parameter, index) => {
      const declaration = parameter.valueDeclaration;
      if (declaration && ts.isParameter(declaration) && declaration.dotDotDotToken) return;
      const property = signalPropertyOf(types.checker.getTypeOfSymbol(parameter), types.checker);
      if (!property) return;
      const required = parameters.slice(0, index).filter((p) => !isOptional(p, types.checker)).length;
      const type = types.checker.getTypeOfSymbol(parameter);
      const next = parameters[index + 1];
      const slot: SignalSlot = { index, required, property };
      if (isEncodingParameter(type, types.checker)) slot.encoding = true;
      if (next && types.checker.getNonNullableType(types.checker.getTypeOfSymbol(next)).getCallSignatures().length > 0) slot.callbackAfter = true;
      if (!slots.some((s) => sameSlot(s, slot))) slots.push(slot);
    });
  }
  return slots.length > 0 ? { label: labelOf(callee, env.sourceFile), slots } : undefined;
}

/** The options property of a parameter type that holds an AbortSignal, if any. */
export function signalPropertyOf(type: ts.Type, checker: ts.TypeChecker): SignalProperty | undefined {
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    if (part.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) continue;
    for (const name of ['signal', 'abortSignal'] as const) {
      const property = checker.getPropertyOfType(part, name);
      if (property && isAbortSignalType(checker.getTypeOfSymbol(property))) return name;
    }
  }
  return undefined;
}

/** `AbortSignal`, `AbortSignal | null | undefined`, or the AWS SDK's own `AbortSignal` interface. */
export function isAbortSignalType(type: ts.Type | undefined): boolean {
  if (!type || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => (part.aliasSymbol ?? part.getSymbol())?.getName() === 'AbortSignal');
}

/** `BufferEncoding | { encoding?: ...; signal?: AbortSignal }`: a string here is the encoding option's shorthand. */
function isEncodingParameter(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = type.isUnion() ? type.types : [type];
  const takesString = parts.some((part) => (part.flags & ts.TypeFlags.StringLike) !== 0);
  return takesString && parts.some((part) => (part.flags & ts.TypeFlags.Object || part.isIntersection()) && !!checker.getPropertyOfType(part, 'encoding'));
}

function isOptional(parameter: ts.Symbol, checker: ts.TypeChecker): boolean {
  const declaration = parameter.valueDeclaration;
  if (!declaration || !ts.isParameter(declaration)) return false;
  return checker.isOptionalParameter(declaration) || !!declaration.dotDotDotToken;
}

function sameSlot(a: SignalSlot, b: SignalSlot): boolean {
  return a.index === b.index && a.property === b.property && a.required === b.required && !!a.encoding === !!b.encoding && !!a.callbackAfter === !!b.callbackAfter;
}
