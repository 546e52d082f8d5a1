import { describe, expect, it } from 'vitest';
import { parseArchiveDate, parseHttpDate, toSqliteUtc } from './time.js';

describe('parseArchiveDate', () => {
  it.each([
    ['Wed Oct 10 20:19:24 +0000 2018', '2018-10-10 20:19:24'],
    ['Wed Oct 10 20:19:24 +0200 2018', '2018-10-10 18:19:24'],
    ['2018-10-10T20:19:24.000Z', '2018-10-10 20:19:24'],
    ['2018-10-10T20:19:24+00:00', '2018-10-10 20:19:24'],
    ['2018-10-10T22:19:24+02:00', '2018-10-10 20:19:24'],
    ['2023-03-01 10:00:00 +0000', '2023-03-01 10:00:00'],
    ['2024-01-02', '2024-01-02 00:00:00'],
  ])('reads %s as UTC', (input, expected) => {
    expect(parseArchiveDate(input)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['yesterday'], [12345], ['Wed Foo 10 20:19:24 +0000 2018']])(
    'returns null for %s',
    (input) => {
      expect(parseArchiveDate(input)).toBeNull();
    },
  );

  it('formats in SQLite form and reads HTTP dates', () => {
    expect(toSqliteUtc(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)))).toBe('2025-01-02 03:04:05');
    expect(parseHttpDate('Thu, 02 Jan 2025 03:04:05 GMT')).toBe('2025-01-02 03:04:05');
    expect(parseHttpDate('garbage')).toBeNull();
  });
});
