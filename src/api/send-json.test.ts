/** gzip assembled from separately compressed pieces (RFC 1951/1952) must be one valid member. */
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedBody, gzipPieces, negotiate, preparePiece } from './send-json.js';

describe('gzipPieces', () => {
  it('gives one gzip member that decompresses to the pieces in order, across slices and surrogate pairs', async () => {
    // Over 1 M characters with emoji everywhere, so text is sliced, possibly next to a surrogate pair.
    const long = `{"names":[${Array.from({ length: 200_000 }, (_, i) => `"n${i}🦋"`).join(',')}]}`;
    const prepared = await preparePiece(',"fixed":"prepared once, ünïcode"');
    const pieces = ['', long, prepared, '', 'tail'];
    const gzip = await gzipPieces(pieces, 1);
    const expected = `${long},"fixed":"prepared once, ünïcode"tail`;
    expect(gunzipSync(gzip).toString()).toBe(expected);
    // The system's gzip agrees (CRC and size in the trailer checked).
    expect(execFileSync('gzip', ['-dc'], { input: gzip, maxBuffer: 64 << 20 }).toString()).toBe(expected);
    expect(gzip.length).toBeLessThan(Buffer.byteLength(expected) / 3);
    expect(gunzipSync(await gzipPieces([], 6)).toString()).toBe('');
  });

  it('CachedBody gives identity bytes and each encoding once', async () => {
    const body = new CachedBody(['{"a":', await preparePiece('[1,2,3]'), '}']);
    expect(body.identity().toString()).toBe('{"a":[1,2,3]}');
    const first = await body.encode('gzip');
    expect(await body.encode('gzip')).toBe(first);
    expect(gunzipSync(first).toString()).toBe('{"a":[1,2,3]}');
  });

  it('negotiates gzip first, brotli for clients without gzip, identity otherwise', () => {
    expect(negotiate('gzip, deflate, br, zstd')).toBe('gzip');
    expect(negotiate('br')).toBe('br');
    expect(negotiate('gzip;q=0, br')).toBe('br');
    expect(negotiate('*')).toBe('gzip');
    expect(negotiate('identity')).toBeNull();
    expect(negotiate(undefined)).toBeNull();
  });
});
