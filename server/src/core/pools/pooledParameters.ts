import { ts } from 'ts-morph';
import { isFunctionWithBody, within, type FunctionWithBody } from '../flow';
import { skipOuter } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import { indexOf } from '../syntax/fileIndex';
import { packageOfFile, type TypeInfo } from '../typeInfo';
import { LIBRARY_POOLS, type LibraryPoolKind } from './libraryPools';
import { callsOfMethods } from './methodCalls';
import type { PoolFacts } from './poolFacts';
import type { Acquisition, ReleaseStyle } from './poolModel';
import { isReleaseMethod } from './releases';

// Parameters that hold a pooled connection or session which the function gives back itself with a
// method of the resource (`client.release()`, `conn.destroy()`, `session.endSession()`), for
// `pooled-object-used-after-release` (RULES.md §3.3 and §1 "Helpers": a function called with a
// pooled object is analysed in that role). A parameter is such a resource when
// - its annotation names a pooled resource type of a pool package (`PoolClient` from pg,
//   `PoolConnection` from mysql2 / mariadb, `ClientSession` from mongodb), or
// - a call in this file hands it a resource acquired in this file (`markCharged(client, ...)`
//   after `const client = await pool.connect()`), or
// - where types may be asked, its type is one of those package types (JSDoc, aliases).
// Give-backs to the pool (`pool.release(x)`, `free.push(x)`) are found from `PoolFacts.giveBacks`.

export interface PooledParameter {
  readonly parameter: ts.ParameterDeclaration & { name: ts.Identifier };
  readonly fn: FunctionWithBody;
  readonly release: Pick<Acquisition, 'release' | 'kind'>;
  /** A connection or session (rather than a reusable object), for the message. */
  readonly connections: boolean;
}

/** Method names that give a resource of some library pool back, the cheap first filter. */
const RESOURCE_RELEASE_METHODS = new Set(
  Object.values(LIBRARY_POOLS).flatMap((api) => (api.release.kind === 'method' ? api.release.names : [])),
);

/** Resource type names by package: what a pool of that package hands out. */
const RESOURCE_TYPES: Readonly<Record<string, { kind: LibraryPoolKind; names: readonly string[] }>> = {
  pg: { kind: 'pg', names: ['PoolClient'] },
  'pg-pool': { kind: 'pg', names: ['PoolClient'] },
  mysql2: { kind: 'mysql', names: ['PoolConnection'] },
  'mysql2/promise': { kind: 'mysql', names: ['PoolConnection'] },
  mysql: { kind: 'mysql', names: ['PoolConnection'] },
  'promise-mysql': { kind: 'mysql', names: ['PoolConnection'] },
  mariadb: { kind: 'mariadb', names: ['PoolConnection'] },
  'mariadb/callback': { kind: 'mariadb', names: ['PoolConnection'] },
  mongodb: { kind: 'mongodb', names: ['ClientSession'] },
};

/** The file's own text can't give a parameter back with a resource method: no search needed. */
export function mayReleaseParameters(text: string): boolean {
  return /\.\s*(release|destroy|end|endSession)\s*\(\s*\)/.test(text);
}

/**
 * Parameters (other than those in `exclude`) that the function releases with a method of the
 * resource, and that hold a pooled resource by their annotation, by a call in this file, or by
 * their type.
 */
export function pooledParameters(pools: PoolFacts, types: TypeInfo | undefined, exclude: ReadonlySet<ts.Node>): PooledParameter[] {
  const sourceFile = pools.sourceFile;
  const candidates = new Map<ts.ParameterDeclaration, { fn: FunctionWithBody; methods: Set<string> }>();
  for (const call of callsOfMethods(sourceFile, RESOURCE_RELEASE_METHODS)) {
    if (call.arguments.length > 1) continue;
    const callee = skipOuter(call.expression) as ts.PropertyAccessExpression;
    const receiver = skipOuter(callee.expression);
    if (!ts.isIdentifier(receiver)) continue;
    const declaration = pools.declarations.lookup(receiver.text, receiver);
    if (!declaration || !ts.isParameter(declaration) || !ts.isIdentifier(declaration.name) || declaration.dotDotDotToken || exclude.has(declaration)) continue;
    const fn = declaration.parent;
    if (!isFunctionWithBody(fn)) continue;
    const known = candidates.get(declaration) ?? { fn, methods: new Set<string>() };
    known.methods.add(callee.name.text);
    candidates.set(declaration, known);
  }
  if (candidates.size === 0) return [];
  const imports = indexOf(sourceFile).imports;
  let passed: Map<ts.ParameterDeclaration, Acquisition> | undefined;
  const out: PooledParameter[] = [];
  for (const [parameter, { fn, methods }] of candidates) {
    let release: Pick<Acquisition, 'release' | 'kind'> | undefined;
    let connections = true;
    const annotated = annotatedResource(parameter.type ?? ts.getJSDocType(parameter), imports);
    if (annotated) {
      release = { kind: annotated, release: LIBRARY_POOLS[annotated].release };
    } else {
      passed ??= parametersReceivingAcquisitions(pools);
      const acquisition = passed.get(parameter);
      if (acquisition) {
        release = { kind: acquisition.kind, release: acquisition.release };
        connections = !acquisition.reusableObject;
      } else if (types && pools.mayUseTypes && mayBeResourceType(parameter, imports)) {
        const typed = typedResource(parameter, types);
        if (typed) release = { kind: typed, release: LIBRARY_POOLS[typed].release };
      }
    }
    if (!release || !releasesWith(release.release, methods)) continue;
    out.push({ parameter: parameter as PooledParameter['parameter'], fn, release, connections });
  }
  return out;
}

