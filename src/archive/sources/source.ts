/**
 * Where archives come from (docs/FORMATS.md, "Where archives come from"): a URL template, a local
 * directory, or an X export zip. Every source turns a username into a local file the reader can
 * stream, or "not found".
 */
import { TpotError } from '../../errors.js';
export interface FetchedArchive {
  username: string;
  /** The URL or path it came from, for the ledger and log lines. */
  location: string;
  /** A local file holding the archive (archive.json or an export zip). */
  path: string;
  /** UTC `YYYY-MM-DD HH:MM:SS` from Last-Modified or the file's mtime; null when unknown. */
  lastModified: string | null;
  etag: string | null;
  /** Deletes any temporary file the source created. */
  release(): Promise<void>;
}

export interface NotFound {
  notFound: true;
  location: string;
  /** Why, e.g. "HTTP 404". */
  reason: string;
}

export interface ArchiveSource {
  /** A short description for the start-up banner. */
  readonly description: string;
  /** Where `username` would be read from (used in "Archive not found for … at <url>"). */
  locate(username: string): string;
  fetch(username: string, signal?: AbortSignal): Promise<FetchedArchive | NotFound>;
  /** Every username the source can list by itself (directory and zip), or null when it cannot. */
  listUsernames(): Promise<string[] | null>;
}

export function isNotFound(result: FetchedArchive | NotFound): result is NotFound {
  return (result as NotFound).notFound === true;
}

/** A download that failed for good (after retries) — the archive fails, the run goes on. */
export class ArchiveFetchError extends TpotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('network', message, options);
  }
}
