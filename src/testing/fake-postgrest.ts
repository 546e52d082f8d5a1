/**
 * A local fake of the Community Archive's PostgREST API (`/rest/v1/<table>`) for sync tests, on
 * 127.0.0.1. It behaves like PostgREST/Supabase where a sync client can go wrong (docs/FORMATS.md,
 * "REST tables"): the 1,000-row `max_rows` cap, `Content-Range` with and without `Prefer:
 * count=exact` (206 for a partial page), keyset filters (`id=gt.<last>`, and past a pair of key columns with
 * `or=(…)`/`and=(…)` logic trees, values quoted or not), explicit `select` versus
 * `*` (which adds the large `fts` column), the 3 s anon statement timeout on deep offsets (500 code
 * 57014), bad API keys (401), and injected 5xx, 429, dropped and stalled requests. Bounded by
 * construction: it only answers requests, each fault ends by itself or at close().
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown>;

export interface FakeTable {
  /**
   * The unique column the client pages by (e.g. 'id' for followers/following/likes/user_mentions, 'account_id' for
   * account/profile, 'user_id' for mentioned_users, 'tweet_id' for tweets), or the columns of a composite primary
   * key (quote_tweets: tweet_id, quoted_tweet_id).
   */
  key: string | readonly string[];
  /**
   * Rows as PostgREST would return them (JSON values; numbers stay numbers, text ids stay strings). Any order: the
   * server sorts by key (numbers numerically, strings by JS code-unit order).
   */
  rows: Row[];
}

export type PostgrestFault =
  /** e.g. 500 or 503, the next `times` requests to this table. */
  | { kind: 'status'; status: number; times: number }
  /** 429 with Retry-After. */
  | { kind: 'rate-limit'; retryAfterSeconds: number; times: number }
  /** Destroy the socket without answering. */
  | { kind: 'drop'; times: number }
  /** Accept, never answer (until close). */
  | { kind: 'stall'; times: number };

export interface FakePostgrestOptions {
  tables: Record<string, FakeTable>;
  /**
   * The valid anon key; a differing `apikey` or `Authorization: Bearer` gets 401 "Invalid API key", a missing `apikey`
   * 401 "No API key found in request".
   */
  apiKey: string;
  /** PostgREST max-rows (default 1000): `limit` above it is clamped. */
  maxRows?: number;
  /**
   * Offsets (from `offset=` or a `Range` header) above this (default 3000) wait `timeoutDelayMs` (default 0) and then
   * fail like Supabase's 3 s anon statement timeout: 500 code 57014.
   */
  deepOffsetLimit?: number;
  timeoutDelayMs?: number;
}

export interface FakePostgrestRequest {
  table: string;
  /** The raw query string, without the leading `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakePostgrest {
  /** http://127.0.0.1:PORT, the client's SUPABASE_URL. */
  url: string;
  /** Every `/rest/v1/<table>` request in arrival order, faulted ones included. */
  requests: FakePostgrestRequest[];
  /**
   * Fault injection from now on: applies to the next requests of `table`. `afterRequests`
   * (default 0) lets that many requests of the table through first, so a fault can hit mid-table.
   * Each fault counts its `afterRequests` from when it was injected; when two are due on the same
   * request, the earlier-injected one answers it and the other waits for the next.
   */
  inject(table: string, fault: PostgrestFault, afterRequests?: number): void;
  /** Replace a table's rows (simulate the upstream data changing between syncs). */
  setRows(table: string, rows: Row[]): void;
  close(): Promise<void>;
}

interface Table {
  key: string[];
  /** Sorted by key, ascending. */
  rows: Row[];
  /**
   * Known columns in `select=*` order, `fts` last; null while the table has never had rows (any column is accepted).
   */
  columns: string[] | null;
  numeric: Set<string>;
}

/** One comparison (`column=op.value`, or `column.op.value` inside a logic tree). */
interface Condition {
  type: 'condition';
  column: string;
  negate: boolean;
  op: 'is' | keyof typeof COMPARISONS;
  target: unknown;
}

/** `or=(…)`, `and=(…)`, and `or(…)`/`and(…)` nested in them; `not.` negates either. */
interface Logic {
  type: 'and' | 'or';
  negate: boolean;
  filters: Filter[];
}

type Filter = Condition | Logic;

