import { afterEach, describe, expect, it } from 'vitest';
import {
  followerRows,
  mentionedUserRows,
  startFakePostgrest,
  type FakePostgrest,
  type FakePostgrestOptions,
} from './fake-postgrest.js';

const KEY = 'anon-key';
const AUTH = { apikey: KEY, authorization: `Bearer ${KEY}` };
const FOLLOWERS = followerRows(2_500);
const SELECT = 'select=id,account_id,follower_account_id';

let server: FakePostgrest | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<FakePostgrestOptions> = {}): Promise<FakePostgrest> {
  server = await startFakePostgrest({
    apiKey: KEY,
    tables: {
      followers: { key: 'id', rows: [...FOLLOWERS].reverse() },
      mentioned_users: { key: 'user_id', rows: mentionedUserRows(40) },
    },
    ...options,
  });
  return server;
}

function get(fake: FakePostgrest, path: string, headers: Record<string, string> = AUTH): Promise<Response> {
  return fetch(`${fake.url}${path}`, { headers });
}

/** Keyset paging as the sync client does it; returns every row seen. */
async function keyset(
  fake: FakePostgrest,
  table: string,
  key: string,
  select: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  for (let last: string | number | undefined = undefined; ;) {
    const filter = last === undefined ? '' : `&${key}=gt.${encodeURIComponent(String(last))}`;
    const page = (await (
      await get(fake, `/rest/v1/${table}?select=${select}&order=${key}.asc${filter}&limit=${limit}`)
    ).json()) as Record<string, unknown>[];
    seen.push(...page);
    if (page.length < limit) return seen;
    last = page.at(-1)![key] as string | number;
  }
}

