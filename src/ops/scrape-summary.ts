/**
 * `tpot metrics summary` (docs/OPERATIONS.md): what the enrichment runs of the last N days did, from
 * `scrape_run_metrics` — outcomes with percentages, error types, the top skip reasons, averages
 * over the successful runs, following-coverage buckets, accounts per minute and the latest errors.
 * The same counts as the runbook's SQL (docs/OPERATIONS.md `success-rate`, `coverage-buckets`,
 * `error-types`, `recent-errors`); a test holds them equal.
 */
import type { Db } from '../db/database.js';
import {
  errorTypeCounts,
  followingCoverageBuckets,
  recentErrors,
  scrapeRunTotals,
  successfulRunAverages,
  topSkipReasons,
  type ErrorTypeCount,
  type RecentError,
  type SkipReasonCount,
} from '../db/scrape-runs.js';
import { toSqliteUtc } from '../time.js';

export interface ScrapeSummary {
  days: number;
  /** UTC `YYYY-MM-DD HH:MM:SS`: runs at or after this are counted. */
  since: string;
  runs: number;
  succeeded: number;
  skipped: number;
  errors: number;
  /** Percent of runs, one decimal; null without runs. */
  success_pct: number | null;
  skipped_pct: number | null;
  error_pct: number | null;
  error_types: ErrorTypeCount[];
  skip_reasons: SkipReasonCount[];
  /** Means over the successful runs (coverage in percent); null when there are none. */
  averages: {
    duration_seconds: number | null;
    following_captured: number | null;
    followers_captured: number | null;
    following_coverage: number | null;
    followers_coverage: number | null;
  };
  coverage_buckets: Record<string, number>;
  /** Accounts written per minute of reading, over the successful runs. */
  accounts_per_minute: number | null;
  recent_errors: RecentError[];
}

const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export type ScrapeOutcomes = Pick<
  ScrapeSummary,
  'days' | 'since' | 'runs' | 'succeeded' | 'skipped' | 'errors' | 'success_pct' | 'coverage_buckets'
>;

/** The outcomes and coverage buckets alone: what `tpot status` shows for the week. */
export function scrapeOutcomes(db: Db, days: number): ScrapeOutcomes {
  // SQLite's datetime('now', '-N days'): UTC text compares in time order.
  const since = toSqliteUtc(new Date(Date.now() - days * 86_400_000));
  const totals = scrapeRunTotals(db, since);
  const buckets = followingCoverageBuckets(db, since);
  return {
    days,
    since,
    ...totals,
    success_pct: totals.runs ? round1((100 * totals.succeeded) / totals.runs) : null,
    coverage_buckets: Object.fromEntries(buckets.map((b) => [b.bucket, b.runs])),
  };
}

export function summariseScrapeRuns(db: Db, days: number): ScrapeSummary {
  const outcomes = scrapeOutcomes(db, days);
  const { since, runs } = outcomes;
  const pct = (n: number) => (runs ? round1((100 * n) / runs) : null);
  const averages = successfulRunAverages(db, since);
  return {
    ...outcomes,
    skipped_pct: pct(outcomes.skipped),
    error_pct: pct(outcomes.errors),
    error_types: errorTypeCounts(db, since),
    skip_reasons: topSkipReasons(db, since, 5),
    averages: {
      duration_seconds: round1(averages.duration_seconds ?? null),
      following_captured: round1(averages.following_captured ?? null),
      followers_captured: round1(averages.followers_captured ?? null),
      following_coverage: round1(averages.following_coverage ?? null),
      followers_coverage: round1(averages.followers_coverage ?? null),
    },
    accounts_per_minute: averages.seconds ? round1(((averages.accounts ?? 0) * 60) / averages.seconds) : null,
    recent_errors: recentErrors(db, since, 10),
  };
}

export function formatScrapeSummary(s: ScrapeSummary): string {
  if (s.runs === 0)
    return `No enrichment runs in the last ${s.days} days (since ${s.since} UTC). Run \`npx tpot enrich --seeds …\`.`;
  const n = (value: number | null, unit = '') => (value === null ? '–' : `${value.toLocaleString('en-US')}${unit}`);
  const a = s.averages;
  const lines = [
    `Enrichment runs, last ${s.days} days (since ${s.since} UTC): ${s.runs}`,
    `  succeeded ${s.succeeded} (${n(s.success_pct, ' %')}), skipped ${s.skipped} (${n(s.skipped_pct, ' %')}), ` +
      `errors ${s.errors} (${n(s.error_pct, ' %')})`,
    `  averages per successful run: ${n(a.duration_seconds, ' s')}, ` +
      `following ${n(a.following_captured)} captured (${n(a.following_coverage, ' %')} coverage), ` +
      `followers ${n(a.followers_captured)} captured (${n(a.followers_coverage, ' %')})`,
    `  accounts per minute of reading: ${n(s.accounts_per_minute)}`,
    `  following coverage: ${
      Object.entries(s.coverage_buckets)
        .map(([bucket, runs]) => `${bucket} ${runs}`)
        .join(', ') || '–'
    }`,
  ];
  if (s.error_types.length)
    lines.push(
      `  error types: ${s.error_types.map((e) => `${e.error_type} ${e.runs} (last ${e.last_seen})`).join(', ')}`,
    );
  if (s.skip_reasons.length)
    lines.push('  top skip reasons:', ...s.skip_reasons.map((r) => `    ${r.runs} × ${r.reason}`));
  if (s.recent_errors.length)
    lines.push(
      '  recent errors:',
      ...s.recent_errors.map(
        (e) => `    ${e.run_at} @${e.seed_username ?? '?'} ${e.error_type}${e.details ? `: ${e.details}` : ''}`,
      ),
    );
  if (s.error_types.some((e) => e.error_type === 'rate_limited'))
    lines.push('  X rate limited a run: wait 1–24 h or switch sessions (--cookies) before the next.');
  if (s.error_types.some((e) => e.error_type === 'login_required'))
    lines.push('  A login wall stopped a run: npx tpot cookies setup (or import) for a fresh session.');
  return lines.join('\n');
}