interface Order {
  column: string;
  desc: boolean;
}

interface Plan {
  columns: string[];
  filters: Filter[];
  order: Order[];
  offset: number;
  limit: number;
  count: boolean;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface PendingFault {
  fault: PostgrestFault;
  skip: number;
  left: number;
}

/** An answer that ends a request early (bad parameter, unknown column, range not satisfiable). */
class Refusal extends Error {
  constructor(readonly reply: Reply) {
    super(String((reply.body as { message?: string }).message));
  }
}

const PATH = /^\/rest\/v1\/([^/]+)\/?$/;
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'apikey']);
const COMPARISONS = {
  eq: (c: number) => c === 0,
  neq: (c: number) => c !== 0,
  gt: (c: number) => c > 0,
  gte: (c: number) => c >= 0,
  lt: (c: number) => c < 0,
  lte: (c: number) => c <= 0,
};
const FILTER = /^(not\.)?(eq|neq|gt|gte|lt|lte|is)\.(.*)$/s;
const LOGIC = /^(not\.)?(and|or)$/;
/** Stands in for the generated tsvector column that `select=*` returns on the real `tweets`. */
const FTS = Array.from({ length: 40 }, (_, i) => `'lexem${i}':${i + 1}`).join(' ');
const TIMEOUT: Reply = {
  status: 500,
  body: { code: '57014', details: null, hint: null, message: 'canceling statement due to statement timeout' },
};

