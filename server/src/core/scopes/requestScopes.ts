import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { TypeInfo } from '../typeInfo';
import { indexOf } from '../syntax/fileIndex';
import { type AppKind, AppKinds, type LocalDeclarations, importOf, importOfEntityName, skipOuter } from './appKinds';
import { buildGrpcScope, type GrpcKind, grpcKindFromAnnotations, grpcShapeKind, implementationMethods, importsGrpc } from './grpcScopes';
import type { ImportTable } from './imports';
import { findNestScopes, mayHaveNestScopes } from './nestScopes';
import type { Framework, RequestObjectRole, RequestScope, SignalSource } from './requestScope';

const ROUTE_METHODS = new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const HONO_EXTRA = new Set(['on', 'mount']);
const FASTIFY_ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all', 'route']);
/** Fastify hooks that run per request (RULES.md §1: not onClose/onReady). */
export const FASTIFY_REQUEST_HOOKS = new Set([
  'onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onError', 'onTimeout', 'onRequestAbort',
]);
const FETCH_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Node };

/**
 * Finds the request scopes (RULES.md §1) whose handler function is declared in this file: from
 * registrations (`app.get(path, fn)`, `createServer(fn)`, Fastify routes and hooks, gRPC
 * `server.addService(def, impl)`), from NestJS classes (`nestScopes.ts`), from parameter types
 * named in annotations, from the parameter shapes §1 lists, and from the Fetch-API handler
 * conventions. Syntax first; the type checker only for registration receivers the syntax
 * can't place, so files without such calls never pay for types.
 */
export function findRequestScopes(sourceFile: ts.SourceFile, imports: ImportTable, types: TypeInfo): RequestScope[] {
  return new ScopeFinder(sourceFile, imports, types).run();
}

