// NestJS request scopes (RULES.md §1 table): interceptors, middleware, guards and controller route
// methods, recognised from the `implements` clause and decorator names imported from
// `@nestjs/common` (syntax), with the type checker only as the fallback for names re-exported
// through a project module. Also the "is this class a singleton" question other rules ask.
import { ts } from 'ts-morph';
import { packageOfFile, type TypeInfo } from '../typeInfo';
import { indexOf } from '../syntax/fileIndex';
import { importOf } from './appKinds';
import type { ImportTable } from './imports';
import type { MissingParameter, RequestObjectRole, RequestScope, SignalSource } from './requestScope';

const NEST_COMMON = '@nestjs/common';

type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Node };

/** The interfaces that make a class's method a request scope, and that method's name. */
const SCOPE_INTERFACES: ReadonlyMap<string, NestKind> = new Map([
  ['NestInterceptor', 'interceptor'],
  ['NestMiddleware', 'middleware'],
  ['CanActivate', 'guard'],
]);
const KIND_METHOD: Readonly<Record<NestKind, string>> = { interceptor: 'intercept', middleware: 'use', guard: 'canActivate' };
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head']);
const PARAM_DECORATOR_ROLES: ReadonlyMap<string, RequestObjectRole> = new Map([
  ['Req', 'req'],
  ['Request', 'req'],
  ['Res', 'res'],
  ['Response', 'res'],
]);
/** Names whose presence in a file's text means it may hold a Nest class even without importing `@nestjs/*` directly. */
const NEST_NAMES = /\b(NestInterceptor|NestMiddleware|CanActivate|Controller|Injectable)\b/;

type NestKind = 'interceptor' | 'middleware' | 'guard';

/** Cheap gate: a file that imports no `@nestjs/*` module and names none of Nest's classes has no Nest scope. */
export function mayHaveNestScopes(sourceFile: ts.SourceFile, imports: ImportTable): boolean {
  for (const module of imports.modules) if (module.startsWith('@nestjs/')) return true;
  // A project barrel re-exporting Nest's names: the type checker decides then (TypeScript only).
  return imports.modules.size > 0 && sourceFile.text.includes('@') && NEST_NAMES.test(sourceFile.text);
}

export interface NestClassScopes {
  scopes: RequestScope[];
  /**
   * The other methods of Nest classes (`@Injectable()` providers, `@Controller()`s, classes
   * implementing Nest's interfaces): Nest calls them for the app, not per request, so they are not
   * request scopes by their parameter shape or types — a provider's `register(id, req: Request)` is
   * a helper a request scope may reach, not an Express handler.
   */
  otherMethods: Set<ts.Node>;
}

/**
 * The request scopes of the Nest classes declared in this file. `useTypes` allows asking the type
 * checker about decorator and interface names that are imported from a project module.
 */
export function findNestScopes(sourceFile: ts.SourceFile, imports: ImportTable, types: TypeInfo, useTypes: boolean): NestClassScopes {
  const names = new NestNames(imports, types, useTypes);
  const isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
  const out: NestClassScopes = { scopes: [], otherMethods: new Set() };
  const seen = new Set<ts.Node>();
  for (const fn of indexOf(sourceFile).functions) {
    if (!ts.isMethodDeclaration(fn) || !ts.isClassLike(fn.parent) || seen.has(fn.parent)) continue;
    const cls = fn.parent;
    seen.add(cls);
    scopesOfClass(cls, names, isJs, out);
  }
  return out;
}

/**
 * Whether instances of this class are shared by every request: a Nest provider or controller
 * (`@Injectable()`, `@Controller()`) in the default singleton scope. Not when its decorator asks for
 * `scope: Scope.REQUEST` / `Scope.TRANSIENT`, or when its constructor injects the `REQUEST` (or
 * `INQUIRER`) token, which makes Nest create it per request. Syntax only.
 */
