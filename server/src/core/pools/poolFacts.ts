import type { ts } from 'ts-morph';
import type { TypeInfo } from '../typeInfo';

/**
 * Pool recognition for one file (RULES.md §3). Filled in by the pool rules' work; the shape here
 * is what rules consume.
 */
export interface PoolFacts {
  readonly sourceFile: ts.SourceFile;
}

export function computePoolFacts(sourceFile: ts.SourceFile, _types: TypeInfo): PoolFacts {
  return { sourceFile };
}