class ScopeFinder {
  readonly #declarations: LocalDeclarations;
  readonly #apps: AppKinds;
  readonly #scopes = new Map<ts.Node, RequestScope>();
  readonly #isJs: boolean;
  /** Whether the file may hold framework code at all; gates the type-checker fallback. */
  readonly #mayUseTypes: boolean;
  /** Whether the file imports a gRPC package / any `@nestjs/*` module: gates their annotation checks. */
  readonly #importsGrpc: boolean;
  readonly #importsNest: boolean;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly imports: ImportTable,
    private readonly types: TypeInfo,
  ) {
    this.#declarations = indexOf(sourceFile).declarations;
    this.#apps = new AppKinds(imports, this.#declarations, types);
    this.#isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
    this.#mayUseTypes = !this.#isJs || imports.modules.size > 0;
    this.#importsGrpc = importsGrpc(imports);
    this.#importsNest = [...imports.modules].some((m) => m.startsWith('@nestjs/'));
  }

  run(): RequestScope[] {
    const { calls, functions } = indexOf(this.sourceFile);

    // Plugins first: their instance parameter is an app for the registrations inside them. A
    // parameter named `fastify` is one even when the plugin is registered from another file.
    for (const call of calls) this.#notePlugin(call);
    for (const fn of functions) {
      const first = fn.parameters[0];
      if (first && ts.isIdentifier(first.name) && first.name.text === 'fastify' && !first.type) this.#apps.fastifyPluginParams.add(first);
    }
    for (const call of calls) this.#fromRegistration(call);
    this.#fromFetchConventions();
    // Nest classes before shapes: an interceptor's `intercept(context, next)` is not Koa middleware.
    let nestMethods: ReadonlySet<ts.Node> | undefined;
    if (mayHaveNestScopes(this.sourceFile, this.imports)) {
      const nest = findNestScopes(this.sourceFile, this.imports, this.types, !this.#isJs);
      for (const scope of nest.scopes) this.#addScope(scope);
      nestMethods = nest.otherMethods;
    }
    for (const fn of functions) if (!this.#scopes.has(fn) && !nestMethods?.has(fn)) this.#fromSignature(fn);
    return [...this.#scopes.values()];
  }

  // ----- registrations -------------------------------------------------------------------------

  #notePlugin(call: ts.CallExpression): void {
    const callee = skipOuter(call.expression);
    // `fp(async (fastify, opts) => ...)` from fastify-plugin.
    const calleeImport = importOf(this.imports, callee);
    const isFastifyPluginWrapper = calleeImport?.module === 'fastify-plugin';
    const isRegister = ts.isPropertyAccessExpression(callee) && callee.name.text === 'register';
    if (!isFastifyPluginWrapper && !isRegister) return;
    const plugin = call.arguments[0] && this.#resolveFunction(call.arguments[0]);
    if (!plugin || plugin.parameters.length === 0) return;
    if (isRegister && !isFastifyPluginWrapper) {
      const receiver = (callee as ts.PropertyAccessExpression).expression;
      if (this.#apps.kindOf(receiver, false) !== 'fastify' && !this.#looksLikeFastifyPlugin(plugin)) return;
    }
    this.#apps.fastifyPluginParams.add(plugin.parameters[0]);
  }

  /** `async function routes(fastify, opts)` registered from an unknown receiver. */
  #looksLikeFastifyPlugin(fn: FunctionWithBody): boolean {
    const first = fn.parameters[0];
    return ts.isIdentifier(first.name) && /^(fastify|instance|app|server)$/.test(first.name.text) && fn.parameters.length <= 3;
  }

  #fromRegistration(call: ts.CallExpression): void {
    const callee = skipOuter(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      this.#fromMethodRegistration(call, callee);
      return;
    }
    // `createServer((req, res) => ...)` imported from http/https/http2.
    const target = importOf(this.imports, callee);
    if (target && /^(http|https|http2)$/.test(target.module) && /^create(Secure)?Server$/.test(target.name)) {
      for (const arg of call.arguments) this.#addRegistered(arg, 'node-http', `registered with ${target.name}()`);
    }
  }

  #fromMethodRegistration(call: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const method = callee.name.text;
    const receiver = callee.expression;

    // `createServer(...)` through a namespace: `http.createServer(fn)`.
    const namespaced = importOf(this.imports, callee);
    if (namespaced && /^(http|https|http2)$/.test(namespaced.module) && /^create(Secure)?Server$/.test(method)) {
      for (const arg of call.arguments) this.#addRegistered(arg, 'node-http', `registered with ${method}()`);
      return;
    }
    // `Deno.serve(fn)` / `Bun.serve({ fetch })`.
    if (method === 'serve' && ts.isIdentifier(receiver) && (receiver.text === 'Deno' || receiver.text === 'Bun')) {
      for (const arg of call.arguments) {
        if (ts.isObjectLiteralExpression(arg)) {
          const fetch = this.#propertyFunction(arg, 'fetch');
          if (fetch) this.#addFetch(fetch, `${receiver.text}.serve fetch handler`);
        } else {
          const fn = this.#resolveFunction(arg);
          if (fn) this.#addFetch(fn, `${receiver.text}.serve handler`);
        }
      }
      return;
    }
    if (method === 'on' && isStringArg(call, 0, 'request')) {
      const kind = this.#apps.kindOf(receiver, this.#mayUseTypes);
      if (kind === 'httpServer') this.#addRegistered(call.arguments[1], 'node-http', "registered with server.on('request')");
      return;
    }
    if (method === 'addService' && call.arguments.length >= 2) {
      this.#addGrpcService(call.arguments[1]);
      return;
    }
    if (method === 'addHook' && call.arguments.length >= 2) {
      const hook = stringValue(call.arguments[0]);
      if (!hook || !FASTIFY_REQUEST_HOOKS.has(hook)) return;
      if (this.#apps.kindOf(receiver, this.#mayUseTypes) !== 'fastify') return;
      this.#addFastifyHook(call.arguments[1], hook);
      return;
    }
    const isRoute = ROUTE_METHODS.has(method) || HONO_EXTRA.has(method) || method === 'route';
    if (!isRoute) return;
    if (!call.arguments.some((arg) => this.#isFunctionArgument(arg) || ts.isObjectLiteralExpression(arg))) return;
    const kind = this.#apps.kindOf(receiver, this.#mayUseTypes);
    if (!kind) return;
    this.#registerOnApp(kind, method, call);
  }

  #registerOnApp(kind: AppKind, method: string, call: ts.CallExpression): void {
    const reason = `registered with .${method}()`;
    switch (kind) {
      case 'express':
        if (method === 'route' || HONO_EXTRA.has(method)) return;
        for (const arg of call.arguments) this.#addRegistered(arg, 'express', reason);
        return;
      case 'koa':
        if (method === 'use') for (const arg of call.arguments) this.#addRegistered(arg, 'koa', reason);
        return;
      case 'koaRouter':
        if (ROUTE_METHODS.has(method)) for (const arg of call.arguments) this.#addRegistered(arg, 'koa', reason);
        return;
      case 'hono':
        if (method === 'route' || method === 'mount') return;
        for (const arg of call.arguments) this.#addRegistered(arg, 'hono', reason);
        return;
      case 'fastify':
        if (FASTIFY_ROUTE_METHODS.has(method)) this.#addFastifyRoute(call);
        return;
      case 'httpServer':
        return;
    }
  }

  #addFastifyRoute(call: ts.CallExpression): void {
    for (const arg of call.arguments) {
      if (ts.isObjectLiteralExpression(arg)) {
        const handler = this.#propertyFunction(arg, 'handler');
        if (handler) this.#add(handler, 'fastify', 'Fastify route handler');
        for (const hook of FASTIFY_REQUEST_HOOKS) {
          const property = findProperty(arg, hook);
          if (!property) continue;
          if (ts.isMethodDeclaration(property)) this.#addFastifyHook(property, hook);
          else if (ts.isShorthandPropertyAssignment(property)) this.#addFastifyHook(property.name, hook);
          else if (ts.isPropertyAssignment(property)) {
            const value = skipOuter(property.initializer);
            const hooks = ts.isArrayLiteralExpression(value) ? value.elements : [value];
            for (const element of hooks) this.#addFastifyHook(element, hook);
          }
        }
      } else {
        const fn = this.#resolveFunction(arg);
        if (fn) this.#add(fn, 'fastify', 'Fastify route handler');
      }
    }
  }

  #addFastifyHook(arg: ts.Expression | ts.MethodDeclaration, hook: string): void {
    const fn = ts.isMethodDeclaration(arg) ? (arg.body ? (arg as FunctionWithBody) : undefined) : this.#resolveFunction(arg);
    if (fn) this.#add(fn, 'fastify', `Fastify ${hook} hook`, hook);
  }

  #isFunctionArgument(arg: ts.Expression): boolean {
    const target = skipOuter(arg);
    if (ts.isArrayLiteralExpression(target)) return target.elements.some((e) => this.#isFunctionArgument(e));
    return !!this.#resolveFunction(target) || (ts.isCallExpression(target) && target.arguments.some((a) => !!this.#resolveFunction(a)));
  }

  /** A registered argument: a function, an array of them, or a wrapper call around one (`asyncHandler(fn)`). */
  #addRegistered(arg: ts.Expression | undefined, framework: Framework, reason: string): void {
    if (!arg) return;
    const target = skipOuter(arg);
    if (ts.isArrayLiteralExpression(target)) {
      for (const element of target.elements) this.#addRegistered(element, framework, reason);
      return;
    }
    const fn = this.#resolveFunction(target);
    if (fn) {
      this.#add(fn, framework, reason);
      return;
    }
    if (ts.isCallExpression(target)) {
      // A wrapper such as `asyncHandler(async (req, res) => ...)`, or a middleware factory call
      // `auth()` whose returned function is declared elsewhere: only the inline function counts.
      for (const inner of target.arguments) {
        const innerFn = this.#resolveFunction(inner);
        if (innerFn && innerFn.parameters.length >= 1) this.#add(innerFn, framework, `${reason} (wrapped)`);
      }
    }
  }

  /** `{ handler }`, `{ handler: fn }`, `{ handler() {} }` -> the function. */
  #propertyFunction(object: ts.ObjectLiteralExpression, name: string): FunctionWithBody | undefined {
    const property = findProperty(object, name);
    if (!property) return undefined;
    if (ts.isMethodDeclaration(property) && property.body) return property as FunctionWithBody;
    if (ts.isPropertyAssignment(property)) return this.#resolveFunction(property.initializer);
    if (ts.isShorthandPropertyAssignment(property)) return this.#resolveFunction(property.name);
    return undefined;
  }

  /** An inline function, or an identifier naming a function declared in this file. */
  #resolveFunction(expression: ts.Expression): FunctionWithBody | undefined {
    const target = skipOuter(expression);
    if (isFunctionWithBody(target)) return target;
    if (ts.isIdentifier(target)) {
      const declaration = this.#declarations.lookup(target.text, target);
      if (declaration && isFunctionWithBody(declaration)) return declaration;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
        const init = skipOuter(declaration.initializer);
        if (isFunctionWithBody(init)) return init;
      }
    }
    return undefined;
  }

  /**
   * `server.addService(def, impl)`: each function of the implementation. In a file that imports
   * no gRPC package (the server built elsewhere) only functions shaped `(call[, callback])` count.
   */
  #addGrpcService(impl: ts.Expression): void {
    const lookup = (name: string, use: ts.Node): ts.Declaration | undefined => this.#declarations.lookup(name, use);
    const methods = implementationMethods(impl, (e) => this.#resolveFunction(e), lookup);
    const grpcFile = this.#importsGrpc;
    for (const fn of methods) {
      const count = fn.parameters.length;
      if (count > 2) continue;
      if (!grpcFile && (count === 0 || normalizedParamName(fn.parameters[0]) !== 'call')) continue;
      this.#addGrpc(fn, 'method', 'gRPC service method registered with addService()');
    }
  }

  #addGrpc(fn: FunctionWithBody, kind: GrpcKind, reason: string): void {
    if (!this.#scopes.has(fn)) this.#scopes.set(fn, buildGrpcScope(fn, kind, reason, this.#isJs));
  }

  #addScope(scope: RequestScope): void {
    if (!this.#scopes.has(scope.fn)) this.#scopes.set(scope.fn, scope);
  }

  // ----- Fetch-API conventions -----------------------------------------------------------------

  #fromFetchConventions(): void {
    const base = path.basename(this.sourceFile.fileName).replace(/\.[^.]+$/, '');
    const isRouteFile = base === 'route';
    for (const statement of this.sourceFile.statements) {
      // Next.js route handlers: `export async function GET(request) {}` in route.ts.
      if (isRouteFile && ts.isFunctionDeclaration(statement) && statement.body && statement.name && FETCH_EXPORTS.has(statement.name.text) && isExported(statement)) {
        this.#addFetch(statement as FunctionWithBody, `Next.js ${statement.name.text} route handler`);
      }
      if (isRouteFile && ts.isVariableStatement(statement) && isExported(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || !FETCH_EXPORTS.has(declaration.name.text) || !declaration.initializer) continue;
          const fn = this.#resolveFunction(declaration.initializer);
          if (fn) this.#addFetch(fn, `Next.js ${declaration.name.text} route handler`);
        }
      }
      // Remix / React Router: `export async function loader({ request })`.
      if (ts.isFunctionDeclaration(statement) && statement.body && statement.name && /^(loader|action)$/.test(statement.name.text) && isExported(statement)) {
        const first = statement.parameters[0];
        if (first && ts.isObjectBindingPattern(first.name) && bindingHas(first.name, 'request')) {
          this.#addFetch(statement as FunctionWithBody, `${statement.name.text} function`);
        }
      }
      // Workers: `export default { async fetch(request, env, ctx) {} }`.
      if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
        const value = skipOuter(statement.expression);
        const object = ts.isObjectLiteralExpression(value) ? value : undefined;
        if (object) {
          const fetch = this.#propertyFunction(object, 'fetch');
          if (fetch) this.#addFetch(fetch, 'fetch(request, env, ctx) handler');
        }
      }
    }
  }

  #addFetch(fn: FunctionWithBody, reason: string): void {
    this.#add(fn, 'fetch', reason);
  }

  // ----- signatures: annotations and shapes ----------------------------------------------------

  #fromSignature(fn: FunctionWithBody): void {
    const grpc = (this.#importsGrpc ? grpcKindFromAnnotations(fn, this.imports) : undefined) ?? grpcShapeKind(fn);
    if (grpc) {
      this.#addGrpc(fn, grpc, grpc === 'method' ? 'gRPC service method (parameter types)' : grpc === 'clientInterceptor' ? 'gRPC client interceptor' : 'gRPC server interceptor');
      return;
    }
    if (this.#importsNest && this.#isNestTyped(fn)) return;
    const fromTypes = this.#frameworkFromAnnotations(fn);
    if (fromTypes) {
      this.#add(fn, fromTypes, 'parameter types');
      return;
    }
    const shape = shapeOf(fn);
    if (shape) this.#add(fn, shape, 'parameter shape');
  }

  /**
   * Parameters typed with Nest's own types (`ExecutionContext`, `CallHandler`, ...) outside the
   * classes Nest calls per request (a param-decorator factory, a utility): not another
   * framework's handler by shape, and not a request scope of their own.
   */
  #isNestTyped(fn: FunctionWithBody): boolean {
    return fn.parameters.some((p) => {
      if (!p.type || !ts.isTypeReferenceNode(p.type)) return false;
      return importOfEntityName(this.imports, p.type.typeName)?.module.startsWith('@nestjs/') ?? false;
    });
  }

  /** `(req: Request, res: Response)` with the types imported from a framework. */
  #frameworkFromAnnotations(fn: FunctionWithBody): Framework | undefined {
    // `const handler: RequestHandler = (req, res) => ...`
    const holder = fn.parent;
    if (holder && ts.isVariableDeclaration(holder) && holder.type && ts.isTypeReferenceNode(holder.type)) {
      const target = importOfEntityName(this.imports, holder.type.typeName);
      if (target) {
        if (target.module === 'express' && /^(RequestHandler|ErrorRequestHandler|Handler)$/.test(target.name)) return 'express';
        if (target.module === 'koa' && /^(Middleware)$/.test(target.name)) return 'koa';
        if (target.module === 'hono' && /^(MiddlewareHandler|Handler)$/.test(target.name)) return 'hono';
        if (target.module === 'fastify' && /^(RouteHandlerMethod|RouteHandler|onRequestHookHandler|preHandlerHookHandler)$/.test(target.name)) return 'fastify';
      }
    }
    // Roles are given by position (`buildScope`), so the request must be where the framework puts
    // it: `keepAlive(res: Response, everyMs: number)` is a helper taking a response, not a handler.
    // `rememberLogin(req: Request, userId: string)` likewise: what follows the request must be the
    // framework's own (or untyped), or the roles handed out by position would be wrong.
    const params = fn.parameters;
    const fitsAfter = (index: number, framework: Framework): boolean =>
      params.slice(index).every((p) => !p.type || this.#frameworkTypeOf(p)?.framework === framework || p.type.kind === ts.SyntaxKind.AnyKeyword);
    const first = this.#frameworkTypeOf(params[0]);
    if (first?.role === 'request') return fitsAfter(1, first.framework) ? first.framework : undefined;
    const second = this.#frameworkTypeOf(params[1]);
    if (params.length === 4 && second?.framework === 'express' && second.role === 'request' && fitsAfter(2, 'express')) return 'express';
    return undefined;
  }

  /** What a parameter's annotation says it is, when a framework's type names it. */
  #frameworkTypeOf(parameter: ts.ParameterDeclaration | undefined): { framework: Framework; role: 'request' | 'other' } | undefined {
    if (!parameter?.type || !ts.isTypeReferenceNode(parameter.type)) return undefined;
    const target = importOfEntityName(this.imports, parameter.type.typeName);
    if (!target) return undefined;
    const { module, name } = target;
    if (module === 'express' && /^(Request|Response|NextFunction)$/.test(name)) return { framework: 'express', role: name === 'Request' ? 'request' : 'other' };
    if (module === 'koa' && /^(Context|ParameterizedContext|DefaultContext)$/.test(name)) return { framework: 'koa', role: 'request' };
    if ((module === '@koa/router' || module === 'koa-router') && /Context$/.test(name)) return { framework: 'koa', role: 'request' };
    if (module === 'fastify' && /^(FastifyRequest|FastifyReply)$/.test(name)) return { framework: 'fastify', role: name === 'FastifyRequest' ? 'request' : 'other' };
    if (module === 'hono' && name === 'Context') return { framework: 'hono', role: 'request' };
    if (/^(http|https|http2)$/.test(module) && /^(IncomingMessage|ServerResponse|Http2ServerRequest|Http2ServerResponse)$/.test(name)) {
      return { framework: 'node-http', role: /Request|IncomingMessage/.test(name) ? 'request' : 'other' };
    }
    if (module === 'next/server' && name === 'NextRequest') return { framework: 'fetch', role: 'request' };
    return undefined;
  }

  // ----- building scopes -----------------------------------------------------------------------

  #add(fn: FunctionWithBody, framework: Framework, reason: string, hook?: string): void {
    if (this.#scopes.has(fn)) return;
    const scope = buildScope(fn, framework, reason, hook, this.#isJs, this.sourceFile);
    if (scope) this.#scopes.set(fn, scope);
  }
}

