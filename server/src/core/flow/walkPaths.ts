import type { FlowEdge, FlowGraph, FlowNode } from './flowGraph';

export interface PathStart<S> {
  node: FlowNode;
  state: S;
}

/**
 * What a consumer says about paths: how a step changes its state, which edges a state can take,
 * and what it means to reach an exit. States are compared by `key`: a path that reaches a node in
 * a state already seen there adds nothing and stops, so loops terminate.
 */
export interface PathWalk<S> {
  key(state: S): string;
  /**
   * Runs a step for a path arriving in `state`: the state leaving along its normal edges
   * (`undefined` ends the path: whatever the walk looks for was settled), and the states carried to
   * its throw target (a rejected `await`, a `throw`).
   */
  step(node: FlowNode, state: S): { next?: S; thrown?: readonly S[] };
  /** The state along one normal edge; `undefined` when the edge can't be taken in that state. */
  edge?(edge: FlowEdge, from: FlowNode, state: S): S | undefined;
  /** A path reached `exit` or `throwExit`; `from` is the step it came from. */
  reachedExit(exit: FlowNode, state: S, from: FlowNode | undefined): void;
}

/** Follows every path from the starts through the graph, as the walk directs. */
export function walkPaths<S>(graph: FlowGraph, starts: readonly PathStart<S>[], walk: PathWalk<S>): void {
  const seen = new Set<string>();
  const work: { node: FlowNode; state: S; from: FlowNode | undefined }[] = starts.map((s) => ({ ...s, from: undefined }));
  while (work.length > 0) {
    const { node, state, from } = work.pop()!;
    if (node === graph.exit || node === graph.throwExit) {
      const exitKey = `${node.id}:${from?.id ?? -1}:${walk.key(state)}`;
      if (seen.has(exitKey)) continue;
      seen.add(exitKey);
      walk.reachedExit(node, state, from);
      continue;
    }
    const key = `${node.id}:${walk.key(state)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (node.kind === 'entry') {
      for (const edge of node.edges) work.push({ node: edge.to, state, from: undefined });
      continue;
    }
    const { next, thrown } = walk.step(node, state);
    if (thrown && node.throwTarget) {
      for (const t of thrown) work.push({ node: node.throwTarget, state: t, from: node });
    }
    if (next === undefined) continue;
    // Pushed in reverse so the first edge (the `true` branch, the first case) is explored first.
    for (let i = node.edges.length - 1; i >= 0; i--) {
      const edge = node.edges[i];
      const along = walk.edge ? walk.edge(edge, node, next) : next;
      if (along !== undefined) work.push({ node: edge.to, state: along, from: node });
    }
  }
}
