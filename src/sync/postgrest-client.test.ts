/** PostgrestClient edge cases against a small local server that misbehaves on purpose. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  keysetFilter,
  parsePage,
  PostgrestClient,
  RestAuthError,
  RestRequestError,
  type PageRequest,
} from './postgrest-client.js';

describe('PostgrestClient', () => {
  let server: Server | null = null;
  const seen: IncomingMessage[] = [];

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<PostgrestClient> {
    server = createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new PostgrestClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', timeoutMs: 1000, retryBaseMs: 5 });
  }
  afterEach(async () => {
    seen.length = 0;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  const page: PageRequest = { table: 'followers', select: ['id', 'account_id'], key: ['id'], after: ['41'], limit: 2 };

  it('builds the keyset URL with explicit columns', async () => {
    const client = await serve((_req, res) => res.end('[]'));
    expect(client.pageUrl(page)).toBe(
      `${client.restUrl}/followers?select=id%2Caccount_id&order=id.asc&limit=2&id=gt.41`,
    );
  });

  it('pages past a pair of key columns: the first one from the last value on, the pair strictly after', async () => {
    const client = await serve((_req, res) => res.end('[]'));
    const url = new URL(
      client.pageUrl({ ...page, table: 'quote_tweets', key: ['tweet_id', 'quoted_tweet_id'], after: ['17', '9'] }),
    );
    expect(url.searchParams.get('order')).toBe('tweet_id.asc,quoted_tweet_id.asc');
    expect(url.searchParams.get('tweet_id')).toBe('gte.17');
    expect(url.searchParams.get('or')).toBe('(tweet_id.gt."17",quoted_tweet_id.gt."9")');
    expect(keysetFilter(['a', 'b'], ['x"y', 'z'])).toContainEqual(['or', '(a.gt."x\\"y",b.gt."z")']);
    expect(keysetFilter(['a', 'b'], null)).toEqual([]);
    expect(() => keysetFilter(['a', 'b'], ['1'])).toThrow(/a cursor of 1 values for a key of 2/);
  });

  it('re-fetches a page whose body disagrees with its Content-Range, then gives up', async () => {
    const client = await serve((_req, res) => {
      res.setHeader('content-range', '0-1/*');
      res.end('[{"id":42,"account_id":"1"}]');
    });
    await expect(client.page(page)).rejects.toThrow(
      /sent 1 rows but Content-Range 0-1\/\* says 2 \(gave up after 4 attempts\)/,
    );
    expect(seen).toHaveLength(4);
  });

  it('drops the row count when counting hits the statement timeout, and still gets the page', async () => {
    const client = await serve((req, res) => {
      if (req.headers.prefer === 'count=exact') {
        res.statusCode = 500;
        return res.end('{"code":"57014","message":"canceling statement due to statement timeout"}');
      }
      res.setHeader('content-range', '0-0/*');
      res.end('[{"id":42,"account_id":"1"}]');
    });
    const result = await client.page({ ...page, count: true });
    expect(result).toEqual({ rows: [{ id: 42, account_id: '1' }], total: null });
    expect(seen.map((req) => req.headers.prefer)).toEqual(['count=exact', undefined]);
  });

  it('reads the total from Content-Range and accepts an empty page', async () => {
    const client = await serve((_req, res) => {
      res.statusCode = 206;
      res.setHeader('content-range', '*/5300');
      res.end('[]');
    });
    expect(await client.page(page)).toEqual({ rows: [], total: 5300 });
  });

  it('treats 403 as a refused key and a 400 as a request error, neither retried', async () => {
    const forbidden = await serve((_req, res) => {
      res.statusCode = 403;
      res.end('{"message":"permission denied for table followers"}');
    });
    await expect(forbidden.page(page)).rejects.toBeInstanceOf(RestAuthError);
    await expect(forbidden.page(page)).rejects.toThrow(/HTTP 403: permission denied.*SUPABASE_KEY/);
    expect(seen).toHaveLength(2);
  });

  it('rejects bodies that are not a JSON array', () => {
    expect(() => parsePage('u', '{"a":1}', undefined)).toThrow(RestRequestError);
    expect(() => parsePage('u', '[1,', undefined)).toThrow(/is not JSON/);
    expect(() => parsePage('u', '[]', 'bytes 0-1')).toThrow(/unreadable Content-Range/);
  });
});
