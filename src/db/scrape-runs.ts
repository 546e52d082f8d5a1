/**
 * What `scrape_run_metrics` says about the enrichment runs since a moment: outcomes,
 * following-coverage buckets, averages over the successful runs, error types, skip reasons and the
 * latest errors — the same counts as the runbook's SQL (docs/OPERATIONS.md `success-rate`,
 * `coverage-buckets`, `error-types`, `recent-errors`). The rows are written by shadow-store.ts.
 */
import type { Db } from './database.js';

const SINCE = 'run_at >= @since';
const SUCCEEDED = `${SINCE} AND skipped = 0 AND error_type IS NULL`;

export interface ScrapeRunTotals {
  runs: number;
  succeeded: number;
  skipped: number;
  errors: number;
}

/** Means and sums over the successful runs; null when there are none. */
export interface SuccessfulRunAverages {
  duration_seconds: number | null;
  following_captured: number | null;
  followers_captured: number | null;
  following_coverage: number | null;
  followers_coverage: number | null;
  /** Accounts written and seconds spent, summed. */
  accounts: number | null;
  seconds: number | null;
}

export interface ErrorTypeCount {
  error_type: string;
  runs: number;
  last_seen: string;
}

export interface SkipReasonCount {
  reason: string;
  runs: number;
}

export interface RecentError {
  run_at: string;
  seed_username: string | null;
  error_type: string;
  details: string | null;
}

/** Runs at or after `since` (UTC `YYYY-MM-DD HH:MM:SS`) by outcome. */
export function scrapeRunTotals(db: Db, since: string): ScrapeRunTotals {
  return db
    .prepare(
      `SELECT COUNT(*) AS runs,
              COALESCE(SUM(skipped = 0 AND error_type IS NULL), 0) AS succeeded,
              COALESCE(SUM(skipped = 1), 0) AS skipped,
              COALESCE(SUM(error_type IS NOT NULL), 0) AS errors
       FROM scrape_run_metrics WHERE ${SINCE}`,
    )
    .get({ since }) as ScrapeRunTotals;
}

/** Successful runs per following-coverage bucket ('80-100%', … 'unknown'), by bucket. */
export function followingCoverageBuckets(db: Db, since: string): { bucket: string; runs: number }[] {
  return db
    .prepare(
      `SELECT CASE WHEN following_coverage IS NULL THEN 'unknown'
                   WHEN following_coverage >= 80 THEN '80-100%'
                   WHEN following_coverage >= 50 THEN '50-80%'
                   WHEN following_coverage >= 10 THEN '10-50%'
                   ELSE '0-10%' END AS bucket, COUNT(*) AS runs
       FROM scrape_run_metrics WHERE ${SUCCEEDED} GROUP BY bucket ORDER BY bucket`,
    )
    .all({ since }) as { bucket: string; runs: number }[];
}

export function successfulRunAverages(db: Db, since: string): SuccessfulRunAverages {
  return db
    .prepare(
      `SELECT AVG(duration_seconds) AS duration_seconds, AVG(following_captured) AS following_captured,
              AVG(followers_captured) AS followers_captured,
              AVG(following_coverage) AS following_coverage, AVG(followers_coverage) AS followers_coverage,
              SUM(accounts_upserted) AS accounts, SUM(duration_seconds) AS seconds
       FROM scrape_run_metrics WHERE ${SUCCEEDED}`,
    )
    .get({ since }) as SuccessfulRunAverages;
}

/** Failed runs per error type, the commonest first. */
export function errorTypeCounts(db: Db, since: string): ErrorTypeCount[] {
  return db
    .prepare(
      `SELECT error_type, COUNT(*) AS runs, MAX(run_at) AS last_seen
       FROM scrape_run_metrics WHERE ${SINCE} AND error_type IS NOT NULL
       GROUP BY error_type ORDER BY runs DESC, error_type`,
    )
    .all({ since }) as ErrorTypeCount[];
}

/** The commonest reasons seeds were skipped. */
export function topSkipReasons(db: Db, since: string, limit = 5): SkipReasonCount[] {
  return db
    .prepare(
      `SELECT COALESCE(skip_reason, '(none given)') AS reason, COUNT(*) AS runs
       FROM scrape_run_metrics WHERE ${SINCE} AND skipped = 1
       GROUP BY reason ORDER BY runs DESC, reason LIMIT @limit`,
    )
    .all({ since, limit }) as SkipReasonCount[];
}

/** The latest failed runs, newest first, their details cut to 120 characters. */
export function recentErrors(db: Db, since: string, limit = 10): RecentError[] {
  return db
    .prepare(
      `SELECT run_at, seed_username, error_type, substr(error_details, 1, 120) AS details
       FROM scrape_run_metrics WHERE ${SINCE} AND error_type IS NOT NULL
       ORDER BY run_at DESC, id DESC LIMIT @limit`,
    )
    .all({ since, limit }) as RecentError[];
}
