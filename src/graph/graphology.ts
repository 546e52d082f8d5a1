/**
 * The undirected view as a graphology graph, for the algorithms taken from graphology's library
 * (Louvain, ForceAtlas2): nodes are the dense indexes, each undirected pair one edge.
 */
import { UndirectedGraph } from 'graphology';
import type { UndirectedView } from './graph.js';

export function toGraphology(view: UndirectedView): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (let i = 0; i < view.nodeCount; i++) graph.addNode(i);
  for (let u = 0; u < view.nodeCount; u++) {
    for (let k = view.offsets[u]!; k < view.offsets[u + 1]!; k++) {
      const v = view.neighbours[k]!;
      if (u < v) graph.addUndirectedEdge(u, v);
    }
  }
  return graph;
}
