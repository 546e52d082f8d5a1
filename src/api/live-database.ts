/**
 * The server's view of the cache database. It reads on a read-only connection and never writes the cache
 * tables (docs/API.md, "Safety"), so it can run during an import; WAL lets it read while the importer writes.
 * Curation — communities, seeds, notes, tags, versions — is written through `write`, on a second,
 * read-write connection opened only when the first such request comes.
 *
 * The file may not exist yet when the server starts (an import creates it later), may be replaced
 * (`tpot db restore`), or may change under it (an import commits): `connection()` opens it when it
 * appears and reopens it when the file on disk is another one, and `changeToken()` changes
 * whenever another connection has committed (`PRAGMA data_version`) or the file was replaced —
 * which is how the graph cache knows to drop itself.
 */
import { existsSync, statSync } from 'node:fs';
import { dataVersion, immediately, openDatabase, schemaVersion, type Db } from '../db/database.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { TpotError } from '../errors.js';

/** A request needs the database, and it is missing or not ready: answered with 503 and what to do. */
export class DatabaseUnavailableError extends TpotError {
  constructor(message: string) {
    super('missing', message);
  }
}

export class LiveDatabase {
  private db: Db | null = null;
  /** device:inode of the open file. */
  private identity: string | null = null;
  private writer: { db: Db; identity: string } | null = null;
  private shutDown = false;

  constructor(readonly path: string) {}

  private fileIdentity(): string | null {
    if (!existsSync(this.path)) return null;
    const stat = statSync(this.path);
    return `${stat.dev}:${stat.ino}`;
  }

  /** The open connection, or null when there is no usable database file. */
  connection(): Db | null {
    if (this.shutDown) return null;
    const identity = this.fileIdentity();
    if (identity !== this.identity) {
      this.close();
      if (identity === null) return null;
      const db = openDatabase(this.path, { readonly: true });
      if (schemaVersion(db) !== SCHEMA_VERSION) {
        // Not migrated yet (or being created right now): try again on the next request.
        db.close();
        return null;
      }
      this.db = db;
      this.identity = identity;
    }
    return this.db;
  }

  /** The connection, or a 503-worthy error saying what to run. */
  require(): Db {
    const db = this.connection();
    if (db) return db;
    throw new DatabaseUnavailableError(
      existsSync(this.path)
        ? `The database ${this.path} is not ready (being created or migrated). ` +
            'Try again shortly, or run `npx tpot start`.'
        : `No database at ${this.path}. Create it with \`npx tpot start\` (demo data) or \`npx tpot import\`.`,
    );
  }

  /** Changes whenever the data may have changed: another connection committed, or the file was replaced or removed. */
  changeToken(): string {
    const db = this.connection();
    if (!db) return `none:${existsSync(this.path)}`;
    return `${this.identity}:${dataVersion(db)}`;
  }

  /**
   * Runs `change` on the read-write connection in one IMMEDIATE transaction, and says what the change token was
   * just before it (read once the write lock was held, so no other connection can commit in between) and just
   * after. A token before equal to the one the caller last saw means this commit is the only change since.
   */
  write<T>(change: (db: Db) => T): { value: T; before: string; after: string } {
    const db = this.writerConnection();
    let before = '';
    const value = immediately(db, () => {
      before = this.changeToken();
      return change(db);
    });
    return { value, before, after: this.changeToken() };
  }

  private writerConnection(): Db {
    this.require();
    const identity = this.fileIdentity()!;
    if (this.writer?.identity !== identity) {
      this.writer?.db.close();
      this.writer = { db: openDatabase(this.path), identity };
    }
    return this.writer.db;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.identity = null;
    this.writer?.db.close();
    this.writer = null;
  }

  /** Closes for good: work still running after the server stopped gets no connection. */
  shutdown(): void {
    this.shutDown = true;
    this.close();
  }
}
