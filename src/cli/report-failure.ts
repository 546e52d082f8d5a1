/**
 * What the user sees when a command fails (docs/ARCHITECTURE.md, "Errors"): an expected failure
 * (`TpotError`, or a SQLite error that stands for one) as one line with what to do; a usage error
 * commander has already printed, as its exit status; anything else — a bug — as one line naming
 * the log file that keeps its stack.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { resolveConfig } from '../config.js';
import { sqliteFailure } from '../db/sqlite-errors.js';
import { errorMessage, EXIT, TpotError } from '../errors.js';
import { nowUtc } from '../time.js';
import type { GlobalFlags } from './context.js';

/** Where unexpected errors' stacks go, under the log directory. */
export const ERROR_LOG = 'errors.log';

/** Prints the failure and returns the exit status to end with. */
export function reportFailure(error: unknown, program: Command | null): number {
  // Commander has printed its message (or the help, or the version); a bad flag is a usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const expected = error instanceof TpotError ? error : sqliteFailure(error);
  if (expected) {
    process.stderr.write(`error: ${expected.message}${expected.hint ? ` ${expected.hint}` : ''}\n`);
    return expected.exitStatus;
  }
  const logFile = logUnexpected(error, program);
  process.stderr.write(`tpot: unexpected error: ${errorMessage(error)}${logFile ? ` (details in ${logFile})` : ''}\n`);
  return EXIT.failed;
}

/** Appends the stack to the error log; null when it cannot be written either. */
function logUnexpected(error: unknown, program: Command | null): string | null {
  try {
    const flags = program?.opts<GlobalFlags>() ?? {};
    const { logDir } = resolveConfig({ logDir: flags.logDir, dataDir: flags.dataDir });
    mkdirSync(logDir, { recursive: true });
    const file = join(logDir, ERROR_LOG);
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    appendFileSync(file, `${nowUtc()} tpot ${process.argv.slice(2).join(' ')}\n${stack}\n\n`);
    return file;
  } catch {
    return null;
  }
}
