import type { ts } from 'ts-morph';
import { isTestFile } from '../testFiles';
import type { HelperCall, RequestObjectRole, RequestScope, SignalSource } from '../scopes/requestScope';
import type { FunctionWithBody } from '../syntax/fileIndex';
import { type ProjectFiles, ValueResolver } from '../syntax/values';
import { type Caller, callerOfScope, type HelperEdge, helperCallOf, helperEdgesFrom, MAX_HELPER_DEPTH, mappedSignal, mappedWaitUntil } from './helperCalls';

/** What the graph needs of the project: its files, and a counter that moves when any changes. */
export interface HelperProject extends ProjectFiles {
  readonly generation: number;
  /** Changes when an import that resolved to nothing may now resolve to a file. */
  readonly resolutionEpoch: number;
  rootSourceFiles(): Iterable<ts.SourceFile>;
  getSourceFile(fileName: string): ts.SourceFile | undefined;
}

/** Registered request scopes of a file (cached by the caller per SourceFile object). */
export type RegisteredScopes = (sourceFile: ts.SourceFile) => readonly RequestScope[];

/** Related information stays readable when a helper is reached from many handlers. */
const MAX_VIA = 8;

interface Entry {
  sourceFile: ts.SourceFile;
  /** Every other file the edges were computed from, as it was then. */
  deps: Map<string, ts.SourceFile | undefined>;
  /** Set when an import resolved to nothing: the entry holds only until files appear. */
  unresolvedAt?: number;
  edges: HelperEdge[];
}

/**
 * Which project functions are helpers of request scopes (RULES.md §1, "Helpers"), across the
 * files the project holds. Each file's outgoing calls are computed once per version of the file
 * and of the files they reach, so an edit recomputes one file's calls, not the project's.
 */
export class HelperGraph {
  readonly #entries = new Map<string, Entry>();
  #incoming = new Map<string, HelperEdge[]>();
  /** Built scopes, so the result cache's signature and the analysis see the same objects. */
  #scopes = new WeakMap<ts.SourceFile, RequestScope[]>();
  #generation = -1;

  constructor(
    private readonly project: HelperProject,
    private readonly registeredScopes: RegisteredScopes,
  ) {}

