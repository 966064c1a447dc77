// Writes the benchmark project: a service of many small handler modules on four frameworks, with a
// tsconfig whose packages resolve from this repository's node_modules. The project is a pure
// function of the seed and of the generator's own source, and is reused while both are unchanged.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FRAMEWORKS, type Framework, type FrameworkName } from './frameworks';
import { handlerModule } from './handlerFile';
import { SeededRandom } from './random';

export const GENERATED_DIR = path.join(__dirname, '.generated');
const GENERATOR_SOURCES = ['generate.ts', 'handlerFile.ts', 'frameworks.ts', 'random.ts'];
const STAMP_FILE = 'stamp.json';

/** Express-heavy, like the services people actually run. */
const FRAMEWORK_WEIGHTS: Record<FrameworkName, number> = { express: 0.35, koa: 0.2, fastify: 0.25, hono: 0.2 };

export interface GeneratedProject {
  dir: string;
  /** Absolute paths of every source file, shared modules first. */
  files: string[];
  /** Bugs planted, by rule id. */
  plantedBugs: Record<string, number>;
  reused: boolean;
}

interface Stamp {
  version: string;
  files: string[];
  plantedBugs: Record<string, number>;
}

export function ensureProject(handlerCount: number, seed: number): GeneratedProject {
  const version = generatorVersion(handlerCount, seed);
  const stampPath = path.join(GENERATED_DIR, STAMP_FILE);
  const stamp = readStamp(stampPath);
  if (stamp?.version === version && stamp.files.every((file) => fs.existsSync(path.join(GENERATED_DIR, file)))) {
    return { dir: GENERATED_DIR, files: absolute(stamp.files), plantedBugs: stamp.plantedBugs, reused: true };
  }

  fs.rmSync(GENERATED_DIR, { recursive: true, force: true });
  const written: string[] = [];
  const write = (relative: string, text: string): void => {
    const full = path.join(GENERATED_DIR, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    written.push(relative);
  };

  write('tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  const sources: string[] = [];
  for (const [name, text] of Object.entries(SHARED_MODULES)) {
    write(`src/shared/${name}.ts`, text);
    sources.push(`src/shared/${name}.ts`);
  }
  const rng = new SeededRandom(seed);
  const plantedBugs: Record<string, number> = {};
  for (let index = 0; index < handlerCount; index++) {
    const module = handlerModule(index, pickFramework(rng), rng);
    for (const rule of module.bugs) plantedBugs[rule] = (plantedBugs[rule] ?? 0) + 1;
    const relative = `src/handlers/h${String(index).padStart(4, '0')}.ts`;
    write(relative, module.text);
    sources.push(relative);
  }
  const newStamp: Stamp = { version, files: sources, plantedBugs };
  fs.writeFileSync(stampPath, `${JSON.stringify(newStamp, null, 2)}\n`);
  return { dir: GENERATED_DIR, files: absolute(sources), plantedBugs, reused: false };
}

function absolute(relatives: string[]): string[] {
  return relatives.map((relative) => path.join(GENERATED_DIR, relative));
}

function readStamp(stampPath: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(stampPath, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function generatorVersion(handlerCount: number, seed: number): string {
  const hash = createHash('sha256').update(`${handlerCount}:${seed}`);
  for (const source of GENERATOR_SOURCES) hash.update(fs.readFileSync(path.join(__dirname, source)));
  return hash.digest('hex').slice(0, 16);
}

function pickFramework(rng: SeededRandom): Framework {
  let roll = rng.next();
  for (const framework of FRAMEWORKS) {
    roll -= FRAMEWORK_WEIGHTS[framework.name];
    if (roll < 0) return framework;
  }
  return FRAMEWORKS[0];
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
};

const SHARED_MODULES: Record<string, string> = {
  db: `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
`,
  audit: `import { pool } from './db';

export async function audit(event: string, entityId: number): Promise<void> {
  await pool.query('INSERT INTO audit_events (event, entity_id) VALUES ($1, $2)', [event, entityId]);
}
`,
  renderers: `import { createPool } from 'generic-pool';

export class Renderer {
  rendered = 0;

  async render(template: string, data: object): Promise<string> {
    this.rendered += 1;
    return \`<section data-template="\${template}">\${JSON.stringify(data)}</section>\`;
  }

  async close(): Promise<void> {}
}

export const renderers = createPool(
  { create: async () => new Renderer(), destroy: async (renderer: Renderer) => renderer.close() },
  { max: 4 },
);
`,
  scratchPool: `export class Scratch {
  items: string[] = [];
  label = '';

  summary(): string {
    return \`\${this.label}: \${this.items.join(', ')}\`;
  }

  reset(): void {
    this.items.length = 0;
    this.label = '';
  }
}

export class ScratchPool {
  private readonly free: Scratch[] = [];

  acquire(): Scratch {
    return this.free.pop() ?? new Scratch();
  }

  release(scratch: Scratch): void {
    this.free.push(scratch);
  }
}

export const scratchPool = new ScratchPool();
`,
};
