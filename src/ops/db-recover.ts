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
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, SchemaTooNewError, type Db } from '../db/database.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
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

/** Rows read and written per statement and per transaction. */
const BATCH_ROWS = 1000;
/** A text key (id, username, table name): never empty, no control characters, no invalid UTF-8 (read as U+FFFD). */
const PLAUSIBLE_TEXT = /^[^\u0000-\u001f\ufffd]+$/;
/** The shell's default name for the table of rows it could not place. */
const LOST_AND_FOUND = 'lost_and_found';
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
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

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
class RecoverFailedError extends Error {}

export function recoverDatabase(options: { source: string; output: string; sqlite3?: string | null }): RecoveryReport {
  const source = resolve(options.source);
  const output = resolve(options.output);
  if (!existsSync(source)) throw new MaintenanceError(`Nothing to recover: ${source} does not exist.`);
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
            reason: `${sqlite3} cannot run .recover (Debian 12's sqlite3, for one, is built without the sqlite_dbpage table it needs)`,
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
          `${withoutRecover!.reason}, so a table scan was used${withoutRecover!.ran ? '' : '; a working .recover can save more'}.`,
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
      : "Install a sqlite3 shell whose .recover works (apt-get install sqlite3, though Debian 12's lacks it; sqlite.org's precompiled sqlite-tools have it), put it on PATH and run tpot db recover again.";
    throw new MaintenanceError(
      `Cannot read the schema of ${source} (${error}): its first page is damaged, and a table scan cannot get past that; SQLite's .recover can. ${withoutRecover.reason}. ${next}`,
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

  const from = new Database(salvage, { readonly: true, fileMustExist: true });
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
  const to = openDatabase(paths.tmp);
  try {
    const present = sourceTables(from);
    const lost =
      salvage && present.has(LOST_AND_FOUND)
        ? lostAndFound(from, damaged)
        : { total: 0, byTable: new Map<string, number>() };
    const missing: string[] = [];
    const tables: RecoveryReport['tables'] = [];
    for (const table of ourTables(to)) {
      if (!present.has(table)) {
        missing.push(table);
        tables.push({ table, rows: 0, damaged: damaged === null });
        continue;
      }
      const scan = copyTable(from, to, table, present.get(table) === true, salvage !== undefined);
      const listed = damaged ? rowCount(damaged, table) : null;
      const unplaced = lost.byTable.get(table) ?? 0;
      const isDamaged =
        scan.readError !== null || scan.junk > 0 || unplaced > 0 || (listed !== null && scan.rows < listed);
      tables.push({ table, rows: scan.rows, damaged: isDamaged });
      if (!isDamaged) continue;
      const parts = [
        `${table}: ${rowsOf(scan.rows)} saved${listed !== null && listed > scan.rows ? ` of the ${count(listed)} the damaged file lists` : ''}`,
      ];
      if (scan.readError !== null) parts.push(`a damaged region was skipped (rows in it are lost; ${scan.readError})`);
      if (scan.junk > 0) parts.push(`${rowsOf(scan.junk)} with a garbled key dropped`);
      if (unplaced > 0) parts.push(`${rowsOf(unplaced)} more of it in ${LOST_AND_FOUND}`);
      const refill = REFILL.find((r) => r.prefix.test(table));
      notes.push(`${parts.join('; ')}.${refill ? ` To fetch them again: ${refill.advice}.` : ''}`);
    }
    if (missing.length > 0) notes.push(`Not in the damaged file (left empty): ${missing.join(', ')}.`);
    if (salvage && lost.total > 0) {
      to.exec(`ATTACH ${sqlString(salvage)} AS salvage`);
      to.exec(`CREATE TABLE ${LOST_AND_FOUND} AS SELECT * FROM salvage.${LOST_AND_FOUND}`);
      to.exec('DETACH salvage');
      notes.push(
        `${rowsOf(lost.total)} could not be placed in a table; they are in the table ${LOST_AND_FOUND} of the new file (see https://sqlite.org/recovery.html). Drop it once looked at.`,
      );
    }
    const integrity = (to.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join('; ');
    if (integrity !== 'ok') notes.push(`The new file fails PRAGMA integrity_check (${integrity}); do not use it.`);
    if (!tables.some((t) => t.damaged) && lost.total === 0) notes.push('No rows were lost.');
    notes.push(
      `Next: stop every tpot process, then npx tpot db restore ${output} (it checks the file and keeps ${source} aside).`,
    );
    return { method, tables, lostAndFound: lost.total, integrity, notes };
  } finally {
    to.close();
  }
}

/** Opens the damaged file read-only and reads its schema; `db` is null when even that fails. */
function openDamaged(path: string): { db: Db; error: null } | { db: null; error: string } {
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    // Checks each page's cells as it is read, so more garbage is met as SQLITE_CORRUPT rather than read as rows.
    db.pragma('cell_size_check = ON');
    db.prepare('SELECT name FROM sqlite_schema').all();
    return { db, error: null };
  } catch (error) {
    db?.close();
    return { db: null, error: (error as Error).message };
  }
}

/** Tables of a file (not SQLite's own), with whether each is WITHOUT ROWID. */
function sourceTables(db: Db): Map<string, boolean> {
  const rows = db
    .prepare(
      "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all() as { name: string; wr: number }[];
  return new Map(rows.map((row) => [row.name, row.wr === 1]));
}

/** Our schema's tables, in the order the migrations create them. */
function ourTables(db: Db): string[] {
  return (
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
      .all() as { name: string }[]
  ).map((row) => row.name);
}

interface Column {
  name: string;
  type: string;
  pk: number;
}

function columns(db: Db, table: string): Column[] {
  return db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table) as Column[];
}

/** COUNT(*) in the damaged file: the cell counts in its page headers, often intact when the cells are not. */
function rowCount(db: Db, table: string): number | null {
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
  } catch {
    return null;
  }
}

