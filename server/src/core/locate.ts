import type { ts } from 'ts-morph';
import type { LocatedSpan } from './types';

/** A span with its 0-based line/character pairs, as every finding and related location carries. */
export function locate(sourceFile: ts.SourceFile, start: number, end: number): LocatedSpan {
  return {
    start,
    end,
    startLc: sourceFile.getLineAndCharacterOfPosition(start),
    endLc: sourceFile.getLineAndCharacterOfPosition(end),
  };
}
