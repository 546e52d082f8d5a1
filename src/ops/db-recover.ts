/**
 * `tpot db recover` (docs/OPERATIONS.md, "Recovery": salvages a corrupted file into a new one, reports what was saved).
 *
 * Two ways, best first:
 * - `sqlite3 .recover` (https://sqlite.org/recovery.html): the sqlite3 shell reads every page it
 *   can, whatever the B-trees above them say, and writes SQL that rebuilds the tables. Rows it
 *   cannot place in a table go to `lost_and_found`. It needs a shell built with the
 *   `sqlite_dbpage` table; Debian 12's package is not, so the shell is probed first.
 * - table scan: better-sqlite3 alone reads each table in key order until a damaged page stops it,
 *   then reads the same table backwards from its end, so the rows on both sides of a damaged
 *   region are kept. It cannot get past a damaged schema page.
 *
 * Either way the rows are copied into a fresh file made by openDatabase, so the result has this
 * tpot's schema, indexes and user_version whatever the salvage produced, and rows with a garbled
 * key (garbage decoded from a damaged page) are left out. The new file is written as
 * `<output>.tmp` and renamed at the end: a failed recovery leaves no half file. The damaged file
 * is only ever opened read-only.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { schemaVersion, SchemaTooNewError, type Db } from '../db/database.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { copyIntoFresh, LOST_AND_FOUND, openDamaged, openRecovered } from '../db/recovery.js';
import { TpotError } from '../errors.js';
import { MaintenanceError } from './db-tools.js';

export interface RecoveryReport {
  method: 'sqlite3 .recover' | 'table scan';
  /** The damaged file. */
  source: string;
  /** The new file written. */
  output: string;
  /** Rows in the new file per table of our schema; damaged: rows were lost or unreadable. */
  tables: { table: string; rows: number; damaged: boolean }[];
  /** Rows `.recover` could not place in a table (kept in the new file's lost_and_found); 0 for a table scan. */
  lostAndFound: number;
  /** PRAGMA integrity_check of the new file ('ok' expected). */
  integrity: string;
  /** Human sentences: what was lost, what to do next. */
  notes: string[];
}

/** What a damaged table's rows can be fetched again with (docs/OPERATIONS.md). */
const REFILL: { prefix: RegExp; advice: string }[] = [
  { prefix: /^archive_/, advice: '`tpot import --force-reimport`' },
  { prefix: /^shadow_/, advice: '`tpot enrich`' },
  {
    prefix: /^(account|profile|followers|following|tweets|likes|mentioned_users|cache_metadata)$/,
    advice: '`tpot sync --force`',
  },
];

const count = (n: number) => n.toLocaleString('en-US');
const rowsOf = (n: number) => `${count(n)} row${n === 1 ? '' : 's'}`;

/** The `sqlite3` shell on PATH, as `command -v sqlite3` finds it; null when there is none. */
export function findSqlite3(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'sqlite3');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return null;
}

/**
 * Whether this shell's `.recover` works. Builds without the `sqlite_dbpage` table (Debian 12's)
 * print the first lines of the script and then fail, even on an empty database.
 */
