/**
 * What `tpot status` shows and `GET /api/status` answers (SPEC §8): row counts, REST cache
 * freshness per table, the last import, the shadow graph, scrape success and coverage over the
 * last 7 days, the snapshot's age and the free disk space under the data directory. Read-only, so
 * it can run while an import or an enrichment writes.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import type { Db } from '../db/database.js';
import { summariseDatabase, type DatabaseSummary } from '../db/summary.js';
import { readManifest } from '../graph/snapshot.js';
import { ageDays, nowUtc } from '../time.js';

export interface SystemStatus {
  generated_at: string;
  database: { path: string; present: boolean; bytes: number | null; wal_bytes: number | null; schema_version: number | null };
  rows: DatabaseSummary['rows'] | null;
  last_import: DatabaseSummary['ledger'] | null;
  cache_freshness: { table: string; fetched_at: string | null; status: string; rows: number; age_days: number | null; fresh: boolean }[];
  shadow: { accounts: number; edges: number } | null;
  scrapes_7d: { runs: number; success: number; skipped: number; errors: number; success_pct: number | null; coverage_buckets: Record<string, number> } | null;
  snapshot: { present: boolean; generated_at: string | null; age_hours: number | null; nodes: number | null; edges: number | null; problem: string | null };
  disk: { path: string; free_bytes: number; total_bytes: number } | null;
}

function fileBytes(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null;
}

/** Scrape runs of the last 7 days: outcomes and following-coverage buckets (percent, 0–100). */
function scrapeStats(db: Db): NonNullable<SystemStatus['scrapes_7d']> {
  const since = "datetime('now', '-7 days')";
  const totals = db
    .prepare(
      `SELECT COUNT(*) AS runs,
              COALESCE(SUM(skipped = 0 AND error_type IS NULL), 0) AS success,
              COALESCE(SUM(skipped = 1), 0) AS skipped,
              COALESCE(SUM(error_type IS NOT NULL), 0) AS errors
       FROM scrape_run_metrics WHERE run_at >= ${since}`,
    )
    .get() as { runs: number; success: number; skipped: number; errors: number };
  const buckets = db
    .prepare(
      `SELECT CASE WHEN following_coverage IS NULL THEN 'unknown'
                   WHEN following_coverage >= 80 THEN '80-100%'
                   WHEN following_coverage >= 50 THEN '50-80%'
                   WHEN following_coverage >= 10 THEN '10-50%'
                   ELSE '0-10%' END AS bucket, COUNT(*) AS n
       FROM scrape_run_metrics WHERE run_at >= ${since} AND skipped = 0 GROUP BY bucket`,
    )
    .all() as { bucket: string; n: number }[];
  return {
    ...totals,
    success_pct: totals.runs ? Math.round((1000 * totals.success) / totals.runs) / 10 : null,
    coverage_buckets: Object.fromEntries(buckets.map((b) => [b.bucket, b.n])),
  };
}

export function collectStatus(options: { db: Db | null; dbPath: string; dataDir: string; cacheMaxAgeDays: number }): SystemStatus {
  const { db, dbPath, dataDir, cacheMaxAgeDays } = options;
  let snapshot: SystemStatus['snapshot'] = { present: false, generated_at: null, age_hours: null, nodes: null, edges: null, problem: null };
  try {
    const manifest = readManifest(dataDir);
    snapshot = { present: true, generated_at: manifest.generated_at, age_hours: Math.round(ageDays(manifest.generated_at) * 240) / 10, nodes: manifest.counts.nodes, edges: manifest.counts.edges, problem: null };
  } catch (error) {
    snapshot.problem = (error as Error).message;
  }
  const summary = db ? summariseDatabase(db) : null;
  const freshness = db
    ? (db.prepare('SELECT table_name AS "table", fetched_at, status, row_count AS rows FROM cache_metadata ORDER BY table_name').all() as { table: string; fetched_at: string | null; status: string; rows: number }[]).map((row) => {
        const age = row.fetched_at ? Math.round(ageDays(row.fetched_at) * 10) / 10 : null;
        return { ...row, age_days: age, fresh: row.status === 'complete' && age !== null && age < cacheMaxAgeDays };
      })
    : [];
  let disk: SystemStatus['disk'] = null;
  if (existsSync(dataDir)) {
    const fs = statfsSync(dataDir);
    disk = { path: dataDir, free_bytes: fs.bavail * fs.bsize, total_bytes: fs.blocks * fs.bsize };
  }
  return {
    generated_at: nowUtc(),
    database: { path: dbPath, present: db !== null, bytes: fileBytes(dbPath), wal_bytes: fileBytes(`${dbPath}-wal`), schema_version: summary?.schemaVersion ?? null },
    rows: summary?.rows ?? null,
    last_import: summary?.ledger ?? null,
    cache_freshness: freshness,
    shadow: summary ? { accounts: summary.rows.shadow_account, edges: summary.rows.shadow_edge } : null,
    scrapes_7d: db ? scrapeStats(db) : null,
    snapshot,
    disk,
  };
}
