// pooled-object-not-reset (RULES.md §3.2): an object given back to an object pool still carrying
// changes. Cases cover user-defined pools, free lists of buffers/arrays/maps/sets/typed arrays and
// objects, generic-pool and tarn factories, in handlers and plain functions, typed and untyped.
import { ruleTester } from '../support/ruleTester';

ruleTester("pooled-object-not-reset", {
  valid: [
    {
      name: "a helper that resets the object it is given counts as a reset",
      code: `class Draft {
  customerId = '';
  lines: string[] = [];
}

class DraftPool {
  private readonly free: Draft[] = [];
  obtain(): Draft {
    return this.free.pop() ?? new Draft();
  }
  recycle(draft: Draft): void {
    this.free.push(draft);
  }
}

const drafts = new DraftPool();

function fill(draft: Draft, customerId: string, skus: string[]): void {
  draft.customerId = customerId;
  for (const sku of skus) addLine(draft, sku);
}

function addLine(target: Draft, sku: string): void {
  target.lines.push(sku);
}

function clean(d: Draft): void {
  d.customerId = '';
  d.lines.length = 0;
}

export function count(customerId: string, skus: string[]): number {
  const draft = drafts.obtain();
  fill(draft, customerId, skus);
  const n = draft.lines.length;
  clean(draft);
  drafts.recycle(draft);
  return n;
}
`,
    },
    {
      name: "a counter the object keeps about its own use is not left-over state",
      code: `import { createPool } from 'generic-pool';

class Renderer {
  rendered = 0;
  async render(view: string): Promise<string> {
    this.rendered += 1;
    return view;
  }
}

const renderers = createPool({ create: async () => new Renderer(), destroy: async () => {} }, { max: 2 });

export async function page(view: string) {
  const renderer = await renderers.acquire();
  try {
    return await renderer.render(view);
  } finally {
    await renderers.release(renderer);
  }
}
`,
    },
    {
      name: "reset() before the give-back",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function quote(prices: number[]): number {
  const calc = calculators.acquire();
  for (const cents of prices) calc.add(cents);
  const total = calc.total();
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
    },
    {
      name: "the pool resets on give-back",
      code: `class Row {
  cells: string[] = [];
  clear() {
    this.cells.length = 0;
  }
}

class RowPool {
  private spare: Row[] = [];
  take(): Row {
    return this.spare.pop() ?? new Row();
  }
  giveBack(row: Row): void {
    row.clear();
    this.spare.push(row);
  }
}

const rows = new RowPool();

export function render(values: string[]): string {
  const row = rows.take();
  for (const value of values) row.cells.push(value);
  const html = row.cells.join('');
  rows.giveBack(row);
  return html;
}
`,
    },
    {
      name: "the pool resets what it hands out",
      code: `class Ctx {
  user: string | null = null;
  reset() {
    this.user = null;
  }
}

class CtxPool {
  private free: Ctx[] = [];
  get(): Ctx {
    const ctx = this.free.pop() ?? new Ctx();
    ctx.reset();
    return ctx;
  }
  put(ctx: Ctx): void {
    this.free.push(ctx);
  }
}

const contexts = new CtxPool();

export function handle(user: string): string {
  const ctx = contexts.get();
  ctx.user = user;
  const out = \`hello \${ctx.user}\`;
  contexts.put(ctx);
  return out;
}
`,
    },
    {
      name: "free list: buffer zeroed before the push back",
      code: `const spare: Buffer[] = [];

export function checksum(text: string): number {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const written = buf.write(text);
  let sum = 0;
  for (let i = 0; i < written; i++) sum = (sum + buf[i]) % 65521;
  buf.fill(0);
  spare.push(buf);
  return sum;
}
`,
    },
    {
      name: "free list of arrays emptied with length = 0",
      code: `const scratchArrays: string[][] = [];

export function joinWords(words: string[]): string {
  const list = scratchArrays.pop() ?? [];
  for (const word of words) if (word) list.push(word.trim());
  const joined = list.join(' ');
  list.length = 0;
  scratchArrays.push(list);
  return joined;
}
`,
    },
    {
      name: "free list of maps cleared",
      code: `const maps: Map<string, number>[] = [];

export function countWords(text: string): number {
  const counts = maps.pop() ?? new Map<string, number>();
  for (const word of text.split(' ')) counts.set(word, (counts.get(word) ?? 0) + 1);
  const distinct = counts.size;
  counts.clear();
  maps.push(counts);
  return distinct;
}
`,
    },
    {
      name: "every changed property restored to its initial value",
      code: `class Cursor {
  offset = 0;
  label: string | null = null;
}

class CursorPool {
  private idle: Cursor[] = [];
  acquire(): Cursor {
    return this.idle.pop() ?? new Cursor();
  }
  release(cursor: Cursor): void {
    this.idle.push(cursor);
  }
}

const cursors = new CursorPool();

export function scan(text: string): number {
  const cursor = cursors.acquire();
  cursor.offset = text.indexOf('x');
  cursor.label = 'scan';
  const found = cursor.offset;
  cursor.offset = 0;
  cursor.label = null;
  cursors.release(cursor);
  return found;
}
`,
    },
    {
      name: "only read, never changed",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function empty(): number {
  const calc = calculators.acquire();
  const total = calc.total();
  calculators.release(calc);
  return total;
}
`,
    },
    {
      name: "generic-pool: the factory validate hook resets",
      code: `import genericPool from 'generic-pool';

interface Session {
  user: string | null;
  reset(): void;
}

const sessions = genericPool.createPool<Session>(
  {
    create: async () => ({ user: null, reset() { this.user = null; } }),
    destroy: async () => {},
    validate: async (session) => {
      session.reset();
      return true;
    },
  },
  { testOnReturn: true },
);

export async function greet(user: string): Promise<string> {
  const session = await sessions.acquire();
  session.user = user;
  const text = \`hi \${session.user}\`;
  await sessions.release(session);
  return text;
}
`,
    },
    {
      name: "generic-pool: dirty objects are destroyed, not reused",
      code: `import genericPool from 'generic-pool';

const parsers = genericPool.createPool({ create: async () => ({ depth: 0 }), destroy: async () => {} });

export async function parse(text: string): Promise<number> {
  const parser = await parsers.acquire();
  parser.depth = text.length;
  const depth = parser.depth;
  await parsers.destroy(parser);
  return depth;
}
`,
    },
    {
      name: "a pg client is not an object pool element",
      code: `import { Pool } from 'pg';

const pool = new Pool();

export async function tagged(): Promise<void> {
  const client = await pool.connect();
  try {
    (client as unknown as { tag: string }).tag = 'report';
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}
`,
    },
    {
      name: "JS (untyped): free list zeroed in finally",
      fileName: "hash.js",
      untyped: true,
      code: `const free = [];

async function hashStream(stream) {
  const buf = free.pop() || Buffer.alloc(65536);
  try {
    let offset = 0;
    for await (const chunk of stream) offset += chunk.copy(buf, offset);
    return buf.toString('base64', 0, offset);
  } finally {
    buf.fill(0);
    free.push(buf);
  }
}

module.exports = { hashStream };
`,
    },
    {
      name: "splice(0) empties an array",
      code: `const lists: number[][] = [];

export function sum(values: number[]): number {
  const list = lists.pop() ?? [];
  list.push(...values);
  const total = list.reduce((a, b) => a + b, 0);
  list.splice(0);
  lists.push(list);
  return total;
}
`,
    },
    {
      name: "the pool is given a reset function it calls on give-back",
      code: `class Pool<T> {
  private items: T[] = [];
  constructor(private readonly create: () => T, private readonly resetItem: (item: T) => void) {}
  acquire(): T {
    return this.items.pop() ?? this.create();
  }
  release(item: T): void {
    this.resetItem(item);
    this.items.push(item);
  }
}

const vectors = new Pool(() => ({ x: 0, y: 0 }), (v) => {
  v.x = 0;
  v.y = 0;
});

export function length(x: number, y: number): number {
  const v = vectors.acquire();
  v.x = x;
  v.y = y;
  const len = Math.hypot(v.x, v.y);
  vectors.release(v);
  return len;
}
`,
    },
    {
      name: "objects created fresh and pushed (pre-warming) are not given back dirty",
      code: `const spare: Buffer[] = [];

export function prewarm(count: number): void {
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(1024);
    buf.fill(1);
    spare.push(buf);
  }
}

export function take(): Buffer {
  return spare.pop() ?? Buffer.alloc(1024);
}
`,
    },
    {
      name: "changes after the give-back belong to another rule",
      code: `class Node {
  value = 0;
}

class NodePool {
  private free: Node[] = [];
  acquire(): Node {
    return this.free.pop() ?? new Node();
  }
  release(node: Node): void {
    this.free.push(node);
  }
}

const nodes = new NodePool();

export function peek(): number {
  const node = nodes.acquire();
  nodes.release(node);
  node.value = 1;
  return node.value;
}
`,
    },
    {
      name: "typed array free list zeroed",
      code: `const vectors: Float64Array[] = [];

export function dot(a: number[], b: number[]): number {
  const tmp = vectors.pop() ?? new Float64Array(16);
  for (let i = 0; i < a.length; i++) tmp[i] = a[i] * b[i];
  const result = tmp.reduce((x, y) => x + y, 0);
  tmp.fill(0);
  vectors.push(tmp);
  return result;
}
`,
    },
    {
      name: "tarn: validate resets returned objects",
      code: `import { Pool } from 'tarn';

const pool = new Pool({
  create: () => ({ items: [] as number[] }),
  destroy: () => {},
  validate: (resource) => {
    resource.items.length = 0;
    return true;
  },
  min: 0,
  max: 4,
});

export async function total(values: number[]): Promise<number> {
  const bag = await pool.acquire().promise;
  bag.items.push(...values);
  const sum = bag.items.reduce((a, b) => a + b, 0);
  pool.release(bag);
  return sum;
}
`,
    },
    {
      name: "reset on every branch",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function maybeQuote(prices: number[], dryRun: boolean): number {
  const calc = calculators.acquire();
  prices.forEach((p) => calc.add(p));
  const total = calc.total();
  if (dryRun) {
    calc.reset();
  } else {
    calc.reset();
  }
  calculators.release(calc);
  return total;
}
`,
    },
    {
      name: "null restores a property whose initial value is undefined",
      code: `class Job {
  owner: string | null | undefined = undefined;
}

class JobPool {
  private idle: Job[] = [];
  acquire(): Job {
    return this.idle.pop() ?? new Job();
  }
  release(job: Job): void {
    this.idle.push(job);
  }
}

const jobs = new JobPool();

export function run(owner: string): string {
  const job = jobs.acquire();
  job.owner = owner;
  const out = String(job.owner);
  job.owner = null;
  jobs.release(job);
  return out;
}
`,
    },
    {
      name: "loop: each object reset before it goes back",
      code: `const spare: Buffer[] = [];

export function encodeAll(items: string[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    const buf = spare.pop() ?? Buffer.alloc(256);
    const n = buf.write(item);
    out.push(buf.toString('hex', 0, n));
    buf.fill(0);
    spare.push(buf);
  }
  return out;
}
`,
    },
    {
      name: "Express handler: reset in finally",
      code: `import express from 'express';

class Template {
  slots: Record<string, string> = {};
  reset() {
    this.slots = {};
  }
  render() {
    return JSON.stringify(this.slots);
  }
}

class TemplatePool {
  private free: Template[] = [];
  borrow(): Template {
    return this.free.pop() ?? new Template();
  }
  recycle(template: Template): void {
    this.free.push(template);
  }
}

const templates = new TemplatePool();
const app = express();

app.get('/page', (req, res) => {
  const template = templates.borrow();
  try {
    template.slots.title = String(req.query.title ?? '');
    res.send(template.render());
  } finally {
    template.reset();
    templates.recycle(template);
  }
});
`,
    },
    {
      name: "a set cleared before it goes back",
      code: `const sets: Set<string>[] = [];

export function unique(words: string[]): number {
  const seen = sets.pop() ?? new Set<string>();
  for (const word of words) seen.add(word);
  const size = seen.size;
  seen.clear();
  sets.push(seen);
  return size;
}
`,
    },
    {
      name: "a helper gives back a parameter it does not change",
      code: `const spare: Buffer[] = [];

function recycle(buf: Buffer): void {
  spare.push(buf);
}

export function take(): Buffer {
  return spare.pop() ?? Buffer.alloc(64);
}

export function done(buf: Buffer): void {
  buf.fill(0);
  recycle(buf);
}
`,
    },
    {
      name: "Koa: object restored with its own reinit method",
      code: `import Koa from 'koa';

class Timer {
  startedAt = 0;
  reinit() {
    this.startedAt = 0;
  }
}

class TimerPool {
  private free: Timer[] = [];
  obtain(): Timer {
    return this.free.pop() ?? new Timer();
  }
  free_(timer: Timer) {
    this.free.push(timer);
  }
  release(timer: Timer) {
    this.free.push(timer);
  }
}

const timers = new TimerPool();
const app = new Koa();

app.use(async (ctx, next) => {
  const timer = timers.obtain();
  timer.startedAt = Date.now();
  try {
    await next();
  } finally {
    ctx.set('x-time', String(Date.now() - timer.startedAt));
    timer.reinit();
    timers.release(timer);
  }
});
`,
    },
    {
      name: "generic-pool of clients: calling their methods is not changing the pooled object",
      code: `import genericPool from 'generic-pool';
import { createClient } from './redis';

const clients = genericPool.createPool({ create: async () => createClient(), destroy: async (c) => c.quit() }, { max: 8 });

export async function remember(key: string, value: string): Promise<void> {
  const client = await clients.acquire();
  try {
    await client.set(key, value);
    await client.write(key);
  } finally {
    await clients.release(client);
  }
}
`,
    },
  ],
  invalid: [
    {
      name: "changed only inside helper functions it is passed to (two calls deep)",
      code: `class Draft {
  customerId = '';
  lines: string[] = [];
}

class DraftPool {
  private readonly free: Draft[] = [];
  obtain(): Draft {
    return this.free.pop() ?? new Draft();
  }
  recycle(draft: Draft): void {
    this.free.push(draft);
  }
}

const drafts = new DraftPool();

function fill(draft: Draft, customerId: string, skus: string[]): void {
  draft.customerId = customerId;
  for (const sku of skus) addLine(draft, sku);
}

function addLine(target: Draft, sku: string): void {
  target.lines.push(sku);
}

export function count(customerId: string, skus: string[]): number {
  const draft = drafts.obtain();
  fill(draft, customerId, skus);
  const n = draft.lines.length;
  drafts.recycle(draft);
  return n;
}
`,
      errors: [
        {
          line: 31, column: 3, endLine: 31, endColumn: 24,
          message: /changes made at line 29/,
          fixes: [{ title: "Reset the object before returning it to the pool", output: `class Draft {
  customerId = '';
  lines: string[] = [];
}

class DraftPool {
  private readonly free: Draft[] = [];
  obtain(): Draft {
    return this.free.pop() ?? new Draft();
  }
  recycle(draft: Draft): void {
    this.free.push(draft);
  }
}

const drafts = new DraftPool();

function fill(draft: Draft, customerId: string, skus: string[]): void {
  draft.customerId = customerId;
  for (const sku of skus) addLine(draft, sku);
}

function addLine(target: Draft, sku: string): void {
  target.lines.push(sku);
}

export function count(customerId: string, skus: string[]): number {
  const draft = drafts.obtain();
  fill(draft, customerId, skus);
  const n = draft.lines.length;
  draft.customerId = '';
  draft.lines.length = 0;
  drafts.recycle(draft);
  return n;
}
` }],
        },
      ],
    },
    {
      name: "class changed through its own method, given back without reset()",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function quote(prices: number[]): number {
  const calc = calculators.acquire();
  for (const cents of prices) calc.add(cents);
  const total = calc.total();
  calculators.release(calc);
  return total;
}
`,
      errors: [
        {
          line: 42,
          column: 3,
          endLine: 42,
          endColumn: 28,
          message: "`calc` goes back to the pool still carrying the changes made at line 40, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function quote(prices: number[]): number {
  const calc = calculators.acquire();
  for (const cents of prices) calc.add(cents);
  const total = calc.total();
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "free list: buffer written, pushed back without zeroing",
      code: `const spare: Buffer[] = [];

export function toHex(text: string): string {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const written = buf.write(text);
  const hex = buf.toString('hex', 0, written);
  spare.push(buf);
  return hex;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 18,
          message: "`buf` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const spare: Buffer[] = [];

export function toHex(text: string): string {
  const buf = spare.pop() ?? Buffer.alloc(4096);
  const written = buf.write(text);
  const hex = buf.toString('hex', 0, written);
  buf.fill(0);
  spare.push(buf);
  return hex;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "free list of arrays",
      code: `const pool: number[][] = [];

export function squares(n: number): number {
  const list = pool.pop() ?? [];
  for (let i = 0; i < n; i++) list.push(i * i);
  const last = list[list.length - 1];
  pool.push(list);
  return last;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 18,
          message: "`list` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const pool: number[][] = [];

export function squares(n: number): number {
  const list = pool.pop() ?? [];
  for (let i = 0; i < n; i++) list.push(i * i);
  const last = list[list.length - 1];
  list.length = 0;
  pool.push(list);
  return last;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "free list of maps",
      code: `const maps: Map<string, number>[] = [];

export function tally(words: string[]): number {
  const counts = maps.pop() ?? new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const size = counts.size;
  maps.push(counts);
  return size;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 20,
          message: "`counts` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const maps: Map<string, number>[] = [];

export function tally(words: string[]): number {
  const counts = maps.pop() ?? new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const size = counts.size;
  counts.clear();
  maps.push(counts);
  return size;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "object literal elements: properties restored from the factory",
      code: `interface Scratch {
  user: string | null;
  attempts: number;
}

const spare: Scratch[] = [];

function fresh(): Scratch {
  return { user: null, attempts: 0 };
}

export function login(user: string): number {
  const scratch = spare.pop() ?? fresh();
  scratch.user = user;
  scratch.attempts++;
  const attempts = scratch.attempts;
  spare.push(scratch);
  return attempts;
}
`,
      errors: [
        {
          line: 17,
          column: 3,
          endLine: 17,
          endColumn: 22,
          message: "`scratch` goes back to the pool still carrying the changes made at line 14, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `interface Scratch {
  user: string | null;
  attempts: number;
}

const spare: Scratch[] = [];

function fresh(): Scratch {
  return { user: null, attempts: 0 };
}

export function login(user: string): number {
  const scratch = spare.pop() ?? fresh();
  scratch.user = user;
  scratch.attempts++;
  const attempts = scratch.attempts;
  scratch.user = null;
  scratch.attempts = 0;
  spare.push(scratch);
  return attempts;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "class without a reset method: properties restored from field initialisers",
      code: `const DEFAULT_CURRENCY = 'EUR';

class Money {
  cents = 0;
  currency = DEFAULT_CURRENCY;
}

class MoneyPool {
  private idle: Money[] = [];
  acquire(): Money {
    return this.idle.pop() ?? new Money();
  }
  release(money: Money): void {
    this.idle.push(money);
  }
}

const money = new MoneyPool();

export function format(cents: number, currency: string): string {
  const m = money.acquire();
  m.cents = cents;
  m.currency = currency;
  const text = \`\${(m.cents / 100).toFixed(2)} \${m.currency}\`;
  money.release(m);
  return text;
}
`,
      errors: [
        {
          line: 25,
          column: 3,
          endLine: 25,
          endColumn: 19,
          message: "`m` goes back to the pool still carrying the changes made at line 22, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_CURRENCY = 'EUR';

class Money {
  cents = 0;
  currency = DEFAULT_CURRENCY;
}

class MoneyPool {
  private idle: Money[] = [];
  acquire(): Money {
    return this.idle.pop() ?? new Money();
  }
  release(money: Money): void {
    this.idle.push(money);
  }
}

const money = new MoneyPool();

export function format(cents: number, currency: string): string {
  const m = money.acquire();
  m.cents = cents;
  m.currency = currency;
  const text = \`\${(m.cents / 100).toFixed(2)} \${m.currency}\`;
  m.cents = 0;
  m.currency = DEFAULT_CURRENCY;
  money.release(m);
  return text;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "generic-pool: counter left behind",
      code: `import genericPool from 'generic-pool';

const workers = genericPool.createPool({ create: async () => ({ jobs: 0, lastJob: '' }), destroy: async () => {} }, { max: 4 });

export async function run(job: string): Promise<number> {
  const worker = await workers.acquire();
  worker.jobs++;
  worker.lastJob = job;
  const count = worker.jobs;
  await workers.release(worker);
  return count;
}
`,
      errors: [
        {
          line: 10,
          column: 9,
          endLine: 10,
          endColumn: 32,
          message: "`worker` goes back to the pool still carrying the changes made at line 7, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import genericPool from 'generic-pool';

const workers = genericPool.createPool({ create: async () => ({ jobs: 0, lastJob: '' }), destroy: async () => {} }, { max: 4 });

export async function run(job: string): Promise<number> {
  const worker = await workers.acquire();
  worker.jobs++;
  worker.lastJob = job;
  const count = worker.jobs;
  worker.jobs = 0;
  worker.lastJob = '';
  await workers.release(worker);
  return count;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "tarn: array contents left behind",
      code: `import { Pool } from 'tarn';

const bags = new Pool({ create: () => ({ items: [] as number[] }), destroy: () => {}, min: 0, max: 4 });

export async function total(values: number[]): Promise<number> {
  const bag = await bags.acquire().promise;
  try {
    bag.items.push(...values);
    return bag.items.reduce((a, b) => a + b, 0);
  } finally {
    bags.release(bag);
  }
}
`,
      errors: [
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 22,
          message: "`bag` goes back to the pool still carrying the changes made at line 8, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import { Pool } from 'tarn';

const bags = new Pool({ create: () => ({ items: [] as number[] }), destroy: () => {}, min: 0, max: 4 });

export async function total(values: number[]): Promise<number> {
  const bag = await bags.acquire().promise;
  try {
    bag.items.push(...values);
    return bag.items.reduce((a, b) => a + b, 0);
  } finally {
    bag.items.length = 0;
    bags.release(bag);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "give-back in finally after changes in try",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export async function quoteAsync(prices: () => Promise<number[]>): Promise<number> {
  const calc = calculators.acquire();
  try {
    for (const cents of await prices()) calc.add(cents);
    return calc.total();
  } finally {
    calculators.release(calc);
  }
}
`,
      errors: [
        {
          line: 44,
          column: 5,
          endLine: 44,
          endColumn: 30,
          message: "`calc` goes back to the pool still carrying the changes made at line 41, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export async function quoteAsync(prices: () => Promise<number[]>): Promise<number> {
  const calc = calculators.acquire();
  try {
    for (const cents of await prices()) calc.add(cents);
    return calc.total();
  } finally {
    calc.reset();
    calculators.release(calc);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "reset on one branch only",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function maybeQuote(prices: number[], keep: boolean): number {
  const calc = calculators.acquire();
  prices.forEach((p) => calc.add(p));
  const total = calc.total();
  if (!keep) {
    calc.reset();
  }
  calculators.release(calc);
  return total;
}
`,
      errors: [
        {
          line: 45,
          column: 3,
          endLine: 45,
          endColumn: 28,
          message: "`calc` goes back to the pool still carrying the changes made at line 40, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function maybeQuote(prices: number[], keep: boolean): number {
  const calc = calculators.acquire();
  prices.forEach((p) => calc.add(p));
  const total = calc.total();
  if (!keep) {
    calc.reset();
  }
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "changed again after a reset",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function twice(a: number, b: number): number {
  const calc = calculators.acquire();
  calc.add(a);
  calc.reset();
  calc.add(b);
  const total = calc.total();
  calculators.release(calc);
  return total;
}
`,
      errors: [
        {
          line: 44,
          column: 3,
          endLine: 44,
          endColumn: 28,
          message: "`calc` goes back to the pool still carrying the changes made at line 40, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function twice(a: number, b: number): number {
  const calc = calculators.acquire();
  calc.add(a);
  calc.reset();
  calc.add(b);
  const total = calc.total();
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "reset and changed again in the statement right before the give-back",
      code: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function twice(a: number, b: number): number {
  const calc = calculators.acquire();
  calc.add(a);
  const total = calc.total();
  calc.reset(), calc.add(b);
  calculators.release(calc);
  return total;
}
`,
      errors: [
        {
          line: 43,
          column: 3,
          endLine: 43,
          endColumn: 28,
          message: "`calc` goes back to the pool still carrying the changes made at line 40, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const DEFAULT_VAT_RATE = 0.2;

export class PriceCalculator {
  lines: number[] = [];
  couponCode: string | undefined = undefined;
  vatRate = DEFAULT_VAT_RATE;

  add(cents: number): this {
    this.lines.push(cents);
    return this;
  }

  total(): number {
    return Math.round(this.lines.reduce((a, b) => a + b, 0) * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

const calculators = new PriceCalculatorPool();

export function twice(a: number, b: number): number {
  const calc = calculators.acquire();
  calc.add(a);
  const total = calc.total();
  calc.reset(), calc.add(b);
  calc.reset();
  calculators.release(calc);
  return total;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "JS (untyped): user-defined pool",
      fileName: "pool.js",
      untyped: true,
      code: `class Encoder {
  constructor() {
    this.parts = [];
  }
  reset() {
    this.parts = [];
  }
}

class EncoderPool {
  constructor() {
    this.free = [];
  }
  acquire() {
    return this.free.pop() || new Encoder();
  }
  release(encoder) {
    this.free.push(encoder);
  }
}

const encoders = new EncoderPool();

function encode(values) {
  const encoder = encoders.acquire();
  for (const value of values) encoder.parts.push(String(value));
  const out = encoder.parts.join(',');
  encoders.release(encoder);
  return out;
}

module.exports = { encode };
`,
      errors: [
        {
          line: 28,
          column: 3,
          endLine: 28,
          endColumn: 28,
          message: "`encoder` goes back to the pool still carrying the changes made at line 26, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `class Encoder {
  constructor() {
    this.parts = [];
  }
  reset() {
    this.parts = [];
  }
}

class EncoderPool {
  constructor() {
    this.free = [];
  }
  acquire() {
    return this.free.pop() || new Encoder();
  }
  release(encoder) {
    this.free.push(encoder);
  }
}

const encoders = new EncoderPool();

function encode(values) {
  const encoder = encoders.acquire();
  for (const value of values) encoder.parts.push(String(value));
  const out = encoder.parts.join(',');
  encoder.reset();
  encoders.release(encoder);
  return out;
}

module.exports = { encode };
`,
            },
          ],
        },
      ],
    },
    {
      name: "Express handler with a user-defined pool",
      code: `import express from 'express';

class Template {
  slots: Record<string, string> = {};
  reset() {
    this.slots = {};
  }
  render() {
    return JSON.stringify(this.slots);
  }
}

class TemplatePool {
  private free: Template[] = [];
  borrow(): Template {
    return this.free.pop() ?? new Template();
  }
  recycle(template: Template): void {
    this.free.push(template);
  }
}

const templates = new TemplatePool();
const app = express();

app.get('/page', (req, res) => {
  const template = templates.borrow();
  template.slots.title = String(req.query.title ?? '');
  res.send(template.render());
  templates.recycle(template);
});
`,
      errors: [
        {
          line: 30,
          column: 3,
          endLine: 30,
          endColumn: 30,
          message: "`template` goes back to the pool still carrying the changes made at line 28, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import express from 'express';

class Template {
  slots: Record<string, string> = {};
  reset() {
    this.slots = {};
  }
  render() {
    return JSON.stringify(this.slots);
  }
}

class TemplatePool {
  private free: Template[] = [];
  borrow(): Template {
    return this.free.pop() ?? new Template();
  }
  recycle(template: Template): void {
    this.free.push(template);
  }
}

const templates = new TemplatePool();
const app = express();

app.get('/page', (req, res) => {
  const template = templates.borrow();
  template.slots.title = String(req.query.title ?? '');
  res.send(template.render());
  template.reset();
  templates.recycle(template);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Fastify handler with a free list",
      code: `import Fastify from 'fastify';

const fastify = Fastify();
const spare: Buffer[] = [];

fastify.post('/echo', async (request, reply) => {
  const buf = spare.pop() ?? Buffer.alloc(1024);
  const n = buf.write(String(request.body));
  const text = buf.toString('utf8', 0, n);
  spare.push(buf);
  return reply.send(text);
});
`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 18,
          message: "`buf` goes back to the pool still carrying the changes made at line 8, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import Fastify from 'fastify';

const fastify = Fastify();
const spare: Buffer[] = [];

fastify.post('/echo', async (request, reply) => {
  const buf = spare.pop() ?? Buffer.alloc(1024);
  const n = buf.write(String(request.body));
  const text = buf.toString('utf8', 0, n);
  buf.fill(0);
  spare.push(buf);
  return reply.send(text);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "given back in a response listener",
      code: `import express from 'express';

class Ctx {
  user = '';
}

class CtxPool {
  private free: Ctx[] = [];
  acquire(): Ctx {
    return this.free.pop() ?? new Ctx();
  }
  release(ctx: Ctx): void {
    this.free.push(ctx);
  }
}

const contexts = new CtxPool();
const app = express();

app.use((req, res, next) => {
  const ctx = contexts.acquire();
  ctx.user = String(req.headers['x-user'] ?? '');
  res.locals.ctx = ctx;
  res.on('finish', () => {
    contexts.release(ctx);
  });
  next();
});
`,
      errors: [
        {
          line: 25,
          column: 5,
          endLine: 25,
          endColumn: 26,
          message: "`ctx` goes back to the pool still carrying the changes made at line 22, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import express from 'express';

class Ctx {
  user = '';
}

class CtxPool {
  private free: Ctx[] = [];
  acquire(): Ctx {
    return this.free.pop() ?? new Ctx();
  }
  release(ctx: Ctx): void {
    this.free.push(ctx);
  }
}

const contexts = new CtxPool();
const app = express();

app.use((req, res, next) => {
  const ctx = contexts.acquire();
  ctx.user = String(req.headers['x-user'] ?? '');
  res.locals.ctx = ctx;
  res.on('finish', () => {
    ctx.user = '';
    contexts.release(ctx);
  });
  next();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a helper changes its parameter and gives it back",
      code: `const spare: Buffer[] = [];

export function take(): Buffer {
  return spare.pop() ?? Buffer.alloc(64);
}

export function stamp(buf: Buffer, id: number): void {
  buf.writeUInt32LE(id, 0);
  spare.push(buf);
}
`,
      errors: [
        {
          line: 9,
          column: 3,
          endLine: 9,
          endColumn: 18,
          message: "`buf` goes back to the pool still carrying the changes made at line 8, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const spare: Buffer[] = [];

export function take(): Buffer {
  return spare.pop() ?? Buffer.alloc(64);
}

export function stamp(buf: Buffer, id: number): void {
  buf.writeUInt32LE(id, 0);
  buf.fill(0);
  spare.push(buf);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "typed array element changed by index",
      code: `const vectors: Float64Array[] = [];

export function dot(a: number[], b: number[]): number {
  const tmp = vectors.pop() ?? new Float64Array(16);
  for (let i = 0; i < a.length; i++) tmp[i] = a[i] * b[i];
  const result = tmp.reduce((x, y) => x + y, 0);
  vectors.push(tmp);
  return result;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 20,
          message: "`tmp` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const vectors: Float64Array[] = [];

export function dot(a: number[], b: number[]): number {
  const tmp = vectors.pop() ?? new Float64Array(16);
  for (let i = 0; i < a.length; i++) tmp[i] = a[i] * b[i];
  const result = tmp.reduce((x, y) => x + y, 0);
  tmp.fill(0);
  vectors.push(tmp);
  return result;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a set",
      code: `const sets: Set<string>[] = [];

export function unique(words: string[]): number {
  const seen = sets.pop() ?? new Set<string>();
  for (const word of words) seen.add(word);
  const size = seen.size;
  sets.push(seen);
  return size;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 18,
          message: "`seen` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const sets: Set<string>[] = [];

export function unique(words: string[]): number {
  const seen = sets.pop() ?? new Set<string>();
  for (const word of words) seen.add(word);
  const size = seen.size;
  seen.clear();
  sets.push(seen);
  return size;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "no fix: a computed key on a plain object with no reset method",
      code: `const bags: Record<string, number>[] = [];

export function count(keys: string[]): number {
  const bag = bags.pop() ?? {};
  for (const key of keys) bag[key] = (bag[key] ?? 0) + 1;
  const n = Object.keys(bag).length;
  bags.push(bag);
  return n;
}
`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 17,
          message: "`bag` goes back to the pool still carrying the changes made at line 5, so the next caller that takes it from the pool starts with this one's leftover state.",
        },
      ],
    },
    {
      name: "no fix: the initial value depends on a constructor argument",
      code: `class Window {
  size: number;
  constructor(size = 10) {
    this.size = size;
  }
}

class WindowPool {
  private idle: Window[] = [];
  acquire(): Window {
    return this.idle.pop() ?? new Window();
  }
  release(w: Window): void {
    this.idle.push(w);
  }
}

const windows = new WindowPool();

export function widen(by: number): number {
  const w = windows.acquire();
  w.size += by;
  const size = w.size;
  windows.release(w);
  return size;
}
`,
      errors: [
        {
          line: 24,
          column: 3,
          endLine: 24,
          endColumn: 21,
          message: "`w` goes back to the pool still carrying the changes made at line 22, so the next caller that takes it from the pool starts with this one's leftover state.",
        },
      ],
    },
    {
      name: "Object.assign changes named properties",
      code: `class Req {
  method = 'GET';
  path = '/';
}

class ReqPool {
  private idle: Req[] = [];
  acquire(): Req {
    return this.idle.pop() ?? new Req();
  }
  release(r: Req): void {
    this.idle.push(r);
  }
}

const requests = new ReqPool();

export function describe(method: string, path: string): string {
  const r = requests.acquire();
  Object.assign(r, { method, path });
  const text = \`\${r.method} \${r.path}\`;
  requests.release(r);
  return text;
}
`,
      errors: [
        {
          line: 22,
          column: 3,
          endLine: 22,
          endColumn: 22,
          message: "`r` goes back to the pool still carrying the changes made at line 20, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `class Req {
  method = 'GET';
  path = '/';
}

class ReqPool {
  private idle: Req[] = [];
  acquire(): Req {
    return this.idle.pop() ?? new Req();
  }
  release(r: Req): void {
    this.idle.push(r);
  }
}

const requests = new ReqPool();

export function describe(method: string, path: string): string {
  const r = requests.acquire();
  Object.assign(r, { method, path });
  const text = \`\${r.method} \${r.path}\`;
  r.method = 'GET';
  r.path = '/';
  requests.release(r);
  return text;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "delete counts as a change",
      code: `interface Opts {
  debug?: boolean;
  level: number;
}

const spare: Opts[] = [];

export function quiet(): number {
  const opts: Opts = spare.pop() ?? { level: 1 };
  delete opts.debug;
  opts.level = 2;
  const level = opts.level;
  spare.push(opts);
  return level;
}
`,
      errors: [
        {
          line: 13,
          column: 3,
          endLine: 13,
          endColumn: 19,
          message: "`opts` goes back to the pool still carrying the changes made at line 10, so the next caller that takes it from the pool starts with this one's leftover state.",
        },
      ],
    },
    {
      name: "Koa middleware with a free list of arrays",
      code: `import Koa from 'koa';

const app = new Koa();
const scratch: string[][] = [];

app.use(async (ctx) => {
  const parts = scratch.pop() ?? [];
  parts.push(ctx.path, ctx.method);
  ctx.body = parts.join(' ');
  scratch.push(parts);
});
`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 22,
          message: "`parts` goes back to the pool still carrying the changes made at line 8, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `import Koa from 'koa';

const app = new Koa();
const scratch: string[][] = [];

app.use(async (ctx) => {
  const parts = scratch.pop() ?? [];
  parts.push(ctx.path, ctx.method);
  ctx.body = parts.join(' ');
  parts.length = 0;
  scratch.push(parts);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "two objects under one name in different branches: only the dirty one",
      code: `const spare: Buffer[] = [];

export function encode(text: string, binary: boolean): string {
  if (binary) {
    const buf = spare.pop() ?? Buffer.alloc(64);
    buf.write(text);
    const out = buf.toString('base64');
    buf.fill(0);
    spare.push(buf);
    return out;
  } else {
    const buf = spare.pop() ?? Buffer.alloc(64);
    buf.write(text);
    const out = buf.toString('hex');
    spare.push(buf);
    return out;
  }
}
`,
      errors: [
        {
          line: 15,
          column: 5,
          endLine: 15,
          endColumn: 20,
          message: "`buf` goes back to the pool still carrying the changes made at line 13, so the next caller that takes it from the pool starts with this one's leftover state.",
          fixes: [
            {
              title: "Reset the object before returning it to the pool",
              preferred: true,
              output: `const spare: Buffer[] = [];

export function encode(text: string, binary: boolean): string {
  if (binary) {
    const buf = spare.pop() ?? Buffer.alloc(64);
    buf.write(text);
    const out = buf.toString('base64');
    buf.fill(0);
    spare.push(buf);
    return out;
  } else {
    const buf = spare.pop() ?? Buffer.alloc(64);
    buf.write(text);
    const out = buf.toString('hex');
    buf.fill(0);
    spare.push(buf);
    return out;
  }
}
`,
            },
          ],
        },
      ],
    },
  ],
});
