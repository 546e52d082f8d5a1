/**
 * Expected failures. Every error a user can act on — a bad flag, a missing database, a damaged
 * archive, a stopped server, no Chromium — extends `TpotError`, which says what kind of failure it
 * is, the exit status the CLI gives it, and what to do about it. The CLI prints such an error as
 * it is (docs/ARCHITECTURE.md, "Errors"); anything else that reaches the top is a bug, printed as
 * one line with the log file that holds its stack.
 */

/** Exit statuses shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rateLimited: 3, interrupted: 130 } as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/**
 * What kind of failure: `usage` is a wrong flag, argument or setting; `input` is data that cannot
 * be used (an archive, a file the user gave); `missing` is something that is not there yet (the
 * database, a snapshot, a browser); `database` is SQLite refusing (locked, damaged, full);
 * `network` is a server that does not answer or refuses; `session` is X asking to log in;
 * `rate_limited` is X throttling the session; `refused` is an operation declined to keep data
 * safe; `interrupted` is the user stopping a run.
 */
export type ErrorKind =
  'usage' | 'input' | 'missing' | 'database' | 'network' | 'session' | 'rate_limited' | 'refused' | 'interrupted';

const EXIT_BY_KIND: Record<ErrorKind, ExitStatus> = {
  usage: EXIT.usage,
  input: EXIT.failed,
  missing: EXIT.failed,
  database: EXIT.failed,
  network: EXIT.failed,
  session: EXIT.failed,
  rate_limited: EXIT.rateLimited,
  refused: EXIT.failed,
  interrupted: EXIT.interrupted,
};

export interface TpotErrorOptions {
  /** What the user can do about it, when the message does not already say. */
  hint?: string;
  /** Instead of the kind's usual status. */
  exitStatus?: ExitStatus;
  cause?: unknown;
}

export class TpotError extends Error {
  readonly hint: string | null;
  readonly exitStatus: ExitStatus;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: TpotErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint ?? null;
    this.exitStatus = options.exitStatus ?? EXIT_BY_KIND[kind];
  }
}

/** A wrong flag, argument or setting: exit status 2. */
export class UsageError extends TpotError {
  constructor(message: string, options: Omit<TpotErrorOptions, 'exitStatus'> = {}) {
    super('usage', message, options);
  }
}

/** A name or id that matches nothing (a community, a version): a usage error to the CLI, a 404 to the API. */
export class NotFoundError extends UsageError {}

/** The message of anything thrown (a thrown value need not be an Error). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
