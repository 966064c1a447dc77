// The control-flow view of a function: see flowGraph.ts for what it models and what it leaves out.
export type { FinallyRoute, FlowEdge, FlowEdgeKind, FlowGraph, FlowNode, FlowNodeKind, FlowStepRole } from './flowGraph';
export { flowGraphOf } from './buildFlowGraph';
export { awaitPointsIn, enclosingFunction, forEachEvaluated, isDeferredCode, isFunctionWithBody, type FunctionWithBody } from './evaluated';
export { walkPaths, type PathWalk, type PathStart } from './walkPaths';
export { callsWithin, functionIndexOf, isOwnCode, within, type FunctionIndex } from './functionIndex';
