/**
 * The importer against a real local HTTP archive server and real SQLite files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { startArchiveServer, type ArchiveServer, type Fault } from '../testing/archive-server.js';
import { buildArchive, ids, realSampleArchive, sampleFile, tempDir, type TestArchive } from '../testing/fixtures.js';
import { memoryLogger } from '../testing/memory-logger.js';
import { InvalidUsernameError } from '../usernames.js';
import { ArchiveImporter, type ImporterOptions } from './importer.js';
import { DirectoryArchiveSource } from './sources/directory-source.js';
import { HttpArchiveSource } from './sources/http-source.js';
import { ZipArchiveSource } from './sources/zip-source.js';

const count = (db: Db, sql: string, ...params: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

function archiveSet(names: string[], extra: Partial<TestArchive> = {}): Map<string, Buffer> {
  return new Map(
    names.map((name, i) => [
      name,
      buildArchive({
        accountId: `${1_700_000_000_000_000_000n + BigInt(i)}`,
        username: name,
        followers: ids(`11${i}`, 30),
        following: ids(`12${i}`, 10),
        tweets: 5,
        likes: 4,
        ...extra,
      }),
    ]),
  );
}

/** A fresh cache in a temporary directory for each test of the block. */
function useTempDatabase(): { dir: string; db: Db } {
  const context = {} as { dir: string; db: Db };
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    context.dir = dir.path;
    context.db = openDatabase(join(dir.path, 'cache.db'));
  });
  afterEach(() => {
    context.db.close();
    dir.remove();
  });
  return context;
}

