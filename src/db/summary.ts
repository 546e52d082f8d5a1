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

/** The accounts of the graph by where their name comes from (docs/OPERATIONS.md, "Health checks"). */
export interface GraphNameCounts {
  /** Accounts of the graph with every follow (no mutual-only or minimum-followers filter). */
  nodes: number;
  /** Archive owners, named by their own archive. */
  archive: number;
  /** Named by the REST mirror: its `account` table, or `mentioned_users` for an account known only by id. */
  rest: number;
  /** Known only by id, named by a mention in an imported archive (`mention_names`). */
  mention: number;
  /** Named by what was read from X (shadow accounts). */
  shadow: number;
  /** Known by id only: nothing names them. */
  unnamed: number;
}

/**
 * The same accounts and names as graph/build.ts buildGraph, counted inside SQLite instead of built:
 * the archive and REST accounts; with @shadow the shadow accounts, a `shadow:<handle>` placeholder
 * merged into the account with that handle; every other account a follow reaches (a self-follow
 * reaches none), named as db/account-names.ts ranks the sources when a mention names it.
 * Placeholders live only in the shadow tables (db/shadow-store.ts): the archive and REST tables
 * hold ids of digits (archive/records.ts, sync/tables.ts), so their follows are read straight from
 * their indexes, in order, and merged without sorting.
 */
const GRAPH_NAMES = `
  WITH
  archive_nodes(id, username, source) AS (
    SELECT COALESCE(p.account_id, a.account_id), COALESCE(p.username, a.username),
           CASE WHEN p.username IS NOT NULL THEN 'archive' WHEN a.username IS NOT NULL THEN 'rest' END
    FROM archive_profiles p FULL OUTER JOIN account a ON a.account_id = p.account_id),
  shadow_nodes(id, username) AS (
    SELECT account_id, username FROM shadow_account
    WHERE @shadow AND account_id NOT IN (SELECT id FROM archive_nodes)),
  -- The account a placeholder joins: a real id with its handle; where two share it, the shadow one
  -- (SQLite takes the bare column from the row MAX() picks).
  handles(handle, id, later) AS (
    SELECT handle, id, MAX(later) FROM (
      SELECT lower(username) AS handle, id, 0 AS later FROM archive_nodes WHERE username IS NOT NULL
      UNION ALL SELECT lower(username), id, 1 FROM shadow_nodes WHERE username IS NOT NULL AND id NOT GLOB 'shadow:*')
    GROUP BY handle),
  known(id, source) AS (
    SELECT id, source FROM archive_nodes
    UNION ALL SELECT id, CASE WHEN username IS NOT NULL THEN 'shadow' END FROM shadow_nodes
      WHERE id NOT GLOB 'shadow:*' OR substr(id, 8) NOT IN (SELECT handle FROM handles)),
  -- Shadow follows between ids of digits read like the others; the few with a placeholder, merged first.
  shadow_plain(source, target) AS (
    SELECT source_id, target_id FROM shadow_edge
    WHERE @shadow AND source_id NOT GLOB 'shadow:*' AND target_id NOT GLOB 'shadow:*' AND source_id <> target_id),
  shadow_merged(source, target) AS (
    SELECT CASE WHEN source_id GLOB 'shadow:*'
             THEN COALESCE((SELECT id FROM handles WHERE handle = substr(source_id, 8)), source_id) ELSE source_id END,
           CASE WHEN target_id GLOB 'shadow:*'
             THEN COALESCE((SELECT id FROM handles WHERE handle = substr(target_id, 8)), target_id) ELSE target_id END
    FROM shadow_edge WHERE @shadow AND (source_id GLOB 'shadow:*' OR target_id GLOB 'shadow:*')),
  reached(id) AS MATERIALIZED (
    SELECT follower_account_id FROM followers WHERE follower_account_id <> account_id
    UNION SELECT account_id FROM followers WHERE account_id <> follower_account_id
    UNION SELECT account_id FROM following WHERE account_id <> following_account_id
    UNION SELECT following_account_id FROM following WHERE following_account_id <> account_id
    UNION SELECT follower_account_id FROM archive_followers WHERE follower_account_id <> account_id
    UNION SELECT account_id FROM archive_followers WHERE account_id <> follower_account_id
    UNION SELECT account_id FROM archive_following WHERE account_id <> following_account_id
    UNION SELECT following_account_id FROM archive_following WHERE following_account_id <> account_id
    UNION SELECT source FROM shadow_plain
    UNION SELECT target FROM shadow_plain
    UNION SELECT source FROM shadow_merged WHERE source <> target
    UNION SELECT target FROM shadow_merged WHERE source <> target),
  by_id(id, mentioned_users, mention_names) AS (
    SELECT id,
           EXISTS (SELECT 1 FROM mentioned_users WHERE user_id = id AND screen_name IS NOT NULL),
           EXISTS (SELECT 1 FROM mention_names WHERE account_id = id)
    FROM reached WHERE id NOT IN (SELECT id FROM known)),
  sources(source) AS (
    SELECT source FROM known
    UNION ALL
    SELECT CASE
             WHEN NOT (mentioned_users OR mention_names) THEN NULL
             -- Without the shadow graph, its name still ranks first for an account a mention names.
             WHEN EXISTS (SELECT 1 FROM shadow_account WHERE account_id = id AND username IS NOT NULL) THEN 'shadow'
             WHEN mentioned_users THEN 'rest'
             ELSE 'mention' END
    FROM by_id)
  SELECT COUNT(*) AS nodes,
         COALESCE(SUM(source = 'archive'), 0) AS archive,
         COALESCE(SUM(source = 'rest'), 0) AS rest,
         COALESCE(SUM(source = 'mention'), 0) AS mention,
         COALESCE(SUM(source = 'shadow'), 0) AS shadow,
         COALESCE(SUM(source IS NULL), 0) AS unnamed
  FROM sources`;

/**
 * How the accounts of the graph buildGraph builds are named, without building it: one statement that reads the
 * follow tables' indexes once and looks each account known only by id up by key.
 */
export function graphNameCounts(db: Db, options: { includeShadow: boolean }): GraphNameCounts {
  return db.prepare(GRAPH_NAMES).get({ shadow: options.includeShadow ? 1 : 0 }) as GraphNameCounts;
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
