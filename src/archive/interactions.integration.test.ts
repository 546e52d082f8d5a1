/**
 * Interactions from archives: every tweet's mentions, replies, quotes and retweets, counted per
 * (author, other account, kind), through the real importer into a real SQLite cache.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountNames, resolveAccounts } from '../db/account-names.js';
import { openDatabase, type Db } from '../db/database.js';
import { buildArchive, tempDir, twitterDate } from '../testing/fixtures.js';
import { ArchiveImporter } from './importer.js';
import { DirectoryArchiveSource } from './sources/directory-source.js';

const OWNER = '1600000000000000001';
const ALICE = '1600000000000000002';
const BOB = '1600000000000000003';
const CAROL = '1600000000000000004';

interface TweetSpec {
  text: string;
  day: number;
  mentions?: [id: string, handle: string][];
  replyTo?: string;
  urls?: string[];
}

/** The owner's archive with exactly these tweets (ids in order), in the real wrapped format. */
function archiveWith(tweets: TweetSpec[]): Buffer {
  const archive = JSON.parse(buildArchive({ accountId: OWNER, username: 'owner' }).toString('utf8')) as Record<
    string,
    unknown
  >;
  archive.tweets = tweets.map((t, i) => ({
    tweet: {
      id_str: `17000000000000000${String(i).padStart(2, '0')}`,
      full_text: t.text,
      created_at: twitterDate(new Date(Date.UTC(2024, 0, t.day, 12))),
      favorite_count: '0',
      retweet_count: '0',
      ...(t.replyTo ? { in_reply_to_user_id_str: t.replyTo, in_reply_to_screen_name: 'someone' } : {}),
      entities: {
        hashtags: [],
        symbols: [],
        user_mentions: (t.mentions ?? []).map(([id, handle]) => ({ id_str: id, screen_name: handle, name: handle })),
        urls: (t.urls ?? []).map((url) => ({ expanded_url: url })),
      },
    },
  }));
  // The last tweet is given the first one's id: an item the archive holds twice counts once.
  const items = archive.tweets as { tweet: { id_str: string } }[];
  if (items.length > 1) items[items.length - 1]!.tweet.id_str = items[0]!.tweet.id_str;
  return Buffer.from(JSON.stringify(archive));
}

const TWEETS: TweetSpec[] = [
  { text: '@alice hi', day: 1, mentions: [[ALICE, 'alice']], replyTo: ALICE },
  {
    text: '@alice @bob both',
    day: 3,
    mentions: [
      [ALICE, 'alice'],
      [BOB, 'Bob'],
    ],
  },
  {
    text: 'RT @bob: something @alice said',
    day: 4,
    mentions: [
      [BOB, 'bob'],
      [ALICE, 'alice'],
    ],
  },
  { text: 'RT @nobody: a retweet whose handle has no mention', day: 5 },
  { text: 'look', day: 6, urls: ['https://twitter.com/BOB/status/1650000000000000001'] },
  { text: 'carol, whom no mention names', day: 7, urls: ['https://x.com/carol/status/1650000000000000002'] },
  { text: 'a stranger', day: 8, urls: ['https://twitter.com/stranger/status/1650000000000000003'] },
  { text: 'note to self @owner', day: 9, mentions: [[OWNER, 'owner']], replyTo: OWNER },
  { text: 'broken', day: 10, mentions: [['12abc', 'broken']], urls: ['https://twitter.com/i/web/status/1'] },
  { text: 'the first tweet again', day: 1, mentions: [[ALICE, 'alice']] },
];

