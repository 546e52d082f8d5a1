/**
 * `tpot communities propagate`, as a library call (docs/COMMUNITIES.md, "A run"): the analysis's
 * graph and the curated seeds in, a recorded run and every account's membership out.
 *
 * 1. Build the follow graph with the analysis's default filters, and its weighted propagation view.
 * 2. Place the seeds on it: a community none of whose seeds is in the graph stops the run, naming it;
 *    seeds missing from the graph are reported and left out.
 * 3. Propagate, warm-started from the previous run's memberships when it had the same communities.
 * 4. The bootstrap over seeds (uncertainty), then the bands.
 * 5. Store the run and its memberships in one transaction. Nothing is stored when a step fails.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { CommunityStore, contentHash, type Community } from '../db/community-store.js';
import {
  MIN_STORED_WEIGHT,
  latestRun,
  readMemberships,
  saveRun,
  type AccountMembership,
  type RunCommunity,
} from '../db/membership-store.js';
import { buildGraph, type BuiltGraph } from '../graph/build.js';
import { TpotError } from '../errors.js';
import { nowUtc } from '../time.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { classifyAccounts, type Classification } from './classify.js';
import {
  BAND_DEFAULTS,
  BOOTSTRAP_DEFAULTS,
  PROPAGATION_DEFAULTS,
  type BandParams,
  type BootstrapParams,
  type PropagationParams,
} from './defaults.js';
import type { Propagation } from './engine.js';
import { createPropagator, propagationThreads } from './propagation-pool.js';
import { propagationGraph, type PropagationGraph } from './propagation-graph.js';
import { emptyBandCounts, type Band, type SeedAssignment } from './types.js';

export interface RunOptions {
  params?: PropagationParams;
  bootstrap?: BootstrapParams;
  bands?: BandParams;
  /** Progress in words, for the console. */
  onProgress?: (message: string) => void;
  /** Threads to solve on (0: this one); by default every core on a large graph (propagation-pool.ts). */
  threads?: number;
}

/** What the propagation saw and made, before anything is stored (also what `evaluate` needs). */
export interface PreparedRun {
  built: BuiltGraph;
  graph: PropagationGraph;
  communities: Community[];
  seeds: SeedAssignment;
  /** Seeds that are not in the graph: left out, reported. */
  missingSeeds: string[];
}

export interface RunResult {
  runId: number;
  prepared: PreparedRun;
  propagation: Propagation;
  classification: Classification;
  bootstrap: BootstrapResult | null;
  durationMs: number;
  bandCounts: Record<Band, number>;
}

/** Steps 1–2: the graph and the seeds on it; throws, naming them, when a community has no seed in the graph. */
export function prepareRun(db: Db, params: PropagationParams): PreparedRun {
  const store = new CommunityStore(db);
  const communities = store.list();
  if (communities.length === 0)
    throw new TpotError('missing', 'There are no communities to propagate.', {
      hint: 'Add some: tpot communities add SHORT "Name", or tpot communities import FILE.',
    });
  const built = buildGraph(db, { includeInteractions: params.interactionWeight > 0 });
  if (built.graph.nodeCount === 0)
    throw new TpotError('missing', 'The graph is empty: there are no follows in the database.', {
      hint: 'Import archives first (tpot import), or load the demo (tpot demo --load).',
    });
  const graph = propagationGraph(built.graph, {
    mutualWeight: params.mutualWeight,
    interactions: built.interactions,
    interactionWeight: params.interactionWeight,
  });
  const column = new Map(communities.map((community, c) => [community.id, c]));
  const nodes: number[] = [];
  const columns: number[] = [];
  const missingSeeds: string[] = [];
  const placed = new Int32Array(communities.length);
  for (const seed of store.seeds()) {
    const node = built.graph.index.get(seed.accountId);
    if (node === undefined) {
      missingSeeds.push(seed.accountId);
      continue;
    }
    nodes.push(node);
    columns.push(column.get(seed.communityId)!);
    placed[column.get(seed.communityId)!]!++;
  }
  const empty = communities.filter((_, c) => placed[c] === 0);
  if (empty.length > 0)
    throw new TpotError(
      'input',
      `No seed of ${empty.map((c) => `${c.short} (${c.name})`).join(', ')} is in the graph, ` +
        'so it cannot be propagated.',
      { hint: 'Add seeds that are in the graph: tpot communities seed add SHORT HANDLE…' },
    );
  return {
    built,
    graph,
    communities,
    seeds: { communityCount: communities.length, nodes: Int32Array.from(nodes), columns: Int32Array.from(columns) },
    missingSeeds,
  };
}

