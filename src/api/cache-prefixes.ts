/**
 * The kinds of entry the server's graph cache holds (docs/API.md, "Caches"); `tpot cache invalidate --prefix` names
 * one.
 */
export const GRAPH_CACHE_PREFIXES = ['graph', 'graph_data', 'base_metrics', 'seed_metrics', 'export'] as const;
export type GraphCachePrefix = (typeof GRAPH_CACHE_PREFIXES)[number];
