/**
 * What `tpot status` shows and `GET /api/status` answers (docs/OPERATIONS.md, "Health checks"): row counts, REST cache
 * freshness per table, the last import, the shadow graph, how the graph's accounts are named, scrape success and
 * coverage over the last 7 days, the snapshot's age and the free disk space under the data directory. Read-only, so
 * it can run while an import or an enrichment writes.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import type { Db } from '../db/database.js';
import { graphNameCounts, summariseDatabase, type DatabaseSummary, type GraphNameCounts } from '../db/summary.js';
import { integrity } from '../db/maintenance.js';
import { damagedDatabase } from '../db/sqlite-errors.js';
import { SyncStore } from '../db/sync-store.js';
import { errorMessage } from '../errors.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { readManifest } from '../graph/snapshot-manifest.js';
import { ageDays, nowUtc } from '../time.js';
import { scrapeOutcomes, type ScrapeOutcomes } from './scrape-summary.js';

export interface SystemStatus {
  generated_at: string;
  database: {
    path: string;
    present: boolean;
    bytes: number | null;
    wal_bytes: number | null;
    schema_version: number | null;
    /** SQLite's quick_check of the file: 'ok', or 'not checked' when the file is too large to check on every status. */
    integrity: 'ok' | 'not checked' | null;
  };
  rows: DatabaseSummary['rows'] | null;
  last_import: DatabaseSummary['ledger'] | null;
  cache_freshness: {
    table: string;
    fetched_at: string | null;
    status: string;
    rows: number;
    age_days: number | null;
    fresh: boolean;
  }[];
  shadow: { accounts: number; edges: number } | null;
  /** The accounts of the graph with the default filters, by where their names come from. */
  graph_names: GraphNameCounts | null;
  scrapes_7d: ScrapeOutcomes | null;
  snapshot: {
    present: boolean;
    generated_at: string | null;
    age_hours: number | null;
    nodes: number | null;
    edges: number | null;
    problem: string | null;
  };
  disk: { path: string; free_bytes: number; total_bytes: number } | null;
}

function fileBytes(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null;
}

/**
 * Up to this size the file is checked (PRAGMA quick_check) on every status: 5 ms for a demo-sized
 * cache, 110 ms for 95,000 accounts (docs/BENCHMARKS.md, "CLI start-up"). Larger files are left
 * to `tpot db check`, which may take minutes on them.
 */
export const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** quick_check when the file is small enough; a damaged file is an error, with what to do about it. */
function checkIntegrity(db: Db, bytes: number | null): 'ok' | 'not checked' {
  if (bytes === null || bytes > QUICK_CHECK_MAX_BYTES) return 'not checked';
  const problems = integrity(db, 'quick_check');
  if (problems.length !== 1 || problems[0] !== 'ok')
    throw damagedDatabase(`quick_check: ${problems.slice(0, 3).join('; ')}`);
  return 'ok';
}

export function collectStatus(options: {
  db: Db | null;
  dbPath: string;
  dataDir: string;
  cacheMaxAgeDays: number;
}): SystemStatus {
  const { db, dbPath, dataDir, cacheMaxAgeDays } = options;
  let snapshot: SystemStatus['snapshot'] = {
    present: false,
    generated_at: null,
    age_hours: null,
    nodes: null,
    edges: null,
    problem: null,
  };
  try {
    const manifest = readManifest(dataDir);
    snapshot = {
      present: true,
      generated_at: manifest.generated_at,
      age_hours: Math.round(ageDays(manifest.generated_at) * 240) / 10,
      nodes: manifest.counts.nodes,
      edges: manifest.counts.edges,
      problem: null,
    };
  } catch (error) {
    snapshot.problem = errorMessage(error);
  }
  const bytes = fileBytes(dbPath);
  const checked = db ? checkIntegrity(db, bytes) : null;
  const summary = db ? summariseDatabase(db) : null;
  const freshness = db
    ? new SyncStore(db).states().map(({ table, fetchedAt, status, rowCount }) => {
        const age = fetchedAt ? Math.round(ageDays(fetchedAt) * 10) / 10 : null;
        return {
          table,
          fetched_at: fetchedAt,
          status,
          rows: rowCount,
          age_days: age,
          fresh: status === 'complete' && age !== null && age < cacheMaxAgeDays,
        };
      })
    : [];
  let disk: SystemStatus['disk'] = null;
  if (existsSync(dataDir)) {
    const fs = statfsSync(dataDir);
    disk = { path: dataDir, free_bytes: fs.bavail * fs.bsize, total_bytes: fs.blocks * fs.bsize };
  }
  return {
    generated_at: nowUtc(),
    database: {
      path: dbPath,
      present: db !== null,
      bytes,
      wal_bytes: fileBytes(`${dbPath}-wal`),
      schema_version: summary?.schemaVersion ?? null,
      integrity: checked,
    },
    rows: summary?.rows ?? null,
    last_import: summary?.ledger ?? null,
    cache_freshness: freshness,
    shadow: summary ? { accounts: summary.rows.shadow_account, edges: summary.rows.shadow_edge } : null,
    graph_names: db ? graphNameCounts(db, { includeShadow: GRAPH_DEFAULTS.includeShadow }) : null,
    scrapes_7d: db ? scrapeOutcomes(db, 7) : null,
    snapshot,
    disk,
  };
}

