/**
 * SQL for `tpot sync` (docs/FORMATS.md, "REST tables"): the REST mirror tables, their staging copies and their rows in
 * cache_metadata. The only code that writes them.
 *
 * A table is replaced atomically: pages go into `sync_stage_<table>` (created with the live
 * table's own definition) together with the cursor in cache_metadata, one transaction per page,
 * so a crash loses at most the page in flight and the next run continues from the cursor. The
 * live table changes only in `swap`, one transaction that copies the staged rows over it.
 */
import type { Db } from './database.js';
import { BulkInsert } from './bulk-insert.js';

export interface TableSyncState {
  table: string;
  /** When the live table was last replaced by a complete sync; null if never. */
  fetchedAt: string | null;
  rowCount: number;
  status: 'complete' | 'syncing';
  /** The last key staged by an unfinished sync. */
  resumeKey: string | null;
  stagedRows: number;
  stagedPages: number;
  syncStartedAt: string | null;
}

/** The tables sync may write: the names are interpolated into SQL, so they come from this list only. */
export const MIRROR_TABLES = [
  'account',
  'profile',
  'followers',
  'following',
  'mentioned_users',
  'tweets',
  'likes',
  'user_mentions',
  'quote_tweets',
  'retweets',
  'liked_tweets',
] as const;
export type MirrorTable = (typeof MIRROR_TABLES)[number];

function checked(table: string): MirrorTable {
  if (!(MIRROR_TABLES as readonly string[]).includes(table)) throw new Error(`Not a REST mirror table: ${table}`);
  return table as MirrorTable;
}

const SELECT_STATE = `SELECT table_name AS "table", fetched_at AS fetchedAt, row_count AS rowCount, status,
    resume_key AS resumeKey, staged_rows AS stagedRows, staged_pages AS stagedPages, sync_started_at AS syncStartedAt
  FROM cache_metadata`;

const stageName = (table: MirrorTable) => `sync_stage_${table}`;

export class SyncStore {
  private readonly inserts = new Map<string, BulkInsert>();

  constructor(private readonly db: Db) {}

  state(table: string): TableSyncState | null {
    const row = this.db.prepare(`${SELECT_STATE} WHERE table_name = ?`).get(checked(table)) as
      TableSyncState | undefined;
    return row ?? null;
  }

  /** Every table sync has written, by name (`tpot status`, `tpot verify setup`). */
  states(): TableSyncState[] {
    return this.db.prepare(`${SELECT_STATE} ORDER BY table_name`).all() as TableSyncState[];
  }

  /** True when an unfinished sync left its staged rows (and cursor) to continue from. */
  canResume(table: string): boolean {
    const state = this.state(table);
    const stage = stageName(checked(table));
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(stage);
    return state?.status === 'syncing' && state.resumeKey !== null && exists !== undefined;
  }

  /** Starts a fresh sync of `table`: an empty staging table and the cursor reset; the live table is untouched. */
  begin(table: string, now: string): void {
    const name = checked(table);
    const live = this.db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck()
      .get(name) as string;
    // The staging table is created from the live table's own definition: same columns, key and layout.
    const stageSql = live.replace(/^CREATE TABLE\s+"?\w+"?/i, `CREATE TABLE ${stageName(name)}`);
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${stageName(name)}`);
        this.db.exec(stageSql);
        this.db
          .prepare(
            `INSERT INTO cache_metadata (table_name, status, resume_key, staged_rows, staged_pages, sync_started_at)
           VALUES (?, 'syncing', NULL, 0, 0, ?)
           ON CONFLICT(table_name) DO UPDATE SET
             status = 'syncing', resume_key = NULL, staged_rows = 0, staged_pages = 0,
             sync_started_at = excluded.sync_started_at`,
          )
          .run(name, now);
      })
      .immediate();
  }

  /** Stages one page and moves the cursor past it, in one transaction. */
  stagePage(
    table: string,
    columns: readonly string[],
    values: readonly unknown[],
    rows: number,
    lastKey: string,
  ): void {
    const name = checked(table);
    let insert = this.inserts.get(name);
    if (!insert) {
      insert = new BulkInsert(
        this.db,
        `INSERT OR REPLACE INTO ${stageName(name)} (${columns.join(', ')})`,
        columns.length,
      );
      this.inserts.set(name, insert);
    }
    const bulk = insert;
    this.db
      .transaction(() => {
        bulk.run(values);
        this.db
          .prepare(
            `UPDATE cache_metadata SET resume_key = ?, staged_rows = staged_rows + ?, staged_pages = staged_pages + 1
             WHERE table_name = ?`,
          )
          .run(lastKey, rows, name);
      })
      .immediate();
  }

  /** Replaces the live table with the staged rows and records the sync; returns the row count. */
  swap(table: string, now: string): number {
    const name = checked(table);
    return this.db
      .transaction(() => {
        this.db.exec(`DELETE FROM ${name}`);
        this.db.exec(`INSERT INTO ${name} SELECT * FROM ${stageName(name)}`);
        this.db.exec(`DROP TABLE ${stageName(name)}`);
        const rows = this.db.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get() as number;
        this.db
          .prepare(
            `UPDATE cache_metadata SET fetched_at = ?, row_count = ?, status = 'complete', resume_key = NULL,
             staged_rows = 0, staged_pages = 0, sync_started_at = NULL WHERE table_name = ?`,
          )
          .run(now, rows, name);
        return rows;
      })
      .immediate();
  }
}