// ----- parameter shapes (RULES.md §1, "Without types") ---------------------------------------------

/** Parameter name without leading underscores, with request/response folded to req/res. */
export function normalizedParamName(parameter: ts.ParameterDeclaration): string | undefined {
  if (!ts.isIdentifier(parameter.name)) return undefined;
  const name = parameter.name.text.replace(/^_+/, '');
  if (name === 'request') return 'req';
  if (name === 'response') return 'res';
  return name;
}

function shapeOf(fn: FunctionWithBody): Framework | undefined {
  const names = fn.parameters.map(normalizedParamName);
  if (names.length === 3 && names[0] === 'req' && names[1] === 'res' && names[2] === 'next') return 'express';
  if (names.length === 4 && names[1] === 'req' && names[2] === 'res' && names[3] === 'next' && /^(err|error|e)$/.test(names[0] ?? '')) return 'express';
  // RULES.md §1 lists the shapes above "at least"; controllers written as `(req, res)` and
  // Fastify handlers as `(request, reply)` are registered from another file so often that
  // recall on real code needs them, and these exact names are hardly ever anything else.
  if (names.length === 2 && names[0] === 'req' && names[1] === 'res') return 'express';
  if (names.length === 2 && names[0] === 'req' && names[1] === 'reply') return 'fastify';
  if (names.length === 2 && names[1] === 'next') {
    if (names[0] === 'ctx' || names[0] === 'context') return 'koa';
    if (names[0] === 'c') return 'hono';
  }
  return undefined;
}

