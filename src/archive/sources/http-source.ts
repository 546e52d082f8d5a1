/**
 * Archives over HTTP from a URL template such as the Community Archive blob path, a mirror, or a
 * signed URL (docs/FORMATS.md, "Where archives come from").
 *
 * The body is streamed to a spool file under `<data>/tmp`, never held in memory. 404 and 400 mean
 * "not found" (Supabase Storage answers 400 for a missing object). 5xx, timeouts and connection
 * resets are retried 3 times with exponential backoff and jitter; 429 waits for Retry-After.
 * The inactivity timeout (30 s by default) covers both the wait for headers and gaps in the body.
 * A body shorter than its Content-Length is a truncated download and is retried too.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent, interceptors, stream, type Dispatcher } from 'undici';
import {
  describeNetworkError,
  header,
  HttpGaveUpError,
  parseRetryAfter,
  RetryableError,
  withHttpRetry,
} from '../../http.js';
import { parseHttpDate } from '../../time.js';
import { ArchiveFetchError, type ArchiveSource, type FetchedArchive, type NotFound } from './source.js';

export interface HttpSourceOptions {
  template: string;
  spoolDir: string;
  timeoutMs: number;
  retryBaseMs: number;
  /** Retries after the first attempt (3). */
  retries?: number;
  /** Longest Retry-After honoured; a longer one fails the archive with the server's wait in the message. */
  maxRetryAfterMs?: number;
  /** Headers sent only to `authOrigin` (the Supabase key must never leak to a mirror). */
  authHeaders?: Record<string, string>;
  authOrigin?: string;
  userAgent?: string;
}

const NOT_FOUND_STATUSES = new Set([400, 404]);

interface ResponseHead {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
}

export class HttpArchiveSource implements ArchiveSource {
  readonly description: string;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: HttpSourceOptions) {
    if (!options.template.includes('{username}')) {
      throw new Error(`Archive URL template must contain {username}: ${options.template}`);
    }
    this.description = `URL template ${options.template}`;
    // The owner-only endpoint answers with a redirect to a signed URL (docs/FORMATS.md, "Where archives come from").
    this.dispatcher = new Agent({ connections: 16 }).compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  locate(username: string): string {
    return this.options.template.replaceAll('{username}', encodeURIComponent(username));
  }

  async listUsernames(): Promise<string[] | null> {
    return null; // bucket listing is not public
  }

  async fetch(username: string, signal?: AbortSignal): Promise<FetchedArchive | NotFound> {
    const url = this.locate(username);
    try {
      return await withHttpRetry(() => this.download(username, url, signal), {
        retries: this.options.retries,
        baseMs: this.options.retryBaseMs,
        maxRetryAfterMs: this.options.maxRetryAfterMs,
        signal,
      });
    } catch (error) {
      if (error instanceof HttpGaveUpError) throw new ArchiveFetchError(error.message);
      throw error;
    }
  }

  private headersFor(url: string): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'tpot-analyzer' };
    if (this.options.authHeaders && this.options.authOrigin && new URL(url).origin === this.options.authOrigin) {
      Object.assign(headers, this.options.authHeaders);
    }
    return headers;
  }

  private async download(username: string, url: string, signal?: AbortSignal): Promise<FetchedArchive | NotFound> {
    await mkdir(this.options.spoolDir, { recursive: true });
    const path = join(this.options.spoolDir, `import-${username}-${randomBytes(6).toString('hex')}.part`);
    const release = () => rm(path, { force: true });
    // Filled in by stream()'s factory once the response head arrives.
    const answer: { head?: ResponseHead; file?: WriteStream } = {};
    try {
      // undici's stream() writes the body straight into the spool file: the cheapest path for the
      // main thread, which also commits (measured in docs/BENCHMARKS.md).
      await stream(
        url,
        {
          method: 'GET',
          dispatcher: this.dispatcher,
          headers: this.headersFor(url),
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
          signal,
        },
        ({ statusCode, headers }) => {
          answer.head = { statusCode, headers };
          if (statusCode !== 200) return discard();
          answer.file = createWriteStream(path);
          return answer.file;
        },
      );
    } catch (error) {
      await release();
      if (signal?.aborted) throw error;
      const received = answer.file?.bytesWritten ?? 0;
      throw new RetryableError(
        answer.head
          ? `download of ${url} broke off after ${received} bytes: ${describeNetworkError(error)}`
          : `request to ${url} failed: ${describeNetworkError(error)}`,
      );
    }
    if (!answer.head) throw new RetryableError(`no response from ${url}`);
    const { statusCode, headers } = answer.head;
    if (statusCode !== 200) {
      await release();
      if (NOT_FOUND_STATUSES.has(statusCode)) return { notFound: true, location: url, reason: `HTTP ${statusCode}` };
      if (statusCode === 429)
        throw new RetryableError(`HTTP 429 from ${url}`, parseRetryAfter(header(headers, 'retry-after')));
      if (statusCode >= 500) throw new RetryableError(`HTTP ${statusCode} from ${url}`);
      throw new ArchiveFetchError(`HTTP ${statusCode} from ${url}`);
    }
    const expected = header(headers, 'content-length');
    const received = answer.file?.bytesWritten ?? 0;
    if (expected !== undefined && Number(expected) !== received) {
      await release();
      throw new RetryableError(`download of ${url} is truncated: ${received} of ${expected} bytes`);
    }
    return {
      username,
      location: url,
      path,
      lastModified: parseHttpDate(header(headers, 'last-modified')),
      etag: header(headers, 'etag') ?? null,
      release,
    };
  }
}

/** A sink for the body of an error answer (its text is not needed). */
function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}
