import type { ts } from 'ts-morph';
import type { LocalDeclarations } from '../scopes/appKinds';
import { indexOf } from '../syntax/fileIndex';
import type { ImportTable } from '../scopes/imports';
import type { TypeInfo } from '../typeInfo';

/** What the signal modules need to know about one file; the declaration index is built on first use. */
export class SignalEnv {
  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly imports: ImportTable,
    readonly types: TypeInfo,
  ) {}

  get declarations(): LocalDeclarations {
    return indexOf(this.sourceFile).declarations;
  }
}
