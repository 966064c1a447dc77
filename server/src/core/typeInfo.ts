import { ts } from 'ts-morph';

/**
 * Lazy access to the type checker. Creating a checker binds every file of the program, so a rule
 * asks for types only after cheap syntactic checks have narrowed the question to a few nodes.
 */
export class TypeInfo {
  #checker: ts.TypeChecker | undefined;

  constructor(private readonly createChecker: () => ts.TypeChecker) {}

  get checker(): ts.TypeChecker {
    this.#checker ??= this.createChecker();
    return this.#checker;
  }

  typeOf(node: ts.Node): ts.Type | undefined {
    try {
      return this.checker.getTypeAtLocation(node);
    } catch {
      return undefined;
    }
  }

  /** True when the type is neither `any` nor `unknown` nor an error type: the types resolved. */
  isKnown(type: ts.Type | undefined): type is ts.Type {
    return !!type && (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0;
  }

  /**
   * `true` when every constituent of the type is thenable (Promise, PromiseLike or anything with a
   * callable `then`), `false` when it resolved to something else, `undefined` when types are missing.
   */
  isThenable(node: ts.Node): boolean | undefined {
    const type = this.typeOf(node);
    if (!this.isKnown(type)) return undefined;
    const parts = type.isUnion() ? type.types : [type];
    const thenable = parts.filter((t) => this.hasCallableThen(t));
    if (thenable.length === 0) return false;
    return true;
  }

  private hasCallableThen(type: ts.Type): boolean {
    const then = type.getProperty('then');
    if (!then) return false;
    const decl = then.valueDeclaration ?? then.declarations?.[0];
    if (!decl) return false;
    const thenType = this.checker.getTypeOfSymbolAtLocation(then, decl);
    return thenType.getCallSignatures().length > 0;
  }

  /** The file a symbol's first declaration lives in, following aliases (imports). */
  declarationFile(node: ts.Node): string | undefined {
    const symbol = this.symbolOf(node);
    return symbol?.declarations?.[0]?.getSourceFile().fileName;
  }

  symbolOf(node: ts.Node): ts.Symbol | undefined {
    try {
      let symbol = this.checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      return symbol;
    } catch {
      return undefined;
    }
  }
}

/** `node_modules/@types/express-serve-static-core/index.d.ts` -> `express-serve-static-core`. */
export function packageOfFile(fileName: string): string | undefined {
  const normalized = fileName.replace(/\\/g, '/');
  const at = normalized.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = normalized.slice(at + '/node_modules/'.length).split('/');
  if (rest[0] === '@types') return rest[1];
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}
