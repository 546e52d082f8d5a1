/**
 * `tpot db check|backup|restore` (docs/OPERATIONS.md, "Recovery"). Recovery of a damaged file is in db-recover.ts.
 *
 * - check: SQLite's `quick_check` and `integrity_check` on a read-only connection (nothing is
 *   migrated or written), the WAL's size and the page counts; a damaged file is reported with the
 *   command that salvages it.
 * - backup: SQLite's online backup API from a connection that holds one read transaction for the
 *   whole copy, so the copy is one consistent moment even while an import or an enrichment writes
 *   (a writer's commits after that moment are simply not in it, and the copy never restarts). The
 *   copy is checked before it gets its final name.
 * - restore: checks the file first (integrity, our schema), waits for no writer, keeps the current
 *   database aside (with its WAL), then moves the restored copy into place by rename.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Check } from '../checks.js';
import { schemaVersion, type Db } from '../db/database.js';
import {
  backupOneMoment,
  integrity,
  journalMode,
  openForMaintenance,
  openStandaloneCopy,
  pageCounts,
  settleWriters,
  tableNames,
} from '../db/maintenance.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { isSqliteBusy } from '../db/sqlite-errors.js';
import { rowCounts } from '../db/summary.js';
import { errorMessage, TpotError, type ErrorKind } from '../errors.js';
import { fileStampUtc } from '../time.js';

export { MAINTENANCE_BUSY_MS } from '../db/maintenance.js';

/**
 * A maintenance step refused or failed for a reason the user can act on (the message says how);
 * exit 1 whatever its kind (`refused` unless said).
 */
export class MaintenanceError extends TpotError {
  constructor(message: string, kind: Exclude<ErrorKind, 'usage' | 'rate_limited' | 'interrupted'> = 'refused') {
    super(kind, message);
  }
}

const RECOVER_HINT =
  'Salvage what can be read: npx tpot db recover (then npx tpot db restore <the recovered file>), ' +
  'or restore a backup: npx tpot db restore data/backups/<file>.';

function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export function checkDatabase(path: string): Check[] {
  if (!existsSync(path))
    return [
      {
        name: 'Database file present',
        ok: false,
        detail: `no file at ${path}: npx tpot start (demo) or npx tpot import`,
      },
    ];
  const checks: Check[] = [
    { name: 'Database file present', ok: true, detail: `${path}, ${fileBytes(path).toLocaleString('en-US')} bytes` },
  ];
  let db: Db;
  try {
    db = openForMaintenance(path);
  } catch (error) {
    if (isSqliteBusy(error)) throw error; // locked, not damaged: the command says to wait
    checks.push({
      name: 'Opens as an SQLite database',
      ok: false,
      detail: `${errorMessage(error)}. ${RECOVER_HINT}`,
    });
    return checks;
  }
  try {
    checks.push({
      name: 'Opens as an SQLite database',
      ok: true,
      detail: `journal mode ${journalMode(db)}`,
    });
    const version = schemaVersion(db);
    checks.push({
      name: 'Schema version',
      ok: version > 0 && version <= SCHEMA_VERSION,
      detail:
        version > SCHEMA_VERSION
          ? `v${version}, newer than this tpot (v${SCHEMA_VERSION}): update tpot-analyzer`
          : version === 0
            ? 'v0: not a tpot database (or never migrated)'
            : `v${version}`,
    });
    for (const pragma of ['quick_check', 'integrity_check'] as const) {
      let problems: string[];
      try {
        problems = integrity(db, pragma);
      } catch (error) {
        problems = [errorMessage(error)];
      }
      const ok = problems.length === 1 && problems[0] === 'ok';
      checks.push({
        name: pragma,
        ok,
        detail: ok
          ? 'ok'
          : `${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}. ` +
            RECOVER_HINT,
      });
    }
    const { pageSize, pages, free } = pageCounts(db);
    checks.push({
      name: 'Pages',
      ok: true,
      detail:
        `${pages.toLocaleString('en-US')} pages of ${pageSize} bytes, ${free.toLocaleString('en-US')} free` +
        (free > pages / 4 ? ' (a quarter or more: VACUUM when nothing runs reclaims them)' : ''),
    });
    const wal = fileBytes(`${path}-wal`);
    checks.push({
      name: 'WAL size',
      ok: wal < 1024 ** 3,
      detail:
        `${wal.toLocaleString('en-US')} bytes` +
        (wal >= 1024 ** 3
          ? ': a long-running reader keeps it from being checkpointed; stop it, or restart tpot serve'
          : ''),
    });
  } finally {
    db.close();
  }
  return checks;
}

export interface BackupReport {
  file: string;
  bytes: number;
  pages: number;
  seconds: number;
  /** What the copy holds, as of the moment it was taken. */
  rows: Record<string, number>;
}

/** `data/backups/cache_2026-11-23.db`; a second backup the same day gets the time too. */
export function defaultBackupPath(dataDir: string, dbPath: string, now = new Date()): string {
  const stem = basename(dbPath).replace(/\.db$/, '');
  const day = now.toISOString().slice(0, 10);
  const daily = join(dataDir, 'backups', `${stem}_${day}.db`);
  return existsSync(daily)
    ? join(dataDir, 'backups', `${stem}_${day}_${now.toISOString().slice(11, 19).replace(/:/g, '')}.db`)
    : daily;
}

