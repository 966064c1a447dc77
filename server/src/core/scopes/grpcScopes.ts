// @grpc/grpc-js request scopes (RULES.md §1 table): the implementation methods handed to
// `server.addService(def, impl)`, client interceptors `(options, nextCall)` and server interceptors
// `(methodDescriptor, call)`; recognised from the registration, from parameter types imported from
// the package, and — without types — from the interceptor parameter shapes.
import { ts } from 'ts-morph';
import { importOfEntityName, skipOuter } from './appKinds';
import type { ImportTable } from './imports';
import { normalizedParamName } from './requestScopes';
import type { RequestObjectRole, RequestScope, SignalSource } from './requestScope';

export const GRPC_MODULES: ReadonlySet<string> = new Set(['@grpc/grpc-js', 'grpc']);

/** A service method `(call[, callback])`, a client interceptor, or a server interceptor. */
export type GrpcKind = 'method' | 'clientInterceptor' | 'serverInterceptor';

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Node };

const METHOD_PARAMETER_TYPES = /^(ServerUnaryCall|ServerReadableStream|ServerWritableStream|ServerDuplexStream|sendUnaryData)$/;
const METHOD_HANDLER_TYPES = /^(handleUnaryCall|handleClientStreamingCall|handleServerStreamingCall|handleBidiStreamingCall|UntypedHandleCall)$/;

/** Whether the file uses gRPC at all (imports the package): gates registrations on unknown receivers. */
export function importsGrpc(imports: ImportTable): boolean {
  for (const module of GRPC_MODULES) if (imports.importsModule(module)) return true;
  return false;
}

/** `(options, nextCall)` / `(methodDescriptor, call)`, names optionally `_`-prefixed (RULES.md §1, "Without types"). */
export function grpcShapeKind(fn: ts.FunctionLikeDeclaration): GrpcKind | undefined {
  if (fn.parameters.length !== 2) return undefined;
  const [first, second] = fn.parameters.map(normalizedParamName);
  if (first === 'options' && second === 'nextCall') return 'clientInterceptor';
  if (first === 'methodDescriptor' && second === 'call') return 'serverInterceptor';
  return undefined;
}

/** From types imported from the package: `(call: ServerUnaryCall<A, B>, callback: sendUnaryData<B>)`, `const h: handleUnaryCall<A, B> = ...`. */
export function grpcKindFromAnnotations(fn: ts.FunctionLikeDeclaration, imports: ImportTable): GrpcKind | undefined {
  const holder = fn.parent;
  if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && holder.type && ts.isTypeReferenceNode(holder.type)) {
    const target = importOfEntityName(imports, holder.type.typeName);
    if (target && GRPC_MODULES.has(target.module)) {
      if (METHOD_HANDLER_TYPES.test(target.name)) return 'method';
      if (target.name === 'Interceptor') return 'clientInterceptor';
      if (target.name === 'ServerInterceptor') return 'serverInterceptor';
    }
  }
  for (const parameter of fn.parameters) {
    if (!parameter.type || !ts.isTypeReferenceNode(parameter.type)) continue;
    const target = importOfEntityName(imports, parameter.type.typeName);
    if (!target || !GRPC_MODULES.has(target.module)) continue;
    if (METHOD_PARAMETER_TYPES.test(target.name)) return 'method';
    if (target.name === 'InterceptorOptions' || target.name === 'NextCall') return 'clientInterceptor';
    if (target.name === 'ServerMethodDefinition' || target.name === 'ServerInterceptingCallInterface') return 'serverInterceptor';
  }
  return undefined;
}

/**
 * The functions of a service implementation: an object literal's methods and function-valued
 * properties, the same through a variable, or the methods of `new Impl()` for a class declared in
 * the file. `resolve` turns an expression into a function declared in the file.
 */
export function implementationMethods(
  impl: ts.Expression,
  resolve: (expression: ts.Expression) => FunctionWithBody | undefined,
  lookup: (name: string, use: ts.Node) => ts.Declaration | undefined,
  depth = 0,
): FunctionWithBody[] {
  const target = skipOuter(impl);
  if (depth > 3) return [];
  if (ts.isObjectLiteralExpression(target)) {
    const out: FunctionWithBody[] = [];
    for (const property of target.properties) {
      if (ts.isMethodDeclaration(property) && property.body) out.push(property as FunctionWithBody);
      else if (ts.isPropertyAssignment(property)) pushDefined(out, resolve(property.initializer));
      else if (ts.isShorthandPropertyAssignment(property)) pushDefined(out, resolve(property.name));
    }
    return out;
  }
  if (ts.isNewExpression(target) && ts.isIdentifier(target.expression)) {
    const declaration = lookup(target.expression.text, target.expression);
    return declaration && ts.isClassDeclaration(declaration) ? classMethods(declaration, resolve) : [];
  }
  if (ts.isIdentifier(target)) {
    const declaration = lookup(target.text, target);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return implementationMethods(declaration.initializer, resolve, lookup, depth + 1);
  }
  return [];
}

function classMethods(cls: ts.ClassDeclaration, resolve: (expression: ts.Expression) => FunctionWithBody | undefined): FunctionWithBody[] {
  const out: FunctionWithBody[] = [];
  for (const member of cls.members) {
    const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.PrivateKeyword)) continue;
    if (member.name && ts.isPrivateIdentifier(member.name)) continue;
    if (ts.isMethodDeclaration(member) && member.body) out.push(member as FunctionWithBody);
    else if (ts.isPropertyDeclaration(member) && member.initializer) pushDefined(out, resolve(member.initializer));
  }
  return out;
}

function pushDefined<T>(out: T[], value: T | undefined): void {
  if (value) out.push(value);
}

/**
 * The scope of a gRPC function. Service methods: `call` and `callback` are the request objects and
 * the request's end is the call's `cancelled` event (no "finished normally" check: a call that
 * completed emits no `cancelled`). Interceptors have no emitter a fix could listen on: the client
 * side has no server call, and a server interceptor's `call` is not an EventEmitter (its
 * cancellation arrives through the listener's `onCancel`).
 */
export function buildGrpcScope(fn: FunctionWithBody, kind: GrpcKind, reason: string, isJs: boolean): RequestScope {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const requestObjects = new Map<string, RequestObjectRole>();
  if (kind === 'clientInterceptor') {
    const nextCall = names[1];
    return {
      fn, framework: 'grpc', role: 'middleware', requestObjects, signal: { kind: 'none' }, mustStaySync: false, reason,
      next: nextCall ? { name: nextCall, kind: 'nextCall' } : undefined,
    };
  }
  if (kind === 'serverInterceptor') {
    if (names[1]) requestObjects.set(names[1], 'call');
    return { fn, framework: 'grpc', role: 'middleware', requestObjects, signal: { kind: 'none' }, mustStaySync: false, reason };
  }
  const [call, callback] = names;
  if (call) requestObjects.set(call, 'call');
  if (callback) requestObjects.set(callback, 'callback');
  let signal: SignalSource;
  if (call) signal = { kind: 'derive', closeEmitter: call, event: 'cancelled' };
  // A `call` parameter the fix adds is only safe untyped: the package's handler types are a union
  // the method's parameters aren't contextually typed by, and the method kind is unknown.
  else if (fn.parameters.length === 0 && isJs) signal = { kind: 'derive', closeEmitter: 'call', event: 'cancelled', missingParameter: { name: 'call', index: 0 } };
  else signal = { kind: 'none' };
  return { fn, framework: 'grpc', role: 'handler', requestObjects, signal, mustStaySync: false, reason };
}
