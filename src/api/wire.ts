/**
 * The JSON bodies the API answers with (docs/API.md), as types: the routes and payload writers
 * check what they send against them (`satisfies`), the explorer (web/src/api.ts) reads the same
 * types, and the tests read responses through them. Types and pure imports only, so the
 * explorer's type check can take this file as it is.
 */
import type { AnalysisOutput } from '../graph/analysis-output.js';
import type { WireGraphParams } from '../graph/params.js';

/** `400` (and other client errors): which field, and what is wrong with it. */
export interface ErrorPayload {
  error: string;
  field?: string;
  message?: string;
}

export interface HealthPayload {
  status: 'ok';
  uptime_seconds: number;
  database: { path: string; present: boolean; demo: boolean };
  snapshot: { present: boolean; generated_at: string | null; used_for_default_view: boolean };
  cache: { size: number; hit_rate: number };
  metrics_cache: { size: number };
  explorer_built: boolean;
  /** Each says what is missing and how to fix it. */
  warnings: string[];
}

/** How many of the graph's nodes have a community as their top one, per band (docs/COMMUNITIES.md, "Bands"). */
export interface NamedCommunityMembersPayload {
  exemplar: number;
  specialist: number;
  bridge: number;
  frontier: number;
}

/** A curated community as the latest propagation run placed it; graph-data's `nodes.named_community` indexes these. */
export interface NamedCommunityPayload {
  id: number;
  short: string;
  name: string;
  /** `#rrggbb`. */
  color: string;
  members: NamedCommunityMembersPayload;
}

/** The propagation run graph-data's named columns come from: the database's latest. */
export interface NamedCommunitiesPayload {
  run_id: number;
  engine: string;
  started_at: string;
  communities: NamedCommunityPayload[];
}

/** `GET /api/graph-data`: nodes as equal-length columns in the graph's index order, edges as index pairs. */
export interface GraphDataPayload {
  version: string;
  source: 'snapshot' | 'live_build';
  snapshot_generated_at: string | null;
  filters: Pick<
    WireGraphParams,
    'include_shadow' | 'mutual_only' | 'include_interactions' | 'min_followers' | 'resolution'
  >;
  directed_nodes: number;
  directed_edges: number;
  undirected_edges: number;
  communities: number;
  /** `nodes.provenance` holds indexes into this list. */
  provenances: readonly string[];
  has_layout: boolean;
  /** The latest propagation run's communities; null when none has been stored. */
  named_communities: NamedCommunitiesPayload | null;
  /** `nodes.community_band` holds indexes into this list. */
  bands: readonly string[];
  nodes: {
    id: string[];
    username: (string | null)[];
    display_name: (string | null)[];
    num_followers: (number | null)[];
    num_following: (number | null)[];
    num_tweets: (number | null)[];
    num_likes: (number | null)[];
    provenance: number[];
    shadow: number[];
    community: number[];
    in_degree: number[];
    out_degree: number[];
    x: (number | null)[] | null;
    y: (number | null)[] | null;
    /** Index into `named_communities.communities`, -1 when unplaced; null when no run is stored. */
    named_community: number[] | null;
    /** The top named community's weight, 3 decimals (0 when unplaced); null when no run is stored. */
    community_confidence: number[] | null;
    /** Index into `bands`; null when no run is stored. */
    community_band: number[] | null;
  };
  edges: { source: number[]; target: number[]; mutual: number[]; shadow: number[] };
  /** Bit k of `interactions.kinds` is `interaction_kinds[k]`. */
  interaction_kinds: readonly string[];
  /**
   * With include_interactions: who talks with whom, one entry per pair (node indexes, the lower first), the
   * pair's weight (docs/ARCHITECTURE.md, "Interaction signals") and the kinds seen as bits; else null.
   */
  interactions: { source: number[]; target: number[]; weight: number[]; kinds: number[] } | null;
}

