/**
 * Every tunable number of community propagation, bands and evaluation, in one place
 * (docs/COMMUNITIES.md lists them with their meaning). A run records the values it used.
 */
import type { EngineName } from './types.js';

export interface HarmonicParams {
  /**
   * Weight of each account's tie to the "none of these" ground: an account with weighted degree d
   * next to seeds keeps at most d / (d + absorption) for the communities, so an account with little
   * evidence stays mostly "none" and one far from every seed is not forced into a community.
   */
  absorption: number;
  /**
   * Class balance: a community's weights are multiplied by (its seeds / the fewest seeds)^-balance and the
   * communities' share renormalised, so a community with many seeds does not swallow its neighbours. 0 turns it
   * off. (ppr-lift needs none: each community's walk carries the same mass whatever its number of seeds.)
   */
  balance: number;
  /** Memberships are raised to 1/temperature and renormalised: above 1 flattens, below 1 sharpens. */
  temperature: number;
  /** Conjugate gradients stop when every column's residual is below this, relative to its right-hand side. */
  tolerance: number;
  maxIterations: number;
}

export interface PprLiftParams {
  /** Teleport probability: the chance per step that the walker returns to the community's seeds. */
  teleport: number;
  /** Weight of a step to an account the current one follows (a step to a follower weighs 1). */
  followedWeight: number;
  /**
   * Evidence prior: a lift is shrunk toward 1 by d / (d + evidencePrior), d the weighted degree, so an
   * account whose only tie is one seed does not top the community (a one-link leaf has a huge raw lift).
   */
  evidencePrior: number;
  /** Stop when the L1 change of every column is below this. */
  tolerance: number;
  maxIterations: number;
}

export interface PropagationParams {
  engine: EngineName;
  /** Weight of a pair that follows each other (a one-way follow weighs 1). */
  mutualWeight: number;
  /**
   * How much the graph's interaction weight between a pair (graph/interactions.ts) counts beside a
   * follow's 1; 0 propagates over follows only.
   */
  interactionWeight: number;
  harmonic: HarmonicParams;
  pprLift: PprLiftParams;
}

export const PROPAGATION_DEFAULTS: Readonly<PropagationParams> = Object.freeze({
  engine: 'harmonic',
  mutualWeight: 2,
  interactionWeight: 1,
  harmonic: Object.freeze({ absorption: 0.05, balance: 0.5, temperature: 0.5, tolerance: 1e-6, maxIterations: 2000 }),
  pprLift: Object.freeze({
    teleport: 0.15,
    followedWeight: 0.5,
    evidencePrior: 2,
    tolerance: 1e-8,
    maxIterations: 500,
  }),
});

export interface BootstrapParams {
  /** Seed-resampling runs; 0 skips the bootstrap (no uncertainty is stored). */
  samples: number;
  /** Share of each community's seeds kept in a sample (at least one seed always stays). */
  keep: number;
  /** Random seed: the same seeds and graph give the same uncertainty. */
  seed: number;
  /**
   * A sample is solved to the run's tolerance × this. The uncertainty is a spread between samples (0.13 on
   * average on the planted 200,000-account graph); solving the samples 10× looser moved no account's
   * uncertainty by more than 0.0006 there, and saved a third of the bootstrap's time (docs/BENCHMARKS.md).
   */
  looserTolerance: number;
}

export const BOOTSTRAP_DEFAULTS: Readonly<BootstrapParams> = Object.freeze({
  samples: 20,
  keep: 0.8,
  seed: 42,
  looserTolerance: 10,
});

export interface BandParams {
  /** specialist: top community weight at least this … */
  specialistMin: number;
  /** … ahead of the second community by at least this … */
  specialistMargin: number;
  /** … and at least this many seeds among its neighbours. */
  specialistSeedDegree: number;
  /** bridge: two communities each at least this, and not a specialist. */
  bridgeMin: number;
  /** frontier and above: the communities together (1 − none) at least this. */
  tpotMin: number;
}

export const BAND_DEFAULTS: Readonly<BandParams> = Object.freeze({
  specialistMin: 0.5,
  specialistMargin: 0.25,
  specialistSeedDegree: 2,
  bridgeMin: 0.2,
  tpotMin: 0.3,
});

export interface EvaluationParams {
  folds: number;
  /** Random seed of the fold split. */
  seed: number;
}

export const EVALUATION_DEFAULTS: Readonly<EvaluationParams> = Object.freeze({ folds: 5, seed: 7 });
