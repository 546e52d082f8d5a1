/**
 * Community propagation (docs/BENCHMARKS.md, "Community propagation") on a planted graph of the
 * original's scale — 200,000 accounts, 450,000 follows, 15 communities, 300 seeds: one propagation
 * per engine (target < 3 s), a 20-sample bootstrap (target < 30 s), storing the run's 200,000
 * membership rows, and the peak memory (target < 1 GB). Then the engines compared by the seed
 * hold-out evaluation on planted graphs and on a structureless control, with the baselines beside:
 * the measurement that chose the default engine.
 */
import { join } from 'node:path';
import { bootstrap } from '../communities/bootstrap.js';
import { classifyAccounts } from '../communities/classify.js';
import {
  BAND_DEFAULTS,
  BOOTSTRAP_DEFAULTS,
  EVALUATION_DEFAULTS,
  PROPAGATION_DEFAULTS,
  type PropagationParams,
} from '../communities/defaults.js';
import { propagate } from '../communities/engine.js';
import { evaluateSeeds } from '../communities/evaluate.js';
import { propagationGraph } from '../communities/propagation-graph.js';
import { createPropagator, propagationThreads } from '../communities/propagation-pool.js';
import type { EngineName } from '../communities/types.js';
import { openDatabase } from '../db/database.js';
import { saveRun, type AccountMembership } from '../db/membership-store.js';
import { communities as louvain } from '../graph/communities.js';
import { undirected } from '../graph/graph.js';
import { plantedPartition, structureless, type PlantedOptions } from '../testing/planted-graph.js';

export interface CommunitiesBenchSizes {
  nodes: number;
  edges: number;
  communities: number;
  seedsPerCommunity: number;
  /** The evaluation's graphs (k-fold runs many propagations). */
  evaluationNodes: number;
  evaluationEdges: number;
}

export const COMMUNITIES_SIZES = {
  full: {
    nodes: 200_000,
    edges: 450_000,
    communities: 15,
    seedsPerCommunity: 20,
    evaluationNodes: 20_000,
    evaluationEdges: 90_000,
  },
  quick: {
    nodes: 20_000,
    edges: 45_000,
    communities: 15,
    seedsPerCommunity: 20,
    evaluationNodes: 5_000,
    evaluationEdges: 25_000,
  },
} satisfies Record<string, CommunitiesBenchSizes>;

const ENGINES: readonly EngineName[] = ['harmonic', 'ppr-lift'];

function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

async function timeAsync<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const share = (value: number) => value.toFixed(3);