/** What both metrics answers say about the seeds and the graph they were computed on. */
export interface SeedsHead {
  seeds: string[];
  resolved_seeds: string[];
  unknown_seeds: string[];
  graph_version: string;
  source: 'snapshot' | 'live_build';
}

/** `POST /api/metrics/base`: arrays aligned with graph-data's node table. */
export interface BaseMetricsPayload extends SeedsHead {
  node_count: number;
  betweenness_mode: 'exact' | 'sampled';
  metrics: { pagerank: number[]; betweenness: number[]; engagement: number[]; communities: number[] };
}

/** `POST /api/metrics/compute`: the analysis file's maps and top lists (keyed by account id), with the graph's head. */
export interface ComputePayload extends SeedsHead, Omit<AnalysisOutput, keyof SeedsHead> {
  pagerank_iterations: number;
}

/** `GET /api/seeds`: presets with the user's lists over them, and the saved settings. */
export interface SeedStatePayload {
  active_list: string | null;
  lists: Record<string, string[]>;
  settings: WireGraphParams;
  updated_at: string | null;
  preset_names: string[];
  user_list_names: string[];
}

/** An account as search results and neighbour lists give it. */
export interface AccountSummaryPayload {
  id: string;
  username: string | null;
  display_name: string | null;
  num_followers: number | null;
  provenance: string;
  shadow: boolean;
}

export interface SearchPayload {
  query: string;
  results: AccountSummaryPayload[];
}

export interface AccountProfilePayload {
  bio: string | null;
  website: string | null;
  location: string | null;
  avatar_url: string | null;
  header_url: string | null;
  created_at: string | null;
  /** Where the profile came from, in order of precedence. */
  sources: ('archive' | 'rest' | 'shadow')[];
  /** From the enricher: active, deleted, suspended or protected; null when never read from X. */
  account_status: string | null;
  shadow_fetched_at: string | null;
}

/** An account's place in the latest propagation run (docs/COMMUNITIES.md, "Where the results go"). */
export interface AccountNamedCommunityPayload {
  /** The top community; null when the account is unclassified. */
  short: string | null;
  name: string | null;
  color: string | null;
  /** The top community's weight as stored. */
  confidence: number;
  band: string;
  /** From the seed bootstrap; null when the run had none. */
  uncertainty: number | null;
  /** Every stored community weight, highest first. */
  memberships: { short: string; name: string; weight: number }[];
  /** The community this account is a curated seed of (now), if any. */
  seed_of: string | null;
}

/** `GET /api/accounts/:id`. */
export interface AccountPayload extends AccountSummaryPayload {
  num_following: number | null;
  num_tweets: number | null;
  num_likes: number | null;
  profile: AccountProfilePayload | null;
  x_url: string | null;
  community: number;
  /** Null when no run is stored or the latest run did not see the account. */
  named_community: AccountNamedCommunityPayload | null;
  metrics: {
    pagerank: number;
    betweenness: number;
    engagement: number;
    composite: number;
    composite_rank: number;
    pagerank_rank: number;
  };
  seeds: string[];
  resolved_seeds: string[];
  is_seed: boolean;
  followers_in_graph: { total: number; accounts: AccountSummaryPayload[] };
  following_in_graph: { total: number; accounts: AccountSummaryPayload[] };
  graph_version: string;
}

/** `POST /api/seeds`. */
export interface SeedChangePayload {
  ok: true;
  state: SeedStatePayload;
}

// ---- Communities and curation (docs/API.md, "Communities") ----------------------------------------

/** Accounts per band whose top community it is, in the latest run. */
export type BandCountsPayload = Record<'exemplar' | 'specialist' | 'bridge' | 'frontier', number>;

/** A propagation run, as the communities routes name it. */
export interface RunPayload {
  run_id: number;
  engine: string;
  started_at: string;
  node_count: number;
  seed_count: number;
  bootstrap_samples: number;
  /** The saved curation version that held the state the run propagated, if one did. */
  version_name: string | null;
  converged: boolean;
}