/**
 * Copies one table in key order with keyset pagination (the file's own B-tree order: rowid, or the
 * primary key of a WITHOUT ROWID table). Only the columns both schemas have are copied.
 *
 * A damaged page can also decode to rows of garbage, since SQLite does not check the order of the
 * cells it reads: a key of the wrong storage class, or out of key order, is one for sure. In the
 * damaged file such a row ends the scan like a read error does (the page under the cursor is
 * damaged), and the same table is then read backwards from its end down to where the forward scan
 * stopped. In the sound file that .recover wrote (`sound`), such rows are dropped one by one.
 */
function copyTable(
  from: Db,
  to: Db,
  table: string,
  withoutRowid: boolean,
  sound: boolean,
): { rows: number; junk: number; readError: string | null } {
  const theirs = columns(from, table);
  const shared = columns(to, table).filter((column) => theirs.some((c) => c.name === column.name));
  const key = withoutRowid
    ? theirs
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
    : ['rowid'];
  const keyList = key.map(quote).join(', ');
  const keyTuple = `(${keyList})`;
  const marks = `(${key.map(() => '?').join(', ')})`;
  const select = `SELECT ${keyList}, ${shared.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)}`;
  const read = (where: string[], descending: boolean) =>
    from
      .prepare(
        `${select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key.map((k) => `${quote(k)}${descending ? ' DESC' : ''}`).join(', ')} LIMIT ${BATCH_ROWS}`,
      )
      .raw(true)
      .safeIntegers(true);
  const insert = to
    .prepare(
      `INSERT OR IGNORE INTO ${quote(table)} (${shared.map((c) => quote(c.name)).join(', ')}) VALUES (${shared.map(() => '?').join(', ')})`,
    )
    .safeIntegers(true);
  // Rows are [...key, ...shared columns]; our schema declares what each key column holds.
  const typeChecks = shared.flatMap((column, i) => {
    if (column.pk === 0) return [];
    if (/TEXT/i.test(column.type))
      return [
        (row: unknown[]) =>
          typeof row[key.length + i] === 'string' && PLAUSIBLE_TEXT.test(row[key.length + i] as string),
      ];
    if (/INT/i.test(column.type)) return [(row: unknown[]) => typeof row[key.length + i] === 'bigint'];
    return [];
  });
  let rows = 0;
  let junk = 0;
  const write = to.transaction((batch: unknown[][]) => {
    for (const row of batch) rows += insert.run(row.slice(key.length)).changes;
  });

  /** Reads batches until the end, a read error or a garbled row; returns why it stopped early and the last key written. */
  const scan = (
    first: Database.Statement,
    next: Database.Statement,
    bound: unknown[],
    descending: boolean,
  ): { error: string | null; last: unknown[] | null } => {
    let kept: unknown[] | null = null;
    let cursor: unknown[] | null = null;
    for (;;) {
      // Row by row, so the rows read before an error in the middle of a batch are kept.
      const batch: unknown[][] = [];
      let readCount = 0;
      let error: string | null = null;
      try {
        const rowsRead = (cursor ? next.iterate(...bound, ...cursor) : first.iterate(...bound)) as Iterable<unknown[]>;
        for (const row of rowsRead) {
          readCount += 1;
          const rowKey = row.slice(0, key.length);
          cursor = rowKey;
          const previous = batch.at(-1)?.slice(0, key.length) ?? kept;
          const inOrder = sound || previous === null || compareKeys(rowKey, previous) * (descending ? -1 : 1) > 0;
          if (inOrder && typeChecks.every((ok) => ok(row))) {
            batch.push(row);
          } else if (sound) {
            junk += 1;
          } else {
            // Out of order: the previous row may be the garbage one, so it goes too.
            if (!inOrder) batch.pop();
            error = 'a row with a garbled key';
            break;
          }
        }
      } catch (caught) {
        if (!(caught instanceof Database.SqliteError) || /^SQLITE_(BUSY|LOCKED)/.test(caught.code)) throw caught;
        error = caught.message;
      }
      if (batch.length > 0) {
        write(batch);
        kept = batch[batch.length - 1]!.slice(0, key.length);
      }
      if (error !== null || readCount < BATCH_ROWS) return { error, last: kept };
    }
  };

  const forward = scan(read([], false), read([`${keyTuple} > ${marks}`], false), [], false);
  if (forward.error !== null) {
    // Whatever stops the backward scan is the same damaged region seen from the other side.
    const above = forward.last ? [`${keyTuple} > ${marks}`] : [];
    scan(read(above, true), read([...above, `${keyTuple} < ${marks}`], true), forward.last ?? [], true);
  }
  return { rows, junk, readError: forward.error };
}