export async function startFakePostgrest(options: FakePostgrestOptions): Promise<FakePostgrest> {
  const maxRows = options.maxRows ?? 1000;
  const deepOffsetLimit = options.deepOffsetLimit ?? 3000;
  const tables = new Map(
    Object.entries(options.tables).map(([name, t]) => [name, makeTable([t.key].flat(), t.rows, null)]),
  );
  const requests: FakePostgrestRequest[] = [];
  const faults = new Map<string, PendingFault[]>();
  const stalled = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (res: ServerResponse, reply: Reply, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send(res, reply);
    }, delayMs);
    timers.add(timer);
  };

  const applyFault = (fault: PostgrestFault, req: IncomingMessage, res: ServerResponse) => {
    switch (fault.kind) {
      case 'status':
        return send(res, { status: fault.status, body: { message: `injected fault: status ${fault.status}` } });
      case 'rate-limit':
        return send(res, {
          status: 429,
          body: { message: 'API rate limit exceeded' },
          headers: { 'retry-after': String(fault.retryAfterSeconds) },
        });
      case 'drop':
        return void req.socket.destroy();
      case 'stall':
        stalled.add(res);
        return void res.on('close', () => stalled.delete(res));
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = PATH.exec(url.pathname);
    if (!match) return send(res, { status: 404, body: { message: 'no Route matched with those values' } });
    const name = decodeURIComponent(match[1]!);
    requests.push({ table: name, query: url.search.slice(1), headers: { ...req.headers } });
    const fault = takeFault(faults.get(name));
    if (fault) return applyFault(fault, req, res);
    const denied = authorize(req.headers, url.searchParams, options.apiKey);
    if (denied) return send(res, denied);
    if (req.method !== 'GET')
      return send(res, { status: 405, body: { code: 'PGRST117', message: `Unsupported HTTP method: ${req.method}` } });
    const table = tables.get(name);
    if (!table)
      return send(res, {
        status: 404,
        body: { code: '42P01', details: null, hint: null, message: `relation "public.${name}" does not exist` },
      });
    try {
      const plan = makePlan(name, table, url.searchParams, req.headers, maxRows);
      if (plan.offset > deepOffsetLimit) return later(res, TIMEOUT, options.timeoutDelayMs ?? 0);
      send(res, execute(table, plan));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      send(res, error.reply);
    }
  };

  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (table, fault, afterRequests = 0) => {
      faults.set(table, [...(faults.get(table) ?? []), { fault, skip: afterRequests, left: fault.times }]);
    },
    setRows: (name, rows) => {
      const table = tables.get(name);
      if (!table) throw new Error(`fake-postgrest: unknown table ${name}`);
      tables.set(name, makeTable(table.key, rows, table.columns));
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const res of stalled) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The fault for this request, if any: every request counts down each waiting fault's `skip`. */
function takeFault(queue: PendingFault[] | undefined): PostgrestFault | undefined {
  if (!queue) return undefined;
  const active = queue.find((pending) => pending.skip === 0 && pending.left > 0);
  for (const pending of queue) if (pending !== active && pending.skip > 0) pending.skip--;
  if (!active) return undefined;
  active.left--;
  if (active.left === 0) queue.splice(queue.indexOf(active), 1);
  return active.fault;
}

/** Supabase's API gateway: `apikey` (header or URL parameter) must be the key, and so must a Bearer token if sent. */
function authorize(headers: IncomingHttpHeaders, params: URLSearchParams, apiKey: string): Reply | null {
  const key = headers['apikey'] ?? params.get('apikey');
  if (key === undefined || key === null) {
    return {
      status: 401,
      body: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' },
    };
  }
  const auth = headers['authorization'];
  if (key !== apiKey || (auth !== undefined && auth !== `Bearer ${apiKey}`)) {
    return {
      status: 401,
      body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
    };
  }
  return null;
}

function makeTable(key: string[], rows: Row[], previousColumns: string[] | null): Table {
  const sorted = [...rows].sort(byOrder(key.map((column) => ({ column, desc: false }))));
  const columns = rows.length > 0 ? [...new Set([...rows.flatMap((row) => Object.keys(row)), 'fts'])] : previousColumns;
  const numeric = new Set(
    (columns ?? []).filter((column) => typeof rows.find((row) => row[column] != null)?.[column] === 'number'),
  );
  return { key, rows: sorted, columns, numeric };
}

function makePlan(
  name: string,
  table: Table,
  params: URLSearchParams,
  headers: IncomingHttpHeaders,
  maxRows: number,
): Plan {
  const range = parseRange(headers['range']);
  const offset = integerParam(params, 'offset') ?? range?.offset ?? 0;
  const limit = Math.min(integerParam(params, 'limit') ?? range?.limit ?? maxRows, maxRows);
  return {
    columns: parseSelect(name, table, params.get('select')),
    filters: [...params]
      .filter(([column]) => !RESERVED.has(column))
      .map(([column, value]) => {
        const logic = LOGIC.exec(column);
        return logic
          ? parseLogic(name, table, logic[2] as Logic['type'], logic[1] !== undefined, value)
          : parseFilter(name, table, column, value);
      }),
    order: parseOrder(name, table, params.get('order')),
    offset,
    limit,
    count: /count=(exact|planned|estimated)/.test(String(headers['prefer'] ?? '')),
  };
}

function badRequest(message: string): Refusal {
  return new Refusal({ status: 400, body: { code: 'PGRST100', details: null, hint: null, message } });
}

function checkColumn(name: string, table: Table, column: string): string {
  if (table.columns && !table.columns.includes(column)) {
    throw new Refusal({
      status: 400,
      body: { code: '42703', details: null, hint: null, message: `column ${name}.${column} does not exist` },
    });
  }
  return column;
}

function parseSelect(name: string, table: Table, select: string | null): string[] {
  if (select === null || select.trim() === '' || select.trim() === '*') return table.columns ?? [];
  return select.split(',').map((column) => checkColumn(name, table, column.trim()));
}

function parseFilter(name: string, table: Table, column: string, value: string, quoted = false): Condition {
  const match = FILTER.exec(value);
  if (!match) throw badRequest(`"failed to parse filter (${value})" (line 1, column 1)`);
  checkColumn(name, table, column);
  const op = match[2] as Condition['op'];
  const raw = quoted ? unquote(match[3]!) : match[3]!;
  return {
    type: 'condition',
    column,
    negate: match[1] !== undefined,
    op,
    target: op === 'is' ? parseIs(raw) : parseTarget(table, column, raw),
  };
}

/** `(a.gt.1,b.gt."2",and(c.eq.3,d.not.is.null))`: conditions and nested trees, split at top-level commas. */
function parseLogic(name: string, table: Table, type: Logic['type'], negate: boolean, value: string): Logic {
  const fail = () => badRequest(`"failed to parse logic tree (${value})" (line 1, column 1)`);
  if (!value.startsWith('(') || !value.endsWith(')')) throw fail();
  const filters = splitTopLevel(value.slice(1, -1), fail).map((item) => {
    const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(item);
    if (nested) return parseLogic(name, table, nested[2] as Logic['type'], nested[1] !== undefined, nested[3]!);
    const dot = item.indexOf('.');
    if (dot <= 0) throw fail();
    return parseFilter(name, table, item.slice(0, dot), item.slice(dot + 1), true);
  });
  return { type, negate, filters };
}

function splitTopLevel(text: string, fail: () => Error): string[] {
  const items: string[] = [];
  let depth = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '\\') i++;
      else if (c === '"') inQuotes = false;
    } else if (c === '"') inQuotes = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuotes || depth !== 0) throw fail();
  items.push(text.slice(start));
  return items;
}

