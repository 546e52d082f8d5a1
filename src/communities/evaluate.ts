/**
 * How well do the seeds and the graph pin communities down? (docs/COMMUNITIES.md, "Evaluation".)
 * k-fold seed hold-out: each fold hides some seeds, propagates from the rest, and asks whether each
 * hidden seed lands in its own community. A held-out seed whose row is mostly "none" is a miss, not
 * a wrong community.
 *
 * The figures are set beside what they must beat, computed on the same folds: the chance level
 * (always guessing the community with most evaluated seeds), the majority baseline (every hidden
 * seed gets the community with most training seeds) and, when the caller gives a Louvain partition,
 * the Louvain baseline (a hidden seed takes the community with most training seeds in its Louvain
 * cluster). The verdict is 'informative' only when the accuracy's 95% Wilson lower bound is at least
 * INFORMATIVE_MARGIN above both chance and majority — on a graph without community structure the
 * propagation must not look better than a guess. The margin is there because one test at 95% is
 * passed by noise one time in forty: on a structureless 20,000-account graph with 300 seeds the
 * harmonic engine measured 9.7 % against a chance of 6.7 %, its lower bound just above chance.
 *
 * Deterministic for a seed (fold timings aside). A pure function of its input: no database.
 */
import { createRng } from '../rng.js';
import { UsageError } from '../errors.js';
import type { PropagationParams } from './defaults.js';
import { propagate } from './engine.js';
import type { PropagationGraph } from './propagation-graph.js';
import { topColumn, type EngineName, type SeedAssignment } from './types.js';

/** A prediction of "none of these". */
export const NONE = -1;

/** z of a two-sided 95% interval. */
const Z95 = 1.959964;

export interface EvaluationInput {
  graph: PropagationGraph;
  seeds: SeedAssignment;
  /** Community short names, by column. */
  shorts: readonly string[];
  params: PropagationParams;
  folds: number;
  /** Random seed of the fold split. */
  seed: number;
  /** Louvain community per node, for the Louvain baseline; without it that baseline is not computed. */
  louvain?: Int32Array;
  /** The full-seed run's engine state (`Propagation.state`); without it the first fold's warms the others. */
  warm?: Float64Array;
}

export interface CommunityScore {
  short: string;
  seeds: number;
  /** Seeds of this community that were held out and predicted. */
  support: number;
  /** Held-out seeds predicted to be in it. */
  predicted: number;
  /** 0 when nothing was predicted to be in it. */
  precision: number;
  recall: number;
  f1: number;
}

export interface BaselineScores {
  accuracy: number;
  macroF1: number;
}

export interface FoldResult {
  fold: number;
  heldOut: number;
  correct: number;
  /** null when the fold held nothing out (fewer seeds than folds). */
  accuracy: number | null;
  iterations: number;
  ms: number;
}

export interface EvaluationReport {
  engine: EngineName;
  folds: number;
  seed: number;
  seeds: number;
  evaluated: number;
  /** Seeds never held out: each was the last training seed of its community in its fold. */
  unevaluated: number;
  communities: CommunityScore[];
  /** Top-1 over the evaluated seeds, with its 95% Wilson interval. */
  accuracy: number;
  accuracyInterval: [low: number, high: number];
  /** Mean F1 over the communities that had held-out seeds or predictions. */
  macroF1: number;
  /** Share of evaluated seeds predicted "none". */
  abstained: number;
  /** Accuracy of always guessing the community with most evaluated seeds. */
  chance: number;
  /** Rows: the seeds' community; columns: predicted, the last one "none". */
  confusion: { rows: string[]; columns: string[]; counts: number[][] };
  baselines: { majority: BaselineScores; louvain: BaselineScores | null };
  verdict: 'informative' | 'no better than chance';
  explanation: string;
  perFold: FoldResult[];
}

export interface FoldSplit {
  /** Per seed (index into the assignment): the fold that holds it out, or -1 when it is never held out. */
  fold: Int32Array;
  unevaluated: number;
}