/** SQLite's order of two keys (https://sqlite.org/datatype3.html#sort_order): NULL, numbers, text (BINARY: UTF-8 bytes), blobs. */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  const rank = (v: unknown) =>
    v === null ? 0 : typeof v === 'bigint' || typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    const byRank = rank(x) - rank(y);
    if (byRank !== 0) return byRank;
    if (typeof x === 'string') {
      const byText = Buffer.compare(Buffer.from(x), Buffer.from(y as string));
      if (byText !== 0) return byText;
    } else if (rank(x) === 1) {
      if ((x as number) !== (y as number)) return (x as number) < (y as number) ? -1 : 1;
    } else if (Buffer.isBuffer(x)) {
      const byBytes = Buffer.compare(x, y as Buffer);
      if (byBytes !== 0) return byBytes;
    }
  }
  return 0;
}

/** Rows in the salvage's lost_and_found, and per table where its `rootpgno` names the table's root page in the damaged file. */
function lostAndFound(salvage: Db, damaged: Db | null): { total: number; byTable: Map<string, number> } {
  const byRoot = salvage
    .prepare(`SELECT rootpgno AS root, COUNT(*) AS n FROM ${LOST_AND_FOUND} GROUP BY rootpgno`)
    .all() as { root: number | null; n: number }[];
  const roots = new Map<number, string>();
  if (damaged) {
    for (const row of damaged.prepare("SELECT name, rootpage FROM sqlite_schema WHERE type = 'table'").all() as {
      name: string;
      rootpage: number;
    }[]) {
      roots.set(row.rootpage, row.name);
    }
  }
  const byTable = new Map<string, number>();
  let total = 0;
  for (const { root, n } of byRoot) {
    total += n;
    const table = root === null ? undefined : roots.get(root);
    if (table) byTable.set(table, (byTable.get(table) ?? 0) + n);
  }
  return { total, byTable };
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}
