import { ts } from 'ts-morph';
import { LocalDeclarations } from '../scopes/appKinds';
import { ImportTable } from '../scopes/imports';

/** Per-file syntax indexes every part of the analyser shares (and cross-file lookups reuse). */
export interface FileIndex {
  readonly imports: ImportTable;
  readonly declarations: LocalDeclarations;
  /** Exported name (`default` for the default export) -> the declaration or expression it names. */
  readonly exports: ReadonlyMap<string, ts.Node>;
}

// Keyed by the SourceFile object: a file's new text is a new object, so entries never go stale.
const indexes = new WeakMap<ts.SourceFile, FileIndex>();

export function indexOf(sourceFile: ts.SourceFile): FileIndex {
  let index = indexes.get(sourceFile);
  if (!index) {
    let imports: ImportTable | undefined;
    let declarations: LocalDeclarations | undefined;
    let exports: Map<string, ts.Node> | undefined;
    index = {
      get imports() {
        imports ??= new ImportTable(sourceFile);
        return imports;
      },
      get declarations() {
        declarations ??= new LocalDeclarations(sourceFile);
        return declarations;
      },
      get exports() {
        exports ??= collectExports(sourceFile);
        return exports;
      },
    };
    indexes.set(sourceFile, index);
  }
  return index;
}

function hasExport(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefault(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** ES exports and the CommonJS forms (`module.exports = ...`, `exports.x = ...`). */
function collectExports(sourceFile: ts.SourceFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  for (const statement of sourceFile.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && hasExport(statement)) {
      if (hasDefault(statement)) out.set('default', statement);
      if (statement.name) out.set(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement) && hasExport(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) out.set(d.name.text, d);
    } else if (ts.isExportAssignment(statement)) {
      out.set(statement.isExportEquals ? '*' : 'default', statement.expression);
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) out.set(element.name.text, element.propertyName ?? element.name);
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = statement.expression.left;
      const value = statement.expression.right;
      if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression)) {
        // module.exports = x  /  exports.name = x  /  module.exports.name = x
        if (target.expression.text === 'module' && target.name.text === 'exports') {
          out.set('*', value);
          out.set('default', value);
          if (ts.isObjectLiteralExpression(value)) {
            for (const p of value.properties) {
              if (ts.isShorthandPropertyAssignment(p)) out.set(p.name.text, p.name);
              else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) out.set(p.name.text, p.initializer);
              else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name)) out.set(p.name.text, p);
            }
          }
        } else if (target.expression.text === 'exports') {
          out.set(target.name.text, value);
        }
      } else if (ts.isPropertyAccessExpression(target) && ts.isPropertyAccessExpression(target.expression) && target.expression.name.text === 'exports') {
        out.set(target.name.text, value);
      }
    }
  }
  return out;
}
