#!/usr/bin/env node
/** Entry point of the `tpot` binary: runs the program and turns known errors into clean messages. */
import { ConfigError } from '../config.js';
import { DatabaseMissingError, SchemaTooNewError } from '../db/database.js';
import { SourceError } from '../archive/sources/resolve.js';
import { InvalidUsernameError } from '../usernames.js';
import { UnknownTableError } from '../sync/tables.js';
import { SeedListError } from '../seed-lists.js';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { CliError, EXIT } from './options.js';

const USAGE_ERRORS = [ConfigError, InvalidUsernameError, SourceError, UnknownTableError, SeedListError];
const KNOWN_ERRORS = [DatabaseMissingError, SchemaTooNewError];

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help); a bad flag or argument is a usage error.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (USAGE_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else if (KNOWN_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.failed;
  } else {
    process.stderr.write(`tpot: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}
