import { describe, expect, it } from 'vitest';
import { ArchiveFormatError, JsonSectionScanner, type ScannerOptions, type SectionEvent } from './json-sections.js';

/** Scans `text` delivered in chunks of `chunkSize` bytes. */
function scan(
  text: string | Buffer,
  options: ScannerOptions = { mode: 'object' },
  chunkSize = Infinity,
): SectionEvent[] {
  const events: SectionEvent[] = [];
  const scanner = new JsonSectionScanner(options, (event) => events.push(event));
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const size = Number.isFinite(chunkSize) ? chunkSize : bytes.length;
  for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
  scanner.end();
  return events;
}

const DOCUMENT = {
  'upload-options': { keepPrivate: false, startDate: '2023-01-01T00:00:00.000Z' },
  account: [{ account: { accountId: '1680757426889342977', username: 'x' } }],
  tweets: [
    { tweet: { id_str: '1', full_text: 'brackets ] } [ { and "quotes" \\ and \\" escapes', entities: { urls: [] } } },
    { tweet: { id_str: '2', full_text: 'unicode 🏳️‍🌈 👩🏽‍💻 مرحبا 𝕳𝖊𝖑𝖑𝖔 ✨' } },
  ],
  follower: [],
  following: [{ following: { accountId: '3000000003' } }],
  odd: ['text item', 42, null, true],
};
const ARCHIVE = JSON.stringify(DOCUMENT);

describe('JsonSectionScanner', () => {
  it('hands out every array item and top-level value as its own JSON text', () => {
    const events = scan(ARCHIVE);
    expect(events.map((e) => [e.kind, e.section])).toEqual([
      ['value', 'upload-options'],
      ['item', 'account'],
      ['item', 'tweets'],
      ['item', 'tweets'],
      ['item', 'following'],
      ['item', 'odd'],
      ['item', 'odd'],
      ['item', 'odd'],
      ['item', 'odd'],
    ]);
    expect(JSON.parse(events[2]!.text)).toEqual(DOCUMENT.tweets[0]);
    expect(JSON.parse(events[3]!.text)).toEqual(DOCUMENT.tweets[1]);
    expect(events.slice(5).map((e) => JSON.parse(e.text) as unknown)).toEqual(['text item', 42, null, true]);
  });

  it('gives the same items whatever the chunk boundaries, even inside multi-byte characters', () => {
    const whole = scan(ARCHIVE);
    for (const size of [1, 2, 3, 7, 64]) {
      expect(scan(ARCHIVE, { mode: 'object' }, size)).toEqual(whole);
    }
  });

  it('finds the end of strings with escaped quotes and backslash runs split at any byte', () => {
    const texts = ['a\\', 'b\\\\', 'c\\"d', '\\\\\\"e"\\', '"', '\\', 'x\\\\"y\\\\\\', '}{][,:'];
    const archive = JSON.stringify({ tweets: texts.map((full_text) => ({ tweet: { full_text } })), end: [1] });
    for (const size of [1, 2, 3, 4, 5, 7, 11]) {
      const events = scan(archive, { mode: 'object' }, size);
      expect(
        events
          .filter((e) => e.section === 'tweets')
          .map((e) => (JSON.parse(e.text) as { tweet: { full_text: string } }).tweet.full_text),
        `chunk ${size}`,
      ).toEqual(texts);
    }
  });

  it('flags values holding an integer literal too long for a JS number, but not digits inside strings', () => {
    const events = scan(
      '{"follower":[{"id":1234567890123456789},{"id":"1234567890123456789"},{"n":123456789012345}],' +
        '"v":{"x":[99999999999999999]}}',
      { mode: 'object' },
      3,
    );
    expect(events.map((e) => e.longIntegers)).toEqual([true, false, false, true]);
    expect(scan('[12345678901234567,1]', { mode: 'array', section: 's' }, 2).map((e) => e.longIntegers)).toEqual([
      true,
      false,
    ]);
  });

  it('accepts pretty-printed input, a byte-order mark and item indexes per section', () => {
    const pretty = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(DOCUMENT, null, 2))]);
    const events = scan(pretty, { mode: 'object' }, 5);
    const tweets = events.filter((e) => e.section === 'tweets');
    expect(tweets.map((e) => (e.kind === 'item' ? e.index : -1))).toEqual([0, 1]);
    expect(JSON.parse(tweets[1]!.text)).toEqual(DOCUMENT.tweets[1]);
  });

  it("reads an X export file behind its 'window.YTD…' prefix", () => {
    const file =
      'window.YTD.follower.part0 = [\n  {"follower":{"accountId":"1"}},\n  {"follower":{"accountId":"2"}}\n]\n';
    const events = scan(file, { mode: 'array', section: 'follower', skipToFirstBracket: true }, 4);
    expect(events.map((e) => (JSON.parse(e.text) as { follower: { accountId: string } }).follower.accountId)).toEqual([
      '1',
      '2',
    ]);
    expect(events.every((e) => e.section === 'follower')).toBe(true);
  });

  it.each([
    ['a truncated download', ARCHIVE.slice(0, ARCHIVE.length - 30), /ends early/],
    ['a document cut inside a string', '{"tweets":[{"tweet":{"full_text":"abc', /ends early/],
    ['an empty file', '', /ends early/],
    ['a trailing comma', '{"follower":[{"a":1},]}', /trailing ','/],
    ['a missing comma between items', '{"follower":[{"a":1} {"b":2}]}', /expected ',' or ']'/],
    ['garbage after the document', `${ARCHIVE} x`, /after the end/],
    ['an array at the top of archive.json', '[1,2]', /expected '\{'/],
    ['an unquoted section name', '{follower:[]}', /section name in quotes/],
  ])('rejects %s with a clear error', (_name, text, message) => {
    expect(() => scan(text)).toThrow(ArchiveFormatError);
    expect(() => scan(text)).toThrow(message);
  });

  it('reports the byte offset of a structural error', () => {
    expect(() => scan('{"a":[1] "b":[]}')).toThrow(/at byte 9/);
  });

  it('skips the items of unwanted sections but still checks their structure', () => {
    const skip = (section: string) => section === 'tweets';
    const events = scan(ARCHIVE, { mode: 'object', skip }, 5);
    expect(events.map((e) => e.section)).toEqual([
      'upload-options',
      'account',
      'following',
      'odd',
      'odd',
      'odd',
      'odd',
    ]);
    expect(() => scan(ARCHIVE.slice(0, ARCHIVE.indexOf('unicode')), { mode: 'object', skip })).toThrow(
      /ends early at byte \d+ inside section 'tweets'/,
    );
  });

  it('refuses a single item larger than the limit', () => {
    const big = `{"tweets":[{"t":"${'x'.repeat(5000)}"}]}`;
    expect(() => scan(big, { mode: 'object', maxValueBytes: 1000 }, 100)).toThrow(/larger than 1000 bytes/);
  });
});