function buildScope(fn: FunctionWithBody, framework: Framework, reason: string, hook: string | undefined, isJs: boolean, sourceFile: ts.SourceFile): RequestScope | undefined {
  const params = fn.parameters;
  const names = params.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const requestObjects = new Map<string, RequestObjectRole>();
  const setRole = (index: number, role: RequestObjectRole): string | undefined => {
    const name = names[index];
    if (name) requestObjects.set(name, role);
    return name;
  };
  const last = params.length - 1;
  const lastName = last >= 0 ? normalizedParamName(params[last]) : undefined;
  const isAsync = !!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);

  switch (framework) {
    case 'express':
    case 'node-http': {
      const isError = framework === 'express' && params.length === 4;
      const offset = isError ? 1 : 0;
      setRole(offset, 'req');
      const res = setRole(offset + 1, 'res');
      const nextName = framework === 'express' ? names[offset + 2] : undefined;
      const signal: SignalSource = res
        ? { kind: 'derive', closeEmitter: res, event: 'close', finishedCheck: `${res}.writableFinished` }
        : { kind: 'derive', closeEmitter: 'res', event: 'close', finishedCheck: 'res.writableFinished', missingParameter: { name: 'res', index: offset + 1, typeText: isJs ? undefined : 'Response' } };
      return {
        fn, framework, reason, requestObjects, signal, mustStaySync: false,
        role: isError ? 'error-middleware' : nextName ? 'middleware' : 'handler',
        next: nextName ? { name: nextName, kind: 'next' } : undefined,
      };
    }
    case 'koa': {
      const ctx = setRole(0, 'ctx');
      if (!ctx) return undefined;
      const nextName = names[1];
      return {
        fn, framework, reason, requestObjects, mustStaySync: false,
        role: nextName ? 'middleware' : 'handler',
        next: nextName ? { name: nextName, kind: 'next' } : undefined,
        signal: { kind: 'derive', closeEmitter: `${ctx}.res`, event: 'close', finishedCheck: `${ctx}.res.writableFinished` },
      };
    }
    case 'hono': {
      const c = setRole(0, 'c');
      if (!c) return undefined;
      const nextName = names[1];
      const usesExecutionCtx = sourceFile.text.includes('executionCtx');
      return {
        fn, framework, reason, requestObjects, mustStaySync: false,
        role: nextName ? 'middleware' : 'handler',
        next: nextName ? { name: nextName, kind: 'next' } : undefined,
        signal: { kind: 'native', expression: `${c}.req.raw.signal` },
        waitUntil: usesExecutionCtx ? `${c}.executionCtx.waitUntil` : undefined,
      };
    }
    case 'fastify': {
      // Hooks: (request, reply, done) or (request, reply, payload|error, done).
      setRole(0, 'request');
      const reply = setRole(1, 'reply');
      const takesDone = hook !== undefined && !isAsync && last >= 2 && (lastName === 'done' || lastName === 'next');
      const doneName = takesDone ? names[last] : undefined;
      const signal: SignalSource = reply
        ? { kind: 'derive', closeEmitter: `${reply}.raw`, event: 'close', finishedCheck: `${reply}.raw.writableFinished` }
        : { kind: 'derive', closeEmitter: 'reply.raw', event: 'close', finishedCheck: 'reply.raw.writableFinished', missingParameter: { name: 'reply', index: 1, typeText: isJs ? undefined : 'FastifyReply' } };
      return {
        fn, framework, reason, requestObjects, signal,
        role: hook ? 'hook' : 'handler',
        next: doneName ? { name: doneName, kind: 'done' } : undefined,
        mustStaySync: takesDone,
      };
    }
    case 'fetch': {
      const first = params[0];
      let requestName: string | undefined;
      if (first && ts.isIdentifier(first.name)) requestName = setRole(0, 'fetchRequest');
      else if (first && ts.isObjectBindingPattern(first.name)) {
        for (const element of first.name.elements) {
          const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : undefined;
          if (property === 'request' && ts.isIdentifier(element.name)) {
            requestName = element.name.text;
            requestObjects.set(requestName, 'fetchRequest');
          }
        }
      }
      // Workers: (request, env, ctx); Service-worker style `event` objects carry waitUntil too.
      const ctxName = names[2];
      if (ctxName) requestObjects.set(ctxName, 'executionCtx');
      const signal: SignalSource = requestName
        ? { kind: 'native', expression: `${requestName}.signal` }
        : { kind: 'native', expression: 'request.signal', missingParameter: first ? undefined : { name: 'request', index: 0, typeText: isJs ? undefined : 'Request' } };
      if (!requestName && first) return undefined;
      return {
        fn, framework, reason, requestObjects, signal, mustStaySync: false, role: 'handler',
        waitUntil: ctxName ? `${ctxName}.waitUntil` : undefined,
      };
    }
    case 'nest':
    case 'grpc':
      return undefined;
  }
}

// ----- small syntax helpers ---------------------------------------------------------------------

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

function isExported(statement: ts.Statement): boolean {
  return !!(ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

function bindingHas(pattern: ts.ObjectBindingPattern, name: string): boolean {
  return pattern.elements.some((e) => {
    const property = e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : ts.isIdentifier(e.name) ? e.name.text : undefined;
    return property === name;
  });
}

function stringValue(expression: ts.Expression): string | undefined {
  return ts.isStringLiteralLike(expression) ? expression.text : undefined;
}

function isStringArg(call: ts.CallExpression, index: number, value: string): boolean {
  const arg = call.arguments[index];
  return !!arg && stringValue(arg) === value;
}

function findProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

