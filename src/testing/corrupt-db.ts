/**
 * Damaging SQLite files on purpose, for the tests of `tpot db recover`. Pages are found with the
 * `dbstat` virtual table (https://sqlite.org/dbstat.html) and overwritten in place, as a bad disk
 * sector or a torn write would leave them. Callers pass a file that no connection has open.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createRng } from '../rng.js';

/** Share of a table's leaf pages to damage when the caller does not say. */
const DEFAULT_FRACTION = 0.2;

/** Checkpoints the WAL into the main file (where the bytes we overwrite live) and reads the page size. */
function checkpointed(path: string): { db: Database.Database; pageSize: number } {
  const db = new Database(path, { fileMustExist: true });
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (result && result.busy) {
    db.close();
    throw new Error(`corrupt-db: ${path} is open elsewhere; close every connection first`);
  }
  return { db, pageSize: db.pragma('page_size', { simple: true }) as number };
}

function overwrite(path: string, pageSize: number, pages: readonly number[], from: number, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    for (const pageno of pages) {
      // Deterministic garbage, so a test sees the same damage (and the same figures) on every run.
      const rng = createRng(pageno);
      const garbage = Buffer.from(Array.from({ length }, () => rng.int(0, 255)));
      writeSync(fd, garbage, 0, length, (pageno - 1) * pageSize + from);
    }
  } finally {
    closeSync(fd);
  }
}

/** The pages of `table`'s B-tree, in key order ('/' is the root), from a checkpointed file. */
function treePages(
  path: string,
  table: string,
): { pageSize: number; pages: { pageno: number; path: string; pagetype: string }[] } {
  const { db, pageSize } = checkpointed(path);
  try {
    // dbstat's `path` sorts the pages of one B-tree in key order.
    const pages = db.prepare('SELECT pageno, path, pagetype FROM dbstat WHERE name = ? ORDER BY path').all(table) as {
      pageno: number;
      path: string;
      pagetype: string;
    }[];
    if (pages.length === 0) throw new Error(`corrupt-db: no table ${table} in ${path}`);
    return { pageSize, pages };
  } finally {
    db.close();
  }
}

/**
 * Overwrites the middle half of a run of leaf pages in the middle of `table`'s B-tree (never its
 * root, never page 1). The pages are consecutive in key order, so the rows on both sides of the
 * damaged region stay readable. Returns the damaged page numbers.
 */
export function corruptPages(path: string, options: { table: string; fraction?: number }): { pages: number[] } {
  const fraction = options.fraction ?? DEFAULT_FRACTION;
  const { pageSize, pages: tree } = treePages(path, options.table);
  const leaves = tree.filter((page) => page.pagetype === 'leaf' && page.path !== '/').map((page) => page.pageno);
  if (leaves.length < 3)
    throw new Error(
      `corrupt-db: table ${options.table} has ${leaves.length} leaf pages below its root; insert more rows`,
    );
  const count = Math.min(leaves.length - 2, Math.max(1, Math.round(leaves.length * fraction)));
  const start = Math.floor((leaves.length - count) / 2);
  const pages = leaves.slice(start, start + count);
  overwrite(path, pageSize, pages, pageSize / 4, pageSize / 2);
  return { pages };
}

/**
 * Overwrites the root page of `table`'s B-tree whole: the pages below it are orphans, which .recover puts in
 * lost_and_found.
 */
export function corruptRoot(path: string, table: string): { pages: number[] } {
  const { pageSize, pages: tree } = treePages(path, table);
  const root = tree.find((page) => page.path === '/')!.pageno;
  overwrite(path, pageSize, [root], 0, pageSize);
  return { pages: [root] };
}

/** Overwrites page 1 (the file header and the schema table's root) whole: nothing opens the file. */
export function corruptHeader(path: string): void {
  const { db, pageSize } = checkpointed(path);
  db.close();
  overwrite(path, pageSize, [1], 0, pageSize);
}