const GIB = 1024 ** 3;

/** 1.2 GB, 340 MB, 12 kB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** What needs the operator, with the command that fixes it. */
export function statusProblems(s: SystemStatus): string[] {
  const problems: string[] = [];
  if (!s.database.present)
    problems.push(`No database at ${s.database.path}: npx tpot start (demo) or npx tpot import.`);
  const stale = s.cache_freshness.filter((t) => !t.fresh).map((t) => t.table);
  if (stale.length) problems.push(`REST tables not fresh (${stale.join(', ')}): npx tpot sync.`);
  if (s.last_import?.failed)
    problems.push(
      `${s.last_import.failed} archive imports failed: see docs/OPERATIONS.md "What the import ledger says".`,
    );
  if (!s.snapshot.present) problems.push(`No graph snapshot: npx tpot snapshot refresh.`);
  else if (s.snapshot.age_hours !== null && s.snapshot.age_hours > 24 * 7)
    problems.push(`The snapshot is ${Math.round(s.snapshot.age_hours / 24)} days old: npx tpot snapshot refresh.`);
  if (s.database.wal_bytes !== null && s.database.wal_bytes > GIB / 2)
    problems.push(
      `The WAL file is ${formatBytes(s.database.wal_bytes)}: it shrinks when no reader holds it ` +
        '(stop long-running readers; npx tpot db check).',
    );
  if (s.disk && s.disk.free_bytes < 2 * GIB)
    problems.push(
      `Only ${formatBytes(s.disk.free_bytes)} free under ${s.disk.path}: npx tpot logs clean, and move old backups.`,
    );
  if (s.scrapes_7d && s.scrapes_7d.errors > 0)
    problems.push(`${s.scrapes_7d.errors} enrichment runs failed this week: npx tpot metrics summary.`);
  return problems;
}

/** `tpot status`: one screen. */
export function formatStatus(s: SystemStatus): string {
  const db = s.database;
  // Grouped by hand: the first toLocaleString loads ICU's number data, ~30 ms of tpot status's start.
  const n = (value: number | null | undefined) => String(value ?? 0).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const lines = [`tpot status at ${s.generated_at} UTC`, ''];
  lines.push(
    db.present
      ? `Database   ${db.path}: ${formatBytes(db.bytes ?? 0)}` +
          (db.wal_bytes ? ` + WAL ${formatBytes(db.wal_bytes)}` : '') +
          `, schema v${db.schema_version}`
      : `Database   ${db.path}: not found`,
  );
  if (s.rows) {
    const r = s.rows;
    const imports = s.last_import!;
    lines.push(
      `Archives   ${n(imports.imported)} imported, ${n(imports.notFound)} not found, ${n(imports.failed)} failed` +
        (imports.lastImportAt ? `; last import ${imports.lastImportAt} UTC` : ''),
      `           ${n(r.archive_profiles)} profiles, ` +
        `${n(r.archive_following)} following + ${n(r.archive_followers)} follower edges, ` +
        `${n(r.archive_tweets)} tweets, ${n(r.archive_likes)} likes`,
      `REST       ${n(r.account)} accounts, ${n(r.profile)} profiles, ${n(r.followers)} followers, ` +
        `${n(r.following)} following, ${n(r.mentioned_users)} mentioned`,
    );
    for (const t of s.cache_freshness) {
      const age = t.fetched_at ? `${t.age_days} days old` : 'never fetched';
      lines.push(`           ${t.fresh ? '✓' : '✗'} ${t.table}: ${t.status}, ${n(t.rows)} rows, ${age}`);
    }
    lines.push(`Shadow     ${n(s.shadow!.accounts)} accounts, ${n(s.shadow!.edges)} edges`);
    const g = s.graph_names!;
    lines.push(
      `Names      ${n(g.nodes)} graph accounts: ${n(g.archive)} archive, ${n(g.rest)} REST, ` +
        `${n(g.mention)} mention, ${n(g.shadow)} shadow; ${n(g.unnamed)} id only (unnamed)`,
    );
  }
  const w = s.scrapes_7d;
  if (w) {
    const buckets = Object.entries(w.coverage_buckets)
      .map(([bucket, n]) => `${bucket} ${n}`)
      .join(', ');
    lines.push(
      w.runs
        ? `Enrichment ${w.runs} runs in 7 days: ${w.succeeded} ok (${w.success_pct} %), ` +
            `${w.skipped} skipped, ${w.errors} errors; coverage ${buckets || '–'}`
        : 'Enrichment no runs in 7 days',
    );
  }
  lines.push(
    s.snapshot.present
      ? `Snapshot   ${s.snapshot.nodes} nodes, ${s.snapshot.edges} edges, ` +
          `written ${s.snapshot.generated_at} UTC (${s.snapshot.age_hours} h ago)`
      : `Snapshot   none (${s.snapshot.problem})`,
  );
  if (s.disk)
    lines.push(
      `Disk       ${formatBytes(s.disk.free_bytes)} free of ${formatBytes(s.disk.total_bytes)} under ${s.disk.path}`,
    );
  const problems = statusProblems(s);
  lines.push('', problems.length ? 'Needs attention:' : 'Nothing needs attention.', ...problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}