/** A logic tree's value in double quotes (which may hold `,.:()`), with `\"` and `\\` escaped; else as it is. */
function unquote(raw: string): string {
  const match = /^"((?:[^"\\]|\\.)*)"$/s.exec(raw);
  return match ? match[1]!.replace(/\\(.)/gs, '$1') : raw;
}

function parseIs(raw: string): boolean | null {
  if (raw === 'null') return null;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw badRequest(`"failed to parse filter (is.${raw})" (line 1, column 4)`);
}

function parseTarget(table: Table, column: string, raw: string): string | number {
  if (!table.numeric.has(column)) return raw;
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value)) {
    throw new Refusal({
      status: 400,
      body: { code: '22P02', details: null, hint: null, message: `invalid input syntax for type bigint: "${raw}"` },
    });
  }
  return value;
}

function parseOrder(name: string, table: Table, order: string | null): Order[] {
  if (order === null) return [];
  return order.split(',').map((term) => {
    const match = /^([^.]+)(?:\.(asc|desc))?$/.exec(term.trim());
    if (!match) throw badRequest(`"failed to parse order (${term})" (line 1, column 1)`);
    return { column: checkColumn(name, table, match[1]!), desc: match[2] === 'desc' };
  });
}

/** `Range: M-N` or `Range: M-` (items); anything else is ignored, as PostgREST does. */
function parseRange(header: string | undefined): { offset: number; limit: number | undefined } | null {
  const match = /^\s*(\d+)-(\d*)\s*$/.exec(header ?? '');
  if (!match) return null;
  const offset = Number(match[1]);
  if (match[2] === '') return { offset, limit: undefined };
  const last = Number(match[2]);
  if (last < offset)
    throw new Refusal({
      status: 416,
      body: { code: 'PGRST103', details: null, hint: null, message: 'Requested range not satisfiable' },
    });
  return { offset, limit: last - offset + 1 };
}

function integerParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`"failed to parse ${name} parameter (${value})" (line 1, column 1)`);
  return Number(value);
}

function execute(table: Table, plan: Plan): Reply {
  const keyOrdered = plan.order.every(({ column, desc }, i) => column === table.key[i] && !desc);
  if (keyOrdered && !plan.count) return answer(plan, keysetScan(table, plan), null);
  const matched = table.rows.filter((row) => plan.filters.every((filter) => matches(row, filter)));
  const ordered = keyOrdered ? matched : [...matched].sort(byOrder(plan.order));
  return answer(plan, ordered.slice(plan.offset, plan.offset + plan.limit), plan.count ? matched.length : null);
}

/**
 * A page in key order without a count, as Postgres reads it from the primary-key index: from the first row a
 * `gt`/`gte` filter on the key's first column admits (binary search), as far as the page needs — so a keyset page
 * costs its own rows, not the table's, and a million-row table pages as fast as a small one.
 */
function keysetScan(table: Table, plan: Plan): Row[] {
  const [first] = table.key;
  let start = 0;
  for (const filter of plan.filters) {
    if (filter.type !== 'condition' || filter.column !== first || filter.negate) continue;
    const { op, target } = filter;
    if (op !== 'gt' && op !== 'gte') continue;
    const admits = (row: Row) => COMPARISONS[op](compare(row[first] ?? null, target));
    let [low, high] = [0, table.rows.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (admits(table.rows[middle]!)) high = middle;
      else low = middle + 1;
    }
    start = Math.max(start, low);
  }
  const page: Row[] = [];
  let skipped = 0;
  for (let i = start; i < table.rows.length && page.length < plan.limit; i++) {
    const row = table.rows[i]!;
    if (!plan.filters.every((filter) => matches(row, filter))) continue;
    if (skipped < plan.offset) skipped++;
    else page.push(row);
  }
  return page;
}

