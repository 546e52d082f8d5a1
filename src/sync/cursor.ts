/**
 * The keyset cursor of a sync: the key of the last row staged, a value per key column (src/sync/tables.ts), and
 * its form in cache_metadata.resume_key (docs/DATA-MODEL.md, "REST mirror") — the value itself for a one-column
 * key, a JSON array for a pair.
 */
import type { RestRow, SyncTable } from './tables.js';

export type Cursor = readonly string[];

/** The cursor after `row`; a key value that cannot be paged past is an error, not a silent restart. */
export function cursorOf(table: SyncTable, row: RestRow): Cursor {
  return table.key.map((column) => {
    const value = row[column];
    if (
      table.keyType === 'number'
        ? typeof value === 'number' && Number.isSafeInteger(value)
        : typeof value === 'string' && value !== ''
    )
      return String(value);
    throw new Error(`REST table '${table.name}' sent a row without a usable ${column} (${JSON.stringify(value)})`);
  });
}

export function encodeCursor(table: SyncTable, cursor: Cursor): string {
  return table.key.length === 1 ? cursor[0]! : JSON.stringify(cursor);
}

/** The stored cursor, or null when it is not one of this table's key (then the sync starts again). */
export function decodeCursor(table: SyncTable, stored: string): Cursor | null {
  if (table.key.length === 1) return [stored];
  try {
    const values: unknown = JSON.parse(stored);
    if (
      Array.isArray(values) &&
      values.length === table.key.length &&
      values.every((value) => typeof value === 'string' && value !== '')
    )
      return values as string[];
  } catch {
    // Not JSON: not a cursor of ours.
  }
  return null;
}
