/**
 * Opening the SQLite cache (docs/DATA-MODEL.md): WAL, a busy timeout, foreign keys, and the versioned
 * migrations applied before anything else touches the file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { TpotError } from '../errors.js';

export type Db = Database.Database;

/** SQLite waits this long for a lock before SQLITE_BUSY (at least 5 s: writers hold locks for seconds). */
export const BUSY_TIMEOUT_MS = 10_000;

export class DatabaseMissingError extends TpotError {
  constructor(readonly path: string) {
    super(
      'missing',
      `Database not found at ${path}. ` +
        'Create it with `npx tpot demo --load` or `npx tpot import`, or set CACHE_DB_PATH.',
    );
  }
}

export class SchemaTooNewError extends TpotError {
  constructor(path: string, found: number) {
    super(
      'database',
      `Database ${path} has schema version ${found}, newer than this tpot (${SCHEMA_VERSION}). Update tpot-analyzer.`,
    );
  }
}

export interface OpenOptions {
  /** Read-only: never creates or migrates the file (dry runs, status). */
  readonly?: boolean;
  /** How long to wait for another process's lock (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) {
    if (!existsSync(path)) throw new DatabaseMissingError(path);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new SchemaTooNewError(path, version);
    return db;
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // NORMAL is crash-safe in WAL mode: a transaction is either whole or absent after a power cut.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path);
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: the write lock is taken first, so nothing else commits until it ends. */
export function immediately<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Changes whenever another connection has committed to the file (`PRAGMA data_version`). */
export function dataVersion(db: Db): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/**
 * Brings an existing cache up to the current schema, for commands that then only read it (`serve`, `snapshot
 * refresh`): a file from an older version gets its new tables. No file: nothing to do.
 */
export function migrateIfPresent(path: string): void {
  if (existsSync(path)) openDatabase(path).close();
}

/** Applies every migration newer than the file's `user_version`, each in its own transaction. */
export function migrate(db: Db, path = db.name): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(path, current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
