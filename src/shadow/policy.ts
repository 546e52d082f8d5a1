/**
 * When to read a seed again (docs/DATA-MODEL.md, "Configuration files"):
 * `config/enrichment_policy.json`, actually read (the original never loaded it), with defaults for
 * what it leaves out. Two decisions, each with the reason the log shows:
 *
 * - before visiting a seed: skip one deleted or suspended recently, and — with
 *   `--skip-if-ever-scraped` — one whose every list is complete and fresh;
 * - after reading its profile, per list: read it again when its coverage was low, when the edges
 *   stored no longer match the last run, or when the claimed count moved by more than the
 *   threshold; skip it otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ageDays } from '../time.js';
import { errorMessage, TpotError } from '../errors.js';

const policySchema = z.strictObject({
  list_refresh_days: z.number().min(0),
  low_coverage_percent: z.number().min(0).max(100),
  low_coverage_max_captured: z.number().int().min(0),
  claimed_change_percent: z.number().min(0),
  status_recheck_days: z.number().min(0),
  /** Ask y/n before each list is read (`--require-confirmation` turns it on for one run). */
  require_confirmation: z.boolean(),
});
export type EnrichmentPolicy = z.infer<typeof policySchema>;

export const POLICY_DEFAULTS: EnrichmentPolicy = {
  list_refresh_days: 180,
  low_coverage_percent: 10,
  low_coverage_max_captured: 20,
  claimed_change_percent: 50,
  status_recheck_days: 30,
  require_confirmation: false,
};

export class PolicyError extends TpotError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** The policy file over the defaults; a bad value is an error naming it (not silently ignored). */
export function readPolicy(path: string): EnrichmentPolicy {
  if (!existsSync(path)) return POLICY_DEFAULTS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PolicyError(`${path} is not valid JSON: ${errorMessage(error)}`);
  }
  const result = policySchema.partial().safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.');
    throw new PolicyError(
      `${path}: ${field}: ${issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message}`,
    );
  }
  return { ...POLICY_DEFAULTS, ...result.data };
}

export interface Decision {
  action: 'scrape' | 'skip';
  reason: string;
}

/** What the cache knows of a seed before visiting it. */
export interface SeedHistory {
  status: 'active' | 'deleted' | 'suspended' | 'protected' | null;
  /** When its status was last read (SQLite UTC). */
  checkedAt: string | null;
  /** Its last complete run (not skipped, no error). */
  lastCompleteRunAt: string | null;
}

/**
 * Whether to visit a seed at all. With `--skip-if-ever-scraped`, a seed whose every list would be
 * skipped on what the cache already knows (its claimed counts are only re-read on a visit) is
 * skipped whole.
 */
export function seedDecision(
  history: SeedHistory,
  lists: readonly ListHistory[],
  policy: EnrichmentPolicy,
  options: { skipIfEverScraped: boolean; now?: number },
): Decision {
  const now = options.now ?? Date.now();
  if (
    (history.status === 'deleted' || history.status === 'suspended') &&
    history.checkedAt &&
    ageDays(history.checkedAt, now) < policy.status_recheck_days
  ) {
    return {
      action: 'skip',
      reason:
        `${history.status} when checked ${history.checkedAt} UTC ` +
        `(re-checked after ${policy.status_recheck_days} days)`,
    };
  }
  if (!history.lastCompleteRunAt) return { action: 'scrape', reason: 'never scraped' };
  if (!options.skipIfEverScraped) return { action: 'scrape', reason: 'skip-if-ever-scraped is off' };
  const decisions = lists.map((list) => listDecision({ ...list, claimedNow: null }, policy, options));
  const again = decisions.find((d) => d.action === 'scrape');
  if (lists.length > 0 && !again) return { action: 'skip', reason: decisions.map((d) => d.reason).join('; ') };
  return { action: 'scrape', reason: again?.reason ?? 'no list history' };
}

/** What the cache knows of one list of a seed, and what its profile claims now. */
export interface ListHistory {
  lastRunAt: string | null;
  captured: number | null;
  claimed: number | null;
  /** Percent. */
  coverage: number | null;
  /** Edges of this list stored now. */
  storedEdges: number;
  claimedNow: number | null;
}

export function listDecision(
  list: ListHistory,
  policy: EnrichmentPolicy,
  options: { skipIfEverScraped: boolean; now?: number },
): Decision {
  const now = options.now ?? Date.now();
  if (!options.skipIfEverScraped) return { action: 'scrape', reason: 'skip-if-ever-scraped is off' };
  if (!list.lastRunAt) return { action: 'scrape', reason: 'never read' };
  const age = ageDays(list.lastRunAt, now);
  if (age >= policy.list_refresh_days)
    return { action: 'scrape', reason: `read ${age.toFixed(0)} days ago (refresh after ${policy.list_refresh_days})` };
  const captured = list.captured ?? 0;
  if ((list.coverage ?? 0) < policy.low_coverage_percent && captured <= policy.low_coverage_max_captured) {
    return { action: 'scrape', reason: `low coverage last time (${list.coverage ?? 0} %, ${captured} captured)` };
  }
  if (list.storedEdges < captured)
    return { action: 'scrape', reason: `${list.storedEdges} edges stored, the last run captured ${captured}` };
  if (
    list.claimed &&
    list.claimedNow !== null &&
    (Math.abs(list.claimedNow - list.claimed) * 100) / list.claimed > policy.claimed_change_percent
  ) {
    return {
      action: 'scrape',
      reason:
        `claimed count moved from ${list.claimed} to ${list.claimedNow} ` + `(over ${policy.claimed_change_percent} %)`,
    };
  }
  return {
    action: 'skip',
    reason: `complete and fresh: ${list.coverage ?? '?'} % coverage, ${captured} captured, ${age.toFixed(0)} days old`,
  };
}
