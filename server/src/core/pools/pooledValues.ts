import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { TypeInfo } from '../typeInfo';
import { elementOrigin, initialValues, type ClassLookup } from './elements';
import type { ElementOrigin } from './poolModel';

// What a value read from a pooled object is, for `pooled-object-used-after-release` (RULES.md
// §3.3): an alias of the object's memory (the object itself, an object/array/buffer held in one of
// its properties or elements, a view sliced from it) or a value of its own (a primitive, a copy,
// the result of a method call such as `query()`).

/** What kind of thing a tracked value is, as far as copying it goes; undefined when unknown. */
export type ValueKind = ElementOrigin['kind'] | undefined;

/** Properties that are numbers on every built-in and pooled object we know. */
const PRIMITIVE_PROPERTIES = new Set(['length', 'byteLength', 'byteOffset', 'size', 'rowCount', 'affectedRows', 'insertId', 'threadId', 'processID']);

export interface ValueQuestions {
  readonly classes: ClassLookup;
  /** The type checker, when asking it is allowed (TypeScript, or JavaScript that imports packages). */
  readonly types: TypeInfo | undefined;
}

/**
 * The kind of a property `name` read from an object of kind `owner`, from the pool's class or
 * factory: `null` when it is plainly a primitive, undefined when syntax can't tell.
 */
export function propertyKindFromSyntax(owner: ValueKind, element: ElementOrigin | undefined, name: string, q: ValueQuestions): ValueKind | null {
  if (PRIMITIVE_PROPERTIES.has(name)) return null;
  if (!element || (owner !== 'class' && owner !== 'object')) return undefined;
  const initial = initialValues(element).get(name);
  if (!initial) return declaredPropertyKind(element, name);
  const target = skipOuter(initial);
  if (isPrimitiveLiteral(target)) return null;
  return elementOrigin(target, q.classes)?.kind;
}

/** `label: string | null = null` with no initialiser but a type: what the declared type says. */
function declaredPropertyKind(element: ElementOrigin, name: string): ValueKind | null {
  if (element.kind !== 'class') return undefined;
  const member = element.declaration.members.find((m) => ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === name) as ts.PropertyDeclaration | undefined;
  if (!member?.type) return undefined;
  return typeNodeKind(member.type);
}

function typeNodeKind(node: ts.TypeNode): ValueKind | null {
  switch (node.kind) {
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.BigIntKeyword:
    case ts.SyntaxKind.LiteralType:
      return null;
    case ts.SyntaxKind.ArrayType:
      return 'array';
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    if (name === 'Buffer') return 'buffer';
    if (name === 'Array') return 'array';
    if (name === 'Map') return 'map';
    if (name === 'Set') return 'set';
    if (/^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array$/.test(name)) return 'typedArray';
  }
  return undefined;
}

function isPrimitiveLiteral(node: ts.Expression): boolean {
  return (
    ts.isNumericLiteral(node) ||
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    ts.isBigIntLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand))
  );
}

/**
 * Whether the value of `node` is an object (not a primitive) per the type checker: `true` when
 * every non-nullish part of its type is an object, `false` when some part is a primitive,
 * undefined when the types did not resolve.
 */
export function isObjectTyped(node: ts.Node, types: TypeInfo): boolean | undefined {
  const type = types.typeOf(node);
  if (!types.isKnown(type)) return undefined;
  const parts = type.isUnion() ? type.types : [type];
  let objects = 0;
  for (const part of parts) {
    if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
    if (part.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive | ts.TypeFlags.Intersection)) objects++;
    else return false;
  }
  return objects > 0;
}

/** The kind of value `node` has per the type checker, for choosing how to copy it. */
export function kindFromType(node: ts.Node, types: TypeInfo): ValueKind {
  const type = types.typeOf(node);
  if (!types.isKnown(type)) return undefined;
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  if (parts.length !== 1) return undefined;
  const only = parts[0];
  if (types.checker.isArrayType(only)) return 'array';
  const name = only.getSymbol()?.getName();
  if (name === 'Buffer') return 'buffer';
  if (name === 'Map') return 'map';
  if (name === 'Set') return 'set';
  if (name && /^(Uint8|Uint8Clamped|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64|BigInt64|BigUint64)Array$/.test(name)) return 'typedArray';
  if (name === '__object') return 'object';
  return undefined;
}

/**
 * Whether `object.method(...)` hands back a view sharing the object's memory: `subarray()` on a
 * buffer or typed array, and `slice()` on a Buffer (whose `slice` is a view, unlike the `slice` of
 * arrays and typed arrays, which copies).
 */
export function isViewMethod(method: string, kind: ValueKind): boolean {
  if (method === 'subarray') return kind === 'buffer' || kind === 'typedArray' || kind === undefined;
  if (method === 'slice') return kind === 'buffer';
  return false;
}

/** The kind of a view made by `method` from a value of kind `kind`. */
export function viewKind(kind: ValueKind): ValueKind {
  return kind === 'buffer' || kind === 'typedArray' ? kind : undefined;
}

/**
 * An expression that copies `text`, a value of `kind`, so the copy survives the give-back:
 * `[...x]`, `Buffer.from(x)`, `x.slice()` for typed arrays, `{ ...x }` for plain objects,
 * `new Map(x)` / `new Set(x)`. Undefined when the kind does not say how to copy safely (a class
 * instance would lose its prototype).
 */
export function copyExpression(text: string, kind: ValueKind): string | undefined {
  switch (kind) {
    case 'array':
      return `[...${text}]`;
    case 'buffer':
      return `Buffer.from(${text})`;
    case 'typedArray':
      return `${needsParens(text) ? `(${text})` : text}.slice()`;
    case 'object':
      return `{ ...${text} }`;
    case 'map':
      return `new Map(${text})`;
    case 'set':
      return `new Set(${text})`;
    default:
      return undefined;
  }
}

function needsParens(text: string): boolean {
  return !/^[\w$.]+(\([^()]*\))?$/.test(text);
}