/** A curated community as it is now (names and colours are read fresh on every request). */
export interface CommunityPayload {
  id: number;
  short: string;
  name: string;
  color: string;
  description: string;
  created_at: string;
  updated_at: string;
  seed_count: number;
  /** Null when the latest run did not propagate it (created since, or no run stored). */
  members: BandCountsPayload | null;
}

/** `GET /api/communities`. */
export interface CommunitiesPayload {
  run: RunPayload | null;
  communities: CommunityPayload[];
  /** Accounts of the latest run in no community (band `unclassified`); 0 without a run. */
  unclassified: number;
}

/** An account as the community pages list it: named from the graph, else from any table that names the id. */
export interface CommunityAccountPayload {
  id: string;
  username: string | null;
  display_name: string | null;
  num_followers: number | null;
  /** Whether the default graph (the map) has the account. */
  in_graph: boolean;
}

/** One seed of a community. */
export interface CommunitySeedPayload extends CommunityAccountPayload {
  added_by: string;
  added_at: string;
  note: string | null;
}

/** `GET /api/communities/:ref`. */
export interface CommunityPagePayload {
  community: CommunityPayload;
  seeds: CommunitySeedPayload[];
  run: RunPayload | null;
}

/** One member: its place in the latest run. */
export interface CommunityMemberPayload extends CommunityAccountPayload {
  band: string;
  confidence: number;
  uncertainty: number | null;
  seed: boolean;
}

/** `GET /api/communities/:ref/members`. */
export interface CommunityMembersPayload {
  run_id: number | null;
  total: number;
  offset: number;
  limit: number;
  sort: string;
  order: 'asc' | 'desc';
  members: CommunityMemberPayload[];
}

/** `GET /api/communities/:ref/candidates`: accounts placed elsewhere, by their weight in this community. */
export interface CommunityCandidatesPayload {
  run_id: number | null;
  candidates: (CommunityAccountPayload & {
    weight: number;
    band: string;
    /** The short name of the community it is in now; null when unclassified. */
    top: string | null;
  })[];
}

/** `POST /api/communities/:ref/seeds`. */
export interface SeedsAddedPayload {
  community: CommunityPayload;
  added: string[];
  skipped: string[];
}

/** `DELETE /api/communities/:ref/seeds/:account`. */
export interface SeedRemovedPayload {
  community: CommunityPayload;
  removed: string[];
}

/** `DELETE /api/communities/:ref`: the community and the seeds it had (its history row keeps both). */
export interface CommunityRemovedPayload {
  removed: CommunityPayload;
  seeds: string[];
}

/** A saved curation version. */
export interface VersionPayload {
  name: string;
  created_at: string;
  actor: string;
  note: string | null;
  community_count: number;
  seed_count: number;
  /** Its content equals the current state. */
  current: boolean;
}

/** `POST /api/curation/versions/:name/restore`. */
export interface RestorePayload {
  restored: string;
  /** The version that holds the state from before the restore (saved now, or the newest one when it held it). */
  saved_as: string;
  newly_saved: boolean;
}

/** One row of the curation history. */
export interface HistoryEntryPayload {
  id: number;
  at: string;
  actor: string;
  action: string;
  community_id: number | null;
  account_id: string | null;
  detail: unknown;
}

/** An account's note and tags. */
export interface AccountCurationPayload {
  account_id: string;
  note: string | null;
  note_updated_at: string | null;
  tags: string[];
}

/** What both caches count: `GET /api/metrics/cache/stats` answers these for the metrics response cache. */
export interface CacheCountersPayload {
  size: number;
  max_size: number;
  ttl_seconds: number;
  hits: number;
  misses: number;
  evictions: number;
  expirations: number;
  hit_rate: number;
}

