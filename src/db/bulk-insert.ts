/**
 * Multi-row INSERT: one statement (and one call into SQLite) for up to 250 rows. Used wherever
 * many rows are written at once — archive staging, REST pages. Statements are prepared once per
 * row count and reused.
 */
import type Database from 'better-sqlite3';

export const ROWS_PER_STATEMENT = 250;

export class BulkInsert {
  private readonly statements = new Map<number, Database.Statement>();

  /**
   * @param verb e.g. `INSERT OR IGNORE INTO stage_likes` — table names come from code, never from input.
   * @param width values per row
   */
  constructor(
    private readonly db: Database.Database,
    private readonly verb: string,
    private readonly width: number,
  ) {}

  /** Inserts `values` (a flat list, `width` per row); returns how many rows were inserted. */
  run(values: readonly unknown[]): number {
    const rows = values.length / this.width;
    let changes = 0;
    for (let first = 0; first < rows; first += ROWS_PER_STATEMENT) {
      const count = Math.min(ROWS_PER_STATEMENT, rows - first);
      const slice = values.slice(first * this.width, (first + count) * this.width);
      changes += this.statement(count).run(slice).changes;
    }
    return changes;
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const row = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
      statement = this.db.prepare(`${this.verb} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
