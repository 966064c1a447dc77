import { ts } from 'ts-morph';
import { importOf, skipOuter } from '../scopes/appKinds';
import type { SignalApi, SignalSlot } from './signalApi';
import type { SignalEnv } from './signalEnv';

// The signal-accepting APIs RULES.md §2.2 lists for code without types, recognised from imports,
// `require` and the variables built from them. Each entry says where that API takes its options.

const FETCH_MODULES = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', '@whatwg-node/fetch']);
const AXIOS_URL_CONFIG = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_URL_DATA_CONFIG = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);
const AI_SDK_MODULES = new Set(['openai', '@anthropic-ai/sdk']);
/** Methods of the OpenAI / Anthropic resources whose second argument is the request options. */
const AI_SDK_METHODS = new Set(['create', 'retrieve', 'update', 'del', 'delete', 'stream', 'parse', 'generate', 'createAndPoll', 'edit']);

/**
 * Every method name a member call below can be recognised under (`default` for a package's default
 * export reached as a member): any other method is none of these APIs, whatever its receiver.
 */
const MEMBER_NAMES = new Set([
  'default', 'fetch', 'request', 'stream', 'get', 'delete', 'head', 'options', 'post', 'put', 'patch', 'postForm', 'putForm', 'patchForm',
  'setTimeout', 'setInterval', 'setImmediate', 'wait', 'once', 'on', 'exec', 'execFile', 'spawn', 'fork', 'readFile', 'writeFile', 'send',
  ...AI_SDK_METHODS,
]);

const options = (index: number, required: number, extra: Partial<SignalSlot> = {}): SignalSlot => ({ index, required, property: 'signal', ...extra });

/** The API a call makes, when the syntax names one §2.2 lists (types are not consulted). */
export function knownSignalApi(call: ts.CallExpression, env: SignalEnv): SignalApi | undefined {
  const callee = skipOuter(call.expression);
  const slots = slotsFor(callee, call, env, 0);
  return slots ? { label: labelOf(callee, env.sourceFile), slots } : undefined;
}

/** `fetch()`, `axios.get()`, `openai.chat.completions.create()`: the callee as written, shortened when long. */
export function labelOf(callee: ts.Expression, sourceFile: ts.SourceFile): string {
  const text = skipOuter(callee).getText(sourceFile).replace(/\s+/g, '');
  if (text.length <= 40) return `${text}()`;
  return ts.isPropertyAccessExpression(callee) ? `${callee.name.text}()` : 'this call';
}

function slotsFor(callee: ts.Expression, call: ts.CallExpression, env: SignalEnv, depth: number): SignalSlot[] | undefined {
  if (ts.isIdentifier(callee)) return identifierSlots(callee, call, env, depth);
  if (ts.isPropertyAccessExpression(callee)) return memberSlots(callee, call, env);
  return undefined;
}

function identifierSlots(callee: ts.Identifier, call: ts.CallExpression, env: SignalEnv, depth: number): SignalSlot[] | undefined {
  const binding = env.imports.get(callee.text);
  const declaration = env.declarations.lookup(callee.text, callee);
  if (binding && (!declaration || isModuleLevel(declaration))) return importedSlots(binding.module, binding.name, call);
  if (!declaration) return callee.text === 'fetch' ? fetchSlots() : undefined;
  if (ts.isFunctionDeclaration(declaration)) return destructuredSignalSlots(declaration);
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = skipOuter(declaration.initializer);
  if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return destructuredSignalSlots(init);
  if (ts.isCallExpression(init) && depth === 0) {
    const client = importsHttpClient(env) ? clientInstanceOf(init, env) : undefined;
    if (client === 'axios') return axiosSlots(undefined, call);
    if (client) return urlOrOptionsSlots(call);
    return promisifiedSlots(init, call, env);
  }
  return undefined;
}

