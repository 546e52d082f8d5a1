/**
 * What a user can do about the SQLite errors any command may meet: a lock held by another
 * process, a damaged file, a disk that cannot be read or written. Recognised by the error's name
 * and code, so the command line can tell them apart without loading better-sqlite3.
 */
import { TpotError } from '../errors.js';

interface SqliteLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Whether the error is SQLite waiting in vain for another connection's lock (SQLITE_BUSY, SQLITE_LOCKED). */
export function isSqliteBusy(error: unknown): boolean {
  const { code } = (error ?? {}) as SqliteLikeError;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** The database file is damaged: what the user can do about it. */
export function damagedDatabase(what: string, cause?: unknown): TpotError {
  return new TpotError('database', `The database file is damaged (${what}).`, {
    hint:
      'See what is wrong with npx tpot db check; salvage it with npx tpot db recover, ' +
      'or restore a backup with npx tpot db restore.',
    cause,
  });
}

/** The expected failure an error from better-sqlite3 stands for, or null when it is not one (a bug). */
export function sqliteFailure(error: unknown): TpotError | null {
  const { name, code, message } = (error ?? {}) as SqliteLikeError;
  if (name !== 'SqliteError' || typeof code !== 'string') return null;
  const what = String(message);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new TpotError('database', `The database is locked by another process (${what}).`, {
      hint: 'Wait for it to finish — npx tpot status shows what runs — or stop it, then try again.',
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedDatabase(what, error);
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') {
    return new TpotError('database', `SQLite could not read or write the database (${what}).`, {
      hint: 'Check the disk: free space (df -h data), permissions, and npx tpot db check.',
      cause: error,
    });
  }
  return null;
}
