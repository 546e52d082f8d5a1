/**
 * The Focus view's graph: the focus set's accounts and the follows among them, starting from the
 * map's positions and laid out live by ForceAtlas2 in a web worker (graphology's supervisor), so
 * the page stays responsive while it settles.
 */
import Graph from 'graphology';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import type { FocusSet } from './focus';
import type { GraphModel } from './graph-model';

export const FOCUS_COLOURS = { seed: '#f59e0b', bridge: '#fb923c' };

export function focusGraph(model: GraphModel, focus: FocusSet): Graph {
  const graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  for (const i of focus.members) {
    const key = String(i);
    const attributes = { ...model.graph.getNodeAttributes(key) };
    if (focus.seeds.has(i))
      Object.assign(attributes, {
        color: FOCUS_COLOURS.seed,
        size: Math.max(Number(attributes.size ?? 3), 8),
        forceLabel: true,
      });
    else if (focus.bridges.has(i)) Object.assign(attributes, { color: FOCUS_COLOURS.bridge });
    graph.addNode(key, attributes);
  }
  const { source, target } = model.data.edges;
  for (let k = 0; k < source.length; k++) {
    const s = String(source[k]);
    const t = String(target[k]);
    if (graph.hasNode(s) && graph.hasNode(t)) graph.addDirectedEdge(s, t, { color: '#94a3b866', size: 0.6 });
  }
  return graph;
}

/** Runs ForceAtlas2 in a worker for `ms`, then stops; returns a function that stops it early. */
export function settle(graph: Graph, ms = 2500): () => void {
  const layout = new FA2Layout(graph, {
    settings: { gravity: 1, scalingRatio: 10, barnesHutOptimize: graph.order > 2000, slowDown: 5 },
  });
  layout.start();
  const timer = setTimeout(() => layout.kill(), ms);
  return () => {
    clearTimeout(timer);
    layout.kill();
  };
}
