import { ts } from 'ts-morph';
import { resolveBinding, isValueReference, type Binding } from '../syntax/bindings';
import { skipOuter } from './appKinds';
import { isNestSingleton } from './nestScopes';

/**
 * State every request of a process shares (RULES.md §2.12): a module-level `let`/`var`, a static
 * field, or a field of a singleton — a NestJS provider or controller in the default scope, a class
 * this file instantiates once at module level (exported or not), or a module-level object literal.
 * Recognised from syntax: a class is a singleton here only when this file says so.
 */
export type SharedTarget =
  | { kind: 'module'; name: string; declaration: ts.VariableDeclaration }
  | { kind: 'static'; name: string; cls: ts.ClassLikeDeclaration }
  | { kind: 'instance'; name: string; cls: ts.ClassLikeDeclaration; why: 'nest' | 'instance' }
  | { kind: 'object'; name: string; holder: ts.VariableDeclaration };

/** Where one reference to a target is: `node` is the identifier or the property access. */
export interface TargetReference {
  node: ts.Expression;
  /** Left of a plain `=`: sets the value without reading it. */
  write: boolean;
}

/** The shared target an assignment's left side names, if any. */
export function sharedTargetOf(left: ts.Expression): SharedTarget | undefined {
  const target = skipOuter(left);
  if (ts.isIdentifier(target)) {
    const binding = resolveBinding(target);
    if (binding && ts.isVariableDeclaration(binding) && isModuleLevel(binding) && !isConst(binding) && ts.isIdentifier(binding.name)) {
      return { kind: 'module', name: target.text, declaration: binding };
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.name)) return undefined;
  const name = target.name.text;
  const receiver = skipOuter(target.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = thisOwner(receiver);
    if (!owner) return undefined;
    if (owner.isStatic) return { kind: 'static', name, cls: owner.cls };
    if (isMethod(owner.cls, name, false)) return undefined;
    const why = singletonReason(owner.cls);
    return why ? { kind: 'instance', name, cls: owner.cls, why } : undefined;
  }
  if (ts.isPropertyAccessExpression(receiver) && skipOuter(receiver.expression).kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(receiver.name)) {
    // `this.carts.owner`: a field of a singleton the class holds (a Nest provider injected by type).
    const owner = thisOwner(receiver.expression);
    const cls = owner && !owner.isStatic ? injectedClass(owner.cls, receiver.name.text) : undefined;
    if (!cls || isMethod(cls, name, false)) return undefined;
    const why = singletonReason(cls);
    return why ? { kind: 'instance', name, cls, why } : undefined;
  }
  if (!ts.isIdentifier(receiver)) return undefined;
  const binding = resolveBinding(receiver);
  if (!binding) return undefined;
  if (ts.isClassDeclaration(binding) && isModuleLevel(binding)) return isMethod(binding, name, true) ? undefined : { kind: 'static', name, cls: binding };
  if (ts.isVariableDeclaration(binding) && isModuleLevel(binding) && binding.initializer) {
    const value = skipOuter(binding.initializer);
    if (ts.isObjectLiteralExpression(value)) return { kind: 'object', name, holder: binding };
    if (ts.isNewExpression(value) && ts.isIdentifier(value.expression)) {
      const cls = resolveBinding(value.expression);
      if (cls && ts.isClassDeclaration(cls) && !isMethod(cls, name, false)) return { kind: 'instance', name, cls, why: singletonReason(cls) ?? 'instance' };
    }
  }
  return undefined;
}

/** The class declared in this file that a field or constructor parameter property `name` is typed as. */
function injectedClass(cls: ts.ClassLikeDeclaration, name: string): ts.ClassDeclaration | undefined {
  let type: ts.TypeNode | undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name && !hasStatic(member)) type = member.type;
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.isParameterPropertyDeclaration(parameter, member)) type = parameter.type;
      }
    }
  }
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const declaration = resolveBinding(type.typeName);
  return declaration && ts.isClassDeclaration(declaration) && ts.isSourceFile(declaration.parent) ? declaration : undefined;
}

/** A stable key: one per target, whichever assignment names it. */
export function targetKey(target: SharedTarget): ts.Node {
  switch (target.kind) {
    case 'module':
      return target.declaration;
    case 'object':
      return target.holder;
    default:
      return target.cls;
  }
}

