/**
 * The analysis as a file and as the API's compute answer: maps keyed by account id (text: ids
 * exceed 2^53) and the top accounts by three metrics. Types only, so the explorer's type check and
 * the API's wire types can share it.
 */
export interface AnalysisOutput {
  seeds: string[];
  resolved_seeds: string[];
  unknown_seeds: string[];
  metrics: {
    pagerank: Record<string, number>;
    betweenness: Record<string, number>;
    engagement: Record<string, number>;
    composite: Record<string, number>;
    communities: Record<string, number>;
  };
  top: { pagerank: [string, number][]; betweenness: [string, number][]; composite: [string, number][] };
  graph: { nodes: number; edges: number; directed_nodes: number; directed_edges: number };
}
