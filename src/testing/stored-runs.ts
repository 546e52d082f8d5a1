/**
 * Propagation runs written straight through the membership store (docs/COMMUNITIES.md, "Where the results go"),
 * for API tests that need exact members and weights rather than what an engine would compute.
 */
import type { AccountMembership, RunRecord } from '../db/membership-store.js';

/** A converged harmonic run of these communities, started at `startedAt`. */
export function testRun(startedAt: string, communities: RunRecord['communities']): RunRecord {
  return {
    startedAt,
    engine: 'harmonic',
    parameters: { absorption: 0.2 },
    seedHash: 'test',
    versionName: null,
    durationMs: 5,
    converged: true,
    iterations: 10,
    residual: 1e-8,
    nodeCount: 4,
    seedCount: 1,
    bootstrapSamples: 0,
    communities,
    summary: null,
  };
}

/** An account's row: its confidence is its weight in its top community, "none" takes the rest. */
export function testMembership(
  accountId: string,
  topCommunityId: number | null,
  band: AccountMembership['band'],
  weights: Record<string, number>,
  uncertainty: number | null = null,
): AccountMembership {
  const confidence = topCommunityId === null ? 0 : (weights[String(topCommunityId)] ?? 0);
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return { accountId, topCommunityId, confidence, noneWeight: 1 - total, uncertainty, band, seedDegree: 0, weights };
}
