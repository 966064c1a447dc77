// Module-level free lists for short-lived scratch objects used by the request parsers.
export interface ParseState {
  depth: number;
  path: string[];
  errors: string[];
  strict: boolean;
}

const parseStates: ParseState[] = [];
const idSets: Set<string>[] = [];

export function takeParseState(): ParseState {
  return parseStates.pop() ?? { depth: 0, path: [], errors: [], strict: false };
}

export function giveParseState(state: ParseState): void {
  state.depth = 0;
  state.path.length = 0;
  state.errors.length = 0;
  state.strict = false;
  parseStates.push(state);
}

/** Validates a JSON document's ids for duplicates; returns the duplicated ids. */
export function duplicateIds(items: { id: string }[]): string[] {
  const seen = idSets.pop() ?? new Set<string>();
  const dupes: string[] = [];
  for (const item of items) {
    if (seen.has(item.id)) dupes.push(item.id);
    seen.add(item.id);
  }
  idSets.push(seen); // expect: pooled-object-not-reset
  return dupes;
}

/** Same check, for the bulk importer; clears the set before giving it back. */
export function countDistinct(values: string[]): number {
  const seen = idSets.pop() ?? new Set<string>();
  for (const v of values) seen.add(v);
  const n = seen.size;
  seen.clear();
  idSets.push(seen);
  return n;
}