/**
 * Stratified split: each community's seeds are shuffled and dealt round-robin into the folds, the
 * dealing carrying on from one community to the next so folds are of even size. A seed is kept in
 * training (never evaluated) when holding it out would leave its community without a seed in that fold.
 */
export function splitFolds(seeds: SeedAssignment, folds: number, seed: number): FoldSplit {
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new UsageError(`folds must be an integer of at least 2, got ${folds}`);
  const K = seeds.communityCount;
  const rng = createRng(seed);
  const fold = new Int32Array(seeds.nodes.length).fill(-1);
  let unevaluated = 0;
  let deal = 0;
  for (let c = 0; c < K; c++) {
    const members: number[] = [];
    for (let k = 0; k < seeds.columns.length; k++) if (seeds.columns[k] === c) members.push(k);
    rng.shuffle(members);
    const perFold = new Int32Array(folds);
    const lastDealt = new Int32Array(folds).fill(-1);
    for (const k of members) {
      const f = deal++ % folds;
      fold[k] = f;
      perFold[f]!++;
      lastDealt[f] = k;
    }
    for (let f = 0; f < folds; f++) {
      if (perFold[f]! > 0 && perFold[f] === members.length) {
        fold[lastDealt[f]!] = -1;
        unevaluated++;
      }
    }
  }
  return { fold, unevaluated };
}

export interface PredictionScores {
  communities: Omit<CommunityScore, 'short' | 'seeds'>[];
  accuracy: number;
  macroF1: number;
  abstained: number;
  /** K × (K + 1): truth by predicted, the last column "none". */
  confusion: number[][];
}

/**
 * Precision, recall and F1 per community, macro-F1, accuracy and the confusion matrix of predicted
 * communities (NONE for "none of these") against the truth. "none" counts against recall only: it is
 * not a community anyone is in, so it has no precision of its own.
 */
export function scorePredictions(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  communityCount: number,
): PredictionScores {
  const K = communityCount;
  const confusion = Array.from({ length: K }, () => new Array<number>(K + 1).fill(0));
  let correct = 0;
  let none = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    confusion[t]![p === NONE ? K : p]!++;
    if (p === t) correct++;
    if (p === NONE) none++;
  }
  const communities = confusion.map((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, r) => sum + r[c]!, 0);
    const hits = row[c]!;
    const precision = predictedCount > 0 ? hits / predictedCount : 0;
    const recall = support > 0 ? hits / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { support, predicted: predictedCount, precision, recall, f1 };
  });
  const scored = communities.filter((c) => c.support > 0 || c.predicted > 0);
  const n = truth.length;
  return {
    communities,
    accuracy: n > 0 ? correct / n : 0,
    macroF1: scored.length > 0 ? scored.reduce((sum, c) => sum + c.f1, 0) / scored.length : 0,
    abstained: n > 0 ? none / n : 0,
    confusion,
  };
}

/** Wilson score interval of a proportion (E. B. Wilson, JASA 1927): sound near 0 and 1 and for small n. */
export function wilsonInterval(successes: number, n: number, z = Z95): [low: number, high: number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At 0 or n successes the bound is exactly 0 or 1; the formula leaves a rounding error there.
  return [successes === 0 ? 0 : Math.max(0, centre - half), successes === n ? 1 : Math.min(1, centre + half)];
}

