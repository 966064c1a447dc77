import { ts } from 'ts-morph';

/**
 * Which declaration an identifier refers to, by JavaScript's scoping rules, from syntax alone:
 * parameters and variables (destructuring included), `catch` bindings, function and class
 * declarations, a function or class expression's own name, imports, and `var`s hoisted to their
 * function. `LocalDeclarations` (scopes/appKinds.ts) indexes only plainly named declarations; this
 * answers for any identifier, at the cost of a walk up its ancestors.
 */
export type Binding = ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | ts.FunctionDeclaration | ts.ClassDeclaration | ts.ImportClause | ts.ImportSpecifier | ts.NamespaceImport | ts.ImportEqualsDeclaration | ts.FunctionExpression | ts.ClassExpression | ts.EnumDeclaration;

/** The declaration `identifier` refers to; undefined for globals and names declared nowhere in the file. */
export function resolveBinding(identifier: ts.Identifier): Binding | undefined {
  const name = identifier.text;
  let child: ts.Node = identifier;
  for (let scope: ts.Node | undefined = identifier.parent; scope; child = scope, scope = scope.parent) {
    const found = declaredIn(scope, name, child);
    if (found) return found;
  }
  return undefined;
}

/** The node whose code can see the binding: the function for `var`s and parameters, else the block. */
export function bindingScope(binding: Binding): ts.Node {
  if (ts.isParameter(binding)) return binding.parent;
  if (ts.isFunctionExpression(binding) || ts.isClassExpression(binding)) return binding;
  let node: ts.Node = binding;
  if (ts.isBindingElement(node)) while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (ts.isParameter(node)) return node.parent;
  const list = node.parent;
  const isVar = !!list && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0;
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isSourceFile(current) || ts.isFunctionLike(current)) return current;
    if (!isVar && (ts.isBlock(current) || ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isCaseBlock(current) || ts.isCatchClause(current) || ts.isModuleBlock(current))) return current;
  }
  return binding.getSourceFile();
}

/** Whether an identifier is a reference to a value (not a property name, a label, or a declaration's own name). */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return false;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) return parent.name !== identifier || (ts.isPropertyAssignment(parent) && parent.initializer === identifier);
  if (ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) return parent.name !== identifier;
  if (ts.isBindingElement(parent)) return parent.initializer === identifier;
  if (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassExpression(parent)) {
    return (parent as ts.VariableDeclaration).initializer === identifier;
  }
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent) || ts.isImportEqualsDeclaration(parent)) return false;
  if (ts.isTypeAliasDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeParameterDeclaration(parent) || ts.isEnumDeclaration(parent)) return false;
  if (ts.isJsxAttribute(parent)) return false;
  if (ts.isMetaProperty(parent)) return false;
  return true;
}

function declaredIn(scope: ts.Node, name: string, child: ts.Node): Binding | undefined {
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) return inStatements(scope.statements, name);
  if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) {
      const found = inStatements(clause.statements, name);
      if (found) return found;
    }
    return undefined;
  }
  if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    const init = scope.initializer;
    return init && ts.isVariableDeclarationList(init) ? inDeclarationList(init, name) : undefined;
  }
  if (ts.isCatchClause(scope)) {
    const declaration = scope.variableDeclaration;
    return declaration ? inName(declaration.name, name, declaration) : undefined;
  }
  if (ts.isFunctionLike(scope)) {
    // Default values see the parameters; a function's body also sees its hoisted `var`s.
    for (const parameter of scope.parameters) {
      const found = inName(parameter.name, name, parameter);
      if (found) return found;
    }
    if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope) || ts.isArrowFunction(scope) || ts.isMethodDeclaration(scope) || ts.isConstructorDeclaration(scope) || ts.isAccessor(scope)) && scope.body && child === scope.body) {
      const hoisted = hoistedVar(scope.body, name);
      if (hoisted) return hoisted;
    }
    if (ts.isFunctionExpression(scope) && scope.name?.text === name) return scope;
    return undefined;
  }
  if (ts.isClassExpression(scope) && scope.name?.text === name) return scope;
  return undefined;
}

function inStatements(statements: readonly ts.Statement[], name: string): Binding | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const found = inDeclarationList(statement.declarationList, name);
      if (found) return found;
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) {
      return statement;
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name?.text === name) return clause;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (element.name.text === name) return element;
    } else if (ts.isImportEqualsDeclaration(statement) && statement.name.text === name) {
      return statement;
    }
  }
  return undefined;
}

function inDeclarationList(list: ts.VariableDeclarationList, name: string): Binding | undefined {
  for (const declaration of list.declarations) {
    const found = inName(declaration.name, name, declaration);
    if (found) return found;
  }
  return undefined;
}

function inName(bindingName: ts.BindingName, name: string, declaration: ts.VariableDeclaration | ts.ParameterDeclaration): Binding | undefined {
  if (ts.isIdentifier(bindingName)) return bindingName.text === name ? declaration : undefined;
  return inPattern(bindingName, name);
}

function inPattern(pattern: ts.BindingPattern, name: string): ts.BindingElement | undefined {
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) {
      if (element.name.text === name) return element;
    } else {
      const found = inPattern(element.name, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** A `var` declared anywhere in a function body outside nested functions (it is hoisted to the function). */
function hoistedVar(body: ts.Node, name: string): Binding | undefined {
  let found: Binding | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      found = inDeclarationList(node, name);
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