export async function runCommunitiesBench(workDir: string, sizes: CommunitiesBenchSizes): Promise<string> {
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const rows: string[] = [];
  const base: Omit<PlantedOptions, 'nodes' | 'edges'> = {
    communities: sizes.communities,
    mixing: 0.2,
    degreeExponent: 2.5,
    reciprocity: 0.3,
    seedsPerCommunity: sizes.seedsPerCommunity,
    communitySizes: 'skewed',
    seed: 2026,
  };
  const [planted, generateMs] = time(() => plantedPartition({ ...base, nodes: sizes.nodes, edges: sizes.edges }));
  const [graph, graphMs] = time(() =>
    propagationGraph(planted.follows, { mutualWeight: PROPAGATION_DEFAULTS.mutualWeight }),
  );
  const scale =
    `${sizes.nodes.toLocaleString('en-US')} accounts, ${planted.follows.edgeCount.toLocaleString('en-US')} follows, ` +
    `${sizes.communities} communities, ${planted.seeds.nodes.length} seeds`;
  rows.push(`| planted graph generated (${scale}) | ${seconds(generateMs)} | |`);
  rows.push(`| propagation graph (weighted, symmetric) | ${seconds(graphMs)} | |`);

  const threads = propagationThreads(graph);
  for (const engine of ENGINES) {
    const params: PropagationParams = { ...PROPAGATION_DEFAULTS, engine };
    const [single, singleMs] = time(() => propagate(graph, planted.seeds, params));
    sample();
    rows.push(
      `| ${engine}: one propagation on one thread (${single.iterations} iterations) | ${seconds(singleMs)} | |`,
    );
    const propagator = createPropagator(graph, threads);
    const [full, propagateMs] = await timeAsync(() => propagator.propagate(planted.seeds, params));
    sample();
    rows.push(`| ${engine}: one propagation on ${threads} threads | ${seconds(propagateMs)} | < 3 s |`);
    const [boot, bootMs] = await timeAsync(() =>
      bootstrap(propagator, planted.seeds, params, full, BOOTSTRAP_DEFAULTS),
    );
    await propagator.close();
    sample();
    rows.push(
      `| ${engine}: ${boot.samples}-sample bootstrap on ${threads} threads, warm-started (iterations ` +
        `${Math.min(...boot.iterations)}–${Math.max(...boot.iterations)}) | ${seconds(bootMs)} | < 30 s |`,
    );
    if (engine === PROPAGATION_DEFAULTS.engine) {
      const classified = classifyAccounts(graph, planted.seeds, full, BAND_DEFAULTS, boot);
      const db = openDatabase(join(workDir, 'communities.db'));
      const [, storeMs] = time(() =>
        saveRun(
          db,
          runRecord(engine, graph.nodeCount),
          rowsOf(planted.follows.ids, full.weights, classified, sizes.communities),
        ),
      );
      db.close();
      sample();
      rows.push(
        `| storing the run's ${graph.nodeCount.toLocaleString('en-US')} membership rows | ${seconds(storeMs)} | |`,
      );
    }
  }
  rows.push(`| peak memory (RSS) of the benchmark process | ${(peakRss / 1024 ** 2).toFixed(0)} MB | < 1 GB |`);

  const evaluation: string[] = [];
  const graphs = [
    {
      label: 'planted, mixing 0.2',
      make: () => plantedPartition({ ...base, nodes: sizes.evaluationNodes, edges: sizes.evaluationEdges }),
    },
    {
      label: 'planted, mixing 0.4',
      make: () =>
        plantedPartition({ ...base, mixing: 0.4, nodes: sizes.evaluationNodes, edges: sizes.evaluationEdges }),
    },
    {
      label: 'structureless control',
      make: () => structureless({ ...base, nodes: sizes.evaluationNodes, edges: sizes.evaluationEdges }),
    },
  ];
  for (const { label, make } of graphs) {
    const test = make();
    const testGraph = propagationGraph(test.follows, { mutualWeight: PROPAGATION_DEFAULTS.mutualWeight });
    const parts = louvain(undirected(test.follows)).membership;
    for (const engine of ENGINES) {
      const [report, ms] = time(() =>
        evaluateSeeds({
          graph: testGraph,
          seeds: test.seeds,
          shorts: Array.from({ length: sizes.communities }, (_, c) => `c${c}`),
          params: { ...PROPAGATION_DEFAULTS, engine },
          folds: EVALUATION_DEFAULTS.folds,
          seed: EVALUATION_DEFAULTS.seed,
          louvain: parts,
        }),
      );
      const cells = [
        label,
        engine,
        share(report.accuracy),
        share(report.macroF1),
        share(report.abstained),
        share(report.baselines.majority.accuracy),
        share(report.baselines.louvain?.accuracy ?? Number.NaN),
        share(report.chance),
        report.verdict,
        seconds(ms),
      ];
      evaluation.push(`| ${cells.join(' | ')} |`);
    }
  }
  return [
    '| community propagation | measured | target |',
    '| --- | ---: | --- |',
    ...rows,
    '',
    `Seed hold-out (${EVALUATION_DEFAULTS.folds} folds) on ` +
      `${sizes.evaluationNodes.toLocaleString('en-US')}-account graphs:`,
    '',
    '| graph | engine | accuracy | macro-F1 | abstained | majority baseline | Louvain baseline | chance | verdict | ' +
      'time |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...evaluation,
  ].join('\n');
}

function runRecord(engine: EngineName, nodeCount: number) {
  return {
    startedAt: '2026-01-01 00:00:00',
    engine,
    parameters: {},
    seedHash: 'bench',
    versionName: null,
    durationMs: 0,
    converged: true,
    iterations: 0,
    residual: 0,
    nodeCount,
    seedCount: 0,
    bootstrapSamples: 0,
    communities: [],
    summary: {},
  };
}

function* rowsOf(
  ids: readonly string[],
  weights: Float64Array,
  classified: ReturnType<typeof classifyAccounts>,
  K: number,
): Generator<AccountMembership> {
  for (let i = 0; i < ids.length; i++) {
    const row: Record<string, number> = {};
    for (let c = 0; c < K; c++) if (weights[i * (K + 1) + c]! >= 0.005) row[String(c + 1)] = weights[i * (K + 1) + c]!;
    yield {
      accountId: ids[i]!,
      topCommunityId: classified.top[i]! >= 0 ? classified.top[i]! + 1 : null,
      confidence: classified.confidence[i]!,
      noneWeight: weights[i * (K + 1) + K]!,
      uncertainty: classified.uncertainty?.[i] ?? null,
      band: classified.band[i]!,
      seedDegree: classified.seedDegree[i]!,
      weights: row,
    };
  }
}
