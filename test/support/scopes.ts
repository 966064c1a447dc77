import * as path from 'node:path';
import { ts } from 'ts-morph';
import { FileFacts } from '../../server/src/core/fileFacts';
import { ProjectHost } from '../../server/src/core/projectHost';
import type { RequestScope } from '../../server/src/core/scopes/requestScope';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { DEFAULT_SETTINGS } from '../../server/src/core/types';

const host = new ProjectHost(path.resolve(__dirname, '..', 'fixtures', 'virtual'));
let n = 0;

/** Request scopes of a snippet, described as `framework role name` (name: the function's name or its first parameters). */
export function scopesOf(code: string, fileName = 'handler.ts'): { summary: string[]; scopes: readonly RequestScope[] } {
  const file = path.join(host.rootDir, `scopes${n++}`, fileName);
  host.setText(file, code);
  const sourceFile = host.getSourceFile(file)!;
  const facts = new FileFacts(sourceFile, new TypeInfo(() => host.program().getTypeChecker()), DEFAULT_SETTINGS);
  const scopes = facts.requestScopes;
  const summary = scopes.map((s) => `${s.framework} ${s.role} ${describeFn(s.fn, sourceFile)}`);
  host.remove(file);
  return { summary, scopes };
}

function describeFn(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  return `(${fn.parameters.map((p) => p.name.getText(sf)).join(', ')})`;
}