export async function runPropagation(db: Db, options: RunOptions = {}): Promise<RunResult> {
  const params = options.params ?? PROPAGATION_DEFAULTS;
  const bootstrapParams = options.bootstrap ?? BOOTSTRAP_DEFAULTS;
  const bands = options.bands ?? BAND_DEFAULTS;
  const progress = options.onProgress ?? (() => {});
  const started = performance.now();
  const startedAt = nowUtc();

  const prepared = prepareRun(db, params);
  const { graph, communities, seeds, built } = prepared;
  progress(
    `Propagating ${communities.length} communities from ${seeds.nodes.length} seeds over ` +
      `${graph.nodeCount} accounts (${params.engine}).`,
  );
  const warm = params.engine === 'harmonic' ? previousMemberships(db, built, communities) : undefined;
  const propagator = createPropagator(graph, options.threads ?? propagationThreads(graph));
  let result: Propagation;
  let uncertainty: BootstrapResult | null = null;
  try {
    result = await propagator.propagate(seeds, params, { warm });
    if (bootstrapParams.samples > 0) {
      uncertainty = await bootstrap(propagator, seeds, params, result, {
        ...bootstrapParams,
        onSample: (done, total) => {
          if (done === total || done % 5 === 0) progress(`Bootstrap: ${done} of ${total} seed samples.`);
        },
      });
    }
  } finally {
    await propagator.close();
  }
  const classification = classifyAccounts(graph, seeds, result, bands, uncertainty);
  const bandCounts = countBands(classification.band);
  const durationMs = performance.now() - started;

  const runCommunities: RunCommunity[] = communities.map(({ id, short, name, color }) => ({ id, short, name, color }));
  const store = new CommunityStore(db);
  const state = store.currentState();
  const hash = contentHash(state);
  const version = store.listVersions().find((v) => v.contentHash === hash)?.name ?? null;
  const runId = saveRun(
    db,
    {
      startedAt,
      engine: params.engine,
      parameters: { propagation: params, bootstrap: bootstrapParams, bands },
      seedHash: seedHash(built, seeds, communities),
      versionName: version,
      durationMs,
      converged: result.converged,
      iterations: result.iterations,
      residual: result.residual,
      nodeCount: graph.nodeCount,
      seedCount: seeds.nodes.length,
      bootstrapSamples: uncertainty?.samples ?? 0,
      communities: runCommunities,
      summary: { bands: bandCounts, missingSeeds: prepared.missingSeeds.length },
    },
    membershipRows(built, communities, result, classification),
  );
  return { runId, prepared, propagation: result, classification, bootstrap: uncertainty, durationMs, bandCounts };
}

/** The stored rows, one per account of the graph. */
function* membershipRows(
  built: BuiltGraph,
  communities: Community[],
  result: Propagation,
  classification: Classification,
): Generator<AccountMembership> {
  const K = communities.length;
  const C = K + 1;
  for (let i = 0; i < built.graph.nodeCount; i++) {
    const weights = sparseWeights(result.weights, i, communities, (community) => String(community.id));
    const top = classification.top[i]!;
    yield {
      accountId: built.graph.ids[i]!,
      topCommunityId: top >= 0 ? communities[top]!.id : null,
      confidence: round(classification.confidence[i]!),
      noneWeight: round(result.weights[i * C + K]!),
      uncertainty: classification.uncertainty ? round(classification.uncertainty[i]!) : null,
      band: classification.band[i]!,
      seedDegree: classification.seedDegree[i]!,
      weights,
    };
  }
}

/**
 * A node's community weights as a sparse object keyed by `key` (the store keys by id, the output file by short
 * name): weights below the store's minimum are left out, the rest rounded to six decimals.
 */
export function sparseWeights(
  weights: Float64Array,
  node: number,
  communities: readonly Community[],
  key: (community: Community) => string,
): Record<string, number> {
  const C = communities.length + 1;
  const sparse: Record<string, number> = {};
  communities.forEach((community, c) => {
    const w = weights[node * C + c]!;
    if (w >= MIN_STORED_WEIGHT) sparse[key(community)] = round(w);
  });
  return sparse;
}

/** Six decimals: what the stored weights carry. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function countBands(bands: readonly Band[]): Record<Band, number> {
  const counts = emptyBandCounts();
  for (const band of bands) counts[band]++;
  return counts;
}

/** A hash of which accounts seed which community: two runs with the same hash had the same seeds in the graph. */
function seedHash(built: BuiltGraph, seeds: SeedAssignment, communities: Community[]): string {
  const lines: string[] = [];
  for (let k = 0; k < seeds.nodes.length; k++)
    lines.push(`${communities[seeds.columns[k]!]!.id}:${built.graph.ids[seeds.nodes[k]!]!}`);
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/**
 * The latest run's memberships as a warm start (n × (K + 1)), when that run had the same communities in
 * the same order; accounts it did not have start at "none".
 */
function previousMemberships(db: Db, built: BuiltGraph, communities: Community[]): Float64Array | undefined {
  const previous = latestRun(db);
  if (!previous || previous.communities.map((c) => c.id).join() !== communities.map((c) => c.id).join())
    return undefined;
  const K = communities.length;
  const C = K + 1;
  const column = new Map(communities.map((c, k) => [String(c.id), k]));
  const warm = new Float64Array(built.graph.nodeCount * C);
  for (let i = 0; i < built.graph.nodeCount; i++) warm[i * C + K] = 1;
  const rows = readMemberships(db, previous.runId);
  for (let r = 0; r < rows.accountIds.length; r++) {
    const node = built.graph.index.get(rows.accountIds[r]!);
    if (node === undefined) continue;
    warm[node * C + K] = rows.noneWeight[r]!;
    for (const [id, weight] of Object.entries(rows.weights[r]!)) {
      const c = column.get(id);
      if (c !== undefined) warm[node * C + c] = weight;
    }
  }
  return warm;
}
