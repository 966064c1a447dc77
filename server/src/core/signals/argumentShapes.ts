import { ts } from 'ts-morph';
import { skipOuter } from '../scopes/appKinds';
import type { ArgumentShape } from './signalApi';
import type { SignalEnv } from './signalEnv';

const SIGNAL_KEYS = new Set(['signal', 'abortSignal']);

/** Whether an object literal names a signal (any value) or spreads something that might. */
export function objectPassesSignal(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((property) => {
    if (ts.isSpreadAssignment(property)) return true;
    const name = property.name;
    if (!name) return false;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return SIGNAL_KEYS.has(name.text);
    // A computed key could be anything: count it as a signal rather than guess.
    return ts.isComputedPropertyName(name);
  });
}

/**
 * What an argument in an options position is. Literals are read from the syntax; other
 * expressions are `opaque` unless a local declaration or (when they resolve) types say otherwise.
 */
export function argumentShape(argument: ts.Expression, env: SignalEnv): ArgumentShape {
  const expression = skipOuter(argument);
  if (ts.isObjectLiteralExpression(expression)) return objectPassesSignal(expression) ? 'passesSignal' : 'options';
  if (ts.isStringLiteralLike(expression) || ts.isTemplateExpression(expression)) return 'string';
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return 'function';
  if (isNullish(expression)) return 'nullish';
  if (ts.isArrayLiteralExpression(expression) || ts.isNumericLiteral(expression) || expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword) {
    return 'notOptions';
  }
  if (ts.isNewExpression(expression) && ts.isIdentifier(expression.expression) && /^(URL|URLSearchParams)$/.test(expression.expression.text)) return 'notOptions';
  if (ts.isIdentifier(expression)) {
    const local = localShape(expression, env);
    if (local) return local;
  }
  return typedShape(expression, env) ?? 'opaque';
}

export function isNullish(expression: ts.Expression): boolean {
  const target = skipOuter(expression);
  return (
    target.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(target) && target.text === 'undefined') ||
    (ts.isVoidExpression(target) && ts.isNumericLiteral(target.expression))
  );
}

/** A local function, or a `const` bound to a literal, tells its shape without types. */
function localShape(identifier: ts.Identifier, env: SignalEnv): ArgumentShape | undefined {
  const declaration = env.declarations.lookup(identifier.text, identifier);
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(declaration)) {
    const init = skipOuter(declaration.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return 'function';
    if (ts.isStringLiteralLike(init) || ts.isTemplateExpression(init)) return 'string';
    if (ts.isArrayLiteralExpression(init)) return 'notOptions';
  }
  return undefined;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** Strings, functions, arrays and nullish values, when the type resolves; objects stay opaque. */
function typedShape(expression: ts.Expression, env: SignalEnv): ArgumentShape | undefined {
  const type = env.types.typeOf(expression);
  if (!env.types.isKnown(type)) return undefined;
  const parts = type.isUnion() ? type.types : [type];
  if (parts.every((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) !== 0)) return 'nullish';
  const present = parts.filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  if (present.every((t) => (t.flags & ts.TypeFlags.StringLike) !== 0)) return 'string';
  if (present.every((t) => (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike)) !== 0)) return 'notOptions';
  if (present.every((t) => env.types.checker.isArrayType(t) || env.types.checker.isTupleType(t))) return 'notOptions';
  if (present.every((t) => /^(URL|URLSearchParams)$/.test(t.getSymbol()?.getName() ?? ''))) return 'notOptions';
  if (present.every((t) => t.getCallSignatures().length > 0 && t.getProperties().length === 0)) return 'function';
  if (present.every((t) => t.getCallSignatures().length > 0 && !t.getProperty('signal'))) return 'function';
  return undefined;
}
