import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { ValueInfo, ValueResolver } from '../syntax/values';
import { packageOfFile, type TypeInfo } from '../typeInfo';

/**
 * Creations of pools and of clients meant to be shared (RULES.md §3.4): `new Pool()`, `createPool()`,
 * pg `new Client()`, mysql2 `createConnection()`, redis `createClient()`, ioredis `new Redis()` /
 * `new Cluster()`, `new PrismaClient()`, `new MongoClient()`, generic-pool `createPool()`, `knex()`.
 * Recognised by where the callee is imported from (syntax/values.ts), the types as fallback.
 */
export interface SharedClientCreation {
  /** A pool (several connections) or one dedicated client, which may legitimately live per request when closed. */
  kind: 'pool' | 'client';
  /** The package, as users name it: `pg`, `mysql2`, `redis`, `ioredis`, ... */
  library: string;
}

/** Words without which a file creates none of these: the cheap gate. */
export const CREATION_WORDS = /\b(Pool|Client|createPool|createPoolCluster|createConnection|createClient|createCluster|Redis|Cluster|PrismaClient|MongoClient|knex|Knex)\b/;

/** Methods that close a client or pool, or stop it taking work. */
export const CLOSE_METHODS = new Set(['end', 'quit', 'disconnect', 'close', '$disconnect', 'destroy']);
export const DRAIN_METHODS = new Set([...CLOSE_METHODS, 'drain', 'clear']);

export function sharedClientCreation(expression: ts.NewExpression | ts.CallExpression, values: ValueResolver, types: TypeInfo | undefined): SharedClientCreation | undefined {
  const info = values.infoOf(expression);
  if (info.kind === 'package') return fromPath(info.module, info.path);
  if (info.kind !== 'unknown' || !types) return undefined;
  // Types: what the callee is declared as, when syntax could not follow it (a re-export, a typed parameter).
  const callee = skipOuter(expression.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name || !CREATION_WORDS.test(name)) return undefined;
  const file = types.declarationFile(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
  const pkg = file ? packageOfFile(file) : undefined;
  if (!pkg) return undefined;
  return fromPath(pkg, ts.isNewExpression(expression) ? `new ${name}` : `${name}()`);
}

function fromPath(module: string, path: string): SharedClientCreation | undefined {
  const at = (kind: 'pool' | 'client', library: string): SharedClientCreation => ({ kind, library });
  switch (module) {
    case 'pg':
      if (path === 'new Pool') return at('pool', 'pg');
      if (path === 'new Client') return at('client', 'pg');
      return undefined;
    case 'pg-pool':
      return path === 'new ' || path === 'new Pool' ? at('pool', 'pg') : undefined;
    case 'mysql':
    case 'mysql2':
    case 'mysql2/promise':
    case 'mariadb':
      if (/^createPool(Cluster)?\(\)$/.test(path)) return at('pool', module.replace('/promise', ''));
      if (path === 'createConnection()') return at('client', module.replace('/promise', ''));
      return undefined;
    case 'redis':
    case '@redis/client':
      return /^(createClient|createCluster)\(\)$/.test(path) ? at('client', 'redis') : undefined;
    case 'ioredis':
      return /^new (Redis|Cluster|Redis\.Cluster|default|)$/.test(path) ? at('client', 'ioredis') : undefined;
    case '@prisma/client':
      return path === 'new PrismaClient' ? at('client', 'Prisma') : undefined;
    case 'mongodb':
      return path === 'new MongoClient' || path === 'MongoClient.connect()' ? at('client', 'mongodb') : undefined;
    case 'generic-pool':
      return path === 'createPool()' ? at('pool', 'generic-pool') : undefined;
    case 'tarn':
      return path === 'new Pool' ? at('pool', 'tarn') : undefined;
    case 'knex':
      return path === '()' || path === 'knex()' || path === 'default()' || path === 'Knex()' ? at('pool', 'knex') : undefined;
    default:
      return undefined;
  }
}

export type { ValueInfo };
