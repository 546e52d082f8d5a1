/**
 * How much an account's place depends on which seeds were chosen (docs/COMMUNITIES.md,
 * "Uncertainty"): propagation is rerun on resampled seed sets — each community keeps a random
 * `keep` share of its seeds, at least one — warm-started from the full run, and every column of every
 * row is summarised over the samples. All K + 1 columns come from the same samples, so "none", the
 * communities and the agreement are consistent with each other. The samples run on the
 * propagator's threads (propagation-pool.ts).
 */
import { createRng, mix32 } from '../rng.js';
import type { BootstrapParams, PropagationParams } from './defaults.js';
import type { Propagation } from './engine.js';
import type { Propagator } from './propagation-pool.js';
import { topColumn, type SeedAssignment } from './types.js';

export interface BootstrapResult {
  samples: number;
  /** Per node: the standard deviation, over the samples, of its weight in the full run's top column. */
  uncertainty: Float64Array;
  /** Per node: the share of samples whose top column (communities and "none") is the full run's. */
  agreement: Float64Array;
  /** Iterations the samples took (the warm start keeps them few). */
  iterations: number[];
}

/** A seed set that keeps a random `keep` share of each community's seeds (at least one). */
export function resampleSeeds(seeds: SeedAssignment, keep: number, seed: number): SeedAssignment {
  const rng = createRng(seed);
  const byColumn = Array.from({ length: seeds.communityCount }, (): number[] => []);
  for (let k = 0; k < seeds.nodes.length; k++) byColumn[seeds.columns[k]!]!.push(k);
  const kept: number[] = [];
  for (const members of byColumn) {
    const count = Math.max(1, Math.round(members.length * keep));
    kept.push(...rng.shuffle([...members]).slice(0, count));
  }
  kept.sort((a, b) => a - b);
  return {
    communityCount: seeds.communityCount,
    nodes: Int32Array.from(kept, (k) => seeds.nodes[k]!),
    columns: Int32Array.from(kept, (k) => seeds.columns[k]!),
  };
}

/**
 * Samples in flight at once: while the main thread folds one sample's answer in, the pool's threads already solve
 * the next. More would only hold more answers in memory.
 */
const SAMPLES_IN_FLIGHT = 2;

export async function bootstrap(
  propagator: Pick<Propagator, 'propagate'>,
  seeds: SeedAssignment,
  params: PropagationParams,
  full: Propagation,
  options: BootstrapParams & { onSample?: (done: number, total: number) => void },
): Promise<BootstrapResult> {
  const n = full.nodeCount;
  const C = seeds.communityCount + 1;
  const top = Int32Array.from({ length: n }, (_, i) => topColumn(full.weights, i, C));
  const sum = new Float64Array(n);
  const sumOfSquares = new Float64Array(n);
  const agreeing = new Float64Array(n);
  const iterations: number[] = [];
  const sampleParams = loosened(params, options.looserTolerance);
  const start = (s: number) =>
    propagator.propagate(resampleSeeds(seeds, options.keep, mix32(options.seed, s)), sampleParams, {
      warm: full.state,
    });
  const inFlight: Promise<Propagation>[] = [];
  for (let s = 0; s < Math.min(SAMPLES_IN_FLIGHT, options.samples); s++) inFlight.push(start(s));
  for (let s = 0; s < options.samples; s++) {
    // Folded in sample order, so the sums are the same whatever finished first.
    const result = await inFlight.shift()!;
    if (s + SAMPLES_IN_FLIGHT < options.samples) inFlight.push(start(s + SAMPLES_IN_FLIGHT));
    iterations.push(result.iterations);
    for (let i = 0, row = 0; i < n; i++, row += C) {
      const value = result.weights[row + top[i]!]!;
      sum[i]! += value;
      sumOfSquares[i]! += value * value;
      if (topColumn(result.weights, i, C) === top[i]) agreeing[i]!++;
    }
    options.onSample?.(s + 1, options.samples);
  }
  const uncertainty = new Float64Array(n);
  const agreement = new Float64Array(n);
  const B = options.samples;
  if (B > 0)
    for (let i = 0; i < n; i++) {
      const mean = sum[i]! / B;
      uncertainty[i] = Math.sqrt(Math.max(0, sumOfSquares[i]! / B - mean * mean));
      agreement[i] = agreeing[i]! / B;
    }
  return { samples: B, uncertainty, agreement, iterations };
}

/** Both engines' tolerances × `factor`. */
function loosened(params: PropagationParams, factor: number): PropagationParams {
  if (!(factor >= 1)) throw new RangeError(`looserTolerance must be at least 1, got ${factor}`);
  return {
    ...params,
    harmonic: { ...params.harmonic, tolerance: params.harmonic.tolerance * factor },
    pprLift: { ...params.pprLift, tolerance: params.pprLift.tolerance * factor },
  };
}