function memberSlots(callee: ts.PropertyAccessExpression, call: ts.CallExpression, env: SignalEnv): SignalSlot[] | undefined {
  const method = callee.name.text;
  if (!MEMBER_NAMES.has(method)) return undefined;
  const receiver = skipOuter(callee.expression);
  const member = importOf(env.imports, callee);
  if (member && isImportedHere(callee.expression, env)) return importedSlots(member.module, member.name, call, true);
  // `EventEmitter.once(emitter, 'x')`, `fsp.readFile(...)` (`import { promises as fsp } from 'fs'`).
  const receiverBinding = ts.isIdentifier(receiver) ? env.imports.get(receiver.text) : undefined;
  const receiverImport = receiverBinding && isImportedHere(receiver, env) ? receiverBinding : undefined;
  if (receiverImport?.module === 'events' && receiverImport.name === 'EventEmitter') return importedSlots('events', method, call, true);
  if (receiverImport?.module === 'fs' && receiverImport.name === 'promises') return importedSlots('fs/promises', method, call, true);
  if (receiverImport?.module === 'timers/promises' && receiverImport.name === 'scheduler' && method === 'wait') return [options(1, 1)];
  // `fs.promises.readFile(...)`.
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'promises') {
    const fs = importOf(env.imports, receiver);
    if (fs?.module === 'fs' && isImportedHere(receiver.expression, env)) return importedSlots('fs/promises', method, call, true);
  }
  if (method === 'fetch' && ts.isIdentifier(receiver) && receiver.text === 'globalThis') return fetchSlots();
  if (ts.isIdentifier(receiver) && importsHttpClient(env)) {
    const init = localInitializer(receiver, env);
    const client = init && ts.isCallExpression(init) ? clientInstanceOf(init, env) : undefined;
    if (client === 'axios') return axiosSlots(method, call);
    if (client) return GOT_METHODS.has(method) ? [options(1, 1)] : undefined;
  }
  if (method === 'send' && importsAwsSdk(env) && isAwsSend(receiver, call, env)) return [options(1, 1, { property: 'abortSignal', callbackAfter: true })];
  if (AI_SDK_METHODS.has(method) && importsAiSdk(env) && isAiSdkChain(receiver, env)) return [options(1, 1)];
  return undefined;
}

/** The forms of an API imported from `module` under `name` (`member`: reached as `ns.name`). */
function importedSlots(module: string, name: string, call: ts.CallExpression, member = false): SignalSlot[] | undefined {
  const whole = name === 'default' || name === '*';
  switch (module) {
    case 'undici':
      if (name === 'fetch') return fetchSlots();
      if (name === 'request' || name === 'stream') return [options(1, 1)];
      return undefined;
    case 'axios':
      if (whole) return axiosSlots(undefined, call);
      return member ? axiosSlots(name, call) : undefined;
    case 'got':
    case 'ky':
      if (whole) return urlOrOptionsSlots(call);
      return member && GOT_METHODS.has(name) ? [options(1, 1)] : undefined;
    case 'timers/promises':
      if (name === 'setTimeout' || name === 'setInterval') return [options(2, 0)];
      if (name === 'setImmediate') return [options(1, 0)];
      return undefined;
    case 'events':
      return name === 'once' || name === 'on' ? [options(2, 2)] : undefined;
    case 'child_process':
      if (name === 'exec') return [options(1, 1, { callbackAfter: true })];
      if (name === 'execFile') return [options(1, 1, { callbackAfter: true }), options(2, 2, { callbackAfter: true })];
      if (name === 'spawn' || name === 'fork') return [options(1, 1), options(2, 2)];
      return undefined;
    case 'fs/promises':
      if (name === 'readFile') return [options(1, 1, { encoding: true })];
      if (name === 'writeFile') return [options(2, 2, { encoding: true })];
      return undefined;
    case 'fs':
      // The callback forms take a signal too: `fs.readFile(p, { signal }, cb)`.
      if (name === 'readFile') return [options(1, 1, { encoding: true, callbackAfter: true })];
      if (name === 'writeFile') return [options(2, 2, { encoding: true, callbackAfter: true })];
      return undefined;
    default:
      if (FETCH_MODULES.has(module) && (whole || name === 'fetch')) return fetchSlots();
      return undefined;
  }
}

function fetchSlots(): SignalSlot[] {
  return [options(1, 1)];
}

/** `axios(config)` / `axios(url, config)`, `axios.get(url, config)`, `axios.post(url, data, config)`. */
function axiosSlots(method: string | undefined, call: ts.CallExpression): SignalSlot[] | undefined {
  if (method === undefined) return urlOrOptionsSlots(call);
  if (method === 'request') return [options(0, 0)];
  if (AXIOS_URL_CONFIG.has(method)) return [options(1, 1)];
  if (AXIOS_URL_DATA_CONFIG.has(method)) return [options(2, 1)];
  return undefined;
}

/** `got(options)` or `got(url, options)`: an object first argument is the options. */
function urlOrOptionsSlots(call: ts.CallExpression): SignalSlot[] {
  const first = call.arguments[0];
  return first && ts.isObjectLiteralExpression(skipOuter(first)) ? [options(0, 0)] : [options(1, 1)];
}

/** `promisify(exec)`, `util.promisify(setTimeout)`: the promise form takes the same options, no callback. */
function promisifiedSlots(init: ts.CallExpression, call: ts.CallExpression, env: SignalEnv): SignalSlot[] | undefined {
  const promisify = importOf(env.imports, init.expression);
  if (promisify?.module !== 'util' || promisify.name !== 'promisify' || init.arguments.length !== 1) return undefined;
  const inner = skipOuter(init.arguments[0]);
  if (ts.isIdentifier(inner) && inner.text === 'setTimeout' && !env.imports.get('setTimeout') && !env.declarations.lookup('setTimeout', inner)) {
    return [options(2, 0)];
  }
  const slots = slotsFor(inner, call, env, 1);
  return slots?.map(({ callbackAfter: _dropped, ...slot }) => slot);
}