export function isNestSingleton(cls: ts.ClassLikeDeclaration, imports: ImportTable = indexOf(cls.getSourceFile()).imports): boolean {
  let provider = false;
  for (const decorator of ts.canHaveDecorators(cls) ? ts.getDecorators(cls) ?? [] : []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const target = importOf(imports, call.expression);
    if (target?.module !== NEST_COMMON || (target.name !== 'Injectable' && target.name !== 'Controller')) continue;
    provider = true;
    if (call.arguments.some((argument) => asksForNonDefaultScope(argument, imports))) return false;
  }
  if (!provider) return false;
  const constructor = cls.members.find(ts.isConstructorDeclaration);
  for (const parameter of constructor?.parameters ?? []) {
    for (const decorator of ts.getDecorators(parameter) ?? []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call) || importOf(imports, call.expression)?.name !== 'Inject') continue;
      const token = call.arguments[0] && importOf(imports, call.arguments[0]);
      if (token?.module === '@nestjs/core' && (token.name === 'REQUEST' || token.name === 'INQUIRER')) return false;
    }
  }
  return true;
}

/** `{ scope: Scope.REQUEST }` (or TRANSIENT) in `@Injectable(...)` / `@Controller(...)` options. */
function asksForNonDefaultScope(argument: ts.Expression, imports: ImportTable): boolean {
  if (!ts.isObjectLiteralExpression(argument)) return false;
  for (const property of argument.properties) {
    if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'scope') continue;
    if (!ts.isPropertyAssignment(property)) return true; // `{ scope }`: unknown, assume not a singleton
    const value = property.initializer;
    if (ts.isPropertyAccessExpression(value) && value.name.text === 'DEFAULT') {
      const owner = importOf(imports, value.expression);
      return !(owner?.name === 'Scope' || (ts.isIdentifier(value.expression) && value.expression.text === 'Scope'));
    }
    return true;
  }
  return false;
}

/** Nest names in one file: what an identifier or `ns.Name` expression imported from `@nestjs/common` is. */
class NestNames {
  constructor(
    private readonly imports: ImportTable,
    private readonly types: TypeInfo,
    private readonly useTypes: boolean,
  ) {}

  /** The `@nestjs/common` export an expression names, from the imports, or from types for project re-exports. */
  nameOf(expression: ts.Expression, candidates: (name: string) => boolean): string | undefined {
    const target = importOf(this.imports, expression);
    if (target?.module === NEST_COMMON) return candidates(target.name) ? target.name : undefined;
    // Only a name imported from a project module (a barrel re-exporting Nest's) is worth a type query.
    if (!this.useTypes || !target || !target.module.startsWith('.')) return undefined;
    const name = ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
    const imported = target.name === '*' || target.name === 'default' ? name : target.name;
    if (!imported || !candidates(imported)) return undefined;
    const file = this.types.declarationFile(ts.isPropertyAccessExpression(expression) ? expression.name : expression);
    return file && packageOfFile(file) === NEST_COMMON ? imported : undefined;
  }

  /** `@Name(...)` decorators of a node that name a `@nestjs/common` export accepted by `candidates`. */
  decorators(node: ts.HasDecorators, candidates: (name: string) => boolean): { name: string; call: ts.CallExpression }[] {
    const out: { name: string; call: ts.CallExpression }[] = [];
    for (const decorator of ts.getDecorators(node) ?? []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call)) continue;
      const name = this.nameOf(call.expression, candidates);
      if (name) out.push({ name, call });
    }
    return out;
  }
}