/** The reply for a page; `matched` is every row the filters admit, when counted. */
function answer(plan: Plan, page: Row[], matched: number | null): Reply {
  const total = matched === null ? '*' : String(matched);
  if (matched !== null && plan.offset > matched) {
    const details = `An offset of ${plan.offset} was requested, but there are only ${matched} rows.`;
    return {
      status: 416,
      body: { code: 'PGRST103', details, hint: null, message: 'Requested range not satisfiable' },
      headers: { 'content-range': `*/${total}` },
    };
  }
  const range = page.length === 0 ? '*' : `${plan.offset}-${plan.offset + page.length - 1}`;
  const partial = matched !== null && page.length < matched;
  return {
    status: partial ? 206 : 200,
    body: page.map((row) => project(row, plan.columns)),
    headers: { 'content-range': `${range}/${total}` },
  };
}

function project(row: Row, columns: string[]): Row {
  return Object.fromEntries(
    columns.map((column) => [column, column === 'fts' && !('fts' in row) ? FTS : (row[column] ?? null)]),
  );
}

/** Postgres semantics: a comparison with NULL is never true, not even negated; `is` always decides. */
function matches(row: Row, filter: Filter): boolean {
  if (filter.type !== 'condition') {
    const any =
      filter.type === 'or' ? filter.filters.some((f) => matches(row, f)) : filter.filters.every((f) => matches(row, f));
    return any !== filter.negate;
  }
  const value = row[filter.column] ?? null;
  if (filter.op === 'is') return (value === filter.target) !== filter.negate;
  if (value === null) return false;
  return COMPARISONS[filter.op](compare(value, filter.target)) !== filter.negate;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** NULLS LAST ascending and NULLS FIRST descending, as in Postgres. */
function byOrder(order: Order[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const { column, desc } of order) {
      const [x, y] = [a[column] ?? null, b[column] ?? null];
      const c = x === null || y === null ? Number(x === null) - Number(y === null) : compare(x, y);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...reply.headers,
  });
  res.end(text);
}

// ---- Deterministic rows -------------------------------------------------------------------------

/** Accounts 1..ARCHIVE_ACCOUNTS are the archive accounts that follow lists belong to. */
const ARCHIVE_ACCOUNTS = 50;
const DAY_MS = 86_400_000;

/**
 * Account id `index` (1-based): a 19-digit string above 2^53, except every tenth, which is a short
 * pre-2010 style id — so text keys sort lexicographically, not numerically.
 */
function accountId(index: number, seed: number): string {
  if (index % 10 === 0) return String(10_000_000 + index * 97 + seed);
  return String(10n ** 18n + BigInt(seed) * 1_000_003n + BigInt(index) * 1_000_000_007n);
}

/** mulberry32: a small seeded PRNG, so counts are deterministic per seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Edge `i` (0-based): archive account `a = i % 50` and, for it, the `k = i / 50`-th other
 * account (index a + 2 + k), so pairs are unique, nobody follows themself, and the first
 * few dozen others are archive accounts too. `id` counts from 1 with a gap after every tenth.
 */
function edgeRows<C extends string>(count: number, seed: number, otherColumn: C): EdgeRow<C>[] {
  return Array.from({ length: count }, (_, i) => {
    const a = i % ARCHIVE_ACCOUNTS;
    const k = Math.floor(i / ARCHIVE_ACCOUNTS);
    // A computed key widens to an index signature; the object has exactly the three columns.
    return {
      id: i + 1 + Math.floor(i / 10),
      account_id: accountId(a + 1, seed),
      [otherColumn]: accountId(a + 2 + k, seed),
    } as EdgeRow<C>;
  });
}

/** A follow row as the REST tables give it: `id`, `account_id` and the other account's id column. */
export type EdgeRow<C extends string> = { id: number; account_id: string } & Record<C, string>;

/** `followers` rows: `{ id, account_id, follower_account_id }`. */
export function followerRows(count: number, seed = 1): EdgeRow<'follower_account_id'>[] {
  return edgeRows(count, seed, 'follower_account_id');
}

/** `following` rows: `{ id, account_id, following_account_id }`. */
export function followingRows(count: number, seed = 1): EdgeRow<'following_account_id'>[] {
  return edgeRows(count, seed, 'following_account_id');
}