export function sameTarget(a: SharedTarget, b: SharedTarget): boolean {
  return a.kind === b.kind && a.name === b.name && targetKey(a) === targetKey(b);
}

/** Whether the target can be read from other modules: an exported `let`. */
export function isExported(target: SharedTarget): boolean {
  if (target.kind !== 'module') return false;
  const statement = target.declaration.parent.parent;
  return ts.isVariableStatement(statement) && !!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Every reference to the target in its file, in source order. */
export function referencesOf(target: SharedTarget, sourceFile: ts.SourceFile): TargetReference[] {
  const out: TargetReference[] = [];
  const name = target.name;
  const visit = (node: ts.Node): void => {
    if (target.kind === 'module' && ts.isIdentifier(node)) {
      if (node.text === name && isValueReference(node) && resolveBinding(node) === target.declaration) out.push({ node, write: isPlainWrite(node) });
      return;
    }
    if (target.kind !== 'module' && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name) && node.name.text === name) {
      const found = sharedTargetOf(node);
      if (found && sameTarget(found, target)) out.push({ node, write: isPlainWrite(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** `x = ...` (not `x += ...`, `x ??= ...`): the reference only writes. */
export function isPlainWrite(node: ts.Expression): boolean {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** `delete x.y` and the writes above are not reads. */
export function isRead(reference: TargetReference): boolean {
  if (reference.write) return false;
  let current: ts.Node = reference.node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return !ts.isDeleteExpression(current.parent);
}

/** The declaration of a field target in its class, if it has one. */
export function fieldDeclaration(target: SharedTarget): ts.PropertyDeclaration | undefined {
  if (target.kind !== 'static' && target.kind !== 'instance') return undefined;
  const isStatic = target.kind === 'static';
  return target.cls.members.find(
    (m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === target.name && hasStatic(m) === isStatic,
  );
}

function isModuleLevel(declaration: ts.VariableDeclaration | ts.ClassDeclaration): boolean {
  if (ts.isClassDeclaration(declaration)) return ts.isSourceFile(declaration.parent);
  const statement = declaration.parent?.parent;
  return !!statement && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent);
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return (declaration.parent.flags & ts.NodeFlags.Const) !== 0 || (declaration.parent.flags & ts.NodeFlags.Using) !== 0;
}

function hasStatic(member: ts.ClassElement): boolean {
  return !!(ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
}

function isMethod(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): boolean {
  return cls.members.some((m) => (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) && ts.isIdentifier(m.name) && m.name.text === name && hasStatic(m) === isStatic);
}

/** The class `this` stands for here, and whether in a static member; undefined inside plain functions. */
function thisOwner(node: ts.Node): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  let member: ts.Node | undefined;
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    if (ts.isClassLike(current)) {
      if (!member) return undefined;
      return { cls: current, isStatic: hasStatic(member as ts.ClassElement) || ts.isClassStaticBlockDeclaration(member) };
    }
    if (ts.isClassElement(current)) member = current;
  }
  return undefined;
}

/**
 * Why instances of a class are shared by all requests: a NestJS `@Injectable()`/`@Controller()`
 * in the default scope, or this file creates it once at module level (`export const users = new
 * UserStore()`, `export default new Controller()`, `module.exports = new Controller()`).
 */
export function singletonReason(cls: ts.ClassLikeDeclaration): 'nest' | 'instance' | undefined {
  if (isNestSingleton(cls)) return 'nest';
  if (!ts.isClassDeclaration(cls) || !cls.name || !ts.isSourceFile(cls.parent)) return undefined;
  const name = cls.name.text;
  for (const statement of cls.getSourceFile().statements) {
    const created: ts.Expression[] = [];
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (d.initializer) created.push(d.initializer);
    if (ts.isExportAssignment(statement)) created.push(statement.expression);
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (/^(module\.)?exports\b/.test(statement.expression.left.getText())) created.push(statement.expression.right);
    }
    for (const value of created) {
      const e = skipOuter(value);
      if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === name && resolveBinding(e.expression) === cls) return 'instance';
    }
  }
  return undefined;
}

export type { Binding };
