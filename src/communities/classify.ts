/**
 * From a propagation to what is stored per account (docs/COMMUNITIES.md, "Bands"): the top
 * community, its confidence, the band, how many of the account's neighbours are seeds of that
 * community, and the bootstrap's uncertainty. Pure: arrays in, arrays out.
 */
import { placeAccount } from './bands.js';
import type { BootstrapResult } from './bootstrap.js';
import type { BandParams } from './defaults.js';
import { isEnriched, type PropagationGraph } from './propagation-graph.js';
import type { Band, Memberships, SeedAssignment } from './types.js';

export interface Classification {
  /** Per node: the top community's column, or -1 when no community has weight. */
  top: Int32Array;
  confidence: Float64Array;
  /** Per node: the top community's weight minus the second's. */
  margin: Float64Array;
  band: Band[];
  seedDegree: Int32Array;
  /** Per node, from the bootstrap; null without one. */
  uncertainty: Float64Array | null;
}

export function classifyAccounts(
  graph: PropagationGraph,
  seeds: SeedAssignment,
  memberships: Memberships,
  bands: BandParams,
  uncertainty: BootstrapResult | null,
): Classification {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const C = K + 1;
  const seedColumn = new Int32Array(n).fill(-1);
  for (let k = 0; k < seeds.nodes.length; k++) seedColumn[seeds.nodes[k]!] = seeds.columns[k]!;
  const result: Classification = {
    top: new Int32Array(n),
    confidence: new Float64Array(n),
    margin: new Float64Array(n),
    band: new Array<Band>(n),
    seedDegree: new Int32Array(n),
    uncertainty: uncertainty?.uncertainty ?? null,
  };
  const counts = new Int32Array(K);
  for (let i = 0; i < n; i++) {
    counts.fill(0);
    for (let e = graph.offsets[i]!, end = graph.offsets[i + 1]!; e < end; e++) {
      const column = seedColumn[graph.neighbours[e]!]!;
      if (column >= 0) counts[column]!++;
    }
    const row = memberships.weights.subarray(i * C, i * C + C);
    // The seed degree of the top community; placeAccount finds the top itself, so find it first.
    let top = 0;
    for (let c = 1; c < K; c++) if (row[c]! > row[top]!) top = c;
    const placement = placeAccount(
      {
        weights: row,
        communityCount: K,
        isSeed: seedColumn[i]! >= 0,
        enriched: isEnriched(graph, i),
        seedDegree: counts[top]!,
      },
      bands,
    );
    result.top[i] = placement.top ?? -1;
    result.confidence[i] = placement.confidence;
    result.margin[i] = placement.margin;
    result.band[i] = placement.band;
    result.seedDegree[i] = counts[top]!;
  }
  return result;
}
