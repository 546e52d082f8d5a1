/** The keyset cursor and its stored form (src/sync/cursor.ts). */
import { describe, expect, it } from 'vitest';
import { cursorOf, decodeCursor, encodeCursor } from './cursor.js';
import { selectTables } from './tables.js';

const followers = selectTables(['followers'])[0]!;
const quotes = selectTables(['quote_tweets'])[0]!;

describe('sync cursor', () => {
  it('stores a one-column key as itself and a pair as a JSON array, and reads both back', () => {
    const one = cursorOf(followers, { id: 41, account_id: '1' });
    expect(encodeCursor(followers, one)).toBe('41');
    expect(decodeCursor(followers, '41')).toEqual(['41']);
    const pair = cursorOf(quotes, { tweet_id: '105', quoted_tweet_id: '101' });
    expect(encodeCursor(quotes, pair)).toBe('["105","101"]');
    expect(decodeCursor(quotes, encodeCursor(quotes, pair))).toEqual(['105', '101']);
  });

  it('refuses a key it cannot page past, and reads a stored pair that is not one as none', () => {
    expect(() => cursorOf(followers, { id: '41' })).toThrow(/'followers' sent a row without a usable id \("41"\)/);
    expect(() => cursorOf(quotes, { tweet_id: '105', quoted_tweet_id: '' })).toThrow(/usable quoted_tweet_id/);
    for (const stored of ['105', '["105"]', '["105",101]', '{"a":1}', '["105",""]'])
      expect(decodeCursor(quotes, stored)).toBeNull();
  });
});