function releasesWith(style: ReleaseStyle, methods: ReadonlySet<string>): boolean {
  for (const method of methods) if (isReleaseMethod(method, style)) return true;
  return false;
}

/** `client: PoolClient`, `conn: mysql.PoolConnection`: the pool package whose resource the annotation names. */
function annotatedResource(type: ts.TypeNode | undefined, imports: ImportTable): LibraryPoolKind | undefined {
  if (!type) return undefined;
  if (ts.isUnionTypeNode(type)) {
    // `PoolClient | undefined`
    const parts = type.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    return parts.length === 1 ? annotatedResource(parts[0], imports) : undefined;
  }
  if (ts.isImportTypeNode(type)) {
    // JSDoc `{import('pg').PoolClient}`
    const argument = type.argument;
    if (!ts.isLiteralTypeNode(argument) || !ts.isStringLiteral(argument.literal) || !type.qualifier || !ts.isIdentifier(type.qualifier)) return undefined;
    const resource = RESOURCE_TYPES[argument.literal.text];
    return resource && resource.names.includes(type.qualifier.text) ? resource.kind : undefined;
  }
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  let named: { module: string; name: string } | undefined;
  if (ts.isIdentifier(name)) {
    named = imports.get(name.text);
  } else if (ts.isIdentifier(name.left)) {
    const base = imports.get(name.left.text);
    if (base && (base.name === '*' || base.name === 'default')) named = { module: base.module, name: name.right.text };
  }
  if (!named) return undefined;
  const resource = RESOURCE_TYPES[named.module];
  return resource && resource.names.includes(named.name) ? resource.kind : undefined;
}

/**
 * Whether asking the types can help: the parameter is annotated (or typed in JSDoc) with a name
 * that is not imported from a package that syntax already places (`res: Response` from express
 * is not a pooled resource), e.g. a project type alias of `PoolClient`.
 */
function mayBeResourceType(parameter: ts.ParameterDeclaration, imports: ImportTable): boolean {
  const type = parameter.type ?? ts.getJSDocType(parameter);
  if (!type) return false;
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = type.typeName;
  const first = ts.isIdentifier(name) ? name : ts.isIdentifier(name.left) ? name.left : undefined;
  const imported = first && imports.get(first.text);
  if (imported && !imported.module.startsWith('.') && !RESOURCE_TYPES[imported.module]) return false;
  return true;
}

/** From types: the parameter's type is a pooled resource type declared by a pool package. */
function typedResource(parameter: ts.ParameterDeclaration, types: TypeInfo): LibraryPoolKind | undefined {
  const type = types.typeOf(parameter.name);
  if (!types.isKnown(type)) return undefined;
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  if (parts.length !== 1) return undefined;
  const symbol = parts[0].aliasSymbol ?? parts[0].getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const pkg = packageOfFile(declaration.getSourceFile().fileName);
  const resource = pkg ? RESOURCE_TYPES[pkg] : undefined;
  return resource && resource.names.includes(symbol.getName()) ? resource.kind : undefined;
}

/**
 * `const client = await pool.connect(); await markCharged(client, id);` with `markCharged`
 * declared in this file: its parameter at that position receives the acquired resource.
 */
function parametersReceivingAcquisitions(pools: PoolFacts): Map<ts.ParameterDeclaration, Acquisition> {
  const out = new Map<ts.ParameterDeclaration, Acquisition>();
  const sourceFile = pools.sourceFile;
  const calls = indexOf(sourceFile).calls;
  for (const acquisition of pools.acquisitions) {
    const holder = acquisition.holder;
    if (holder.kind !== 'variable') continue;
    const name = holder.identifier.text;
    const holderDeclaration = pools.declarations.lookup(name, acquisition.call) ?? holder.declaration;
    for (const call of calls) {
      if (call.pos < acquisition.fn.pos || call.end > acquisition.fn.end || !within(call, acquisition.fn)) continue;
      call.arguments.forEach((argument, index) => {
        const value = skipOuter(argument);
        if (!ts.isIdentifier(value) || value.text !== name || pools.declarations.lookup(name, value) !== holderDeclaration) return;
        if (call.arguments.slice(0, index).some(ts.isSpreadElement)) return;
        const target = localFunction(call, pools);
        const parameter = target?.parameters[index];
        if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return;
        // Two acquisitions of different pools reaching one parameter: unsure, so neither.
        const known = out.get(parameter);
        if (known && (known.kind !== acquisition.kind || known.release.kind !== acquisition.release.kind)) {
          out.set(parameter, { ...known, release: { kind: 'any' } });
        } else if (!known) {
          out.set(parameter, acquisition);
        }
      });
    }
  }
  return out;
}

/** The function a call runs when it is declared in this file: `helper(...)`, `this.helper(...)`. */
function localFunction(call: ts.CallExpression, pools: PoolFacts): FunctionWithBody | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    const declaration = pools.declarations.lookup(callee.text, callee);
    if (declaration && isFunctionWithBody(declaration)) return declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isFunctionWithBody(skipOuter(declaration.initializer))) {
      return skipOuter(declaration.initializer) as FunctionWithBody;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = ts.findAncestor(call, ts.isClassLike);
    const member = owner?.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === callee.name.text);
    if (member && isFunctionWithBody(member)) return member;
  }
  return undefined;
}
