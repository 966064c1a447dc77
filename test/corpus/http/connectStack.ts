// A tiny connect-style middleware stack on node:http for the metrics gateway.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage & { signal?: AbortSignal }, res: ServerResponse, next: Next) => void;

const requestIds = new AsyncLocalStorage<string>();
let lastPath = '';

/** Wrong: aborts the downstream signal right after next() returns. */
const cancellation: Middleware = (req, res, next) => {
  const controller = new AbortController();
  req.signal = controller.signal;
  next();
  controller.abort(); // expect: abort-before-downstream
};

/** Correct: aborts only if the client goes away before the response finished. */
const cancellationOnClose: Middleware = (req, res, next) => {
  const controller = new AbortController();
  req.signal = controller.signal;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  next();
};

/** Wrong: the id is entered into the current async context for good. */
const requestId: Middleware = (req, _res, next) => {
  requestIds.enterWith(String(req.headers['x-request-id'] ?? Date.now())); // expect: als-enter-with
  next();
};

/** Wrong: the last path is request data kept in module state and read by the error page. */
const rememberPath: Middleware = (req, _res, next) => {
  lastPath = String(req.url); // expect: request-state-in-module-variable
  next();
};

/** Wrong: HEAD requests are neither answered nor passed on. */
const noHead: Middleware = (req, res, next) => {
  if (req.method === 'HEAD') {
    res.statusCode = 405;
    return; // expect: middleware-drops-request
  }
  next();
};

function run(stack: Middleware[], req: IncomingMessage, res: ServerResponse): void {
  let i = 0;
  const next: Next = (err) => {
    if (err) {
      res.statusCode = 500;
      res.end(`error while serving ${lastPath}`);
      return;
    }
    const mw = stack[i++];
    if (mw) mw(req, res, next);
    else res.end(JSON.stringify({ requestId: requestIds.getStore() ?? null }));
  };
  next();
}

const stack: Middleware[] = [cancellationOnClose, requestId, rememberPath, noHead];
export const gateway = createServer((req, res) => run(stack, req, res));
export const legacyGateway = createServer((req, res) => run([cancellation, ...stack], req, res));