export function evaluateSeeds(input: EvaluationInput): EvaluationReport {
  const { graph, seeds, shorts, params, folds, seed, louvain } = input;
  const K = seeds.communityCount;
  const C = K + 1;
  if (shorts.length !== K) throw new RangeError(`${shorts.length} short names for ${K} communities`);
  if (louvain && louvain.length !== graph.nodeCount) {
    throw new RangeError(`the Louvain partition has ${louvain.length} nodes, the graph ${graph.nodeCount}`);
  }
  const split = splitFolds(seeds, folds, seed);
  const S = seeds.nodes.length;
  const predicted = new Int32Array(S).fill(NONE);
  const majority = new Int32Array(S).fill(NONE);
  const byLouvain = new Int32Array(S).fill(NONE);
  const perFold: FoldResult[] = [];
  let warm = input.warm;

  for (let f = 0; f < folds; f++) {
    const heldOut: number[] = [];
    const training: number[] = [];
    for (let k = 0; k < S; k++) (split.fold[k] === f ? heldOut : training).push(k);
    if (heldOut.length === 0) {
      perFold.push({ fold: f, heldOut: 0, correct: 0, accuracy: null, iterations: 0, ms: 0 });
      continue;
    }
    const started = performance.now();
    const train: SeedAssignment = {
      communityCount: K,
      nodes: Int32Array.from(training, (k) => seeds.nodes[k]!),
      columns: Int32Array.from(training, (k) => seeds.columns[k]!),
    };
    const result = propagate(graph, train, params, warm ? { warm } : {});
    warm ??= result.state;
    let correct = 0;
    for (const k of heldOut) {
      const best = topColumn(result.weights, seeds.nodes[k]!, C);
      predicted[k] = best === K ? NONE : best;
      if (predicted[k] === seeds.columns[k]) correct++;
    }
    const ms = performance.now() - started;

    const trainingCounts = new Int32Array(K);
    for (const k of training) trainingCounts[seeds.columns[k]!]!++;
    const largest = argmax(trainingCounts);
    for (const k of heldOut) majority[k] = largest;
    if (louvain) {
      const byCluster = new Map<number, Int32Array>();
      for (const k of training) {
        const cluster = louvain[seeds.nodes[k]!]!;
        let counts = byCluster.get(cluster);
        if (!counts) byCluster.set(cluster, (counts = new Int32Array(K)));
        counts[seeds.columns[k]!]!++;
      }
      for (const k of heldOut) {
        const counts = byCluster.get(louvain[seeds.nodes[k]!]!);
        byLouvain[k] = counts ? argmax(counts) : NONE;
      }
    }
    perFold.push({
      fold: f,
      heldOut: heldOut.length,
      correct,
      accuracy: correct / heldOut.length,
      iterations: result.iterations,
      ms: Math.round(ms * 10) / 10,
    });
  }

  const evaluated: number[] = [];
  for (let k = 0; k < S; k++) if (split.fold[k]! >= 0) evaluated.push(k);
  const truth = evaluated.map((k) => seeds.columns[k]!);
  const pick = (values: Int32Array) => evaluated.map((k) => values[k]!);
  const scores = scorePredictions(truth, pick(predicted), K);
  const majorityScores = scorePredictions(truth, pick(majority), K);
  const louvainScores = louvain ? scorePredictions(truth, pick(byLouvain), K) : null;

  const seedCounts = new Int32Array(K);
  for (let k = 0; k < S; k++) seedCounts[seeds.columns[k]!]!++;
  const n = evaluated.length;
  const chance = n > 0 ? Math.max(...scores.communities.map((c) => c.support)) / n : 0;
  const correct = Math.round(scores.accuracy * n);
  const interval = wilsonInterval(correct, n);
  const { verdict, explanation } = judge(n, correct, interval, chance, majorityScores.accuracy);

  return {
    engine: params.engine,
    folds,
    seed,
    seeds: S,
    evaluated: n,
    unevaluated: split.unevaluated,
    communities: scores.communities.map((c, column) => ({ short: shorts[column]!, seeds: seedCounts[column]!, ...c })),
    accuracy: scores.accuracy,
    accuracyInterval: interval,
    macroF1: scores.macroF1,
    abstained: scores.abstained,
    chance,
    confusion: { rows: [...shorts], columns: [...shorts, 'none'], counts: scores.confusion },
    baselines: {
      majority: { accuracy: majorityScores.accuracy, macroF1: majorityScores.macroF1 },
      louvain: louvainScores && { accuracy: louvainScores.accuracy, macroF1: louvainScores.macroF1 },
    },
    verdict,
    explanation,
    perFold,
  };
}