describe('interactions from an archive', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'cache.db'));
    // carol is known to the cache by handle only through the REST mirror's mentioned users
    db.prepare("INSERT INTO mentioned_users (user_id, name, screen_name) VALUES (?, 'Carol', 'Carol')").run(CAROL);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  function put(tweets: TweetSpec[], uploaded: string): void {
    mkdirSync(join(dir.path, 'src', 'owner'), { recursive: true });
    const file = join(dir.path, 'src', 'owner', 'archive.json');
    writeFileSync(file, archiveWith(tweets));
    utimesSync(file, new Date(`${uploaded}Z`), new Date(`${uploaded}Z`));
  }
  const importOwner = (options: { interactions?: boolean } = {}) =>
    new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(dir.path, 'src')), ...options }).importArchive(
      'owner',
    );
  const rows = () =>
    db
      .prepare(
        `SELECT target_account_id AS target, kind, count, last_at AS lastAt FROM archive_interactions
         WHERE account_id = ? ORDER BY target, kind`,
      )
      .all(OWNER);

  it('counts each tweet’s mentions, replies, retweets and quotes per account, skips what it cannot use', async () => {
    put(TWEETS, '2024-02-01T00:00:00');
    const result = await importOwner();
    expect(result.status).toBe('imported');
    expect(rows()).toEqual([
      { target: ALICE, kind: 'mention', count: 3, lastAt: '2024-01-04 12:00:00' },
      { target: ALICE, kind: 'reply', count: 1, lastAt: '2024-01-01 12:00:00' },
      { target: BOB, kind: 'mention', count: 1, lastAt: '2024-01-03 12:00:00' },
      { target: BOB, kind: 'quote', count: 1, lastAt: '2024-01-06 12:00:00' },
      { target: BOB, kind: 'retweet', count: 1, lastAt: '2024-01-04 12:00:00' },
      { target: CAROL, kind: 'quote', count: 1, lastAt: '2024-01-07 12:00:00' },
    ]);
    // Skipped: the retweet of @nobody, the malformed mention, the /i/web/ link, the stranger's quote,
    // and the self-mention and self-reply.
    expect(result.stored?.interactionsSkipped).toBe(6);
    expect(result.stored?.interactions).toBe(6);
  });

  it('replaces the author’s interactions whole with a newer upload, and keeps them against an older one', async () => {
    put(TWEETS, '2024-02-01T00:00:00');
    await importOwner();
    put([{ text: '@bob only', day: 20, mentions: [[BOB, 'bob']] }], '2024-03-01T00:00:00');
    await importOwner();
    expect(rows()).toEqual([{ target: BOB, kind: 'mention', count: 1, lastAt: '2024-01-20 12:00:00' }]);
  });

  it('records none without interactions, and a newer upload so imported drops the ones it had', async () => {
    put(TWEETS, '2024-02-01T00:00:00');
    await importOwner();
    expect(rows()).toHaveLength(6);
    put(TWEETS, '2024-03-01T00:00:00');
    const result = await importOwner({ interactions: false });
    expect(result.status).toBe('imported');
    expect(result.stored).toMatchObject({ interactions: 0, interactionsSkipped: 0 });
    expect(rows()).toEqual([]);
    // The follows and tweets are imported as ever.
    expect(db.prepare('SELECT COUNT(*) FROM archive_tweets WHERE account_id = ?').pluck().get(OWNER)).toBe(
      result.stored!.tweetsStored,
    );
  });

  it('names an account known only by id from its newest mention, and finds it by that handle', async () => {
    put(
      [
        { text: '@old_name hello', day: 2, mentions: [[ALICE, 'old_name']] },
        { text: '@new_name again', day: 5, mentions: [[ALICE, 'new_name']] },
        { text: '@older', day: 1, mentions: [[ALICE, 'older']] },
      ],
      '2024-02-01T00:00:00',
    );
    await importOwner();
    expect(new AccountNames(db).lookup([ALICE]).get(ALICE)).toEqual({
      accountId: ALICE,
      username: 'new_name',
      displayName: 'new_name',
      source: 'mention',
    });
    expect(resolveAccounts(db, ['@New_Name']).found).toEqual([
      { ref: '@New_Name', accountId: ALICE, username: 'new_name' },
    ]);
    // A later import with an older mention keeps the newer name; a name the REST mirror has ranks above it.
    put([{ text: '@stale', day: 3, mentions: [[ALICE, 'stale']] }], '2024-03-01T00:00:00');
    await importOwner();
    expect(new AccountNames(db).handleOf(ALICE)).toBe('new_name');
    db.prepare("INSERT INTO mentioned_users (user_id, screen_name) VALUES (?, 'rest_name')").run(ALICE);
    expect(new AccountNames(db).lookup([ALICE]).get(ALICE)).toMatchObject({ username: 'rest_name' });
  });
});
