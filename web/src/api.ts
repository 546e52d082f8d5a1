/**
 * The explorer talks to the server only through its public JSON API (SPEC §7.1), same origin
 * (in development Vite proxies /api and /health to the server). A network failure is an
 * ApiDownError, which the app shows as the red banner with the start command.
 */
import type { WireGraphFilters, WireGraphParams } from '../../src/graph/params';

export class ApiDownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiDownError';
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Health {
  status: string;
  database: { present: boolean; demo: boolean };
  snapshot: { present: boolean; generated_at: string | null; used_for_default_view: boolean };
  warnings: string[];
}

/** The graph filters as the API takes them (the wire form of src/graph/params.ts). */
export type Filters = WireGraphFilters;

export interface GraphData {
  version: string;
  source: 'snapshot' | 'live_build';
  snapshot_generated_at: string | null;
  directed_nodes: number;
  directed_edges: number;
  undirected_edges: number;
  communities: number;
  provenances: string[];
  has_layout: boolean;
  nodes: {
    id: string[];
    username: (string | null)[];
    display_name: (string | null)[];
    num_followers: (number | null)[];
    num_following: (number | null)[];
    provenance: number[];
    shadow: number[];
    community: number[];
    in_degree: number[];
    out_degree: number[];
    x: (number | null)[] | null;
    y: (number | null)[] | null;
  };
  edges: { source: number[]; target: number[]; mutual: number[]; shadow: number[] };
}

export interface BaseMetrics {
  seeds: string[];
  resolved_seeds: string[];
  unknown_seeds: string[];
  graph_version: string;
  node_count: number;
  metrics: { pagerank: number[]; betweenness: number[]; engagement: number[]; communities: number[] };
}

export interface SeedState {
  active_list: string | null;
  lists: Record<string, string[]>;
  preset_names: string[];
  user_list_names: string[];
  settings: WireGraphParams;
}

/** An account as search results and neighbour lists give it. */
export interface AccountSummary {
  id: string;
  username: string | null;
  display_name: string | null;
  num_followers: number | null;
  provenance: string;
  shadow: boolean;
}

export type SearchResult = AccountSummary;

export interface Account extends AccountSummary {
  num_following: number | null;
  num_tweets: number | null;
  num_likes: number | null;
  profile: {
    bio: string | null;
    website: string | null;
    location: string | null;
    avatar_url: string | null;
    account_status: string | null;
    sources: string[];
  } | null;
  x_url: string | null;
  community: number;
  followers_in_graph: { total: number; accounts: AccountSummary[] };
  following_in_graph: { total: number; accounts: AccountSummary[] };
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiDownError((error as Error).message);
  }
  // A proxy in front of a stopped server answers 502/504: the API is down all the same.
  if (response.status === 502 || response.status === 504) throw new ApiDownError(`HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as { message?: string; error?: string } | null;
  if (!response.ok) throw new ApiError(response.status, body?.message ?? body?.error ?? `HTTP ${response.status}`);
  return body as T;
}

const post = <T>(path: string, body: unknown) =>
  call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function filterQuery(filters: Filters): string {
  return new URLSearchParams({
    include_shadow: String(filters.include_shadow),
    mutual_only: String(filters.mutual_only),
    min_followers: String(filters.min_followers),
  }).toString();
}

export const api = {
  health: () => call<Health>('/health'),
  graphData: (filters: Filters) => call<GraphData>(`/api/graph-data?${filterQuery(filters)}`),
  baseMetrics: (seeds: string[], filters: Filters) => post<BaseMetrics>('/api/metrics/base', { seeds, ...filters }),
  seeds: () => call<SeedState>('/api/seeds'),
  saveSeedList: (name: string, seeds: string[]) =>
    post<{ ok: true; state: SeedState }>('/api/seeds', { name, seeds, set_active: true }),
  search: (q: string, limit = 8) =>
    call<{ results: SearchResult[] }>(`/api/accounts/search?${new URLSearchParams({ q, limit: String(limit) })}`),
  account: (id: string, filters: Filters) =>
    call<Account>(`/api/accounts/${encodeURIComponent(id)}?${filterQuery(filters)}&neighbours=20`),
  exportUrl: (file: 'graph.gexf' | 'metrics.csv', seeds: string[], filters: Filters) =>
    `/api/export/${file}?${filterQuery(filters)}${seeds.length ? `&seeds=${encodeURIComponent(seeds.join(','))}` : ''}`,
};
