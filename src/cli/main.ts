#!/usr/bin/env node
/** Entry point of the `tpot` binary: runs the program and turns known errors into clean messages. */
import { ConfigError } from '../config.js';
import { DatabaseMissingError, SchemaTooNewError } from '../db/database.js';
import { SourceError } from '../archive/sources/resolve.js';
import { InvalidUsernameError } from '../usernames.js';
import { UnknownTableError } from '../sync/tables.js';
import { SeedListError } from '../seed-lists.js';
import { CommanderError } from 'commander';
import Database from 'better-sqlite3';
import { MaintenanceError } from '../ops/db-tools.js';
import { buildProgram } from './program.js';
import { CliError, EXIT } from './options.js';

const USAGE_ERRORS = [ConfigError, InvalidUsernameError, SourceError, UnknownTableError, SeedListError];
const KNOWN_ERRORS = [DatabaseMissingError, SchemaTooNewError, MaintenanceError];

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  const advice = error instanceof Database.SqliteError ? sqliteAdvice(error) : null;
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help); a bad flag or argument is a usage error.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (USAGE_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else if (advice !== null) {
    process.stderr.write(`error: ${advice}\n`);
    process.exitCode = EXIT.failed;
  } else if (KNOWN_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.failed;
  } else {
    process.stderr.write(`tpot: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}

/** What a user can do about the SQLite errors any command may meet. */
function sqliteAdvice(error: InstanceType<typeof Database.SqliteError>): string | null {
  if (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED')) {
    return `The database is locked by another process (${error.message}). Wait for it to finish — npx tpot status shows what runs — or stop it, then try again.`;
  }
  if (error.code.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB') {
    return `The database file is damaged (${error.message}). See what is wrong with npx tpot db check; salvage it with npx tpot db recover, or restore a backup with npx tpot db restore.`;
  }
  if (error.code.startsWith('SQLITE_IOERR') || error.code === 'SQLITE_FULL') {
    return `SQLite could not read or write the database (${error.message}). Check the disk: free space (df -h data), permissions, and npx tpot db check.`;
  }
  return null;
}