const COUNTED = [
  'archive_profiles',
  'archive_followers',
  'archive_following',
  'shadow_account',
  'shadow_edge',
  'scrape_run_metrics',
] as const;

export async function backupDatabase(dbPath: string, to: string): Promise<BackupReport> {
  if (!existsSync(dbPath)) throw new MaintenanceError(`No database at ${dbPath} to back up.`, 'missing');
  if (existsSync(to)) throw new MaintenanceError(`${to} exists already; name another file with --to.`);
  mkdirSync(dirname(to), { recursive: true });
  const started = performance.now();
  const tmp = `${to}.partial`;
  rmSync(tmp, { force: true });
  const source = openForMaintenance(dbPath);
  let rows: Record<string, number>;
  try {
    rows = await backupOneMoment(source, tmp, COUNTED);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  } finally {
    source.close();
  }
  // The copy is one self-contained file (no WAL beside it), checked and counted before it is named.
  let pages: number;
  let copy: Db | null = null;
  try {
    copy = openStandaloneCopy(tmp);
    const problems = integrity(copy, 'quick_check');
    if (problems[0] !== 'ok')
      throw new MaintenanceError(
        `The backup did not pass quick_check (${problems[0]}); the source may be damaged: npx tpot db check.`,
        'database',
      );
    const copied = rowCounts(copy, COUNTED);
    for (const table of COUNTED) {
      if (copied[table] !== rows[table])
        throw new MaintenanceError(
          `The backup holds ${copied[table]} rows of ${table}, ` +
            `the source had ${rows[table]} at the moment of the copy.`,
          'database',
        );
    }
    pages = pageCounts(copy).pages;
  } catch (error) {
    copy?.close();
    rmSync(tmp, { force: true });
    throw error;
  }
  copy.close();
  renameSync(tmp, to);
  return { file: to, bytes: fileBytes(to), pages, seconds: (performance.now() - started) / 1000, rows };
}

export interface RestoreReport {
  restored: string;
  /** Where the replaced database went (null when there was none). */
  keptAside: string | null;
  schemaVersion: number;
}

/** A file fit to become the cache: opens, passes integrity_check, and has our schema. */
export function verifyRestorable(file: string): number {
  if (!existsSync(file)) throw new MaintenanceError(`No file at ${file}.`, 'missing');
  let db: Db;
  try {
    db = openForMaintenance(file);
  } catch (error) {
    throw new MaintenanceError(
      `${file} does not open as an SQLite database (${errorMessage(error)}); nothing was changed.`,
      'input',
    );
  }
  try {
    const problems = (() => {
      try {
        return integrity(db, 'integrity_check');
      } catch (error) {
        return [errorMessage(error)];
      }
    })();
    if (problems[0] !== 'ok')
      throw new MaintenanceError(
        `${file} fails integrity_check (${problems[0]}); nothing was changed. ` +
          `Salvage it first: npx tpot db recover --from ${file}.`,
        'input',
      );
    const version = schemaVersion(db);
    const tables = tableNames(db);
    if (version === 0 || !tables.has('archive_profiles') || !tables.has('shadow_account'))
      throw new MaintenanceError(`${file} is not a tpot database (schema v${version}); nothing was changed.`, 'input');
    if (version > SCHEMA_VERSION)
      throw new MaintenanceError(
        `${file} has schema v${version}, newer than this tpot (v${SCHEMA_VERSION}); ` +
          'nothing was changed. Update tpot-analyzer.',
        'input',
      );
    return version;
  } finally {
    db.close();
  }
}

export function restoreDatabase(file: string, dbPath: string): RestoreReport {
  const schemaVersion = verifyRestorable(file);
  mkdirSync(dirname(dbPath), { recursive: true });
  if (existsSync(dbPath)) settleCurrent(dbPath);
  // The copy is made next to the database first, so the final step is a rename on one filesystem.
  const incoming = `${dbPath}.restoring`;
  copyFileSync(file, incoming);
  let keptAside: string | null = null;
  if (existsSync(dbPath)) {
    keptAside = `${dbPath}.replaced-${fileStampUtc()}`;
    // The WAL and shared-memory files belong to the old file: they go aside with it, never onto the new one.
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${dbPath}${suffix}`)) renameSync(`${dbPath}${suffix}`, `${keptAside}${suffix}`);
  }
  renameSync(incoming, dbPath);
  return { restored: dbPath, keptAside, schemaVersion };
}

/**
 * Makes sure no one is writing the current database, and folds its WAL into it when it can (a
 * damaged file may refuse; it is then kept aside as it is, WAL included).
 */
function settleCurrent(dbPath: string): void {
  if (settleWriters(dbPath) === 'busy')
    throw new MaintenanceError(
      `Another process is writing ${dbPath} (an import, a sync or an enrichment?); ` +
        'stop it, then restore. Nothing was changed.',
    );
}