describe('ArchiveImporter over HTTP', () => {
  const temp = useTempDatabase();
  let db: Db;
  let server: ArchiveServer | null = null;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(() => {
    db = temp.db;
    log = memoryLogger();
  });
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  async function serve(archives: Map<string, Buffer>, faults?: Map<string, Fault>): Promise<ArchiveServer> {
    server = await startArchiveServer({ archives, ...(faults ? { faults } : {}) });
    return server;
  }

  function importer(options: Partial<ImporterOptions> = {}, timeoutMs = 2000): ArchiveImporter {
    const source = new HttpArchiveSource({
      template: server!.template,
      spoolDir: join(temp.dir, 'tmp'),
      timeoutMs,
      retryBaseMs: 20,
    });
    return new ArchiveImporter({ db, source, logger: log.logger, dbRetryDelaysMs: [10, 20, 40], ...options });
  }

  it('imports the real DefenderOfBasic sections with exactly 7,946 follower and 2,224 following edges', async () => {
    const body = realSampleArchive();
    await serve(new Map([['defenderofbasic', body]]));
    const result = await importer().importArchive('DefenderOfBasic');

    expect(result.status).toBe('imported');
    expect(result.accountId).toBe('1680757426889342977');
    expect(count(db, 'SELECT COUNT(*) FROM archive_followers WHERE account_id = ?', '1680757426889342977')).toBe(7946);
    expect(count(db, 'SELECT COUNT(*) FROM archive_following WHERE account_id = ?', '1680757426889342977')).toBe(2224);
    const ledger = db.prepare('SELECT * FROM archive_imports').get() as Record<string, unknown>;
    expect(ledger).toMatchObject({
      username: 'defenderofbasic',
      account_id: '1680757426889342977',
      status: 'imported',
      followers_count: 7946,
      following_count: 2224,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      uploaded_at: '2025-01-02 03:04:05',
    });
    // Last-Modified is the upload time of every row of the archive.
    expect(count(db, "SELECT COUNT(*) FROM archive_followers WHERE uploaded_at <> '2025-01-02 03:04:05'")).toBe(0);
    expect(db.prepare('SELECT username, bio, location FROM archive_profiles').get()).toEqual({
      username: 'DefenderOfBasic',
      bio: expect.stringContaining('memetic research') as unknown,
      location: 'Upstate NY',
    });
    expect(log.messages()).toContain(
      "Archive for 'defenderofbasic' (1680757426889342977): 2224 following, 7946 followers",
    );
  });

  it('keeps ids above 2^53 byte for byte, whether written as strings or as bare numbers', async () => {
    const owner = '1680757426889342977';
    const follower = '9007199254740993123'; // far above 2^53: a JS number would round it
    const text =
      `{"account":[{"account":{"accountId":${owner},"username":"bignum"}}],"profile":[],` +
      `"follower":[{"follower":{"accountId":${follower}}},{"follower":{"accountId":"${owner}"}}],` +
      `"following":[{"following":{"accountId":"18446744073709551615"}}],"tweets":[]}`;
    await serve(new Map([['bignum', Buffer.from(text)]]));
    await importer().importArchive('bignum');
    // The self-follow in the list is not an edge (docs/FORMATS.md, "Quirks").
    expect(
      db
        .prepare('SELECT account_id, follower_account_id, typeof(follower_account_id) AS t FROM archive_followers')
        .all(),
    ).toHaveLength(1);
    expect(
      db
        .prepare('SELECT account_id, follower_account_id, typeof(follower_account_id) AS t FROM archive_followers')
        .get(),
    ).toEqual({ account_id: owner, follower_account_id: follower, t: 'text' });
    expect(db.prepare('SELECT following_account_id FROM archive_following').pluck().get()).toBe('18446744073709551615');
  });

  it('a dry run reads and counts but writes nothing, not even the ledger', async () => {
    await serve(archiveSet(['alice', 'bob']));
    const before = Buffer.concat([readFileSync(db.name), readFileSync(`${db.name}-wal`)]);
    const summary = await importer().importAll({ usernames: ['alice', 'bob'], dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, read: 2, imported: 0, failed: 0 });
    expect(summary.results.map((r) => r.counts?.followers)).toEqual([30, 30]);
    for (const table of [
      'archive_imports',
      'archive_followers',
      'archive_following',
      'archive_profiles',
      'archive_tweets',
      'archive_likes',
    ]) {
      expect(count(db, `SELECT COUNT(*) FROM ${table}`), table).toBe(0);
    }
    expect(Buffer.concat([readFileSync(db.name), readFileSync(`${db.name}-wal`)]).equals(before)).toBe(true);
    expect(log.messages().at(-1)).toBe('Dry run complete: 2 read (nothing written), 0 skipped, 0 not found, 0 failed');
  });

  it('a dry run works without any database', async () => {
    await serve(archiveSet(['alice']));
    const source = new HttpArchiveSource({
      template: server!.template,
      spoolDir: join(temp.dir, 'tmp'),
      timeoutMs: 2000,
      retryBaseMs: 10,
    });
    const summary = await new ArchiveImporter({ db: null, source }).importAll({ usernames: ['alice'], dryRun: true });
    expect(summary.read).toBe(1);
  });

  it('--max-archives limits the downloads, and a second run continues with the next ones', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
    await serve(archiveSet(names));
    const first = await importer().importAll({ usernames: names, maxArchives: 2 });
    expect(first).toMatchObject({ imported: 2, skipped: 0 });
    expect(server!.requests).toEqual(expect.arrayContaining(['a1', 'a2']));
    expect(server!.requests).toHaveLength(2);
    const second = await importer().importAll({ usernames: names, maxArchives: 2 });
    expect(second).toMatchObject({ imported: 2, skipped: 2 });
    expect(server!.requests.slice(2).sort()).toEqual(['a3', 'a4']);
  });

  it('skips imported archives on a re-run without a request, and --force-reimport imports them again', async () => {
    await serve(archiveSet(['alice', 'bob']));
    await importer().importAll({ usernames: ['alice', 'bob'] });
    expect(server!.requests).toHaveLength(2);

    const rerun = await importer().importAll({ usernames: ['alice', 'bob'] });
    expect(rerun).toMatchObject({ imported: 0, skipped: 2 });
    expect(server!.requests).toHaveLength(2);
    expect(log.messages()).toContain("Skipping 'alice' (1700000000000000000) - already imported");

    const forced = await importer().importAll({ usernames: ['alice', 'bob'], forceReimport: true });
    expect(forced).toMatchObject({ imported: 2, skipped: 0 });
    expect(server!.requests).toHaveLength(4);
    expect(count(db, 'SELECT COUNT(*) FROM archive_followers')).toBe(60);
    expect(count(db, "SELECT attempts FROM archive_imports WHERE username = 'alice'")).toBe(2);
  });

  it('counts 404 and 400 as not found, not as failures, and says where it looked', async () => {
    await serve(archiveSet(['alice']), new Map([['gone', { kind: 'status', status: 404 }]]));
    const summary = await importer().importAll({ usernames: ['alice', 'gone', 'never_uploaded'] });
    expect(summary).toMatchObject({ imported: 1, notFound: 2, failed: 0 });
    expect(server!.requestCount('gone')).toBe(1); // not retried
    expect(log.messages()).toContain(
      `Archive not found for 'never_uploaded' at ${server!.url}/never_uploaded/archive.json`,
    );
    expect(log.messages().at(-1)).toBe('Import complete: 1 imported, 0 skipped, 2 not found, 0 failed');
    expect(db.prepare("SELECT status, error FROM archive_imports WHERE username = 'never_uploaded'").get()).toEqual({
      status: 'not_found',
      error: 'HTTP 400',
    });
  });

  it('retries a 500 and then imports', async () => {
    await serve(archiveSet(['flaky']), new Map([['flaky', { kind: 'status', status: 500, times: 2 }]]));
    const summary = await importer().importAll({ usernames: ['flaky'] });
    expect(summary.imported).toBe(1);
    expect(server!.requestCount('flaky')).toBe(3);
  });

  it('fails an archive that answers 500 four times, and goes on with the others', async () => {
    await serve(archiveSet(['broken', 'fine']), new Map([['broken', { kind: 'status', status: 503 }]]));
    const summary = await importer().importAll({ usernames: ['broken', 'fine'] });
    expect(summary).toMatchObject({ imported: 1, failed: 1 });
    expect(server!.requestCount('broken')).toBe(4);
    expect(db.prepare("SELECT status, error FROM archive_imports WHERE username = 'broken'").get()).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('HTTP 503') as unknown,
    });
  });

  it('waits for Retry-After on 429', async () => {
    await serve(
      archiveSet(['limited']),
      new Map([['limited', { kind: 'rate-limit', retryAfterSeconds: 1, times: 1 }]]),
    );
    const started = Date.now();
    const summary = await importer().importAll({ usernames: ['limited'] });
    expect(summary.imported).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server!.requestCount('limited')).toBe(2);
  });

  it('imports a slow response whose gaps stay under the timeout, and fails a stalled one after retries', async () => {
    const archives = archiveSet(['slow', 'stalled', 'fine']);
    await serve(
      archives,
      new Map<string, Fault>([
        ['slow', { kind: 'slow', chunks: 6, gapMs: 150 }],
        ['stalled', { kind: 'stall' }],
      ]),
    );
    const summary = await importer({}, 400).importAll({ usernames: ['slow', 'stalled', 'fine'] });
    const byName = Object.fromEntries(summary.results.map((r) => [r.username, r]));
    expect(byName.slow!.status).toBe('imported');
    expect(byName.fine!.status).toBe('imported');
    expect(byName.stalled!.status).toBe('failed');
    expect(byName.stalled!.error).toMatch(/no data within the timeout/);
    expect(server!.requestCount('stalled')).toBe(4);
    expect(count(db, "SELECT COUNT(*) FROM archive_imports WHERE status = 'failed'")).toBe(1);
  });

  it('fails a truncated download, a cut-off document, malformed JSON: that archive only, no row of it', async () => {
    const archives = archiveSet(['truncated', 'cutoff', 'malformed', 'fine']);
    archives.set(
      'malformed',
      Buffer.from(
        '{"account":[{"account":{"accountId":"42","username":"malformed"}}],' +
          '"follower":[{"follower":{"accountId":"1"}},{"follower":{"accountId":"2",}}]}',
      ),
    );
    const faults = new Map<string, Fault>([
      ['truncated', { kind: 'truncate', fraction: 0.5 }],
      ['cutoff', { kind: 'cut-json', fraction: 0.6 }],
    ]);
    await serve(archives, faults);
    const summary = await importer().importAll({ usernames: ['truncated', 'cutoff', 'malformed', 'fine'] });
    const byName = Object.fromEntries(summary.results.map((r) => [r.username, r]));
    expect(summary).toMatchObject({ imported: 1, failed: 3 });
    expect(byName.truncated!.error).toMatch(/truncated|broke off/);
    expect(byName.cutoff!.error).toMatch(/ends early/);
    expect(byName.malformed!.error).toMatch(/follower\[1\] is not valid JSON/);
    expect(server!.requestCount('cutoff')).toBe(1); // a parse error is not retried
    expect(count(db, 'SELECT COUNT(DISTINCT account_id) FROM archive_followers')).toBe(1);
    expect(count(db, "SELECT COUNT(*) FROM archive_followers WHERE account_id = '42'")).toBe(0);
    expect(log.messages().at(-1)).toBe('Import complete: 1 imported, 0 skipped, 0 not found, 3 failed');
  });

  it.each([
    ['a missing account section', '{"profile":[],"follower":[]}', /no 'account' section/],
    [
      'a section of the wrong type',
      '{"account":[{"account":{"accountId":"7","username":"w"}}],"follower":"oops"}',
      /section 'follower' must be an array/,
    ],
    [
      'an id of the wrong type',
      '{"account":[{"account":{"accountId":"7","username":"w"}}],"following":[{"following":{"accountId":{"n":1}}}]}',
      /following\[0\]\.accountId must be an id/,
    ],
  ])('fails an archive with %s and records the reason in the ledger', async (_name, body, message) => {
    await serve(new Map([['bad', Buffer.from(body)]]));
    const result = await importer().importArchive('bad');
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(message);
    expect(db.prepare("SELECT error FROM archive_imports WHERE username = 'bad'").pluck().get()).toMatch(message);
    expect(count(db, 'SELECT COUNT(*) FROM archive_profiles')).toBe(0);
  });

  it('rejects usernames with "/", ".." or spaces before any request', async () => {
    await serve(archiveSet(['alice']));
    for (const bad of ['../etc', 'a/b', 'has space', '..', 'x?y=1', 'waytoolongusername123']) {
      await expect(importer().importAll({ usernames: ['alice', bad] })).rejects.toBeInstanceOf(InvalidUsernameError);
      await expect(importer().importArchive(bad)).rejects.toThrow(/Invalid username/);
    }
    expect(server!.requests).toHaveLength(0);
  });

  it('downloads several archives at once and imports every one of them', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `user${i}`);
    await serve(archiveSet(names));
    const summary = await importer({ concurrency: 4 }).importAll({ usernames: names });
    expect(summary.imported).toBe(12);
    expect(count(db, 'SELECT COUNT(DISTINCT account_id) FROM archive_followers')).toBe(12);
    expect(count(db, 'SELECT COUNT(*) FROM archive_followers')).toBe(360);
  });

  it('stops the run on a full disk with nothing of the archive half-written', async () => {
    const archives = archiveSet(['first', 'huge', 'after']);
    archives.set(
      'huge',
      buildArchive({ accountId: '1777777777777777777', username: 'huge', followers: ids('81', 60_000) }),
    );
    await serve(archives);
    await importer().importAll({ usernames: ['first'] });
    // SQLite answers SQLITE_FULL once the file would pass max_page_count: a full disk, on demand.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 40}`);
    const summary = await importer({ concurrency: 1 }).importAll({ usernames: ['first', 'huge', 'after'] });
    expect(summary.stopped).toBe('disk full');
    expect(summary).toMatchObject({ skipped: 1, failed: 1, imported: 0 });
    expect(summary.results.find((r) => r.username === 'huge')?.error).toMatch(/disk holding the database is full/);
    expect(server!.requestCount('after')).toBe(0);
    expect(count(db, "SELECT COUNT(*) FROM archive_followers WHERE account_id = '1777777777777777777'")).toBe(0);
    expect(count(db, "SELECT COUNT(*) FROM archive_imports WHERE username = 'huge'")).toBe(0);
    expect(log.messages()).toContain(
      'Import stopped early (disk full): 1 archives were not attempted; run the same command again to continue.',
    );
  });

  it('without usernames, imports every username of the account table (lower-cased, invalid ones out)', async () => {
    await serve(archiveSet(['alice', 'bob']));
    db.exec(
      `INSERT INTO account (account_id, username) VALUES ('1', 'Alice'), ('2', 'bad name'), ('3', 'BOB'), ('4', NULL)`,
    );
    const summary = await importer().importAll();
    expect(summary).toMatchObject({ planned: 2, imported: 2 });
    expect(server!.requests.sort()).toEqual(['alice', 'bob']);
    expect(log.messages()).toContain('Ignoring invalid username "bad name" from the account table');
    expect(log.messages()).toContain('Found 2 usernames in account table (will attempt import for each)');
  });

  it('shadow_only imports nothing and says so, without a request', async () => {
    await serve(archiveSet(['alice']));
    const summary = await importer().importAll({ usernames: ['alice'], mergeStrategy: 'shadow_only' });
    expect(summary.imported).toBe(0);
    expect(server!.requests).toHaveLength(0);
    expect(log.messages()[0]).toMatch(/shadow_only.*nothing to do/);
  });

  it('keeps the 20 most liked and 10 most recent tweets, or every tweet with allTweets', async () => {
    await serve(
      new Map([
        [
          'tweeter',
          buildArchive({ accountId: '1500000000000000001', username: 'tweeter', tweets: 50, oldestMostLiked: true }),
        ],
      ]),
    );
    await importer().importArchive('tweeter');
    const stored = db.prepare('SELECT tweet_id FROM archive_tweets ORDER BY tweet_id').pluck().all() as string[];
    const expected = [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 40 + i)].map(
      (i) => `${1500000000000000001000n + BigInt(i)}`,
    );
    expect(stored).toEqual(expected.sort());
    expect(db.prepare('SELECT full_text FROM archive_tweets LIMIT 1').pluck().get()).toMatch(/& friends$/);

    await importer({ allTweets: true }).importArchive('tweeter');
    expect(count(db, 'SELECT COUNT(*) FROM archive_tweets')).toBe(50);
    expect(count(db, 'SELECT COUNT(*) FROM archive_likes')).toBe(0);
  });
});

