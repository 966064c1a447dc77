import { ts } from 'ts-morph';

export interface ImportBinding {
  /** Module specifier without a `node:` prefix: `express`, `http`, `@koa/router`. */
  module: string;
  /** `default`, `*` (namespace or whole `require`), or the imported name. */
  name: string;
}

/** Local names bound by imports and `require` calls at module level. */
export class ImportTable {
  readonly #bindings = new Map<string, ImportBinding>();
  readonly #modules = new Set<string>();

  constructor(sourceFile: ts.SourceFile) {
    for (const statement of sourceFile.statements) collectFromStatement(statement, this.#bindings, this.#modules);
  }

  get(localName: string): ImportBinding | undefined {
    return this.#bindings.get(localName);
  }

  importsModule(module: string): boolean {
    return this.#modules.has(module);
  }

  get modules(): ReadonlySet<string> {
    return this.#modules;
  }
}

export function stripNodePrefix(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function collectFromStatement(statement: ts.Statement, out: Map<string, ImportBinding>, modules: Set<string>): void {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const module = stripNodePrefix(statement.moduleSpecifier.text);
    modules.add(module);
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) out.set(clause.name.text, { module, name: 'default' });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.set(bindings.name.text, { module, name: '*' });
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        out.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
    }
    return;
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    const ref = statement.moduleReference;
    if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
      const module = stripNodePrefix(ref.expression.text);
      modules.add(module);
      out.set(statement.name.text, { module, name: '*' });
    }
    return;
  }
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const required = requiredModule(declaration.initializer);
      if (!required) continue;
      modules.add(required.module);
      if (ts.isIdentifier(declaration.name)) {
        out.set(declaration.name.text, { module: required.module, name: required.property ?? '*' });
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          out.set(element.name.text, { module: required.module, name: imported });
        }
      }
    }
  }
}

/** `require('x')`, `require('x').y`, `require('x').default` -> the module and property. */
function requiredModule(expression: ts.Expression | undefined): { module: string; property?: string } | undefined {
  if (!expression) return undefined;
  if (ts.isPropertyAccessExpression(expression)) {
    const inner = requiredModule(expression.expression);
    return inner && !inner.property ? { module: inner.module, property: expression.name.text } : undefined;
  }
  if (
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'require' &&
    expression.arguments.length === 1 &&
    ts.isStringLiteralLike(expression.arguments[0])
  ) {
    return { module: stripNodePrefix(expression.arguments[0].text) };
  }
  return undefined;
}
