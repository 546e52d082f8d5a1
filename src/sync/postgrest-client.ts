/**
 * A client for the Community Archive's PostgREST API (docs/FORMATS.md, "REST tables"): one keyset
 * page at a time — `select=<columns>&order=<key>.asc&<key>=gt.<last>&limit=<n>`, or past a pair of key columns
 * (keysetFilter) — with the anon key
 * as `apikey` and `Authorization: Bearer`. Content-Range is checked against the rows received.
 * 5xx, timeouts and resets are retried with backoff, 429 waits for Retry-After (src/http.ts);
 * 401/403 mean the key is wrong and stop at once with a message that names SUPABASE_KEY.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { describeNetworkError, header, parseRetryAfter, RetryableError, withHttpRetry } from '../http.js';
import type { RestRow, SyncKey } from './tables.js';
import { TpotError } from '../errors.js';

export interface PostgrestClientOptions {
  /** SUPABASE_URL: the REST API is `${baseUrl}/rest/v1`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retryBaseMs: number;
  retries?: number;
  signal?: AbortSignal;
  onRetry?: (message: string, attempt: number, delayMs: number) => void;
}

export interface PageRequest {
  table: string;
  select: readonly string[];
  /** One unique column, or two whose pair is unique. */
  key: SyncKey;
  /** The key of the previous page's last row (a value per key column); null for the first page. */
  after: readonly string[] | null;
  limit: number;
  /** Ask for the total row count (`Prefer: count=exact`). */
  count?: boolean;
}

export interface Page {
  rows: RestRow[];
  /** From Content-Range `a-b/total`; null when the server did not count. */
  total: number | null;
}

/** The key is missing, wrong or lacks rights: nothing can succeed until SUPABASE_KEY is fixed. */
export class RestAuthError extends TpotError {
  constructor(status: number, detail: string) {
    super(
      'usage',
      `The Community Archive REST API refused the key (HTTP ${status}${detail ? `: ${detail}` : ''}). ` +
        "Set SUPABASE_KEY to the public anon key published in the Community Archive's API docs (see .env.example).",
    );
  }
}

/** A request the server rejected for good (a 4xx other than 401/403/429). */
export class RestRequestError extends TpotError {
  constructor(message: string) {
    super('network', message);
  }
}

/** Supabase's anonymous statement timeout, as PostgREST reports it. */
const STATEMENT_TIMEOUT = '57014';

export class PostgrestClient {
  private readonly dispatcher: Dispatcher = new Agent({ connections: 4 });

  constructor(private readonly options: PostgrestClientOptions) {}

  get restUrl(): string {
    return `${this.options.baseUrl.replace(/\/+$/, '')}/rest/v1`;
  }

  pageUrl(page: PageRequest): string {
    const query = new URLSearchParams({
      select: page.select.join(','),
      order: page.key.map((column) => `${column}.asc`).join(','),
      limit: String(page.limit),
    });
    for (const [column, filter] of keysetFilter(page.key, page.after)) query.set(column, filter);
    return `${this.restUrl}/${encodeURIComponent(page.table)}?${query.toString()}`;
  }

  /** One page, retried as src/http.ts does; a count that times out is dropped rather than failing the page. */
  async page(page: PageRequest): Promise<Page> {
    return withHttpRetry(
      async () => {
        try {
          return await this.fetchPage(page);
        } catch (error) {
          if (page.count && error instanceof StatementTimeout) return this.fetchPage({ ...page, count: false });
          throw error;
        }
      },
      {
        retries: this.options.retries,
        baseMs: this.options.retryBaseMs,
        signal: this.options.signal,
        onRetry: (error, attempt, delay) => this.options.onRetry?.(error.message, attempt, delay),
      },
    );
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async fetchPage(page: PageRequest): Promise<Page> {
    const url = this.pageUrl(page);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headers: {
          apikey: this.options.apiKey,
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(page.count ? { prefer: 'count=exact' } : {}),
        },
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        signal: this.options.signal,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      throw new RetryableError(`request to ${url} failed: ${describeNetworkError(error)}`);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new RetryableError(`reading ${url} broke off: ${describeNetworkError(error)}`);
    }
    const { statusCode, headers } = response;
    if (statusCode === 200 || statusCode === 206) return parsePage(url, text, header(headers, 'content-range'));
    const detail = errorDetail(text);
    if (statusCode === 401 || statusCode === 403) throw new RestAuthError(statusCode, detail.message);
    if (statusCode === 429)
      throw new RetryableError(`HTTP 429 from ${url}`, parseRetryAfter(header(headers, 'retry-after')));
    if (statusCode >= 500 && detail.code === STATEMENT_TIMEOUT)
      throw new StatementTimeout(`HTTP ${statusCode} from ${url}: ${detail.message}`);
    if (statusCode >= 500)
      throw new RetryableError(`HTTP ${statusCode} from ${url}${detail.message ? `: ${detail.message}` : ''}`);
    throw new RestRequestError(`HTTP ${statusCode} from ${url}${detail.message ? `: ${detail.message}` : ''}`);
  }
}

