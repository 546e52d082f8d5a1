/**
 * The explorer talks to the server only through its public JSON API (docs/API.md), same origin
 * (in development Vite proxies /api and /health to the server). A network failure is an
 * ApiDownError, which the app shows as the red banner with the start command.
 */
import type {
  AccountPayload,
  AccountSummaryPayload,
  BaseMetricsPayload,
  GraphDataPayload,
  HealthPayload,
  SearchPayload,
  SeedChangePayload,
  SeedStatePayload,
} from '../../src/api/wire';
import type { WireGraphFilters } from '../../src/graph/params';

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

/** The graph filters as the API takes them (the wire form of src/graph/params.ts). */
export type Filters = WireGraphFilters;
export type Health = HealthPayload;
export type GraphData = GraphDataPayload;
export type BaseMetrics = BaseMetricsPayload;
export type SeedState = SeedStatePayload;
export type AccountSummary = AccountSummaryPayload;
export type SearchResult = AccountSummaryPayload;
export type Account = AccountPayload;

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
    post<SeedChangePayload>('/api/seeds', { name, seeds, set_active: true }),
  search: (q: string, limit = 8) =>
    call<SearchPayload>(`/api/accounts/search?${new URLSearchParams({ q, limit: String(limit) })}`),
  account: (id: string, filters: Filters) =>
    call<Account>(`/api/accounts/${encodeURIComponent(id)}?${filterQuery(filters)}&neighbours=20`),
  exportUrl: (file: 'graph.gexf' | 'metrics.csv', seeds: string[], filters: Filters) =>
    `/api/export/${file}?${filterQuery(filters)}${seeds.length ? `&seeds=${encodeURIComponent(seeds.join(','))}` : ''}`,
};
