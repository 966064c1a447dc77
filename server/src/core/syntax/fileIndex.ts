import { ts } from 'ts-morph';
import { LocalDeclarations } from '../scopes/appKinds';
import { ImportTable } from '../scopes/imports';

/** Per-file syntax indexes every part of the analyser shares (and cross-file lookups reuse). */
export interface FileIndex {
  readonly imports: ImportTable;
  readonly declarations: LocalDeclarations;
  /** Exported name (`default` for the default export) -> the declaration or expression it names. */
  readonly exports: ReadonlyMap<string, ts.Node>;
  /** Every call expression, in source order. */
  readonly calls: readonly ts.CallExpression[];
  /** Every function, arrow and method that has a body, in source order. */
  readonly functions: readonly FunctionWithBody[];
  /** Every assignment (`=`, `+=`, `??=`, ... as a binary expression), in source order. */
  readonly assignments: readonly ts.BinaryExpression[];
  /** Every variable declaration with an initializer (destructuring ones too), in source order. */
  readonly initializedVariables: readonly ts.VariableDeclaration[];
}

export type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.Node };

interface Walked {
  declarations: ts.Declaration[];
  calls: ts.CallExpression[];
  functions: FunctionWithBody[];
  assignments: ts.BinaryExpression[];
  initializedVariables: ts.VariableDeclaration[];
}

// What the parse-time walk collected, per SourceFile object.
const walkedFiles = new WeakMap<ts.SourceFile, Walked>();

/**
 * Parses a source file and, in the same single walk, links every node to its parent (what the
 * parser's `setParentNodes` would do in a walk of its own) and collects what the shared indexes
 * need. Parsing is the floor of everything we do; this keeps us at one walk above it.
 */
export function parseLinked(fileName: string, text: string, languageVersion: ts.ScriptTarget, scriptKind: ts.ScriptKind): ts.SourceFile {
  const sourceFile = ts.createSourceFile(fileName, text, { languageVersion }, false, scriptKind);
  walkedFiles.set(sourceFile, walk(sourceFile, true));
  return sourceFile;
}

/** One walk of the file collects what several indexes need, so no consumer walks it again. */
function walk(sourceFile: ts.SourceFile, linkParents = false): Walked {
  const out: Walked = { declarations: [], calls: [], functions: [], assignments: [], initializedVariables: [] };
  let parent: ts.Node = sourceFile;
  const visit = (node: ts.Node): void => {
    if (linkParents) (node as { parent: ts.Node }).parent = parent;
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
        out.calls.push(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.VariableDeclaration:
        if ((node as ts.VariableDeclaration).initializer) out.initializedVariables.push(node as ts.VariableDeclaration);
        if (LocalDeclarations.isIndexed(node)) out.declarations.push(node);
        break;
      case ts.SyntaxKind.Parameter:
        if (LocalDeclarations.isIndexed(node)) out.declarations.push(node);
        break;
      case ts.SyntaxKind.FunctionDeclaration:
        if (LocalDeclarations.isIndexed(node)) out.declarations.push(node);
        if ((node as ts.FunctionDeclaration).body) out.functions.push(node as FunctionWithBody);
        break;
      case ts.SyntaxKind.ClassDeclaration:
        if (LocalDeclarations.isIndexed(node)) out.declarations.push(node);
        break;
      case ts.SyntaxKind.BinaryExpression: {
        const operator = (node as ts.BinaryExpression).operatorToken.kind;
        if (operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment) out.assignments.push(node as ts.BinaryExpression);
        break;
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration:
        if ((node as ts.FunctionLikeDeclaration).body) out.functions.push(node as FunctionWithBody);
        break;
    }
    const saved = parent;
    parent = node;
    ts.forEachChild(node, visit);
    parent = saved;
  };
  ts.forEachChild(sourceFile, visit);
  return out;
}

// Keyed by the SourceFile object: a file's new text is a new object, so entries never go stale.
const indexes = new WeakMap<ts.SourceFile, FileIndex>();

export function indexOf(sourceFile: ts.SourceFile): FileIndex {
  let index = indexes.get(sourceFile);
  if (!index) {
    let imports: ImportTable | undefined;
    let declarations: LocalDeclarations | undefined;
    let exports: Map<string, ts.Node> | undefined;
    let walked: Walked | undefined;
    const walkedFile = (): Walked => (walked ??= walkedFiles.get(sourceFile) ?? walk(sourceFile));
    index = {
      get imports() {
        imports ??= new ImportTable(sourceFile);
        return imports;
      },
      get declarations() {
        declarations ??= new LocalDeclarations(walkedFile().declarations);
        return declarations;
      },
      get calls() {
        return walkedFile().calls;
      },
      get functions() {
        return walkedFile().functions;
      },
      get assignments() {
        return walkedFile().assignments;
      },
      get initializedVariables() {
        return walkedFile().initializedVariables;
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

/**
 * Every call expression inside `node` (itself and nested functions included), in source order,
 * from the file's shared call index rather than a walk.
 */
export function callsWithin(node: ts.Node, sourceFile: ts.SourceFile = node.getSourceFile()): ts.CallExpression[] {
  const calls = indexOf(sourceFile).calls;
  // The index is in pre-order, so `pos` never decreases: find the first call at or after `node`.
  let low = 0;
  let high = calls.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (calls[middle].pos < node.pos) low = middle + 1;
    else high = middle;
  }
  const out: ts.CallExpression[] = [];
  for (let i = low; i < calls.length && calls[i].pos < node.end; i++) {
    const call = calls[i];
    // A call starting at `node`'s own position may be `node` itself, or one containing it.
    if (call.end <= node.end && isWithin(call, node)) out.push(call);
  }
  return out;
}

function isWithin(call: ts.Node, node: ts.Node): boolean {
  if (call.pos > node.pos || call === node) return true;
  for (let current = call.parent; current; current = current.parent) if (current === node) return true;
  return false;
}
