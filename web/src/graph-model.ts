/**
 * The graph-data payload turned into what the map draws: a graphology graph keyed by node index
 * (as text), with the snapshot's layout; and an undirected adjacency for the Focus view's bridge search
 * and the ego view. Colours and landmark labels are painted on afterwards (`paint`, from named-map.ts), so a
 * rename or a change of colouring repaints the nodes without building the graph again. Edges carry whether they
 * are a shadow account's; MapView colours them for the theme.
 */
import Graph from 'graphology';
import type { GraphData } from './api';

/** Louvain community colours (12, distinguishable); communities beyond them share a neutral grey. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ca8a04',
  '#4f46e5',
  '#0d9488',
  '#b91c1c',
];
export const OTHER_COLOUR = '#9ca3af';

export function communityColour(community: number): string {
  return PALETTE[community] ?? OTHER_COLOUR;
}

export function label(data: GraphData, i: number): string {
  const handle = data.nodes.username[i];
  return handle ? `@${handle}` : data.nodes.id[i]!;
}

/**
 * Positions: the snapshot's layout; a node it does not place (a live build after an import)
 * goes on a spiral around its community's centre, so it is still visible.
 */
function positions(data: GraphData): { x: Float64Array; y: Float64Array } {
  const n = data.directed_nodes;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const px = data.nodes.x?.[i];
    const py = data.nodes.y?.[i];
    if (px != null && py != null) {
      x[i] = px;
      y[i] = py;
      continue;
    }
    const community = data.nodes.community[i] ?? 0;
    const centre = community * golden * 7;
    const r = 50 + 3 * Math.sqrt(i);
    x[i] = 400 * Math.cos(centre) + r * Math.cos(i * golden);
    y[i] = 400 * Math.sin(centre) + r * Math.sin(i * golden);
  }
  return { x, y };
}

/**
 * Above this many follows the map leaves edges out of the drawn graph: hundreds of thousands of
 * faint lines add nothing to the overview and cost seconds per frame in software WebGL. The
 * selected account's follows are added when it is selected (selectionEdges).
 */
export const MAP_EDGE_LIMIT = 50_000;

export interface GraphModel {
  data: GraphData;
  graph: Graph;
  /** Whether every follow is an edge of `graph` (small graphs) or only the selection's. */
  allEdges: boolean;
  /** Edge indexes touching each node (CSR over `incident`). */
  incidentOffsets: Int32Array;
  incident: Int32Array;
  /** Undirected neighbours per node (CSR). */
  offsets: Int32Array;
  neighbours: Int32Array;
  /** Node index by lower-cased handle and by id. */
  byKey: Map<string, number>;
}

export function buildModel(data: GraphData, sizes: Float64Array | null): GraphModel {
  const graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: false });
  const { x, y } = positions(data);
  const n = data.directed_nodes;
  for (let i = 0; i < n; i++) {
    graph.addNode(String(i), { x: x[i], y: y[i], size: sizes?.[i] ?? 3, label: label(data, i), color: OTHER_COLOUR });
  }
  const { source, target } = data.edges;
  const allEdges = source.length <= MAP_EDGE_LIMIT;
  if (allEdges) for (let k = 0; k < source.length; k++) addEdge(graph, data, k);
  const degree = new Int32Array(n + 1);
  for (let k = 0; k < source.length; k++) {
    degree[source[k]! + 1]!++;
    degree[target[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const cursor = degree.slice(0, n);
  const neighbours = new Int32Array(source.length * 2);
  const incident = new Int32Array(source.length * 2);
  for (let k = 0; k < source.length; k++) {
    incident[cursor[source[k]!]!] = k;
    neighbours[cursor[source[k]!]!++] = target[k]!;
    incident[cursor[target[k]!]!] = k;
    neighbours[cursor[target[k]!]!++] = source[k]!;
  }
  const byKey = new Map<string, number>();
  data.nodes.id.forEach((id, i) => byKey.set(id, i));
  data.nodes.username.forEach((handle, i) => {
    if (handle && !byKey.has(handle.toLowerCase())) byKey.set(handle.toLowerCase(), i);
  });
  return { data, graph, allEdges, incidentOffsets: degree, incident, offsets: degree, neighbours, byKey };
}

function addEdge(graph: Graph, data: GraphData, k: number): void {
  const s = String(data.edges.source[k]);
  const t = String(data.edges.target[k]);
  if (!graph.hasDirectedEdge(s, t)) graph.addDirectedEdge(s, t, { shadow: data.edges.shadow[k] === 1, size: 0.5 });
}

/** Puts a colouring on the map: every node's colour, and which nodes' labels are always drawn (sigma's forceLabel). */
export function paint(model: GraphModel, colours: readonly string[], landmarks: readonly number[]): void {
  const forced = new Set(landmarks);
  model.graph.updateEachNodeAttributes(
    (node, attributes) => {
      const i = Number(node);
      return { ...attributes, color: colours[i], forceLabel: forced.has(i) };
    },
    { attributes: ['color', 'forceLabel'] },
  );
}

/** On a map drawn without edges, adds the follows of one account; returns how to take them away. */
export function selectionEdges(model: GraphModel, node: number): () => void {
  if (model.allEdges) return () => undefined;
  const added: string[] = [];
  for (let j = model.incidentOffsets[node]!; j < model.incidentOffsets[node + 1]!; j++) {
    const k = model.incident[j]!;
    const s = String(model.data.edges.source[k]);
    const t = String(model.data.edges.target[k]);
    if (model.graph.hasDirectedEdge(s, t)) continue;
    addEdge(model.graph, model.data, k);
    added.push(model.graph.directedEdge(s, t)!);
  }
  return () => {
    for (const edge of added) if (model.graph.hasEdge(edge)) model.graph.dropEdge(edge);
  };
}

export function findNode(model: GraphModel, key: string): number | undefined {
  return model.byKey.get(key) ?? model.byKey.get(key.replace(/^@/, '').toLowerCase());
}