function scopesOfClass(cls: ts.ClassLikeDeclaration, names: NestNames, isJs: boolean, out: NestClassScopes): void {
  const kinds = new Set<NestKind>();
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
    for (const type of clause.types) {
      const name = names.nameOf(type.expression, (n) => SCOPE_INTERFACES.has(n));
      if (name) kinds.add(SCOPE_INTERFACES.get(name)!);
    }
  }
  const classDecorators = ts.canHaveDecorators(cls) ? names.decorators(cls, (n) => n === 'Controller' || n === 'Injectable') : [];
  const isController = classDecorators.some((d) => d.name === 'Controller');
  const isInjectable = classDecorators.some((d) => d.name === 'Injectable');
  const isNestClass = isController || isInjectable || kinds.size > 0;
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const fn = member as FunctionWithBody & ts.MethodDeclaration;
    const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const kind = !isStatic && ts.isIdentifier(member.name) ? kindOfMethod(member.name.text, fn, kinds, isInjectable) : undefined;
    const route = !kind && !isStatic && isController ? names.decorators(member, (n) => ROUTE_DECORATORS.has(n))[0] : undefined;
    const scope = kind ? buildNestScope(fn, kind, isJs) : route ? buildRouteScope(fn, route.name, names, isJs) : undefined;
    if (scope) out.scopes.push(scope);
    else if (isNestClass) out.otherMethods.add(fn);
  }
}

/**
 * An `implements`-declared kind's method; without the clause (JavaScript, or TypeScript relying on
 * structural typing), an `@Injectable()` class's method of that name with Nest's parameter shape.
 */
function kindOfMethod(name: string, fn: ts.MethodDeclaration, kinds: ReadonlySet<NestKind>, isInjectable: boolean): NestKind | undefined {
  for (const kind of kinds) if (KIND_METHOD[kind] === name) return kind;
  if (!isInjectable) return undefined;
  const count = fn.parameters.length;
  if (name === 'intercept' && count === 2) return 'interceptor';
  if (name === 'canActivate' && count === 1) return 'guard';
  if (name === 'use' && count === 3) return 'middleware';
  return undefined;
}

function buildNestScope(fn: FunctionWithBody, kind: NestKind, isJs: boolean): RequestScope | undefined {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const requestObjects = new Map<string, RequestObjectRole>();
  if (kind === 'middleware') {
    const [req, res, next] = names;
    if (req) requestObjects.set(req, 'req');
    if (res) requestObjects.set(res, 'res');
    const signal: SignalSource = res
      ? { kind: 'derive', closeEmitter: res, event: 'close', finishedCheck: `${res}.writableFinished` }
      : { kind: 'derive', closeEmitter: 'res', event: 'close', finishedCheck: 'res.writableFinished', missingParameter: { name: 'res', index: 1, typeText: isJs ? undefined : 'Response' } };
    return {
      fn, framework: 'nest', role: 'middleware', requestObjects, signal, mustStaySync: false,
      next: next ? { name: next, kind: 'next' } : undefined,
      reason: 'Nest middleware use()',
    };
  }
  const [context, next] = names;
  if (context) {
    requestObjects.set(context, 'executionContext');
    for (const [name, role] of requestObjectsTakenFrom(fn, context)) if (!requestObjects.has(name)) requestObjects.set(name, role);
  }
  return {
    fn, framework: 'nest', requestObjects, mustStaySync: false,
    role: kind === 'interceptor' ? 'middleware' : 'handler',
    next: kind === 'interceptor' && next ? { name: next, kind: 'callHandler' } : undefined,
    signal: context ? executionContextSignal(context) : { kind: 'none' },
    reason: kind === 'interceptor' ? 'Nest interceptor intercept()' : 'Nest guard canActivate()',
  };
}

/**
 * Locals the handler's body binds, at its top level, to the request and response behind the
 * ExecutionContext: `const req = context.switchToHttp().getRequest<Request>()` is `req`,
 * `getResponse()` is `res` (also through `const http = context.switchToHttp()`). Interceptors and
 * guards reach their request objects this way rather than through parameters, and the rules that
 * follow request objects need them named.
 */