describe('fake PostgREST', () => {
  it('serves every row exactly once to keyset paging, numeric and text keys', async () => {
    const fake = await start();
    const rows = await keyset(fake, 'followers', 'id', 'id,account_id,follower_account_id', 1000);
    expect(rows).toEqual(FOLLOWERS);
    expect(fake.requests.map((request) => request.query)).toEqual([
      `${SELECT}&order=id.asc&limit=1000`,
      `${SELECT}&order=id.asc&id=gt.${FOLLOWERS[999]!.id}&limit=1000`,
      `${SELECT}&order=id.asc&id=gt.${FOLLOWERS[1999]!.id}&limit=1000`,
    ]);
    const users = await keyset(fake, 'mentioned_users', 'user_id', 'user_id,screen_name', 7);
    const ids = mentionedUserRows(40).map((row) => row.user_id as string);
    expect(users.map((row) => row.user_id)).toEqual([...ids].sort());
    expect(users.map((row) => row.user_id)).not.toEqual(ids); // short legacy ids sort as text
  });

  it('caps pages at 1,000 rows and reports Content-Range, with 206 for a counted partial page', async () => {
    const fake = await start();
    const plain = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc&limit=5000`);
    expect([plain.status, plain.headers.get('content-range'), ((await plain.json()) as unknown[]).length]).toEqual([
      200,
      '0-999/*',
      1000,
    ]);
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');

    const counted = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc`, { ...AUTH, prefer: 'count=exact' });
    expect([counted.status, counted.headers.get('content-range')]).toEqual([206, '0-999/2500']);

    const ranged = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc`, {
      ...AUTH,
      'range-unit': 'items',
      range: '1000-1999',
      prefer: 'count=planned',
    });
    expect([ranged.status, ranged.headers.get('content-range')]).toEqual([206, '1000-1999/2500']);
    expect(((await ranged.json()) as { id: number }[])[0]!.id).toBe(FOLLOWERS[1000]!.id);

    const tail = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc&id=gte.${FOLLOWERS[2000]!.id}&limit=1000`, {
      ...AUTH,
      prefer: 'count=exact',
    });
    expect([tail.status, tail.headers.get('content-range')]).toEqual([200, '0-499/500']);

    const empty = await get(fake, `/rest/v1/followers?${SELECT}&id=gt.999999`, { ...AUTH, prefer: 'count=exact' });
    expect([empty.status, empty.headers.get('content-range'), await empty.json()]).toEqual([200, '*/0', []]);
    const emptyUncounted = await get(fake, `/rest/v1/followers?${SELECT}&id=gt.999999`);
    expect(emptyUncounted.headers.get('content-range')).toBe('*/*');
  });

  it('returns the large fts column for select=* and rejects unknown columns', async () => {
    const fake = await start();
    for (const path of ['/rest/v1/followers?select=*&limit=1', '/rest/v1/followers?limit=1']) {
      const [row] = (await (await get(fake, path)).json()) as Record<string, unknown>[];
      expect(Object.keys(row!)).toEqual(['id', 'account_id', 'follower_account_id', 'fts']);
      expect((row!.fts as string).length).toBeGreaterThan(300);
    }
    const bad = await get(fake, '/rest/v1/followers?select=id,nope');
    expect([bad.status, await bad.json()]).toEqual([
      400,
      expect.objectContaining({ code: '42703', message: 'column followers.nope does not exist' }),
    ]);
    const missing = await get(fake, '/rest/v1/tweets?select=tweet_id');
    expect([missing.status, await missing.json()]).toEqual([
      404,
      expect.objectContaining({ code: '42P01', message: 'relation "public.tweets" does not exist' }),
    ]);
  });

  it('filters with eq, lt and not.is.null', async () => {
    const fake = await start();
    const account = FOLLOWERS[3]!.account_id;
    const mine = (await (
      await get(
        fake,
        `/rest/v1/followers?${SELECT}&account_id=eq.${account}&id=lt.1000&follower_account_id=not.is.null`,
      )
    ).json()) as Record<string, unknown>[];
    expect(mine).toEqual(FOLLOWERS.filter((row) => row.account_id === account && row.id < 1000));
  });

  it('filters with or/and logic trees, quoted values included, and rejects a malformed tree', async () => {
    const quotes = Array.from({ length: 30 }, (_, i) => ({ tweet_id: `10${i % 4}`, quoted_tweet_id: `${500 - i}` }));
    const fake = await start({
      tables: { quote_tweets: { key: ['tweet_id', 'quoted_tweet_id'], rows: [...quotes].reverse() } },
    });
    const query = (filters: string) =>
      get(
        fake,
        `/rest/v1/quote_tweets?select=tweet_id,quoted_tweet_id&order=tweet_id.asc,quoted_tweet_id.asc${filters}`,
      );
    // Paging past a pair, seven rows at a time: every row once, in (tweet_id, quoted_tweet_id) order.
    const seen: { tweet_id: string; quoted_tweet_id: string }[] = [];
    for (;;) {
      const last = seen.at(-1);
      const or = last && `(tweet_id.gt."${last.tweet_id}",quoted_tweet_id.gt.${last.quoted_tweet_id})`;
      const after = last ? `&tweet_id=gte.${last.tweet_id}&or=${or}` : '';
      const page = (await (await query(`${after}&limit=7`)).json()) as typeof seen;
      seen.push(...page);
      if (page.length < 7) break;
    }
    const key = (row: (typeof seen)[number]) => `${row.tweet_id}|${row.quoted_tweet_id}`;
    expect(seen.map(key)).toEqual(quotes.map(key).sort());

    const nested = await query('&or=(quoted_tweet_id.eq.500,and(tweet_id.eq.101,quoted_tweet_id.lt."480"))');
    expect(((await nested.json()) as typeof seen).map(key)).toEqual(['100|500', '101|471', '101|475', '101|479']);
    const negated = await query('&not.and=(tweet_id.gte.101,quoted_tweet_id.not.gt.490)&tweet_id=lt.102');
    expect(((await negated.json()) as typeof seen).map(key)).toEqual([
      ...quotes
        .filter((q) => q.tweet_id === '100')
        .map(key)
        .sort(),
      '101|491',
      '101|495',
      '101|499',
    ]);
    for (const bad of ['&or=tweet_id.eq.1', '&or=(tweet_id.eq."1)', '&or=(nope.eq.1)', '&and=()']) {
      expect((await query(bad)).status).toBe(400);
    }
  });

  it('answers 401 without a key and with a wrong one', async () => {
    const fake = await start();
    const none = await get(fake, '/rest/v1/followers?select=id', {});
    expect([none.status, await none.json()]).toEqual([
      401,
      { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' },
    ]);
    for (const headers of [{ apikey: 'wrong' }, { apikey: KEY, authorization: 'Bearer wrong' }] as Record<
      string,
      string
    >[]) {
      const wrong = await get(fake, '/rest/v1/followers?select=id', headers);
      expect([wrong.status, ((await wrong.json()) as { message: string }).message]).toEqual([401, 'Invalid API key']);
    }
  });

  it('times out deep offsets like the anon statement timeout', async () => {
    const fake = await start({ timeoutDelayMs: 20 });
    const deep = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc&limit=1000&offset=3001`);
    expect([deep.status, await deep.json()]).toEqual([
      500,
      expect.objectContaining({ code: '57014', message: 'canceling statement due to statement timeout' }),
    ]);
    const ranged = await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc`, { ...AUTH, range: '5000-5999' });
    expect(ranged.status).toBe(500);
    expect((await get(fake, `/rest/v1/followers?${SELECT}&order=id.asc&offset=2000`)).status).toBe(200);
  });

  it('injects a fault after the given number of requests, then recovers', async () => {
    const fake = await start();
    const statuses = async (count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) {
        const response = await get(fake, `/rest/v1/followers?${SELECT}&limit=10`);
        seen.push(response.status);
        if (response.status === 429) expect(response.headers.get('retry-after')).toBe('7');
        await response.arrayBuffer();
      }
      return seen;
    };
    fake.inject('followers', { kind: 'status', status: 503, times: 1 }, 1);
    expect(await statuses(3)).toEqual([200, 503, 200]);
    fake.inject('followers', { kind: 'rate-limit', retryAfterSeconds: 7, times: 2 });
    expect(await statuses(3)).toEqual([429, 429, 200]);
  });

  it('replaces rows with setRows', async () => {
    const fake = await start();
    fake.setRows('followers', FOLLOWERS.slice(0, 3));
    const response = await get(fake, `/rest/v1/followers?${SELECT}`, { ...AUTH, prefer: 'count=exact' });
    expect([response.headers.get('content-range'), await response.json()]).toEqual(['0-2/3', FOLLOWERS.slice(0, 3)]);
  });

  it('drops a connection so fetch rejects', async () => {
    const fake = await start();
    fake.inject('followers', { kind: 'drop', times: 1 });
    await expect(get(fake, `/rest/v1/followers?${SELECT}`)).rejects.toThrow();
    expect((await get(fake, `/rest/v1/followers?${SELECT}&limit=1`)).status).toBe(200);
  });

  it('holds a stalled request until close', async () => {
    const fake = await start();
    fake.inject('followers', { kind: 'stall', times: 1 });
    const stalled = get(fake, `/rest/v1/followers?${SELECT}`);
    const settled = stalled.then(
      () => 'answered',
      () => 'rejected',
    );
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 100, 'pending'))])).toBe(
      'pending',
    );
    await fake.close();
    server = undefined;
    expect(await settled).toBe('rejected');
  });
});
