import type { CallFacts, ValueInfo } from './values';

// What calling well-known package and built-in functions does, keyed by the callee's path as
// `ValueResolver` names it (`module:path`, or the bare path for built-ins). Only facts we are sure
// of are here; anything else is left to the type checker.

const SYNC: CallFacts = { promise: false, acceptsSignal: false };
const ASYNC: CallFacts = { promise: true, acceptsSignal: false };

const PACKAGE_CALLS: [RegExp, CallFacts][] = [
  // pg: the pool and its clients; `release()` gives a client back synchronously.
  [/^pg:new (Pool|Client)\.(query|connect|end)$/, ASYNC],
  [/^pg:new Pool\.connect\(\)\.(query)$/, ASYNC],
  [/^pg:new Pool\.connect\(\)\.(release|on|off|once|removeListener)$/, SYNC],
  [/^pg:new (Pool|Client)\.(on|off|once|removeListener)$/, SYNC],
  // generic-pool
  [/^generic-pool:createPool\(\)\.(acquire|release|destroy|drain|clear|use|start|ready)$/, ASYNC],
  [/^generic-pool:createPool\(\)\.(isBorrowedResource|on|off|once)$/, SYNC],
  [/^generic-pool:createPool$/, SYNC],
  // tarn: `acquire()` returns a pending-acquire object, not a promise.
  [/^tarn:new Pool\.(acquire|release|numUsed|numFree)$/, SYNC],
  [/^tarn:new Pool\.destroy$/, ASYNC],
  // mysql2
  [/^mysql2\/promise:(createPool|createConnection)$/, SYNC],
  [/^mysql2\/promise:createPool\(\)\.(query|execute|getConnection|end)$/, ASYNC],
  [/^mysql2\/promise:createPool\(\)\.getConnection\(\)\.(query|execute|beginTransaction|commit|rollback|ping)$/, ASYNC],
  [/^mysql2\/promise:createPool\(\)\.getConnection\(\)\.(release|destroy)$/, SYNC],
  [/^mysql2:createPool$/, SYNC],
  // Frameworks: building apps, routers and middleware is synchronous; starting, stopping and
  // calling an app are not (`fastify.listen({ signal })`, `app.request(url, { signal })`).
  [/^express:(|Router|json|urlencoded|static|raw|text)$/, SYNC],
  [/^(koa|@koa\/router|hono|fastify):(?!.*\.(listen|close|ready|after|register|inject|request|fetch)$)/, SYNC],
  // Node built-ins that are plainly synchronous.
  [/^fs:\w+Sync$/, SYNC],
  [/^(path|url|util|querystring|os):/, SYNC],
  [/^crypto:(randomUUID|randomBytes|createHash|createHmac|timingSafeEqual)/, SYNC],
];

const GLOBAL_CALLS: [RegExp, CallFacts][] = [
  [/^Promise\.(all|allSettled|race|any|resolve|reject)$/, ASYNC],
  // (`Object.assign(p, x)` and friends give back an argument, which may be a promise.)
  [/^(?!Object\.(values|assign|freeze|seal|preventExtensions|setPrototypeOf)$)(Math|JSON|Object|Array|Number|String|Boolean|Date|Reflect|Symbol|BigInt|Buffer|URL|console|crypto\.randomUUID)(\.\w+)?$/, SYNC],
  [/^(parseInt|parseFloat|isNaN|isFinite|encodeURIComponent|decodeURIComponent|encodeURI|decodeURI|structuredClone)$/, SYNC],
  [/^(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|clearImmediate|queueMicrotask)$/, SYNC],
  [/^(AbortSignal\.(timeout|any|abort)|new AbortController\.abort)$/, SYNC],
  [/^process\.(nextTick|on|once|off|emit|exit|cwd|hrtime|memoryUsage|uptime)/, SYNC],
  // Methods of built-in collections and strings never return promises, except those that hand
  // back an element or an argument, which may be one (`tasks.pop()`, `pending.get(id)`).
  [/^new (Array|Map|Set|WeakMap|WeakSet|Object|String|Buffer|Uint8Array|URLSearchParams|Headers|Date)\.(?!(at|find|findLast|pop|shift|reduce|reduceRight|get)$)\w+$/, SYNC],
];

// The tables are matched once per path.
const packageFacts = new Map<string, CallFacts | null>();
const globalFacts = new Map<string, CallFacts | null>();

function lookup(table: [RegExp, CallFacts][], seen: Map<string, CallFacts | null>, key: string): CallFacts | undefined {
  let facts = seen.get(key);
  if (facts === undefined) {
    facts = table.find(([pattern]) => pattern.test(key))?.[1] ?? null;
    if (seen.size > 10_000) seen.clear();
    seen.set(key, facts);
  }
  return facts ?? undefined;
}

/** Facts about calling `callee`, when it is a package function or built-in we know. */
export function knownCallFacts(callee: ValueInfo): CallFacts | undefined {
  if (callee.kind === 'package') return lookup(PACKAGE_CALLS, packageFacts, `${callee.module}:${callee.path}`);
  if (callee.kind === 'global') return lookup(GLOBAL_CALLS, globalFacts, callee.path);
  return undefined;
}
