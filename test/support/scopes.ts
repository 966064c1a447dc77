import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { FileFacts } from '../../server/src/core/fileFacts';
import { ProjectHost } from '../../server/src/core/projectHost';
import type { RequestScope } from '../../server/src/core/scopes/requestScope';
import { TypeInfo } from '../../server/src/core/typeInfo';
import { DEFAULT_SETTINGS } from '../../server/src/core/types';

const typedHost = new ProjectHost(path.resolve(__dirname, '..', 'fixtures', 'virtual'));
/** A root where no package resolves: plain JavaScript or TypeScript without node_modules. */
let untypedHost: ProjectHost | undefined;
let n = 0;

/** Request scopes of a snippet, described as `framework role name` (name: the function's name or its first parameters). */
export function scopesOf(code: string, fileName = 'handler.ts', options: { untyped?: boolean; otherFiles?: Record<string, string> } = {}): { summary: string[]; scopes: readonly RequestScope[] } {
  const host = options.untyped ? (untypedHost ??= new ProjectHost(fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-scopes-')))) : typedHost;
  // Files that import each other live in the root itself: module resolution asks the disk whether a folder exists.
  const dir = options.otherFiles ? host.rootDir : path.join(host.rootDir, `scopes${n++}`);
  const file = path.join(dir, fileName);
  const others = Object.entries(options.otherFiles ?? {}).map(([name, text]) => {
    host.setText(path.join(dir, name), text);
    return path.join(dir, name);
  });
  host.setText(file, code);
  const sourceFile = host.getSourceFile(file)!;
  const facts = new FileFacts(sourceFile, new TypeInfo(() => host.program().getTypeChecker()), DEFAULT_SETTINGS);
  const scopes = facts.requestScopes;
  const summary = scopes.map((s) => `${s.framework} ${s.role} ${describeFn(s.fn, sourceFile)}`);
  host.remove(file);
  for (const other of others) host.remove(other);
  return { summary, scopes };
}

function describeFn(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  return `(${fn.parameters.map((p) => p.name.getText(sf)).join(', ')})`;
}
