/**
 * The explorer talks to the server only through its public JSON API (docs/API.md), same origin
 * (in development Vite proxies /api and /health to the server). A network failure is an
 * ApiDownError, which the app shows as the red banner with the start command. Every call takes an
 * AbortSignal: a request whose answer is no longer wanted is cancelled (see use-api.ts).
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

/** What to tell the user about a failed call. */
export const failureMessage = (failure: unknown): string =>
  failure instanceof Error ? failure.message : 'unexpected failure';

/** A request cancelled by its AbortSignal: nobody waits for its answer, so it is no failure. */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiDownError(error instanceof Error ? error.message : String(error));
  }
  // A proxy in front of a stopped server answers 502/504: the API is down all the same.
  if (response.status === 502 || response.status === 504) throw new ApiDownError(`HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as { message?: string; error?: string } | null;
  if (!response.ok) throw new ApiError(response.status, body?.message ?? body?.error ?? `HTTP ${response.status}`);
  return body as T;
}

const post = <T>(path: string, body: unknown, signal?: AbortSignal) =>
  call<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: signal ?? null,
  });
const get = <T>(path: string, signal?: AbortSignal) => call<T>(path, { signal: signal ?? null });

export function filterQuery(filters: Filters): string {
  return new URLSearchParams({
    include_shadow: String(filters.include_shadow),
    mutual_only: String(filters.mutual_only),
    include_interactions: String(filters.include_interactions),
    min_followers: String(filters.min_followers),
  }).toString();
}

export const api = {
  health: (signal?: AbortSignal) => get<Health>('/health', signal),
  graphData: (filters: Filters, signal?: AbortSignal) =>
    get<GraphData>(`/api/graph-data?${filterQuery(filters)}`, signal),
  baseMetrics: (seeds: string[], filters: Filters, signal?: AbortSignal) =>
    post<BaseMetrics>('/api/metrics/base', { seeds, ...filters }, signal),
  seeds: (signal?: AbortSignal) => get<SeedState>('/api/seeds', signal),
  saveSeedList: (name: string, seeds: string[]) =>
    post<SeedChangePayload>('/api/seeds', { name, seeds, set_active: true }),
  search: (q: string, signal?: AbortSignal, limit = 8) =>
    get<SearchPayload>(`/api/accounts/search?${new URLSearchParams({ q, limit: String(limit) })}`, signal),
  account: (id: string, filters: Filters, signal?: AbortSignal) =>
    get<Account>(`/api/accounts/${encodeURIComponent(id)}?${filterQuery(filters)}&neighbours=20`, signal),
  exportUrl: (file: 'graph.gexf' | 'metrics.csv', seeds: string[], filters: Filters) =>
    `/api/export/${file}?${filterQuery(filters)}${seeds.length ? `&seeds=${encodeURIComponent(seeds.join(','))}` : ''}`,
};
