import type { ts } from 'ts-morph';
import type { LocatedSpan } from '../types';

export type Framework = 'express' | 'node-http' | 'koa' | 'fastify' | 'hono' | 'fetch' | 'nest' | 'grpc';

/** What a request-object name stands for; rules use it to know which methods respond, etc. */
export type RequestObjectRole =
  | 'req' // Express / node:http request
  | 'res' // Express / node:http response
  | 'ctx' // Koa context
  | 'request' // Fastify request
  | 'reply' // Fastify reply
  | 'c' // Hono context
  | 'fetchRequest' // Fetch-API Request
  | 'executionCtx' // Workers `ctx` / `event` with waitUntil
  | 'call' // gRPC call
  | 'callback' // gRPC callback
  | 'executionContext'; // Nest ExecutionContext (interceptors, guards)

/** How the request's cancellation signal is obtained in a scope (RULES.md §1 table, last column). */
export type SignalSource =
  /**
   * The framework gives one: `expression` is its text, e.g. `request.signal`, `c.req.raw.signal`.
   * `missingParameter` is set when the handler does not declare the parameter the expression starts
   * from (a route handler written without its `request`): the fix adds it.
   */
  | { kind: 'native'; expression: string; missingParameter?: MissingParameter }
  /**
   * None: derive one from the end of the request. `closeEmitter` is the text of the emitter whose
   * `close` (or gRPC `cancelled`) means the client went away, e.g. `res`, `ctx.res`, `reply.raw`;
   * `finishedCheck` is the expression that is true when the response finished normally.
   * `missingParameter` is set when the emitter's root is a parameter the handler does not declare
   * yet (a Fastify handler without `reply`): the fix adds it.
   */
  /**
   * None reachable: a helper given the request but not what its end can be observed on (an
   * Express helper that gets `req` alone). Rules don't offer fixes that need the signal.
   */
  | { kind: 'none'; missingParameter?: undefined }
  | {
      kind: 'derive';
      closeEmitter: string;
      event: 'close' | 'cancelled';
      finishedCheck?: string;
      missingParameter?: MissingParameter;
      /**
       * The emitter may be undefined (Nest's `req.res`, optional in the Express typings): listen on it
       * with `?.`. An emitter written as a call (`context.switchToHttp().getResponse()`) is declared
       * in a local first by the fix.
       */
      optionalEmitter?: boolean;
    };

/** A parameter to add at `index` (after filling any gap with `_`-prefixed placeholders). */
export interface MissingParameter {
  name: string;
  index: number;
  /** Type annotation text to use in TypeScript files, e.g. `Request`; omitted in JavaScript. */
  typeText?: string;
  /**
   * A `@nestjs/common` parameter decorator the parameter needs (`Req` -> `@Req() req: Request`);
   * Nest finds such parameters by decorator, so it is appended last, never after placeholders.
   */
  decorator?: 'Req';
}

export interface RequestScope {
  /** The handler: a function with a body. Functions created inside it belong to the scope too. */
  readonly fn: ts.FunctionLikeDeclaration;
  readonly framework: Framework;
  /**
   * `handler` responds; `middleware` may pass control on; `hook` is a Fastify hook; `helper` is a
   * project function a request scope calls with a request object, its signal or a pooled object
   * (RULES.md §1, "Helpers"): analysed in that role, with `via` leading back to the handler.
   */
  readonly role: 'handler' | 'middleware' | 'error-middleware' | 'hook' | 'helper';
  /** For helpers: the calls that lead here, from the request handler's call inward. */
  readonly via?: readonly HelperCall[];
  /** Local names bound to request objects in the handler's parameters (destructuring included). */
  readonly requestObjects: ReadonlyMap<string, RequestObjectRole>;
  /** The parameter that passes control on (`next`, `done`, `nextCall`, a Nest `CallHandler`). */
  readonly next?: { name: string; kind: 'next' | 'done' | 'nextCall' | 'callHandler' };
  readonly signal: SignalSource;
  /** Text of a callable keep-alive in scope (`ctx.waitUntil`, `c.executionCtx.waitUntil`), if any. */
  readonly waitUntil?: string;
  /** The handler must stay synchronous (a Fastify hook that takes `done`). */
  readonly mustStaySync: boolean;
  /** Why it was recognised, for related information and debugging ("registered with app.get"). */
  readonly reason: string;
}

/** One call on the way from a request handler into a helper (plain data: it may be in another file). */
export interface HelperCall extends LocatedSpan {
  fileName: string;
  /** For related information: "`loadUser(req)` in the handler registered with app.get". */
  message: string;
}
