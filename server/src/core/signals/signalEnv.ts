import { ts } from 'ts-morph';
import type { FileFacts } from '../fileFacts';
import { type LocalDeclarations, skipOuter } from '../scopes/appKinds';
import { callsWithin, type FunctionWithBody, indexOf } from '../syntax/fileIndex';
import type { ImportTable } from '../scopes/imports';
import type { TypeInfo } from '../typeInfo';

/**
 * What the signal modules need to know about one file. The declarations and the file's calls come
 * from the shared per-file index (one walk of the file for every consumer); the lookups the signal
 * modules repeat are remembered here for the analysis.
 */
export class SignalEnv {
  readonly #localFunctions = new Map<ts.Identifier, FunctionWithBody | null>();
  readonly #callsWithin = new Map<ts.Node, readonly ts.CallExpression[]>();

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly imports: ImportTable,
    readonly types: TypeInfo,
  ) {}

  get declarations(): LocalDeclarations {
    return indexOf(this.sourceFile).declarations;
  }

  /** Every call in the file, in source order. */
  get calls(): readonly ts.CallExpression[] {
    return indexOf(this.sourceFile).calls;
  }

  /** Every function with a body in the file, in source order. */
  get functions(): readonly FunctionWithBody[] {
    return indexOf(this.sourceFile).functions;
  }

  /** `node` if it is a call, and the calls inside it (nested functions included), in source order, without walking it. */
  callsWithin(node: ts.Node): readonly ts.CallExpression[] {
    let within = this.#callsWithin.get(node);
    if (!within) {
      within = callsWithin(node, this.sourceFile);
      this.#callsWithin.set(node, within);
    }
    return within;
  }

  /** The function a call invokes, when it is declared in this file under the callee's name. */
  localFunction(call: ts.CallExpression): FunctionWithBody | undefined {
    const callee = skipOuter(call.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    let found = this.#localFunctions.get(callee);
    if (found === undefined) {
      found = findLocalFunction(callee, this.declarations) ?? null;
      this.#localFunctions.set(callee, found);
    }
    return found ?? undefined;
  }
}

/** `call` is `node` or inside it (checked by ancestry only when their spans start together). */
function findLocalFunction(callee: ts.Identifier, declarations: LocalDeclarations): FunctionWithBody | undefined {
  const declaration = declarations.lookup(callee.text, callee);
  if (!declaration) return undefined;
  if (isFunctionWithBody(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const init = skipOuter(declaration.initializer);
    if (isFunctionWithBody(init)) return init;
  }
  return undefined;
}

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

// One environment per analysis of a file, shared by every signal rule (its lookups are remembered).
const envs = new WeakMap<FileFacts, SignalEnv>();

/** The signal environment of the file `facts` describes, created on first use in an analysis. */
export function signalEnvOf(facts: FileFacts): SignalEnv {
  let env = envs.get(facts);
  if (!env) {
    env = new SignalEnv(facts.sourceFile, facts.imports, facts.types);
    envs.set(facts, env);
  }
  return env;
}
