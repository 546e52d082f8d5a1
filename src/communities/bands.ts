/**
 * Bands: how sure we are of an account's place, in words a curator can act on (docs/COMMUNITIES.md,
 * "Bands"). The rules, in order — the first that holds wins:
 *
 * 1. exemplar — a seed: a curator put it there.
 * 2. specialist — its top community has at least `specialistMin`, at least `specialistMargin` more than
 *    the second, and the evidence is real: we have read whom it follows (it is enriched), or at least
 *    `specialistSeedDegree` of its neighbours are seeds of that community.
 * 3. bridge — two or more communities have at least `bridgeMin` each, with the same evidence test.
 * 4. frontier — likely in the map (the communities together, 1 − none, have at least `tpotMin`) but not
 *    placed by rules 2–3: too little data, or its weight is spread. The accounts to read next.
 * 5. unclassified — everything else: "none of these" dominates.
 *
 * Weights are the engines' normalised distribution (every row sums to 1), never raw lifts.
 */
import type { BandParams } from './defaults.js';
import type { Band } from './types.js';

export interface BandInput {
  /** The row: K community weights, then "none". */
  weights: ArrayLike<number>;
  communityCount: number;
  isSeed: boolean;
  /** Whether we know whom the account follows. */
  enriched: boolean;
  /** How many of its neighbours are seeds of its top community. */
  seedDegree: number;
}

export interface Placement {
  band: Band;
  /** The top community's column, or null when no community has any weight. */
  top: number | null;
  /** The top community's weight. */
  confidence: number;
  /** The top community's weight minus the second's. */
  margin: number;
}

export function placeAccount(input: BandInput, params: BandParams): Placement {
  const { weights, communityCount: K } = input;
  let top = -1;
  let second = -1;
  let strong = 0;
  for (let c = 0; c < K; c++) {
    const w = weights[c]!;
    if (w >= params.bridgeMin) strong++;
    if (top < 0 || w > weights[top]!) {
      second = top;
      top = c;
    } else if (second < 0 || w > weights[second]!) second = c;
  }
  const confidence = top >= 0 ? weights[top]! : 0;
  const margin = confidence - (second >= 0 ? weights[second]! : 0);
  const placed = confidence > 0 ? top : null;
  const band = ((): Band => {
    if (input.isSeed) return 'exemplar';
    const evidence = input.enriched || input.seedDegree >= params.specialistSeedDegree;
    if (evidence && confidence >= params.specialistMin && margin >= params.specialistMargin) return 'specialist';
    if (evidence && strong >= 2) return 'bridge';
    if (1 - weights[K]! >= params.tpotMin) return 'frontier';
    return 'unclassified';
  })();
  return { band, top: placed, confidence, margin };
}