  /** The helper scopes whose functions are declared in `sourceFile`. */
  helperScopesIn(sourceFile: ts.SourceFile): RequestScope[] {
    this.#refresh();
    let scopes = this.#scopes.get(sourceFile);
    if (!scopes) {
      const edges = (this.#incoming.get(sourceFile.fileName) ?? []).filter((e) => e.target.getSourceFile() === sourceFile);
      const byTarget = new Map<FunctionWithBody, HelperEdge[]>();
      for (const edge of edges) byTarget.set(edge.target, [...(byTarget.get(edge.target) ?? []), edge]);
      scopes = [...byTarget.values()].map(helperScope);
      this.#scopes.set(sourceFile, scopes);
    }
    return scopes;
  }

  /** A string that changes when the helper scopes of `sourceFile` change (for result caches). */
  signature(sourceFile: ts.SourceFile): string {
    return this.helperScopesIn(sourceFile)
      .map((s) => `${s.fn.pos}:${[...s.requestObjects].join(',')}:${s.via?.map((v) => `${v.fileName}@${v.start}`).join(',')}`)
      .join(';');
  }

  #refresh(): void {
    if (this.#generation === this.project.generation) return;
    this.#generation = this.project.generation;
    const live = new Set<string>();
    let changed = false;
    for (const sourceFile of this.project.rootSourceFiles()) {
      const fileName = sourceFile.fileName;
      if (sourceFile.isDeclarationFile || isTestFile(fileName)) continue;
      live.add(fileName);
      const entry = this.#entries.get(fileName);
      if (entry && this.#isCurrent(entry, sourceFile)) continue;
      this.#entries.set(fileName, this.#compute(sourceFile));
      changed = true;
    }
    for (const fileName of this.#entries.keys()) {
      if (!live.has(fileName)) {
        this.#entries.delete(fileName);
        changed = true;
      }
    }
    if (!changed) return;
    this.#scopes = new WeakMap();
    this.#incoming = new Map();
    for (const entry of this.#entries.values()) {
      for (const edge of entry.edges) {
        const target = edge.target.getSourceFile().fileName;
        this.#incoming.set(target, [...(this.#incoming.get(target) ?? []), edge]);
      }
    }
  }

  #isCurrent(entry: Entry, sourceFile: ts.SourceFile): boolean {
    if (entry.sourceFile !== sourceFile) return false;
    if (entry.unresolvedAt !== undefined && entry.unresolvedAt !== this.project.resolutionEpoch) return false;
    for (const [fileName, seen] of entry.deps) if (this.project.getSourceFile(fileName) !== seen) return false;
    return true;
  }

  /** Calls from this file's request scopes into helpers, then from those helpers one level on. */
  #compute(sourceFile: ts.SourceFile): Entry {
    const deps = new Map<string, ts.SourceFile | undefined>();
    const epoch = this.project.resolutionEpoch;
    let unresolvedAt: number | undefined;
    const files: ProjectFiles = {
      resolveRelative: (from, specifier) => {
        const resolved = this.project.resolveRelative(from, specifier);
        if (resolved) deps.set(resolved.fileName, resolved);
        else unresolvedAt = epoch;
        return resolved;
      },
    };
    const registered = this.registeredScopes(sourceFile);
    if (registered.length === 0) return { sourceFile, deps, edges: [] };
    const values = new ValueResolver(files);
    const edges: HelperEdge[] = [];
    let frontier: { caller: Caller; chain: Set<ts.Node> }[] = registered.map((scope) => ({ caller: callerOfScope(scope), chain: new Set([scope.fn]) }));
    for (let depth = 1; depth <= MAX_HELPER_DEPTH && frontier.length > 0; depth++) {
      const next: typeof frontier = [];
      for (const { caller, chain } of frontier) {
        for (const edge of helperEdgesFrom(caller, values)) {
          if (chain.has(edge.target) || this.#insideScope(edge.target)) continue;
          const targetFile = edge.target.getSourceFile();
          if (targetFile !== sourceFile) deps.set(targetFile.fileName, targetFile);
          edges.push(edge);
          next.push({ caller: helperCaller(edge, depth), chain: new Set([...chain, edge.target]) });
        }
      }
      frontier = next;
    }
    return { sourceFile, deps, unresolvedAt, edges };
  }

  /** A function that is itself a request scope, or is created inside one, is analysed as that. */
  #insideScope(fn: FunctionWithBody): boolean {
    const scopes = this.registeredScopes(fn.getSourceFile());
    return scopes.some((scope) => fn.pos >= scope.fn.pos && fn.end <= scope.fn.end);
  }
}

function helperCaller(edge: HelperEdge, depth: number): Caller {
  return {
    fn: edge.target,
    framework: edge.caller.framework,
    requestObjects: edge.requestObjects,
    signal: mappedSignal(edge),
    waitUntil: mappedWaitUntil(edge),
    reason: helperReason(edge),
    via: [...edge.caller.via, helperCallOf(edge)],
    depth,
  };
}

/** One scope per helper function, whichever handlers reach it: a finding is reported once. */
function helperScope(edges: HelperEdge[]): RequestScope {
  const first = edges[0];
  const requestObjects = new Map<string, RequestObjectRole>();
  let signal: SignalSource = { kind: 'none' };
  let waitUntil: string | undefined;
  const via: HelperCall[] = [];
  for (const edge of edges) {
    for (const [name, role] of edge.requestObjects) if (!requestObjects.has(name)) requestObjects.set(name, role);
    if (signal.kind === 'none') signal = mappedSignal(edge);
    waitUntil ??= mappedWaitUntil(edge);
    for (const call of [...edge.caller.via, helperCallOf(edge)]) {
      if (via.length < MAX_VIA && !via.some((v) => v.fileName === call.fileName && v.start === call.start)) via.push(call);
    }
  }
  return {
    fn: first.target,
    framework: first.caller.framework,
    role: 'helper',
    requestObjects,
    signal,
    waitUntil,
    mustStaySync: false,
    reason: helperReason(first),
    via,
  };
}

function helperReason(edge: HelperEdge): string {
  const names = [...edge.requestObjects.keys(), ...(edge.signalParameter ? [edge.signalParameter] : [])].map((n) => `\`${n}\``).join(', ');
  return `a helper given ${names} by a request handler`;
}
