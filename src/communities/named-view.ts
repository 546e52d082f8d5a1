/**
 * The latest propagation run, lined up with a graph's nodes: what the API's graph-data and account
 * answers and the snapshot carry about named communities (docs/COMMUNITIES.md, "Where the results
 * go"). Accounts the run did not see are unplaced.
 */
import type { Db } from '../db/database.js';
import { latestRun, readMemberships, type RunCommunity } from '../db/membership-store.js';
import type { FollowGraph } from '../graph/graph.js';
import { BANDS, emptyBandCounts, type Band } from './types.js';

export interface NamedView {
  runId: number;
  engine: string;
  startedAt: string;
  /** The run's communities in column order. */
  communities: RunCommunity[];
  /** Per node: index into `communities` of its top community, or -1 (unclassified or not in the run). */
  community: Int32Array;
  /** Per node: the top community's weight (0 when unplaced). */
  confidence: Float64Array;
  /** Per node: index into BANDS; unclassified when the run did not see the node. */
  band: Uint8Array;
  /** Per community (same order), how many nodes of this graph are in each band. */
  bandCounts: Record<Band, number>[];
}

const UNCLASSIFIED = BANDS.indexOf('unclassified');

/** Null when no run has been stored. */
export function namedView(db: Db, graph: Pick<FollowGraph, 'ids' | 'index'>): NamedView | null {
  const run = latestRun(db);
  if (!run) return null;
  const { ids, index } = graph;
  const column = new Map(run.communities.map((c, k) => [c.id, k]));
  const community = new Int32Array(ids.length).fill(-1);
  const confidence = new Float64Array(ids.length);
  const band = new Uint8Array(ids.length).fill(UNCLASSIFIED);
  const bandCounts = run.communities.map(emptyBandCounts);
  const rows = readMemberships(db, run.runId);
  for (let r = 0; r < rows.accountIds.length; r++) {
    const node = index.get(rows.accountIds[r]!);
    if (node === undefined) continue;
    const top = rows.topCommunityIds[r]!;
    const rowBand = rows.bands[r]!;
    const k = top === null ? undefined : column.get(top);
    band[node] = BANDS.indexOf(rowBand);
    if (k === undefined || rowBand === 'unclassified') continue;
    community[node] = k;
    confidence[node] = rows.confidence[r]!;
    bandCounts[k]![rowBand]++;
  }
  return {
    runId: run.runId,
    engine: run.engine,
    startedAt: run.startedAt,
    communities: run.communities,
    community,
    confidence,
    band,
    bandCounts,
  };
}
