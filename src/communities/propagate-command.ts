/**
 * `tpot communities propagate` and `evaluate` as library calls: run, write the output file, and say
 * what happened in a few lines (docs/OPERATIONS.md, "Curating communities"). The API server's
 * propagation job runs the same call (api/analysis-job-process.ts).
 */
import { writeFileAtomically } from '../atomic-file.js';
import type { Db } from '../db/database.js';
import { communities as louvain } from '../graph/communities.js';
import { undirected } from '../graph/graph.js';
import { BOOTSTRAP_DEFAULTS, EVALUATION_DEFAULTS, PROPAGATION_DEFAULTS, type PropagationParams } from './defaults.js';
import { evaluateSeeds, formatEvaluation, type EvaluationReport } from './evaluate.js';
import { prepareRun, round, runPropagation, sparseWeights, type RunResult } from './run.js';
import type { EngineName } from './types.js';

export interface PropagateSummary {
  runId: number;
  engine: EngineName;
  durationMs: number;
  iterations: number;
  residual: number;
  converged: boolean;
  nodes: number;
  seeds: number;
  missingSeeds: string[];
  bootstrapSamples: number;
  bands: RunResult['bandCounts'];
  /** Per community: members that are not unclassified. */
  members: { short: string; name: string; members: number }[];
  output: string | null;
}

/** What the propagate and evaluate commands let a user choose; the rest takes its default. */
export interface PropagationChoices {
  engine?: EngineName;
  interactionWeight?: number;
}

function paramsFor({ engine, interactionWeight }: PropagationChoices): PropagationParams {
  return {
    ...PROPAGATION_DEFAULTS,
    engine: engine ?? PROPAGATION_DEFAULTS.engine,
    interactionWeight: interactionWeight ?? PROPAGATION_DEFAULTS.interactionWeight,
  };
}

export async function propagateCommand(
  db: Db,
  options: PropagationChoices & {
    bootstrap: number;
    output?: string;
    json?: boolean;
    /** Where progress goes instead of stderr (the server's analysis jobs). */
    onProgress?: (message: string) => void;
  },
): Promise<{ json: PropagateSummary; text: string }> {
  const params = paramsFor(options);
  const bootstrapParams = { ...BOOTSTRAP_DEFAULTS, samples: options.bootstrap };
  const progress =
    options.onProgress ?? (options.json ? undefined : (message: string) => process.stderr.write(`${message}\n`));
  const result = await runPropagation(db, {
    params,
    bootstrap: bootstrapParams,
    onProgress: progress,
  });
  if (options.output) writeOutputFile(options.output, result, { propagation: params, bootstrap: bootstrapParams });
  const { prepared, classification } = result;
  const members = prepared.communities.map((c) => ({ short: c.short, name: c.name, members: 0 }));
  classification.band.forEach((band, i) => {
    const top = classification.top[i]!;
    if (band !== 'unclassified' && top >= 0) members[top]!.members++;
  });
  const summary: PropagateSummary = {
    runId: result.runId,
    engine: params.engine,
    durationMs: Math.round(result.durationMs),
    iterations: result.propagation.iterations,
    residual: result.propagation.residual,
    converged: result.propagation.converged,
    nodes: prepared.graph.nodeCount,
    seeds: prepared.seeds.nodes.length,
    missingSeeds: prepared.missingSeeds,
    bootstrapSamples: result.bootstrap?.samples ?? 0,
    bands: result.bandCounts,
    members,
    output: options.output ?? null,
  };
  const b = summary.bands;
  const text = [
    `Run ${summary.runId} (${summary.engine}): ${summary.nodes} accounts, ${summary.seeds} seeds, ` +
      `converged in ${summary.iterations} iterations, ${(summary.durationMs / 1000).toFixed(1)} s` +
      (summary.bootstrapSamples ? ` with a ${summary.bootstrapSamples}-sample bootstrap.` : '.'),
    `  bands: ${b.exemplar} exemplar, ${b.specialist} specialist, ${b.bridge} bridge, ${b.frontier} frontier, ` +
      `${b.unclassified} unclassified`,
    ...members.map((m) => `  ${m.short.padEnd(14)} ${m.name.padEnd(28)} ${m.members} members`),
    ...(summary.missingSeeds.length
      ? [
          `  ${summary.missingSeeds.length} seeds are not in the graph and were left out: ` +
            summary.missingSeeds.join(', '),
        ]
      : []),
    ...(summary.output ? [`  wrote ${summary.output}`] : []),
  ].join('\n');
  return { json: summary, text };
}

/** `--output`: every account's placement, keyed by account id (written atomically). */
function writeOutputFile(path: string, result: RunResult, parameters: object): void {
  const { prepared, propagation, classification } = result;
  const accounts: Record<string, unknown> = {};
  prepared.built.nodes.forEach((node, i) => {
    const memberships = sparseWeights(propagation.weights, i, prepared.communities, (community) => community.short);
    const band = classification.band[i]!;
    const top = classification.top[i]!;
    accounts[node.accountId] = {
      username: node.username,
      community: band !== 'unclassified' && top >= 0 ? prepared.communities[top]!.short : null,
      confidence: round(classification.confidence[i]!),
      band,
      memberships,
    };
  });
  const body = {
    parameters: {
      run_id: result.runId,
      ...parameters,
      communities: prepared.communities.map((c) => ({ short: c.short, name: c.name, color: c.color })),
    },
    accounts,
  };
  writeFileAtomically(path, `${JSON.stringify(body)}\n`);
}

export function evaluateCommand(
  db: Db,
  options: PropagationChoices & { folds: number },
): { json: EvaluationReport; text: string } {
  const params = paramsFor(options);
  const prepared = prepareRun(db, params);
  const report = evaluateSeeds({
    graph: prepared.graph,
    seeds: prepared.seeds,
    shorts: prepared.communities.map((c) => c.short),
    params,
    folds: options.folds,
    seed: EVALUATION_DEFAULTS.seed,
    louvain: louvain(undirected(prepared.built.graph)).membership,
  });
  const weight = params.interactionWeight > 0 ? `interactions weighted ${params.interactionWeight}` : 'follows only';
  return { json: report, text: `Engine: ${params.engine}, ${weight}\n${formatEvaluation(report)}` };
}
