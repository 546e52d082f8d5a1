/**
 * The graph engine benchmark (docs/BENCHMARKS.md) on the reference workload, a synthetic cache of
 * 95,000 accounts and 322,000 follows: build, personalised PageRank (target < 100 ms), sampled
 * betweenness, Louvain; and on a 10,000-account graph, exact betweenness against the sample, with
 * how many of the exact top 100 the sample also ranks in its top 100.
 */
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { betweenness } from '../graph/betweenness.js';
import { buildGraph } from '../graph/build.js';
import { communities } from '../graph/communities.js';
import { undirected } from '../graph/graph.js';
import { pagerank } from '../graph/pagerank.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { loadSnapshot } from '../graph/snapshot.js';
import { writeSyntheticGraph } from '../testing/synthetic-graph.js';

export interface GraphBenchSizes {
  accounts: number;
  edges: number;
  archives: number;
  /** The graph where exact betweenness is affordable. */
  exactAccounts: number;
  exactEdges: number;
}

export const GRAPH_SIZES = {
  full: { accounts: 95_000, edges: 322_000, archives: 300, exactAccounts: 10_000, exactEdges: 34_000 },
  quick: { accounts: 9_500, edges: 32_200, archives: 100, exactAccounts: 2_000, exactEdges: 6_800 },
} satisfies Record<string, GraphBenchSizes>;

interface Measure {
  what: string;
  value: string;
  target?: string;
}

function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function runGraphBench(workDir: string, sizes: GraphBenchSizes): string {
  const measures: Measure[] = [];
  const db = openDatabase(join(workDir, 'graph.db'));
  writeSyntheticGraph(db, { accounts: sizes.accounts, edges: sizes.edges, archives: sizes.archives });
  const [built, buildMs] = time(() => buildGraph(db));
  const snapshotDir = join(workDir, 'snapshot');
  const [refresh, refreshMs] = time(() => refreshSnapshot(db, snapshotDir, { ...GRAPH_DEFAULTS, seeds: [] }));
  const [, loadMs] = time(() => loadSnapshot(snapshotDir));
  db.close();
  const { graph } = built;
  measures.push({
    what:
      `build from the cache (${graph.nodeCount.toLocaleString('en-US')} nodes, ` +
      `${graph.edgeCount.toLocaleString('en-US')} edges)`,
    value: `${(buildMs / 1000).toFixed(2)} s`,
  });

  const seeds = [0, 1, 2, 3, 4];
  const runs = Array.from({ length: 7 }, () => time(() => pagerank(graph, { seeds })));
  measures.push({
    what: `personalised PageRank, 5 seeds (median of 7; ${runs[0]![0].iterations} iterations to L1 < 1e-10)`,
    value: `${median(runs.map(([, ms]) => ms)).toFixed(0)} ms`,
    target: '< 100 ms',
  });

  const view = undirected(graph);
  const [sampled, sampledMs] = time(() => betweenness(view, { exactMaxNodes: 0, samples: 500 }));
  measures.push({
    what: `betweenness, sampled from ${sampled.sources} sources`,
    value: `${(sampledMs / 1000).toFixed(2)} s`,
  });
  const [parts, louvainMs] = time(() => communities(view));
  measures.push({
    what: `Louvain (${parts.count} communities, modularity ${parts.modularity.toFixed(3)})`,
    value: `${(louvainMs / 1000).toFixed(2)} s`,
  });

  const stepTimes = refresh.steps.map((step) => `${step.name.toLowerCase()} ${step.seconds.toFixed(1)} s`).join('; ');
  measures.push({
    what: `snapshot refresh, all six steps (${stepTimes})`,
    value: `${(refreshMs / 1000).toFixed(1)} s`,
    target: '< 60 s',
  });
  measures.push({
    what:
      `snapshot load (${refresh.manifest.counts.nodes.toLocaleString('en-US')} node and ` +
      `${refresh.manifest.counts.edges.toLocaleString('en-US')} edge rows, checksums checked)`,
    value: `${loadMs.toFixed(0)} ms`,
    target: '< 1 s',
  });

  const small = openDatabase(join(workDir, 'graph-exact.db'));
  writeSyntheticGraph(small, {
    accounts: sizes.exactAccounts,
    edges: sizes.exactEdges,
    archives: Math.min(sizes.archives, sizes.exactAccounts / 10),
    seed: 10_000,
  });
  const smallView = undirected(buildGraph(small).graph);
  small.close();
  const [exact, exactMs] = time(() => betweenness(smallView, { exactMaxNodes: Infinity }));
  const [estimate, estimateMs] = time(() => betweenness(smallView, { exactMaxNodes: 0, samples: 500 }));
  const top100 = (scores: Float64Array) =>
    new Set([...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, 100));
  const exactTop = top100(exact.scores);
  const agree = [...top100(estimate.scores)].filter((node) => exactTop.has(node)).length;
  measures.push({
    what: `betweenness, exact, ${smallView.nodeCount.toLocaleString('en-US')} nodes`,
    value: `${(exactMs / 1000).toFixed(2)} s`,
  });
  measures.push({
    what: `betweenness, 500 sampled sources, same graph: top-100 agreement with exact`,
    value: `${agree}/100 in ${(estimateMs / 1000).toFixed(2)} s`,
  });

  return [
    '| graph engine | measured | target |',
    '| --- | ---: | --- |',
    ...measures.map((m) => `| ${m.what} | ${m.value} | ${m.target ?? ''} |`),
  ].join('\n');
}