export function sqlite3CanRecover(sqlite3: string): boolean {
  const probe = spawnSync(sqlite3, [':memory:', '.recover'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0 && /COMMIT;\s*$/.test(probe.stdout ?? '');
}

/** `.recover` itself failed (a table scan is tried next). */
class RecoverFailedError extends TpotError {
  constructor(message: string) {
    super('database', message);
  }
}

export function recoverDatabase(options: { source: string; output: string; sqlite3?: string | null }): RecoveryReport {
  const source = resolve(options.source);
  const output = resolve(options.output);
  if (!existsSync(source)) throw new MaintenanceError(`Nothing to recover: ${source} does not exist.`, 'missing');
  if (existsSync(output))
    throw new MaintenanceError(
      `The recovery output ${output} already exists; name a new file (recovery never overwrites one).`,
    );
  const tmp = `${output}.tmp`;
  const salvage = `${output}.salvage.tmp`;
  // Left by an earlier recovery that was killed: ours by name, never anyone's data.
  removeDatabaseFiles(tmp);
  removeDatabaseFiles(salvage);

  const notes: string[] = [];
  const sqlite3 = options.sqlite3 === undefined ? findSqlite3() : options.sqlite3;
  // Why .recover was not used (null: it is), for the notes and for the error if a table scan fails too.
  let withoutRecover: { reason: string; ran: boolean } | null =
    sqlite3 === null
      ? { reason: 'No sqlite3 shell was used', ran: false }
      : sqlite3CanRecover(sqlite3)
        ? null
        : {
            reason:
              `${sqlite3} cannot run .recover ` +
              "(Debian 12's sqlite3, for one, is built without the sqlite_dbpage table it needs)",
            ran: false,
          };
  const paths = { source, output, tmp };
  try {
    let report: Salvage | null = null;
    if (sqlite3 !== null && withoutRecover === null) {
      try {
        report = viaRecover(sqlite3, { ...paths, salvage }, notes);
      } catch (error) {
        if (!(error instanceof RecoverFailedError)) throw error;
        withoutRecover = { reason: error.message, ran: true };
        removeDatabaseFiles(tmp);
        removeDatabaseFiles(salvage);
      }
    }
    if (!report) {
      if (sqlite3 !== null)
        notes.push(
          `${withoutRecover!.reason}, so a table scan was used` +
            (withoutRecover!.ran ? '' : '; a working .recover can save more') +
            '.',
        );
      report = viaTableScan(paths, withoutRecover!, notes);
    }
    renameSync(tmp, output);
    return { ...report, source, output };
  } catch (error) {
    removeDatabaseFiles(tmp);
    throw error;
  } finally {
    removeDatabaseFiles(salvage);
  }
}

type Salvage = Omit<RecoveryReport, 'source' | 'output'>;
/** The damaged file, the new file, where it is written first, and the file .recover writes. */
interface Paths {
  source: string;
  output: string;
  tmp: string;
  salvage?: string;
}

/** `withoutRecover`: why .recover was not used, which the error says when the schema cannot be read. */
function viaTableScan(paths: Paths, withoutRecover: { reason: string; ran: boolean }, notes: string[]): Salvage {
  const { source } = paths;
  const { db: from, error } = openDamaged(source);
  if (!from) {
    const next = withoutRecover.ran
      ? 'Keep the file, and restore a backup or start again from nothing (docs/OPERATIONS.md, Recovery).'
      : 'Install a sqlite3 shell whose .recover works ' +
        "(apt-get install sqlite3, though Debian 12's lacks it; sqlite.org's precompiled sqlite-tools have it), " +
        'put it on PATH and run tpot db recover again.';
    throw new MaintenanceError(
      `Cannot read the schema of ${source} (${error}): its first page is damaged, ` +
        `and a table scan cannot get past that; SQLite's .recover can. ${withoutRecover.reason}. ${next}`,
      'database',
    );
  }
  try {
    return fill(from, from, paths, 'table scan', notes);
  } finally {
    from.close();
  }
}

function viaRecover(sqlite3: string, paths: Required<Paths>, notes: string[]): Salvage {
  const { source, salvage } = paths;
  // One pipeline, so the SQL (often larger than the database) is never held in memory or on disk.
  // Paths are positional arguments, never spliced into the script; a failed .recover is reported
  // through stderr because POSIX sh has no pipefail.
  const script = '("$0" -readonly "$1" .recover || echo "tpot: .recover exited with status $?" >&2) | "$0" "$2"';
  const run = spawnSync('sh', ['-c', script, sqlite3, source, salvage], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const stderr = (run.stderr ?? '').trim();
  const failed = /tpot: \.recover exited with status (\d+)/.exec(stderr);
  if (run.error || failed || !existsSync(salvage)) {
    const why = stderr.split('\n').find((line) => !line.startsWith('tpot:')) ?? run.error?.message ?? 'no output';
    throw new RecoverFailedError(`sqlite3 .recover could not read ${source} (${why})`);
  }
  // Statements the loading shell rejected (the rest of the script still ran); the result is checked below.
  if (run.status !== 0 && stderr)
    notes.push(`Loading the recovered SQL reported: ${stderr.split('\n').slice(0, 3).join(' / ')}`);

  const from = openRecovered(salvage);
  const damaged = openDamaged(source).db;
  try {
    return fill(from, damaged, paths, 'sqlite3 .recover', notes);
  } finally {
    from.close();
    damaged?.close();
  }
}

/**
 * Copies every table of our schema from `from` into a fresh file at `paths.tmp` and builds the
 * report. `damaged` is the damaged file when it can be read (its own row counts say what was
 * lost). With `paths.salvage` (the file .recover wrote), its lost_and_found table is copied too.
 */
function fill(from: Db, damaged: Db | null, paths: Paths, method: RecoveryReport['method'], notes: string[]): Salvage {
  const { source, output, salvage } = paths;
  const version = schemaVersion(from);
  if (version > SCHEMA_VERSION) throw new SchemaTooNewError(source, version);
  const copy = copyIntoFresh(from, damaged, paths.tmp, salvage);
  const missing: string[] = [];
  const tables: RecoveryReport['tables'] = [];
  for (const t of copy.tables) {
    const { table, rows, junk, readError, listed, unplaced } = t;
    if (!t.present) {
      missing.push(table);
      tables.push({ table, rows: 0, damaged: damaged === null });
      continue;
    }
    const isDamaged = readError !== null || junk > 0 || unplaced > 0 || (listed !== null && rows < listed);
    tables.push({ table, rows, damaged: isDamaged });
    if (!isDamaged) continue;
    const ofListed = listed !== null && listed > rows ? ` of the ${count(listed)} the damaged file lists` : '';
    const parts = [`${table}: ${rowsOf(rows)} saved${ofListed}`];
    if (readError !== null) parts.push(`a damaged region was skipped (rows in it are lost; ${readError})`);
    if (junk > 0) parts.push(`${rowsOf(junk)} with a garbled key dropped`);
    if (unplaced > 0) parts.push(`${rowsOf(unplaced)} more of it in ${LOST_AND_FOUND}`);
    const refill = REFILL.find((r) => r.prefix.test(table));
    notes.push(`${parts.join('; ')}.${refill ? ` To fetch them again: ${refill.advice}.` : ''}`);
  }
  if (missing.length > 0) notes.push(`Not in the damaged file (left empty): ${missing.join(', ')}.`);
  if (copy.lostAndFound > 0)
    notes.push(
      `${rowsOf(copy.lostAndFound)} could not be placed in a table; ` +
        `they are in the table ${LOST_AND_FOUND} of the new file (see https://sqlite.org/recovery.html). ` +
        'Drop it once looked at.',
    );
  const { integrity } = copy;
  if (integrity !== 'ok') notes.push(`The new file fails PRAGMA integrity_check (${integrity}); do not use it.`);
  if (!tables.some((t) => t.damaged) && copy.lostAndFound === 0) notes.push('No rows were lost.');
  notes.push(
    `Next: stop every tpot process, then npx tpot db restore ${output} (it checks the file and keeps ${source} aside).`,
  );
  return { method, tables, lostAndFound: copy.lostAndFound, integrity, notes };
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}
