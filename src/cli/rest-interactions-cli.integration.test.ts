/**
 * rest_interactions as a user meets them: `tpot sync` rebuilds them and says so in its summary, and `tpot import`
 * gives the imported archive's likes their authors from the REST mirror (docs/DATA-MODEL.md, "Interactions").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakePostgrest, type FakePostgrest } from '../testing/fake-postgrest.js';
import { buildArchive, tempDir } from '../testing/fixtures.js';
import { runCli } from '../testing/run-cli.js';

const KEY = 'test-anon-key';
const ALICE = '1700000000000000999';
const [B, C] = ['1800000000000000002', '1800000000000000003'];
/** The ids buildArchive gives an archive's likes: "17" and 17 digits, counting from 0. */
const liked = (i: number) => `17${String(i).padStart(17, '0')}`;
const tweet = (tweet_id: string, account_id: string, reply_to_user_id: string | null = null) => ({
  tweet_id,
  account_id,
  created_at: '2024-03-01T10:00:00+00:00',
  full_text: 'gm',
  retweet_count: 0,
  favorite_count: 2,
  reply_to_tweet_id: null,
  reply_to_user_id,
  reply_to_username: null,
  archive_upload_id: 5,
});

describe('tpot sync and tpot import: rest_interactions', () => {
  let dir: ReturnType<typeof tempDir>;
  let fake: FakePostgrest;

  beforeEach(async () => {
    dir = tempDir();
    fake = await startFakePostgrest({
      apiKey: KEY,
      tables: {
        // Alice's likes 0 and 1: B's tweet and her own; like 2 is C's by liked_tweets; like 3 nobody knows.
        tweets: { key: 'tweet_id', rows: [tweet(liked(0), B, ALICE), tweet(liked(1), ALICE)] },
        liked_tweets: { key: 'tweet_id', rows: [{ tweet_id: liked(2), author_account_id: C }] },
      },
    });
  });
  afterEach(async () => {
    await fake.close();
    dir.remove();
  });

  const tpot = (...args: string[]) =>
    runCli(args, { cwd: dir.path, env: { SUPABASE_URL: fake.url, SUPABASE_KEY: KEY, TPOT_HTTP_RETRY_BASE_MS: '10' } });

  it('a sync rebuilds the pairs; an import adds the like pairs of the archive it imported', async () => {
    const sync = await tpot('sync', '--tables', 'tweets,liked_tweets');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(
      /Sync summary[\s\S]*liked_tweets\s+1\s+1[\s\S]*REST interactions: 1 pairs \(reply 1\) in [\d.]+ s; left out 0 /,
    );

    mkdirSync(join(dir.path, 'archives', 'alice'), { recursive: true });
    writeFileSync(
      join(dir.path, 'archives', 'alice', 'archive.json'),
      buildArchive({ accountId: ALICE, username: 'alice', likes: 4 }),
    );
    const run = await tpot('import', '--source', 'archives', '-u', 'alice');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Like pairs of the imported archives (rest_interactions): 2 pairs (like 2) in ');
    expect(run.stdout).toContain('left out 1 self-interactions and 1 rows whose author is not known');

    const db = new Database(join(dir.path, 'data', 'cache.db'), { readonly: true });
    const pairs = db
      .prepare('SELECT account_id, target_account_id, kind, count FROM rest_interactions ORDER BY 1, 2, 3')
      .raw()
      .all();
    db.close();
    expect(pairs).toEqual([
      [ALICE, B, 'like', 1],
      [ALICE, C, 'like', 1],
      [B, ALICE, 'reply', 1],
    ]);
  });
});