/** `account` view rows for accounts 1..count (the same ids the follow rows use). */
export function accountRows(count: number, seed = 1): Row[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    account_id: accountId(i + 1, seed),
    created_via: 'data_export',
    username: i % 5 === 0 ? `Poster_${i + 1}` : `poster_${i + 1}`,
    created_at: timestamp(Date.UTC(2010, 0, 1) + i * DAY_MS),
    account_display_name: `Poster ${i + 1}`,
    num_tweets: Math.floor(next() * 50_000),
    num_following: Math.floor(next() * 2_000),
    num_followers: Math.floor(next() * 20_000),
    num_likes: Math.floor(next() * 100_000),
  }));
}

/** `profile` view rows for accounts 1..count; some `website` and `header_media_url` are null. */
export function profileRows(count: number, seed = 1): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const id = accountId(i + 1, seed);
    return {
      account_id: id,
      bio: `bio of poster ${i + 1}: vibes, systems, 🌱`,
      website: i % 3 === 0 ? null : `https://poster${i + 1}.example`,
      location: i % 2 === 0 ? 'the internet' : '',
      avatar_media_url: `https://pbs.twimg.com/profile_images/${id}/avatar.jpg`,
      header_media_url: i % 4 === 0 ? null : `https://pbs.twimg.com/profile_banners/${id}/1600000000`,
      archive_upload_id: 1000 + i,
    };
  });
}

/** `mentioned_users` rows for accounts 1..count: `{ user_id, name, screen_name }`. */
export function mentionedUserRows(count: number, seed = 1): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    user_id: accountId(i + 1, seed),
    name: `Mentioned ${i + 1}`,
    screen_name: `mentioned_${i + 1}`,
    updated_at: '2025-05-01T12:00:00+00:00',
  }));
}

/** The archive accounts that write `tweetRows`, and how many accounts their mentions and replies name. */
const TWEET_AUTHORS = 300;
const MENTIONABLE = 5_000;

/** Tweet `index` (0-based): 19-digit ids of one length, so text order is numeric order. */
function tweetId(index: number, seed: number): string {
  return String(15n * 10n ** 17n + BigInt(seed) * 7n + BigInt(index) * 1_000_003n);
}

/**
 * A mentioned or replied-to account, skewed towards the first few hundred (a few accounts are talked to most, as on
 * X); `r` is uniform in [0, 1).
 */
function talkedTo(r: number, seed: number, offset = 0): string {
  return accountId(1 + ((Math.floor(MENTIONABLE * r ** 3) + offset) % MENTIONABLE), seed);
}

/**
 * `tweets` rows: tweet `i` is written by archive account `1 + i % 300`, a minute after tweet `i - 1`; every fifth
 * replies to another account.
 */
export function tweetRows(count: number, seed = 1): Row[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const author = 1 + (i % TWEET_AUTHORS);
    const reply = i % 5 === 4;
    return {
      tweet_id: tweetId(i, seed),
      account_id: accountId(author, seed),
      created_at: timestamp(Date.UTC(2020, 0, 1) + i * 60_000),
      full_text: `tweet ${i} of poster ${author}: systems, vibes and the occasional long thought about both 🌱`,
      retweet_count: Math.floor(next() * 20),
      favorite_count: Math.floor(next() * 200),
      reply_to_tweet_id: reply ? tweetId(i - 1, seed) : null,
      reply_to_user_id: reply ? talkedTo(next(), seed) : null,
      reply_to_username: reply ? 'someone' : null,
      archive_upload_id: 1000 + author,
    };
  });
}

/**
 * `user_mentions` rows `{ id, tweet_id, mentioned_user_id }` for the first `tweets` tweets of `tweetRows`: mention
 * `i` is in tweet `i % tweets`, and the mentions of one tweet name different accounts (the pair is unique upstream).
 */
export function userMentionRows(count: number, tweets: number, seed = 1): Row[] {
  const next = random(seed + 1);
  const firstMentioned = Array.from({ length: tweets }, () => next());
  return Array.from({ length: count }, (_, i) => {
    const tweet = i % tweets;
    return {
      id: i + 1,
      tweet_id: tweetId(tweet, seed),
      mentioned_user_id: talkedTo(firstMentioned[tweet]!, seed, Math.floor(i / tweets)),
    };
  });
}