/**
 * The rows after `after` in key order. One column: `key=gt.<last>`. A pair (a, b): `a=gte.<a>` and
 * `or=(a.gt.<a>,b.gt.<b>)` — together exactly (a, b) > (last a, last b), which PostgREST has no row comparison
 * for; the `gte` is what lets Postgres start its primary-key index scan at the last row instead of filtering the
 * table from its beginning (the 3 s statement timeout, docs/FORMATS.md "REST tables"). Values are quoted as
 * PostgREST's logic trees want them when they could hold `,.:()`.
 */
export function keysetFilter(key: SyncKey, after: readonly string[] | null): [string, string][] {
  if (after === null) return [];
  if (after.length !== key.length) throw new Error(`a cursor of ${after.length} values for a key of ${key.length}`);
  const [first, second] = key;
  if (second === undefined) return [[first, `gt.${after[0]!}`]];
  const quoted = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  return [
    [first, `gte.${after[0]!}`],
    ['or', `(${first}.gt.${quoted(after[0]!)},${second}.gt.${quoted(after[1]!)})`],
  ];
}

/** A statement timeout is worth retrying (the server may be busy), unless a count caused it. */
class StatementTimeout extends RetryableError {}

function errorDetail(text: string): { code: string | null; message: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code : null,
      message: typeof body.message === 'string' ? body.message : '',
    };
  } catch {
    return { code: null, message: text.slice(0, 200) };
  }
}

const CONTENT_RANGE = /^(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/;

/**
 * The body must be a JSON array, and Content-Range (`first-last/total`, `*\/total` when empty) must
 * agree with it: a proxy that cut the body short is caught here and the page is fetched again.
 */
export function parsePage(url: string, text: string, contentRange: string | undefined): Page {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    throw new RetryableError(`the answer from ${url} is not JSON (${text.length} bytes)`);
  }
  if (!Array.isArray(rows)) throw new RestRequestError(`the answer from ${url} is not a JSON array`);
  const range = contentRange ? CONTENT_RANGE.exec(contentRange.trim()) : null;
  if (contentRange && !range) throw new RetryableError(`${url} sent an unreadable Content-Range: ${contentRange}`);
  if (range) {
    const [, first, last] = range;
    const claimed = first === undefined ? 0 : Number(last) - Number(first) + 1;
    if (claimed !== rows.length)
      throw new RetryableError(`${url} sent ${rows.length} rows but Content-Range ${contentRange} says ${claimed}`);
  }
  const totalText = range?.[3];
  return { rows: rows as RestRow[], total: totalText && totalText !== '*' ? Number(totalText) : null };
}

/** The client for the configured REST API; without SUPABASE_KEY, a usage error that says where to get one. */
export function restClient(config: Config, onRetry?: PostgrestClientOptions['onRetry']): PostgrestClient {
  if (!config.supabaseKey) {
    throw new UsageError(
      "SUPABASE_KEY is not set: tpot sync reads the Community Archive's REST API with its public anon key.",
      { hint: "Copy it from the Community Archive's API docs into .env (see .env.example)." },
    );
  }
  return new PostgrestClient({
    baseUrl: config.supabaseUrl,
    apiKey: config.supabaseKey,
    timeoutMs: config.httpTimeoutMs,
    retryBaseMs: config.httpRetryBaseMs,
    ...(onRetry ? { onRetry } : {}),
  });
}
