/**
 * SQLite's own maintenance for `tpot db check|backup|restore` (docs/OPERATIONS.md, "Recovery"):
 * connections that touch nothing, the integrity pragmas, page counts, an online backup that is one
 * moment of the file, and the check that no one is writing before a file is replaced. What the
 * answers mean and what the user is told is ops/db-tools.ts's job.
 */
import Database from 'better-sqlite3';
import type { Db } from './database.js';
import { isSqliteBusy } from './sqlite-errors.js';
import { rowCounts, type SummaryTable } from './summary.js';

/** How long maintenance commands wait for another process's lock before saying so. */
export const MAINTENANCE_BUSY_MS = 3_000;

/**
 * A read-only connection that has read the file's header (better-sqlite3 opens lazily): a file
 * that is not a database throws here. Nothing is migrated or written.
 */
export function openForMaintenance(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${MAINTENANCE_BUSY_MS}`);
    db.pragma('schema_version');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** SQLite's answer to an integrity pragma: 'ok', or the problems it lists (at most 20). */
export function integrity(db: Db, pragma: 'quick_check' | 'integrity_check'): string[] {
  const rows = (db.pragma(`${pragma}(20)`) as Record<string, string>[]).map((row) => Object.values(row)[0]!);
  // A row can hold several problems, one per line, under a "*** in database main ***" heading.
  return rows.flatMap((row) => row.split('\n')).filter((line) => line.trim() && !line.startsWith('***'));
}

export function journalMode(db: Db): string {
  return String(db.pragma('journal_mode', { simple: true }));
}

export interface PageCounts {
  pageSize: number;
  pages: number;
  /** Pages on the freelist (VACUUM reclaims them). */
  free: number;
}

export function pageCounts(db: Db): PageCounts {
  return {
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pages: db.pragma('page_count', { simple: true }) as number,
    free: db.pragma('freelist_count', { simple: true }) as number,
  };
}

/** The file's tables (SQLite's own included). */
export function tableNames(db: Db): Set<string> {
  return new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
}

/**
 * Copies `source` to `to` with SQLite's backup API, all steps inside one read transaction, so
 * writers in other processes neither block the copy nor make it restart and the copy is one moment
 * of the file; returns the rows of `tables` at that moment.
 */
export async function backupOneMoment<T extends SummaryTable>(
  source: Db,
  to: string,
  tables: readonly T[],
): Promise<Record<T, number>> {
  source.exec('BEGIN');
  const rows = rowCounts(source, tables);
  await source.backup(to, { progress: () => 1000 });
  source.exec('COMMIT');
  return rows;
}

/** Opens a finished copy read-write and makes it one self-contained file (journal_mode DELETE: no WAL beside it). */
export function openStandaloneCopy(path: string): Db {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    return copy;
  } catch (error) {
    copy.close();
    throw error;
  }
}

/**
 * Makes sure no other process is writing `path` (the write lock taken and given back within
 * MAINTENANCE_BUSY_MS), then folds its WAL into it when it can. 'busy': someone writes;
 * 'unusable': the file does not open or refuses the lock (a damaged file, to be kept aside as it is).
 */
export function settleWriters(path: string): 'settled' | 'busy' | 'unusable' {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch {
    return 'unusable';
  }
  try {
    db.pragma(`busy_timeout = ${MAINTENANCE_BUSY_MS}`);
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('COMMIT');
    } catch (error) {
      return isSqliteBusy(error) ? 'busy' : 'unusable';
    }
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a damaged file: kept aside as it is
    }
    return 'settled';
  } finally {
    db.close();
  }
}