/** Parameters written `{ signal }` (a local helper that clearly takes the request's signal in its options). */
export function destructuredSignalSlots(fn: ts.SignatureDeclaration): SignalSlot[] | undefined {
  const slots: SignalSlot[] = [];
  fn.parameters.forEach((parameter, index) => {
    if (!ts.isObjectBindingPattern(parameter.name)) return;
    for (const element of parameter.name.elements) {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) || (key.text !== 'signal' && key.text !== 'abortSignal')) continue;
      const required = fn.parameters.slice(0, index).filter((p) => !p.initializer && !p.questionToken && !p.dotDotDotToken).length;
      slots.push({ index, required, property: key.text });
    }
  });
  return slots.length > 0 ? slots : undefined;
}

// Instances of clients are recognised from their package's import: a file importing none has none.
function importsHttpClient(env: SignalEnv): boolean {
  return env.imports.importsModule('axios') || env.imports.importsModule('got') || env.imports.importsModule('ky');
}

function importsAwsSdk(env: SignalEnv): boolean {
  for (const module of env.imports.modules) if (module.startsWith('@aws-sdk/')) return true;
  return false;
}

function importsAiSdk(env: SignalEnv): boolean {
  for (const module of AI_SDK_MODULES) if (env.imports.importsModule(module)) return true;
  return false;
}

/** `axios.create(...)`, `got.extend(...)`, `ky.create(...)`: an instance of the HTTP client with the same methods. */
function clientInstanceOf(init: ts.CallExpression, env: SignalEnv): 'axios' | 'got' | 'ky' | undefined {
  const callee = skipOuter(init.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(create|extend)$/.test(callee.name.text)) return undefined;
  const base = skipOuter(callee.expression);
  if (!ts.isIdentifier(base)) return undefined;
  const binding = env.imports.get(base.text);
  if (!binding || (binding.name !== 'default' && binding.name !== '*')) return undefined;
  return binding.module === 'axios' || binding.module === 'got' || binding.module === 'ky' ? binding.module : undefined;
}

/** `client.send(new GetObjectCommand(...))` with the client or the command from `@aws-sdk/*`. */
function isAwsSend(receiver: ts.Expression, call: ts.CallExpression, env: SignalEnv): boolean {
  const first = call.arguments[0];
  if (!first) return false;
  const fromAws = (expression: ts.Expression | undefined): boolean => {
    const target = expression && skipOuter(expression);
    if (!target) return false;
    if (ts.isNewExpression(target)) return !!importOf(env.imports, target.expression)?.module.startsWith('@aws-sdk/');
    if (ts.isIdentifier(target)) return fromAws(localInitializer(target, env));
    return false;
  };
  return fromAws(first) || fromAws(receiver);
}

/** `openai.chat.completions.create(...)`: a resource method reached from `new OpenAI()`. */
function isAiSdkChain(receiver: ts.Expression, env: SignalEnv): boolean {
  let root = skipOuter(receiver);
  let depth = 0;
  while (ts.isPropertyAccessExpression(root)) {
    root = skipOuter(root.expression);
    depth++;
  }
  if (depth < 1 || !ts.isIdentifier(root)) return false;
  const init = localInitializer(root, env);
  if (!init || !ts.isNewExpression(init)) return false;
  const module = importOf(env.imports, init.expression)?.module;
  return !!module && AI_SDK_MODULES.has(module);
}

function localInitializer(identifier: ts.Identifier, env: SignalEnv): ts.Expression | undefined {
  const declaration = env.declarations.lookup(identifier.text, identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  return skipOuter(declaration.initializer);
}

/** An identifier that names the import itself, not a local variable shadowing it. */
function isImportedHere(expression: ts.Expression, env: SignalEnv): boolean {
  const target = skipOuter(expression);
  if (!ts.isIdentifier(target)) return true;
  const declaration = env.declarations.lookup(target.text, target);
  return !declaration || isModuleLevel(declaration);
}

/** `const { exec } = require('child_process')` is a declaration at module level: still the import. */
function isModuleLevel(declaration: ts.Declaration): boolean {
  let node: ts.Node = declaration;
  while (node.parent && !ts.isSourceFile(node.parent)) {
    if (ts.isFunctionLike(node.parent) || ts.isBlock(node.parent)) return false;
    node = node.parent;
  }
  return true;
}
