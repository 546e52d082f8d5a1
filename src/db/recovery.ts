/**
 * The SQL of `tpot db recover` (ops/db-recover.ts decides which way and says what it means):
 * reading a damaged file as far as it goes and copying its rows into a fresh file with this
 * tpot's schema.
 *
 * A table is read in key order until a damaged page stops it, then backwards from its end, so the
 * rows on both sides of a damaged region are kept; rows with a garbled key (garbage decoded from a
 * damaged page) are left out. The file `sqlite3 .recover` wrote is read the same way, its
 * `lost_and_found` table counted per table and copied along. The damaged file is only ever opened
 * read-only.
 */
import Database from 'better-sqlite3';
import { openDatabase, type Db } from './database.js';
import { isSqliteBusy } from './sqlite-errors.js';
import { errorMessage } from '../errors.js';

/** Rows read and written per statement and per transaction. */
const BATCH_ROWS = 1000;
/** A text key (id, username, table name): never empty, no control characters, no invalid UTF-8 (read as U+FFFD). */
const PLAUSIBLE_TEXT = /^[^\p{Cc}\ufffd]+$/u;
/** The shell's default name for the table of rows it could not place. */
export const LOST_AND_FOUND = 'lost_and_found';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** What was saved of one table of our schema. */
export interface TableSalvage {
  table: string;
  /** False when the source has no such table (it is left empty). */
  present: boolean;
  /** Rows written to the new file. */
  rows: number;
  /** Rows with a garbled key dropped. */
  junk: number;
  /** What stopped the forward scan at a damaged region; null when the table was read to its end. */
  readError: string | null;
  /** COUNT(*) in the damaged file; null when it cannot be read (or the file cannot). */
  listed: number | null;
  /** Rows of it in lost_and_found. */
  unplaced: number;
}

export interface SalvageCopy {
  tables: TableSalvage[];
  /** Rows of lost_and_found (copied into the new file when there are any). */
  lostAndFound: number;
  /** PRAGMA integrity_check of the new file. */
  integrity: string;
}

/**
 * Copies every table of our schema from `from` into a fresh file at `to` (made by openDatabase, so
 * it has this tpot's schema, indexes and user_version). `damaged` is the damaged file when it can
 * be read: its own row counts say what was lost. `recovered`: the path of `from` when it is the
 * sound file that .recover wrote, whose lost_and_found is copied too.
 */
export function copyIntoFresh(from: Db, damaged: Db | null, to: string, recovered?: string): SalvageCopy {
  const fromRecover = recovered !== undefined;
  const fresh = openDatabase(to);
  try {
    const present = sourceTables(from);
    const lost =
      fromRecover && present.has(LOST_AND_FOUND)
        ? lostAndFound(from, damaged)
        : { total: 0, byTable: new Map<string, number>() };
    const tables: TableSalvage[] = [];
    for (const table of ourTables(fresh)) {
      if (!present.has(table)) {
        tables.push({ table, present: false, rows: 0, junk: 0, readError: null, listed: null, unplaced: 0 });
        continue;
      }
      const scan = copyTable(from, fresh, table, present.get(table) === true, fromRecover);
      tables.push({
        table,
        present: true,
        ...scan,
        listed: damaged ? rowCount(damaged, table) : null,
        unplaced: lost.byTable.get(table) ?? 0,
      });
    }
    if (fromRecover && lost.total > 0) {
      fresh.exec(`ATTACH ${sqlString(recovered)} AS salvage`);
      fresh.exec(`CREATE TABLE ${LOST_AND_FOUND} AS SELECT * FROM salvage.${LOST_AND_FOUND}`);
      fresh.exec('DETACH salvage');
    }
    const integrity = (fresh.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join('; ');
    return { tables, lostAndFound: lost.total, integrity };
  } finally {
    fresh.close();
  }
}

/** The file .recover wrote, read-only. */
export function openRecovered(path: string): Db {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** Opens the damaged file read-only and reads its schema; `db` is null when even that fails. */
export function openDamaged(path: string): { db: Db; error: null } | { db: null; error: string } {
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    // Checks each page's cells as it is read, so more garbage is met as SQLITE_CORRUPT rather than read as rows.
    db.pragma('cell_size_check = ON');
    db.prepare('SELECT name FROM sqlite_schema').all();
    return { db, error: null };
  } catch (error) {
    db?.close();
    return { db: null, error: errorMessage(error) };
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
        `${select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
         ORDER BY ${key.map((k) => `${quote(k)}${descending ? ' DESC' : ''}`).join(', ')} LIMIT ${BATCH_ROWS}`,
      )
      .raw(true)
      .safeIntegers(true);
  const insert = to
    .prepare(
      `INSERT OR IGNORE INTO ${quote(table)} (${shared.map((c) => quote(c.name)).join(', ')})
       VALUES (${shared.map(() => '?').join(', ')})`,
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

  /**
   * Reads batches until the end, a read error or a garbled row; returns why it stopped early and the last key written.
   */
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
        if (!(caught instanceof Database.SqliteError) || isSqliteBusy(caught)) throw caught;
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

/**
 * SQLite's order of two keys (https://sqlite.org/datatype3.html#sort_order): NULL, numbers, text (BINARY: UTF-8 bytes),
 * blobs.
 */
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

/**
 * Rows in the salvage's lost_and_found, and per table where its `rootpgno` names the table's root page in the damaged
 * file.
 */
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
