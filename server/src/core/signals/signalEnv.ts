import type { ts } from 'ts-morph';
import { LocalDeclarations } from '../scopes/appKinds';
import type { ImportTable } from '../scopes/imports';
import type { TypeInfo } from '../typeInfo';

/** What the signal modules need to know about one file; the declaration index is built on first use. */
export class SignalEnv {
  #declarations: LocalDeclarations | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly imports: ImportTable,
    readonly types: TypeInfo,
  ) {}

  get declarations(): LocalDeclarations {
    this.#declarations ??= new LocalDeclarations(this.sourceFile);
    return this.#declarations;
  }
}