describe('ArchiveImporter merge strategies', () => {
  const temp = useTempDatabase();
  let db: Db;
  beforeEach(() => {
    db = temp.db;
  });

  /** Writes the archive into the directory source with the given mtime (its Last-Modified). */
  function put(followers: string[], uploaded: string): void {
    mkdirSync(join(temp.dir, 'src', 'mia'), { recursive: true });
    const file = join(temp.dir, 'src', 'mia', 'archive.json');
    writeFileSync(file, buildArchive({ accountId: '1600000000000000000', username: 'mia', followers }));
    const time = new Date(`${uploaded}Z`);
    utimesSync(file, time, time);
  }
  const followers = () =>
    db.prepare('SELECT follower_account_id AS id, uploaded_at AS up FROM archive_followers ORDER BY id').all();
  const run = (mergeStrategy: 'timestamp' | 'archive_only') =>
    new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(temp.dir, 'src')) }).importArchive('mia', {
      mergeStrategy,
    });

  it('timestamp: a newer upload replaces the older one, an older one never overwrites newer rows', async () => {
    put(['11', '12'], '2024-01-01 00:00:00');
    await run('timestamp');
    put(['12', '13'], '2024-06-01 00:00:00');
    await run('timestamp');
    expect(followers()).toEqual([
      { id: '12', up: '2024-06-01 00:00:00' },
      { id: '13', up: '2024-06-01 00:00:00' },
    ]);

    put(['13', '14'], '2023-01-01 00:00:00');
    const older = await run('timestamp');
    expect(older.stored?.replaced).toBe(false);
    expect(followers()).toEqual([
      { id: '12', up: '2024-06-01 00:00:00' },
      { id: '13', up: '2024-06-01 00:00:00' },
      { id: '14', up: '2023-01-01 00:00:00' },
    ]);
    expect(db.prepare('SELECT uploaded_at FROM archive_profiles').pluck().get()).toBe('2024-06-01 00:00:00');
  });

  it('archive_only: the archive replaces what is stored whatever its date; shadow rows are left alone', async () => {
    db.prepare(
      "INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES ('99', " +
        "'1600000000000000000', 'inbound', 'test', '2024-01-01 00:00:00')",
    ).run();
    put(['11', '12'], '2024-06-01 00:00:00');
    await run('archive_only');
    put(['13'], '2023-01-01 00:00:00');
    await run('archive_only');
    expect(followers()).toEqual([{ id: '13', up: '2023-01-01 00:00:00' }]);
    expect(count(db, 'SELECT COUNT(*) FROM shadow_edge')).toBe(1);
  });
});