/** `GET /api/cache/stats`: the graph cache's counters and its ten most used entries. */
export interface GraphCacheStatsPayload extends CacheCountersPayload {
  total_computation_ms: number;
  approx_bytes?: number;
  max_bytes?: number;
  entries: { key: string; prefix: string; age_seconds: number; access_count: number; computation_ms: number }[];
}

/** `POST /api/cache/invalidate`: `prefix` is the kind cleared, or 'all'. */
export interface CacheInvalidatePayload {
  invalidated: number;
  prefix: string;
  metrics_responses_cleared: number;
}

/** `POST /api/metrics/cache/clear`. */
export interface MetricsCacheClearPayload {
  status: 'cleared';
  message: string;
  cleared: number;
}

/** One route's figures in `GET /api/metrics/performance`, in milliseconds unless named otherwise. */
export interface RouteLatencyPayload {
  count: number;
  errors: number;
  avg_ms: number;
  min_ms: number;
  max_ms: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  total_time_s: number;
}

/** `GET /api/metrics/performance`: per route (`METHOD /route`), and the latest requests, newest first. */
export interface PerformancePayload {
  total_requests: number;
  aggregates: Record<string, RouteLatencyPayload>;
  recent_requests: RequestRecordPayload[];
}

/** One request as the performance log keeps it. */
export interface RequestRecordPayload {
  method: string;
  route: string;
  path: string;
  status: number;
  duration_ms: number;
  cache: string | null;
  at: string;
}

// ---- Analysis jobs (docs/API.md, "Analysis jobs") --------------------------------------------------

/** What a job runs: `tpot communities propagate` or `tpot snapshot refresh`. */
export type AnalysisJobKind = 'propagation' | 'snapshot';

export type AnalysisJobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface AnalysisJobProgressPayload {
  /** 0 to 1; null while the job cannot tell how far it is. */
  fraction: number | null;
  /** The step the job is at, in words. */
  message: string;
}

/** A propagation job's stored run, as `tpot communities propagate --json` sums it up. */
export interface PropagationJobResultPayload {
  run_id: number;
  engine: string;
  /** Per community: accounts whose top community it is, in every band but `unclassified`. */
  communities: { short: string; name: string; members: number }[];
  /** Accounts of the graph the run placed. */
  accounts: number;
  /** Seeds placed in the graph. */
  seeds: number;
  /** Account ids of seeds that are not in the graph: left out. */
  missing_seeds: string[];
  bands: Record<'exemplar' | 'specialist' | 'bridge' | 'frontier' | 'unclassified', number>;
  bootstrap_samples: number;
  duration_ms: number;
  converged: boolean;
  iterations: number;
}

/** A snapshot job's new snapshot: its manifest's counts and the seconds of each of the six steps. */
export interface SnapshotJobResultPayload {
  generated_at: string;
  counts: { nodes: number; edges: number; communities: number; undirected_edges: number; interaction_pairs?: number };
  steps: { name: string; seconds: number }[];
}

interface AnalysisJobFields {
  id: number;
  state: AnalysisJobState;
  started_at: string;
  /** Null while it runs. */
  finished_at: string | null;
  elapsed_ms: number;
  progress: AnalysisJobProgressPayload;
  /** Why it failed (null unless `state` is `failed`). */
  error: string | null;
}

/** One job (`POST /api/analysis/run`, `POST /api/analysis/cancel`); `result` is null unless it succeeded. */
export type AnalysisJobPayload =
  | (AnalysisJobFields & { kind: 'propagation'; result: PropagationJobResultPayload | null })
  | (AnalysisJobFields & { kind: 'snapshot'; result: SnapshotJobResultPayload | null });

/** `GET /api/analysis/status`: the running or most recent job, and the last job of each kind that succeeded. */
export interface AnalysisStatusPayload {
  job: AnalysisJobPayload | null;
  last: {
    propagation: Extract<AnalysisJobPayload, { kind: 'propagation' }> | null;
    snapshot: Extract<AnalysisJobPayload, { kind: 'snapshot' }> | null;
  };
}
