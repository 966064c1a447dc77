// Whether a project can use `AbortSignal.any` (Node 20.3+), for fixes that combine the request's
// signal with another one (RULES.md §2.3, §2.6). Decided from what the project declares, read as
// JSON: `engines.node` of the nearest package.json, and the compiler's `lib` / `types`.
import type { ProjectRuntime } from '../fileFacts';

const MINIMUM: readonly [number, number, number] = [20, 3, 0];

/**
 * False when the project rules `AbortSignal.any` out: its `engines.node` admits a Node older than
 * 20.3 (or can't be read), or its `lib` has no DOM library while its `types` leave out `@types/node`
 * — then nothing declares `AbortSignal` at all, and the fix would not type-check.
 */
export function supportsAbortSignalAny(runtime: ProjectRuntime): boolean {
  if (runtime.nodeEngines !== undefined) {
    const lowest = lowestVersion(runtime.nodeEngines);
    if (!lowest || compare(lowest, MINIMUM) < 0) return false;
  }
  if (runtime.lib && !runtime.lib.some((lib) => /(^|[./])dom([./]|$)/i.test(lib))) {
    const types = runtime.types;
    if (types && !types.some((t) => t === '*' || t === 'node' || t === '@types/node')) return false;
  }
  return true;
}

type Version = readonly [number, number, number];

/** The oldest version a semver range admits (the lowest over its `||` alternatives); undefined when unreadable. */
export function lowestVersion(range: string): Version | undefined {
  let lowest: Version | undefined;
  for (const alternative of range.split('||')) {
    const bound = lowerBound(alternative.trim());
    if (!bound) return undefined;
    if (!lowest || compare(bound, lowest) < 0) lowest = bound;
  }
  return lowest;
}

/** `>=20.3`, `^20.3.0`, `~20.4`, `20.x`, `20.3 - 22`, `>18 <23`: the lowest version one alternative admits. */
function lowerBound(alternative: string): Version | undefined {
  if (alternative === '' || alternative === '*' || /^[xX]$/.test(alternative)) return [0, 0, 0];
  const hyphen = /^(\S+)\s+-\s+\S+$/.exec(alternative);
  const comparators = hyphen ? [hyphen[1]] : alternative.split(/\s+/);
  let bound: Version | undefined;
  let sawLower = false;
  for (const comparator of comparators) {
    const match = /^(>=|>|<=|<|=|\^|~|v)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][\w.-]*)?$/.exec(comparator);
    if (!match) return undefined;
    const operator = match[1] ?? '';
    if (operator === '<' || operator === '<=') continue;
    const parts = [match[2], match[3], match[4]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? 0 : Number(p)));
    let version: Version = [parts[0], parts[1], parts[2]];
    // `>20.2` admits 20.2.1; `>20` admits 21 — one step past the named version at its precision.
    if (operator === '>') version = match[3] === undefined ? [version[0] + 1, 0, 0] : match[4] === undefined ? [version[0], version[1] + 1, 0] : [version[0], version[1], version[2] + 1];
    if (!bound || compare(version, bound) > 0) bound = version;
    sawLower = true;
  }
  return sawLower ? bound : [0, 0, 0];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