/** The first index of the largest value. */
function argmax(values: Int32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** How far above the better of chance and majority the accuracy's lower bound must be (5 points). */
export const INFORMATIVE_MARGIN = 0.05;

function judge(
  n: number,
  correct: number,
  [low, high]: [number, number],
  chance: number,
  majority: number,
): Pick<EvaluationReport, 'verdict' | 'explanation'> {
  if (n === 0) {
    return {
      verdict: 'no better than chance',
      explanation: 'No seed could be held out: give each community at least two seeds.',
    };
  }
  const baseline = Math.max(chance, majority);
  const bar = Math.min(1, baseline + INFORMATIVE_MARGIN);
  const what =
    majority > chance ? 'guessing the community with most training seeds' : 'always guessing the largest community';
  const measured =
    `Held-out seeds landed in their own community ${correct} of ${n} times ` +
    `(${percent(correct / n)}, 95% interval ${percent(low)}–${percent(high)})`;
  if (low > bar) {
    return { verdict: 'informative', explanation: `${measured}, clearly above the ${percent(baseline)} of ${what}.` };
  }
  return {
    verdict: 'no better than chance',
    explanation:
      `${measured}, not clearly above the ${percent(baseline)} of ${what}: ` +
      'these seeds and this graph do not tell the communities apart.',
  };
}

/** The report as a text table for the command line. */
export function formatEvaluation(report: EvaluationReport): string {
  const lines: string[] = [];
  const num = (x: number) => x.toFixed(2);
  const width = Math.max(9, ...report.communities.map((c) => c.short.length));
  const pad = (s: string) => s.padEnd(width);
  const cells = (values: (string | number)[], w = 9) => values.map((v) => String(v).padStart(w)).join('');
  lines.push(
    `Seed hold-out: ${report.folds} folds, ${report.engine} engine, ` +
      `${report.evaluated} of ${report.seeds} seeds evaluated` +
      (report.unevaluated > 0 ? ` (${report.unevaluated} kept: the only seed of their community)` : ''),
    '',
    pad('community') + cells(['seeds', 'held out', 'precision', 'recall', 'F1'], 10),
  );
  for (const c of report.communities) {
    lines.push(pad(c.short) + cells([c.seeds, c.support, num(c.precision), num(c.recall), num(c.f1)], 10));
  }
  const [low, high] = report.accuracyInterval;
  const { majority, louvain } = report.baselines;
  lines.push(
    '',
    pad('') + cells(['accuracy', 'macro-F1'], 10),
    pad('propagation') +
      cells([num(report.accuracy), num(report.macroF1)], 10) +
      `   95% interval ${num(low)}–${num(high)}`,
    pad('majority') + cells([num(majority.accuracy), num(majority.macroF1)], 10),
    pad('louvain') + (louvain ? cells([num(louvain.accuracy), num(louvain.macroF1)], 10) : cells(['–', '–'], 10)),
    pad('chance') + cells([num(report.chance), ''], 10),
    `abstained ("none" won): ${percent(report.abstained)}`,
    '',
    "confusion (rows: the seed's community; columns: predicted)",
  );
  const cw = Math.max(5, ...report.confusion.columns.map((c) => c.length + 1));
  lines.push(pad('') + report.confusion.columns.map((c) => c.padStart(cw)).join(''));
  report.confusion.counts.forEach((row, r) => {
    lines.push(pad(report.confusion.rows[r]!) + row.map((v) => String(v).padStart(cw)).join(''));
  });
  lines.push(
    '',
    'folds: ' +
      report.perFold
        .map((f) => `${f.fold + 1}: ${f.accuracy === null ? '–' : num(f.accuracy)} (${Math.round(f.ms)} ms)`)
        .join(', '),
    '',
    `verdict: ${report.verdict}. ${report.explanation}`,
  );
  return lines.join('\n');
}