describe('ArchiveImporter on the sample archives and an X export zip', () => {
  const temp = useTempDatabase();
  let db: Db;
  beforeEach(() => {
    db = temp.db;
  });

  it('imports every quirk of the samples: string or numeric counts, duplicates, entities, note tweets', async () => {
    mkdirSync(join(temp.dir, 'src'));
    writeFileSync(join(temp.dir, 'src', 'example_user.json'), readFileSync(sampleFile('synthetic-archive.json')));
    const importer = new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(temp.dir, 'src')) });
    const normal = await importer.importArchive('example_user');
    expect(normal.status).toBe('imported');
    expect(normal.counts).toMatchObject({ tweets: 7, likes: 2, followers: 2, following: 1, noteTweetsJoined: 1 });
    const texts = db.prepare('SELECT tweet_id, full_text FROM archive_tweets ORDER BY tweet_id').all() as {
      tweet_id: string;
      full_text: string;
    }[];
    expect(texts.find((t) => t.tweet_id === '1630000000000000002')?.full_text).toBe(
      '@other_person agreed & also: 1 < 2',
    );
    expect(texts.find((t) => t.tweet_id === '1630000000000000005')?.full_text).toMatch(
      /this is the rest of the sentence that only the note-tweet has\.$/,
    );
    expect(
      db.prepare("SELECT full_text FROM archive_likes WHERE tweet_id = '1610000000000000008'").pluck().get(),
    ).toBeNull();

    writeFileSync(
      join(temp.dir, 'src', 'example_user.json'),
      readFileSync(sampleFile('synthetic-archive-quirks.json')),
    );
    const quirks = await importer.importArchive('example_user', { mergeStrategy: 'archive_only' });
    expect(quirks.status).toBe('imported');
    expect(quirks.counts?.duplicates).toBeGreaterThanOrEqual(1);
    expect(db.prepare('SELECT bio, header_media_url FROM archive_profiles').get()).toEqual({
      bio: null,
      header_media_url: null,
    });
    expect(
      db
        .prepare(
          "SELECT favorite_count, retweet_count, created_at FROM archive_tweets WHERE tweet_id = '1630000000000000001'",
        )
        .get(),
    ).toEqual({ favorite_count: 12, retweet_count: null, created_at: '2023-03-01 10:00:00' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(db.name).includes('example.invalid')).toBe(false);
  });

  it('imports an X export zip with part files and a tweet.js wrapper, ignoring macOS junk entries', async () => {
    const zipPath = join(temp.dir, 'twitter-export.zip');
    const zip = new yazl.ZipFile();
    const file = (name: string, section: string, items: unknown[]) =>
      zip.addBuffer(Buffer.from(`window.YTD.${section}.part0 = ${JSON.stringify(items, null, 2)}`), name);
    file('data/account.js', 'account', [
      { account: { accountId: '1500000000000000001', username: 'Zip_Owner', email: 'someone@example.invalid' } },
    ]);
    file('data/profile.js', 'profile', [
      { profile: { description: { bio: 'from a zip', website: '', location: '' } } },
    ]);
    zip.addBuffer(readFileSync(sampleFile('synthetic-tweets.js')), 'data/tweets.js');
    file('data/tweets-part1.js', 'tweets', [
      {
        tweet: {
          id_str: '1630000000000000099',
          full_text: 'part one',
          created_at: 'Wed Mar 01 10:00:00 +0000 2023',
          favorite_count: '1',
        },
      },
    ]);
    file(
      'data/follower.js',
      'follower',
      ids('21', 40).map((id) => ({ follower: { accountId: id } })),
    );
    file(
      'data/follower-part1.js',
      'follower',
      ids('22', 5).map((id) => ({ follower: { accountId: id } })),
    );
    file(
      'data/following.js',
      'following',
      ids('23', 7).map((id) => ({ following: { accountId: id } })),
    );
    file('data/like.js', 'like', [{ like: { tweetId: '1', fullText: 'x' } }]);
    file(
      '__MACOSX/data/._follower-part1.js',
      'follower',
      ids('99', 5).map((id) => ({ follower: { accountId: id } })),
    );
    zip.addBuffer(Buffer.from('binary'), 'data/tweets_media/1.jpg');
    zip.end();
    await new Promise<void>((resolve, reject) => {
      const chunks: Buffer[] = [];
      zip.outputStream
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => {
          writeFileSync(zipPath, Buffer.concat(chunks));
          resolve();
        })
        .on('error', reject);
    });

    const source = new ZipArchiveSource(zipPath);
    expect(await source.listUsernames()).toEqual(['zip_owner']);
    const summary = await new ArchiveImporter({ db, source }).importAll();
    expect(summary.imported).toBe(1);
    expect(summary.results[0]!.counts).toMatchObject({ followers: 45, following: 7, likes: 1 });
    expect(count(db, "SELECT COUNT(*) FROM archive_followers WHERE follower_account_id LIKE '99%'")).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM archive_tweets')).toBeGreaterThan(1);
    expect(db.prepare('SELECT username, bio FROM archive_profiles').get()).toEqual({
      username: 'Zip_Owner',
      bio: 'from a zip',
    });
  });

  it('a large archive read by two parser threads at once gives exactly the rows of one read whole', async () => {
    mkdirSync(join(temp.dir, 'src'));
    writeFileSync(join(temp.dir, 'src', 'example_user.json'), readFileSync(sampleFile('synthetic-archive.json')));
    writeFileSync(
      join(temp.dir, 'src', 'big.json'),
      buildArchive({
        accountId: '1500000000000000777',
        username: 'big',
        followers: [...ids('31', 3000), ...ids('31', 10)],
        following: ids('32', 500),
        tweets: 120,
        likes: 700,
        oldestMostLiked: true,
      }),
    );
    const source = new DirectoryArchiveSource(join(temp.dir, 'src'));
    const snapshot = (target: Db) =>
      [
        'archive_following',
        'archive_followers',
        'archive_likes',
        'archive_tweets',
        'archive_profiles',
        'archive_interactions',
      ].map((table) =>
        target
          .prepare(`SELECT * FROM ${table} ORDER BY 1, 2`)
          .all()
          .map((row) => ({ ...(row as object), imported_at: null })),
      );
    const whole = await new ArchiveImporter({ db, source, parsers: 2, splitArchiveBytes: Infinity }).importAll();
    const other = openDatabase(join(temp.dir, 'split.db'));
    try {
      const split = await new ArchiveImporter({ db: other, source, parsers: 2, splitArchiveBytes: 1 }).importAll();
      expect(split.results.map((r) => r.counts)).toEqual(whole.results.map((r) => r.counts));
      expect(split.results.find((r) => r.username === 'big')?.counts).toMatchObject({
        followers: 3000,
        duplicates: 10,
        tweets: 120,
      });
      expect(snapshot(other)).toEqual(snapshot(db));
      const ledger = (target: Db) =>
        target
          .prepare(
            'SELECT username, sha256, followers_count, tweets_count, likes_count, duplicates_dropped FROM ' +
              'archive_imports ORDER BY username',
          )
          .all();
      expect(ledger(other)).toEqual(ledger(db));

      writeFileSync(join(temp.dir, 'src', 'big.json'), '{"follower":[{"follower":{"accountId":"1"}}],"tweets":[]}');
      const noAccount = await new ArchiveImporter({
        db: other,
        source: new DirectoryArchiveSource(join(temp.dir, 'src')),
        parsers: 2,
        splitArchiveBytes: 1,
      }).importArchive('big');
      expect(noAccount.error).toMatch(/no 'account' section/);
    } finally {
      other.close();
    }
  });

  it('does not store tweets or likes of an archive uploaded with keepPrivate', async () => {
    mkdirSync(join(temp.dir, 'src'));
    const archive = JSON.parse(
      buildArchive({ accountId: '5', username: 'private', tweets: 3, likes: 3, followers: ['1'] }).toString(),
    ) as { 'upload-options': { keepPrivate: boolean } };
    archive['upload-options'].keepPrivate = true;
    writeFileSync(join(temp.dir, 'src', 'private.json'), JSON.stringify(archive));
    const result = await new ArchiveImporter({
      db,
      source: new DirectoryArchiveSource(join(temp.dir, 'src')),
    }).importArchive('private');
    expect(result.status).toBe('imported');
    expect(count(db, 'SELECT COUNT(*) FROM archive_tweets') + count(db, 'SELECT COUNT(*) FROM archive_likes')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) FROM archive_followers')).toBe(1);
  });
});
