/**
 * The explorer talks to the server only through its public JSON API (docs/API.md), same origin
 * (in development Vite proxies /api and /health to the server). A network failure is an
 * ApiDownError, which the app shows as the red banner with the start command. Every call takes an
 * AbortSignal: a request whose answer is no longer wanted is cancelled (see use-api.ts).
 */
import type {
  AccountCurationPayload,
  AccountPayload,
  AccountSummaryPayload,
  AnalysisJobPayload,
  AnalysisStatusPayload,
  BaseMetricsPayload,
  CommunitiesPayload,
  CommunityCandidatesPayload,
  CommunityMembersPayload,
  CommunityPagePayload,
  CommunityPayload,
  GraphDataPayload,
  HealthPayload,
  RestorePayload,
  SearchPayload,
  SeedChangePayload,
  SeedRemovedPayload,
  SeedsAddedPayload,
  SeedStatePayload,
  VersionPayload,
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
export type Communities = CommunitiesPayload;
export type Community = CommunityPayload;
export type CommunityPage = CommunityPagePayload;
export type CommunityMembers = CommunityMembersPayload;
export type CommunityCandidates = CommunityCandidatesPayload;
export type Version = VersionPayload;
export type AccountCuration = AccountCurationPayload;
export type AnalysisJob = AnalysisJobPayload;
export type AnalysisStatus = AnalysisStatusPayload;

/** How `GET /api/communities/:ref/members` is asked: every field is optional (docs/API.md, "Communities"). */
export interface MembersQuery {
  band?: 'exemplar' | 'specialist' | 'bridge' | 'frontier';
  sort?: 'confidence' | 'followers' | 'username' | 'uncertainty';
  order?: 'asc' | 'desc';
  q?: string;
  seeds_only?: boolean;
  offset?: number;
  limit?: number;
}

/** A community's editable fields, as `PATCH /api/communities/:ref` takes them. */
export interface CommunityChange {
  short?: string;
  name?: string;
  color?: string;
  description?: string;
}

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

const send = <T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal) =>
  call<T>(path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: signal ?? null,
  });
const post = <T>(path: string, body: unknown, signal?: AbortSignal) => send<T>('POST', path, body, signal);
const community = (ref: string) => `/api/communities/${encodeURIComponent(ref)}`;
const account = (id: string) => `/api/accounts/${encodeURIComponent(id)}`;
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
    get<Account>(`${account(id)}?${filterQuery(filters)}&neighbours=20`, signal),

  communities: (signal?: AbortSignal) => get<Communities>('/api/communities', signal),
  community: (ref: string, signal?: AbortSignal) => get<CommunityPage>(community(ref), signal),
  members: (ref: string, query: MembersQuery, signal?: AbortSignal) => {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') q.set(key, String(value));
    return get<CommunityMembers>(`${community(ref)}/members?${q}`, signal);
  },
  candidates: (ref: string, limit: number, signal?: AbortSignal) =>
    get<CommunityCandidates>(`${community(ref)}/candidates?limit=${limit}`, signal),
  createCommunity: (fields: Required<Pick<CommunityChange, 'short' | 'name'>> & CommunityChange) =>
    post<Community>('/api/communities', fields),
  updateCommunity: (ref: string, change: CommunityChange) => send<Community>('PATCH', community(ref), change),
  deleteCommunity: (ref: string) => send<unknown>('DELETE', community(ref)),
  addSeeds: (ref: string, accounts: string[], note?: string) =>
    post<SeedsAddedPayload>(`${community(ref)}/seeds`, note === undefined ? { accounts } : { accounts, note }),
  removeSeed: (ref: string, accountRef: string) =>
    send<SeedRemovedPayload>('DELETE', `${community(ref)}/seeds/${encodeURIComponent(accountRef)}`),

  versions: (signal?: AbortSignal) => get<{ versions: Version[] }>('/api/curation/versions', signal),
  saveVersion: (name: string, note?: string) =>
    post<Version>('/api/curation/versions', note === undefined ? { name } : { name, note }),
  restoreVersion: (name: string) =>
    post<RestorePayload>(`/api/curation/versions/${encodeURIComponent(name)}/restore`, undefined),

  curation: (id: string, signal?: AbortSignal) => get<AccountCuration>(`${account(id)}/curation`, signal),
  setNote: (id: string, note: string | null) => send<AccountCuration>('PUT', `${account(id)}/note`, { note }),
  changeTags: (id: string, change: { add?: string[]; remove?: string[] }) =>
    post<AccountCuration>(`${account(id)}/tags`, change),

  analysisStatus: (signal?: AbortSignal) => get<AnalysisStatus>('/api/analysis/status', signal),
  runAnalysis: (kind: AnalysisJob['kind'], options: { bootstrap_samples?: number } = {}) =>
    post<AnalysisJob>('/api/analysis/run', { kind, ...options }),
  cancelAnalysis: () => post<AnalysisJob>('/api/analysis/cancel', undefined),
  exportUrl: (file: 'graph.gexf' | 'metrics.csv', seeds: string[], filters: Filters) =>
    `/api/export/${file}?${filterQuery(filters)}${seeds.length ? `&seeds=${encodeURIComponent(seeds.join(','))}` : ''}`,
};
