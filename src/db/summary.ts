/** What the cache holds, in a few numbers: `npm start` prints them, and `tpot status` builds on them. */
import { dirname } from 'node:path';
import type { Db } from './database.js';
import { schemaVersion } from './database.js';

export const SUMMARY_TABLES = [
  'account',
  'profile',
  'followers',
  'following',
  'mentioned_users',
  'archive_profiles',
  'archive_following',
  'archive_followers',
  'archive_tweets',
  'archive_likes',
  'shadow_account',
  'shadow_edge',
  'scrape_run_metrics',
] as const;
export type SummaryTable = (typeof SUMMARY_TABLES)[number];

export interface DatabaseSummary {
  schemaVersion: number;
  rows: Record<SummaryTable, number>;
  ledger: { imported: number; notFound: number; failed: number; lastImportAt: string | null };
}

/** An archive account with its imported follow edges. */
export interface TopAccount {
  username: string | null;
  accountId: string;
  followers: number;
  following: number;
}

/** The rows of each of `tables` (names from SUMMARY_TABLES only: they are interpolated into SQL). */
export function rowCounts<T extends SummaryTable>(db: Db, tables: readonly T[]): Record<T, number> {
  const rows = {} as Record<T, number>;
  for (const table of tables) {
    if (!(SUMMARY_TABLES as readonly string[]).includes(table)) throw new Error(`Not a counted table: ${table}`);
    rows[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return rows;
}

export function summariseDatabase(db: Db): DatabaseSummary {
  const rows = rowCounts(db, SUMMARY_TABLES);
  const ledger = db
    .prepare(
      `SELECT COALESCE(SUM(status = 'imported'), 0) AS imported, COALESCE(SUM(status = 'not_found'), 0) AS notFound,
              COALESCE(SUM(status = 'failed'), 0) AS failed, MAX(imported_at) AS lastImportAt FROM archive_imports`,
    )
    .get() as DatabaseSummary['ledger'];
  return { schemaVersion: schemaVersion(db), rows, ledger };
}

/** Archive accounts with the most followers among the imported edges (counting them reads every edge). */
export function topArchiveAccounts(db: Db, top = 5): TopAccount[] {
  return db
    .prepare(
      `SELECT p.username, p.account_id AS accountId,
              (SELECT COUNT(*) FROM archive_followers f WHERE f.account_id = p.account_id) AS followers,
              (SELECT COUNT(*) FROM archive_following g WHERE g.account_id = p.account_id) AS following
       FROM archive_profiles p ORDER BY followers DESC, p.username LIMIT ?`,
    )
    .all(top) as TopAccount[];
}

/** A few accounts with handles, from the REST mirror and the archives, by handle (`tpot verify setup`). */
export function sampleAccounts(db: Db, limit = 5): { username: string; accountId: string }[] {
  return db
    .prepare(
      `SELECT username, account_id AS accountId FROM account WHERE username IS NOT NULL
       UNION SELECT username, account_id FROM archive_profiles WHERE username IS NOT NULL
       ORDER BY username LIMIT ?`,
    )
    .all(limit) as { username: string; accountId: string }[];
}

/** True when nothing has been imported or synced yet (npm start then loads the demo community). */
export function isEmptyDatabase(db: Db): boolean {
  const count = (table: string) => (db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table}) AS e`).get() as { e: number }).e;
  return count('account') === 0 && count('archive_imports') === 0 && count('shadow_account') === 0;
}

export function formatSummary(summary: DatabaseSummary, topAccounts: TopAccount[], dbPath: string): string {
  const r = summary.rows;
  const { ledger } = summary;
  const lastImport = ledger.lastImportAt ? `, last at ${ledger.lastImportAt} UTC` : '';
  const lines = [
    `Database ${dbPath} (schema v${summary.schemaVersion})`,
    `  archives imported: ${ledger.imported}  (not found: ${ledger.notFound}, failed: ${ledger.failed})${lastImport}`,
    `  archive edges:     ${r.archive_following} following, ${r.archive_followers} followers`,
    `  archive content:   ${r.archive_profiles} profiles, ${r.archive_tweets} tweets, ${r.archive_likes} likes`,
    `  REST mirror:       ${r.account} accounts, ${r.profile} profiles, ${r.followers} followers, ` +
      `${r.following} following, ${r.mentioned_users} mentioned users`,
    `  shadow graph:      ${r.shadow_account} accounts, ${r.shadow_edge} edges, ${r.scrape_run_metrics} scrape runs`,
  ];
  if (topAccounts.length > 0) {
    lines.push('  most followed archive accounts:');
    for (const account of topAccounts) {
      lines.push(
        `    @${account.username ?? account.accountId}  ${account.followers} followers, ${account.following} following`,
      );
    }
  }
  return lines.join('\n');
}

/** The directories archives were imported from (a directory source's root; URL sources have none). */
export function importedArchiveDirectories(db: Db): string[] {
  const sources = db
    .prepare("SELECT DISTINCT source FROM archive_imports WHERE status = 'imported' AND source IS NOT NULL")
    .pluck()
    .all() as string[];
  // A directory source stores <root>/<username>/archive.json (or <root>/<username>.zip).
  return [
    ...new Set(
      sources
        .filter((s) => !/^[a-z]+:\/\//i.test(s))
        .map((s) => (s.endsWith('/archive.json') ? dirname(dirname(s)) : dirname(s))),
    ),
  ];
}
