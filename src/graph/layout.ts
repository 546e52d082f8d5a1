/**
 * Positions for the map (SPEC §6.3): ForceAtlas2 (M. Jacomy, T. Venturini, S. Heymann, M. Bastian,
 * "ForceAtlas2, a continuous graph layout algorithm for handy network visualization", PLoS ONE
 * 9(6), 2014) through graphology-layout-forceatlas2, with the Barnes–Hut approximation on large
 * graphs. Starting positions come from the seeded generator, so the same graph gets the same map.
 */
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import { createRng } from '../rng.js';
import type { UndirectedView } from './graph.js';
import { toGraphology } from './graphology.js';

// CommonJS package: under Node's ESM loader the default import is the function itself, while its
// typings describe it as `.default` (as in communities.ts).
type ForceAtlas2 = (typeof forceAtlas2Module)['default'];
const forceAtlas2: ForceAtlas2 = (forceAtlas2Module as unknown as { default?: ForceAtlas2 }).default ?? (forceAtlas2Module as unknown as ForceAtlas2);

export interface LayoutResult {
  x: Float64Array;
  y: Float64Array;
  iterations: number;
}

/** Fewer iterations as graphs grow: Barnes–Hut iterations on 95,000 nodes cost about half a second each. */
export function defaultIterations(nodes: number): number {
  if (nodes > 50_000) return 40;
  if (nodes > 5_000) return 120;
  return 300;
}

export function layout(view: UndirectedView, options: { iterations?: number; seed?: number } = {}): LayoutResult {
  const n = view.nodeCount;
  const graph = toGraphology(view);
  const rng = createRng(options.seed ?? 42);
  // Seeded random start in a disc whose area grows with the graph.
  const radius = Math.sqrt(n) * 10;
  graph.forEachNode((node) => {
    const angle = rng.next() * 2 * Math.PI;
    const distance = Math.sqrt(rng.next()) * radius;
    graph.mergeNodeAttributes(node, { x: Math.cos(angle) * distance, y: Math.sin(angle) * distance });
  });
  const iterations = options.iterations ?? defaultIterations(n);
  const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: n > 2_000 };
  const positions = n > 0 ? forceAtlas2(graph, { iterations, settings }) : {};
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (const [node, position] of Object.entries(positions as Record<string, { x: number; y: number }>)) {
    x[Number(node)] = position.x;
    y[Number(node)] = position.y;
  }
  return { x, y, iterations };
}
