import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from './json-sections.js';
import {
  canonicalSection,
  parseItem,
  toAccount,
  toCount,
  toEdgeAccountId,
  toLike,
  toProfile,
  toTweet,
  unescapeHtml,
} from './records.js';

describe('parseItem', () => {
  it('keeps ids given as bare integers above 2^53 byte for byte', () => {
    const item = parseItem('{"follower":{"accountId":1680757426889342977,"n":12}}', 'follower[0]') as {
      follower: { accountId: unknown; n: unknown };
    };
    expect(item.follower.accountId).toBe('1680757426889342977');
    expect(item.follower.n).toBe(12);
  });

  it('leaves long digit runs inside strings alone', () => {
    const text = '{"tweet":{"full_text":"ratio: 12345678901234567890, \\"x\\": 99999999999999999","id_str":"1"}}';
    expect(parseItem(text, 'tweets[0]')).toEqual(JSON.parse(text));
  });

  it('tolerates raw control characters the way the Community Archive uploader does', () => {
    const item = parseItem('{"like":{"tweetId":"1","fullText":"line\u0001one\ttwo"}}', 'like[0]') as {
      like: { fullText: string };
    };
    expect(item.like.fullText).toBe('lineone two');
  });

  it('names the item when its JSON is malformed', () => {
    expect(() => parseItem('{"tweet":{"id_str":"1",}}', 'tweets[7]')).toThrow(/tweets\[7\] is not valid JSON/);
  });
});

describe('normalisers', () => {
  it('reads counts given as strings, numbers, null or empty', () => {
    expect([
      toCount('12'),
      toCount(12),
      toCount(null),
      toCount(''),
      toCount(undefined),
      toCount('n/a'),
      toCount('7.9'),
    ]).toEqual([12, 12, null, null, null, null, 7]);
  });

  it('reads a tweet with string counts, HTML entities and reply fields', () => {
    const tweet = toTweet(
      {
        tweet: {
          id_str: '1630000000000000002',
          full_text: '@a agreed &amp; 1 &lt; 2 &gt; 0',
          created_at: 'Wed Mar 01 11:15:42 +0000 2023',
          favorite_count: '1',
          retweet_count: null,
          in_reply_to_status_id_str: '1629999999999999999',
          in_reply_to_user_id_str: '2000000002',
          in_reply_to_screen_name: 'a',
        },
      },
      'tweets[0]',
    );
    expect(tweet).toEqual({
      tweetId: '1630000000000000002',
      fullText: '@a agreed & 1 < 2 > 0',
      createdAt: '2023-03-01 11:15:42',
      favoriteCount: 1,
      retweetCount: null,
      lang: null,
      replyToTweetId: '1629999999999999999',
      replyToUserId: '2000000002',
      replyToUsername: 'a',
      mentions: [],
      quotes: [],
      unreadableEntities: 0,
    });
  });

  it('reads mentions and quoted tweets from the entities, and counts the entries it cannot read', () => {
    const tweet = toTweet(
      {
        tweet: {
          id_str: '1630000000000000003',
          full_text: 'with @Other_One and @bad',
          entities: {
            user_mentions: [
              { id_str: '2000000003', screen_name: 'Other_One', name: 'Other One 🌱' },
              { id: 2000000004, screen_name: 'numeric_id' },
              { id_str: 'not-an-id', screen_name: 'bad' },
              { id_str: '2000000005', screen_name: 'has space' },
              'not an object',
            ],
            urls: [
              { expanded_url: 'https://twitter.com/Quoted_One/status/1620000000000000001' },
              { expanded_url: 'https://x.com/second/status/1620000000000000002?s=20' },
              { expanded_url: 'https://example.com/status/123' },
              { expanded_url: 'https://twitter.com/i/web/status/1620000000000000003' },
              { expanded_url: 'https://twitter.com/someone/status/notanumber' },
              { url: 'https://t.co/abc' },
            ],
          },
        },
      },
      'tweets[1]',
    );
    expect(tweet.mentions).toEqual([
      { accountId: '2000000003', username: 'Other_One', displayName: 'Other One 🌱' },
      { accountId: '2000000004', username: 'numeric_id', displayName: null },
    ]);
    expect(tweet.quotes).toEqual([
      { username: 'Quoted_One', tweetId: '1620000000000000001' },
      { username: 'second', tweetId: '1620000000000000002' },
    ]);
    // three bad mentions, the /i/web/ link and the link without a tweet id; example.com is an ordinary link
    expect(tweet.unreadableEntities).toBe(5);
  });

  it('reads a tweet without entities as one without mentions or quotes', () => {
    const tweet = toTweet({ tweet: { id_str: '7', full_text: 'plain', entities: { urls: 'wrong' } } }, 'tweets[2]');
    expect(tweet).toMatchObject({ mentions: [], quotes: [], unreadableEntities: 0 });
  });

  it('reads pre-2020 tweets that have no "tweet" wrapper', () => {
    expect(
      toTweet({ id_str: '99', full_text: 'old', created_at: 'Wed Oct 10 20:19:24 +0000 2018' }, 'tweets[0]'),
    ).toMatchObject({ tweetId: '99', createdAt: '2018-10-10 20:19:24' });
  });

  it('never reads the email of an account', () => {
    const account = toAccount(
      { account: { accountId: '1', username: 'u', email: 'someone@example.invalid' } },
      'account[0]',
    );
    expect(JSON.stringify(account)).not.toContain('example.invalid');
  });

  it('stores empty profile strings as null and tolerates a missing header', () => {
    expect(
      toProfile(
        { profile: { description: { bio: '', website: '', location: 'x' }, avatarMediaUrl: 'a' } },
        'profile[0]',
      ),
    ).toEqual({
      bio: null,
      website: null,
      location: 'x',
      avatarMediaUrl: 'a',
      headerMediaUrl: null,
    });
  });

  it('accepts a like without fullText', () => {
    expect(toLike({ like: { tweetId: '5', expandedUrl: 'u' } }, 'like[0]')).toEqual({
      tweetId: '5',
      fullText: null,
      expandedUrl: 'u',
    });
  });

  it.each([
    ['a string that is not an id', { follower: { accountId: 'abc' } }, /must be an id made of digits/],
    ['a missing id', { follower: { userLink: 'x' } }, /accountId must be an id/],
    ['an item that is not an object', 'oops', /must be an object/],
    ['a wrapper that is not an object', { follower: [1] }, /follower must be an object/],
  ])('rejects an edge with %s', (_name, item, message) => {
    expect(() => toEdgeAccountId(item, 'follower', 'follower[3]')).toThrow(ArchiveFormatError);
    expect(() => toEdgeAccountId(item, 'follower', 'follower[3]')).toThrow(message);
  });

  it('maps third-party section aliases and ignores unknown sections', () => {
    expect(canonicalSection('likes')).toBe('like');
    expect(canonicalSection('community_tweets')).toBe('community-tweet');
    expect(canonicalSection('direct-messages')).toBeNull();
  });

  it('unescapes only what Twitter escapes', () => {
    expect(unescapeHtml('a &amp;lt; b &amp; c &copy;')).toBe('a &lt; b & c &copy;');
  });
});
