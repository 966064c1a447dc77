import type { ts } from 'ts-morph';

/** The options property a signal goes in: `signal`, or AWS SDK v3's `abortSignal`. */
export type SignalProperty = 'signal' | 'abortSignal';

/** One form of a signal-accepting call: where its options object goes. */
export interface SignalSlot {
  /** Argument position of the options object. */
  index: number;
  property: SignalProperty;
  /** Arguments this form needs before `index`; missing optional ones are filled with `undefined`. */
  required: number;
  /** A string at `index` is an encoding (`readFile(p, 'utf8')`), which becomes `{ encoding, signal }`. */
  encoding?: boolean;
  /** A callback may follow the options, so a function at `index` means the options were left out. */
  callbackAfter?: boolean;
}

/** A call that accepts an AbortSignal, as far as this call's shape goes. */
export interface SignalApi {
  /** How messages name the call: `fetch()`, `axios.get()`. */
  label: string;
  /** Every form the callee accepts a signal in (overloads, optional leading arguments). */
  slots: SignalSlot[];
}

/** Where the signal goes in a call that lacks one. */
export type SignalPlacement =
  /** Into the options object literal already there. */
  | { kind: 'merge'; property: SignalProperty; object: ts.ObjectLiteralExpression }
  /** The string encoding becomes `{ encoding, signal }`. */
  | { kind: 'encoding'; property: SignalProperty; argument: ts.Expression }
  /** A new options argument before the trailing callback. */
  | { kind: 'beforeCallback'; property: SignalProperty; callback: ts.Expression }
  /** An explicit `undefined`/`null` options argument is replaced. */
  | { kind: 'replace'; property: SignalProperty; argument: ts.Expression }
  /** A new last argument, after `fill` placeholder `undefined`s for skipped optional arguments. */
  | { kind: 'append'; property: SignalProperty; fill: number };

/** What an argument in an options position is, as far as passing a signal goes. */
export type ArgumentShape =
  /** An object literal with a `signal`/`abortSignal` property or a spread: passes a signal. */
  | 'passesSignal'
  /** An object literal without one. */
  | 'options'
  | 'string'
  | 'function'
  | 'nullish'
  /** Arrays, numbers, booleans, URLs: not an options object, so this form does not apply. */
  | 'notOptions'
  /** Anything else (a variable, a call): it may carry a signal, so it counts as passing one. */
  | 'opaque';

export type SignalUse = { kind: 'passes' } | { kind: 'missing'; placement: SignalPlacement };

const PREFERENCE: Record<SignalPlacement['kind'], number> = { merge: 0, encoding: 1, replace: 2, beforeCallback: 3, append: 4 };

/**
 * Decides whether a call passes a signal in any of its API's forms, and if not, where one goes.
 * Unsure means passing (RULES.md §2.2: an options argument that is not an object literal passes).
 * Undefined when no form fits the call's arguments at all.
 */
export function signalUse(call: ts.CallExpression, api: SignalApi, shapeOf: (argument: ts.Expression) => ArgumentShape, isSpread: (argument: ts.Expression) => boolean): SignalUse | undefined {
  const args = call.arguments;
  const candidates: SignalPlacement[] = [];
  for (const slot of api.slots) {
    if (args.slice(0, slot.index + 1).some(isSpread)) return { kind: 'passes' };
    if (args.length > slot.index) {
      const argument = args[slot.index];
      const shape = shapeOf(argument);
      if (shape === 'passesSignal' || shape === 'opaque') return { kind: 'passes' };
      if (shape === 'options') candidates.push({ kind: 'merge', property: slot.property, object: argument as ts.ObjectLiteralExpression });
      else if (shape === 'string' && slot.encoding) candidates.push({ kind: 'encoding', property: slot.property, argument });
      else if (shape === 'function' && slot.callbackAfter) candidates.push({ kind: 'beforeCallback', property: slot.property, callback: argument });
      else if (shape === 'nullish') candidates.push({ kind: 'replace', property: slot.property, argument });
    } else if (args.length >= slot.required) {
      candidates.push({ kind: 'append', property: slot.property, fill: slot.index - args.length });
    }
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => PREFERENCE[a.kind] - PREFERENCE[b.kind] || fillOf(a) - fillOf(b));
  return { kind: 'missing', placement: candidates[0] };
}

function fillOf(placement: SignalPlacement): number {
  return placement.kind === 'append' ? placement.fill : 0;
}