function requestObjectsTakenFrom(fn: FunctionWithBody, context: string): Map<string, RequestObjectRole> {
  const out = new Map<string, RequestObjectRole>();
  if (!ts.isBlock(fn.body)) return out;
  const hosts = new Set<string>();
  const isSwitchToHttp = (expression: ts.Expression): boolean => {
    if (ts.isIdentifier(expression)) return hosts.has(expression.text);
    if (!ts.isCallExpression(expression) || expression.arguments.length > 0) return false;
    const callee = expression.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'switchToHttp' && ts.isIdentifier(callee.expression) && callee.expression.text === context;
  };
  for (const statement of fn.body.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const init = skipParens(declaration.initializer);
      if (isSwitchToHttp(init)) {
        hosts.add(declaration.name.text);
        continue;
      }
      if (!ts.isCallExpression(init) || init.arguments.length > 0 || !ts.isPropertyAccessExpression(init.expression)) continue;
      const method = init.expression.name.text;
      if ((method === 'getRequest' || method === 'getResponse') && isSwitchToHttp(skipParens(init.expression.expression))) {
        out.set(declaration.name.text, method === 'getRequest' ? 'req' : 'res');
      }
    }
  }
  return out;
}

function skipParens(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
  return current;
}

/** The response behind an ExecutionContext; the fix declares it in a local before listening on it. */
function executionContextSignal(context: string): SignalSource {
  const response = `${context}.switchToHttp().getResponse()`;
  return { kind: 'derive', closeEmitter: response, event: 'close', finishedCheck: `${response}.writableFinished` };
}

/**
 * A controller route method: `@Req()` / `@Res()` parameters (or JavaScript's `@Bind(Req(), Res())`)
 * are its request objects. The signal comes from `@Res()` when it has one, else from `req.res`
 * (which the Express typings mark optional), else from a `@Req() req` parameter the fix adds —
 * never from a bare `@Res()`, which would stop Nest sending the method's return value.
 */
function buildRouteScope(fn: FunctionWithBody & ts.MethodDeclaration, route: string, names: NestNames, isJs: boolean): RequestScope {
  const requestObjects = new Map<string, RequestObjectRole>();
  const roles = parameterRoles(fn, names);
  let fastifyAdapter = false;
  roles.forEach((role, index) => {
    const parameter = fn.parameters[index];
    if (!role || !parameter || !ts.isIdentifier(parameter.name)) return;
    requestObjects.set(parameter.name.text, role);
    if (parameter.type && /\bFastify(Request|Reply)\b/.test(parameter.type.getText())) fastifyAdapter = true;
  });
  const named = (role: RequestObjectRole): string | undefined => [...requestObjects].find(([, r]) => r === role)?.[0];
  const res = named('res');
  const req = named('req');
  let signal: SignalSource;
  if (fastifyAdapter) signal = { kind: 'none' };
  else if (res) signal = { kind: 'derive', closeEmitter: res, event: 'close', finishedCheck: `${res}.writableFinished` };
  else if (req) signal = { kind: 'derive', closeEmitter: `${req}.res`, event: 'close', finishedCheck: `${req}.res?.writableFinished`, optionalEmitter: true };
  else {
    const missing: MissingParameter = { name: 'req', index: fn.parameters.length, typeText: 'Request', decorator: 'Req' };
    signal = isJs || fn.parameters.some((p) => p.dotDotDotToken)
      ? { kind: 'none' }
      : { kind: 'derive', closeEmitter: 'req.res', event: 'close', finishedCheck: 'req.res?.writableFinished', optionalEmitter: true, missingParameter: missing };
  }
  return { fn, framework: 'nest', role: 'handler', requestObjects, signal, mustStaySync: false, reason: `Nest controller route @${route}()` };
}

/** Each parameter's request-object role, from its own decorator or from a method-level `@Bind(...)`. */
function parameterRoles(fn: ts.MethodDeclaration, names: NestNames): (RequestObjectRole | undefined)[] {
  const roles = fn.parameters.map((parameter) => {
    const found = names.decorators(parameter, (n) => PARAM_DECORATOR_ROLES.has(n))[0];
    return found ? PARAM_DECORATOR_ROLES.get(found.name) : undefined;
  });
  const bind = names.decorators(fn, (n) => n === 'Bind')[0];
  bind?.call.arguments.forEach((argument, index) => {
    if (!ts.isCallExpression(argument) || roles[index]) return;
    const name = names.nameOf(argument.expression, (n) => PARAM_DECORATOR_ROLES.has(n));
    if (name) roles[index] = PARAM_DECORATOR_ROLES.get(name);
  });
  return roles;
}
