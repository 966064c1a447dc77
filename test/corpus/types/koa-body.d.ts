// What koa-bodyparser adds to Koa's request (the corpus does not install the middleware itself).
import 'koa';

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
