import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MANIFEST_FILE,
  demoUsername,
  formatTwitterDate,
  snowflakeTimeMs,
  writeDemoCommunity,
  writeSingleArchive,
  type DemoManifest,
  type DemoOptions,
  type Quirk,
} from './generator.js';
import { QUIRK_ORDER } from './quirks.js';
import { createRng } from '../rng.js';

/**
 * An archive.json as the generator writes it, quirks included (format doc): the sections the tests
 * read, with the optional parts optional. Items are wrapped (`{ tweet: … }`) except under the
 * 'unwrapped-tweets' quirk.
 */
interface DemoTweet {
  id: string;
  id_str: string;
  full_text: string;
  created_at: string;
  /** A string in X's export; a number under the 'numeric-counts' quirk. */
  favorite_count: string | number;
  entities: { user_mentions: { screen_name: string }[] };
  in_reply_to_status_id?: string;
  in_reply_to_status_id_str?: string;
  in_reply_to_user_id?: string;
  in_reply_to_user_id_str?: string;
  in_reply_to_screen_name?: string;
  community_id?: string;
  community_id_str?: string;
}
interface Edge {
  accountId: string;
  userLink: string;
}
interface NoteTweet {
  noteTweetId: string;
  createdAt: string;
  core: { text: string };
}
interface DemoArchive {
  'upload-options'?: unknown;
  profile: [{ profile: { description: Record<string, string>; avatarMediaUrl: string; headerMediaUrl?: string } }];
  account: [
    {
      account: {
        createdVia?: string;
        username: string;
        accountId: string;
        createdAt: string;
        accountDisplayName: string;
        email?: string;
      };
    },
  ];
  tweets: ({ tweet: DemoTweet } | DemoTweet)[];
  follower: { follower: Edge }[];
  following: { following: Edge }[];
  like?: { like: { tweetId: string; fullText?: string; expandedUrl: string } }[];
  'note-tweet'?: { noteTweet: NoteTweet }[];
  'community-tweet'?: { tweet: DemoTweet }[];
}

const OPTIONS: DemoOptions = {
  accounts: 14,
  population: 420,
  seed: 7,
  tweetsPerAccount: 20,
  likesPerAccount: 25,
  meanFollowing: 40,
};
const ALL_QUIRKS: readonly Quirk[] = QUIRK_ORDER;
const TWO_POW_53 = 2n ** 53n;
const ENTITY = /&(?:amp|lt|gt);/;
const ALT_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/;
const REPLY_KEYS = [
  'in_reply_to_status_id',
  'in_reply_to_status_id_str',
  'in_reply_to_user_id',
  'in_reply_to_user_id_str',
  'in_reply_to_screen_name',
] as const;

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
const dirA = path.join(tmpRoot, 'a');
const dirB = path.join(tmpRoot, 'b');
const dirSeed = path.join(tmpRoot, 'seed');
let manifest: DemoManifest;
const archives = new Map<string, DemoArchive>(); // by username

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

const tweetsOf = (archive: DemoArchive): DemoTweet[] =>
  archive.tweets.map((item) => ('tweet' in item ? item.tweet : item));
const edgeIds = (archive: DemoArchive, key: 'follower' | 'following'): string[] =>
  key === 'follower'
    ? archive.follower.map((item) => item.follower.accountId)
    : archive.following.map((item) => item.following.accountId);
const uniqueEdges = (archive: DemoArchive, key: 'follower' | 'following', self: string): Set<string> =>
  new Set(edgeIds(archive, key).filter((id) => id !== self));
const likeIds = (archive: DemoArchive): string[] => (archive.like ?? []).map((item) => item.like.tweetId);
const texts = (archive: DemoArchive): string[] => [
  ...tweetsOf(archive).map((t) => t.full_text),
  ...(archive.like ?? []).map((l) => l.like.fullText ?? ''),
];

/** Accepts both tweet date formats, as an importer must (format doc §5.5). */
function parseTweetDate(s: string): number {
  if (ALT_DATE.test(s)) return Date.parse(`${s.slice(0, 10)}T${s.slice(11, 19)}Z`);
  const ms = Date.parse(s);
  expect(formatTwitterDate(ms)).toBe(s);
  return ms;
}

beforeAll(async () => {
  manifest = await writeDemoCommunity(dirA, OPTIONS);
  await writeDemoCommunity(dirB, OPTIONS);
  await writeDemoCommunity(dirSeed, { ...OPTIONS, seed: 8 });
  for (const account of manifest.accounts) {
    archives.set(
      account.username,
      JSON.parse(
        fs.readFileSync(path.join(dirA, account.username.toLowerCase(), 'archive.json'), 'utf8'),
      ) as DemoArchive,
    );
  }
});

afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

describe('writeDemoCommunity', () => {
  it('is deterministic: the same options give byte-identical files, another seed differs', () => {
    const files = listFiles(dirA);
    expect(files).toContain(DEMO_MANIFEST_FILE);
    expect(files).toHaveLength(OPTIONS.accounts + 1);
    expect(listFiles(dirB)).toEqual(files);
    for (const f of files)
      expect(fs.readFileSync(path.join(dirB, f)).equals(fs.readFileSync(path.join(dirA, f))), f).toBe(true);
    expect(fs.readFileSync(path.join(dirSeed, DEMO_MANIFEST_FILE), 'utf8')).not.toBe(
      fs.readFileSync(path.join(dirA, DEMO_MANIFEST_FILE), 'utf8'),
    );
  });

  it('writes a manifest matching the options and the bytes on disk', () => {
    expect(JSON.parse(fs.readFileSync(path.join(dirA, DEMO_MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(manifest).toMatchObject({ seed: 7, population: 420 });
    expect(manifest.accounts).toHaveLength(OPTIONS.accounts);
    const onDisk = manifest.accounts.reduce(
      (sum, a) => sum + fs.statSync(path.join(dirA, a.username.toLowerCase(), 'archive.json')).size,
      0,
    );
    expect(manifest.bytes).toBe(onDisk);
  });

  it('writes compact archive.json files with the required keys and item wrappers', () => {
    for (const [username, archive] of archives) {
      const raw = fs.readFileSync(path.join(dirA, username.toLowerCase(), 'archive.json'), 'utf8');
      expect(raw.startsWith('{"')).toBe(true);
      expect(raw).not.toContain('\n');
      for (const key of ['profile', 'account', 'tweets', 'follower', 'following'] as const)
        expect(Array.isArray(archive[key]), `${username}.${key}`).toBe(true);
      expect(archive.profile).toHaveLength(1);
      expect(archive.account).toHaveLength(1);
      expect(archive.account[0].account.username).toBe(username);
      expect(archive.account[0].account.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(archive.profile[0].profile.avatarMediaUrl).toMatch(/^https:\/\/pbs\.twimg\.com\/profile_images\//);
      for (const item of archive.follower)
        expect(item.follower.userLink).toBe(`https://twitter.com/intent/user?user_id=${item.follower.accountId}`);
      for (const item of archive.following) expect(Object.keys(item)).toEqual(['following']);
      for (const item of archive.like ?? [])
        expect(item.like.expandedUrl).toBe(`https://twitter.com/i/web/status/${item.like.tweetId}`);
    }
  });

  it('gives every account a valid handle, unique case-insensitively, and at least 3 communities', () => {
    const lower = manifest.accounts.map((a) => a.username.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    for (const a of manifest.accounts) expect(a.username).toMatch(/^[A-Za-z0-9_]{1,15}$/);
    expect(manifest.communities).toBeGreaterThanOrEqual(3);
    for (const a of manifest.accounts) expect(a.community).toBeGreaterThanOrEqual(0);
    expect(new Set(manifest.accounts.map((a) => a.community)).size).toBe(manifest.communities);
  });

  it('uses decimal string ids, mostly snowflakes above 2^53, some old short ones', () => {
    const ids = [...archives.values()].flatMap((a) => [
      a.account[0].account.accountId,
      ...edgeIds(a, 'follower'),
      ...edgeIds(a, 'following'),
    ]);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d*$/);
    const big = ids.filter((id) => BigInt(id) > TWO_POW_53).length;
    expect(big / ids.length).toBeGreaterThan(0.6);
    expect(ids.some((id) => id.length >= 8 && id.length <= 10)).toBe(true);
  });

  it('keeps follower and following lists consistent between archive accounts', () => {
    const byId = new Map(manifest.accounts.map((a) => [a.accountId, archives.get(a.username)!]));
    let archiveEdges = 0;
    for (const [id, archive] of byId) {
      for (const target of uniqueEdges(archive, 'following', id)) {
        const other = byId.get(target);
        if (!other) continue;
        archiveEdges++;
        expect(edgeIds(other, 'follower')).toContain(id);
      }
      for (const source of uniqueEdges(archive, 'follower', id)) {
        const other = byId.get(source);
        if (other) expect(edgeIds(other, 'following')).toContain(id);
      }
    }
    expect(archiveEdges).toBeGreaterThan(0);
  });

  it('records manifest counts equal to the de-duplicated contents of the files', () => {
    for (const a of manifest.accounts) {
      const archive = archives.get(a.username)!;
      expect(uniqueEdges(archive, 'follower', a.accountId).size, a.username).toBe(a.followers);
      expect(uniqueEdges(archive, 'following', a.accountId).size, a.username).toBe(a.following);
      expect(new Set(tweetsOf(archive).map((t) => t.id_str)).size, a.username).toBe(a.tweets);
      expect(new Set(likeIds(archive)).size, a.username).toBe(a.likes);
      expect((archive['community-tweet'] ?? []).length, a.username).toBe(a.communityTweets);
      expect(archive.account[0].account.accountId).toBe(a.accountId);
      expect(archive.account[0].account.accountDisplayName).toBe(a.displayName);
    }
  });

  it('writes tweets whose snowflake time matches created_at, with reply keys only on replies', () => {
    for (const archive of archives.values()) {
      for (const t of tweetsOf(archive)) {
        expect(t.id).toBe(t.id_str);
        expect(Math.floor(snowflakeTimeMs(t.id_str) / 1000) * 1000).toBe(parseTweetDate(t.created_at));
        const present = REPLY_KEYS.filter((k) => k in t);
        expect([0, REPLY_KEYS.length]).toContain(present.length);
        for (const k of present) expect(typeof t[k]).toBe('string');
        for (const m of t.entities.user_mentions) expect(t.full_text).toContain(`@${m.screen_name}`);
      }
    }
    const all = [...archives.values()].flatMap(tweetsOf);
    expect(all.some((t) => /^RT @\w+: /.test(t.full_text))).toBe(true);
    expect(all.some((t) => 'in_reply_to_status_id' in t)).toBe(true);
    expect(all.some((t) => [...t.full_text].length !== t.full_text.length)).toBe(true); // astral-plane characters
  });

  it('spreads every quirk over the accounts and keeps account 0 clean', () => {
    expect(new Set(manifest.accounts.flatMap((a) => a.quirks))).toEqual(new Set(ALL_QUIRKS));
    const clean = manifest.accounts[0]!;
    expect(clean.quirks).toEqual([]);
    const archive = archives.get(clean.username)!;
    expect(Object.keys(archive)).toEqual([
      'upload-options',
      'profile',
      'account',
      'tweets',
      'follower',
      'following',
      'like',
    ]);
    expect(Object.keys(archive.account[0].account)).toEqual([
      'createdVia',
      'username',
      'accountId',
      'createdAt',
      'accountDisplayName',
    ]);
    expect(Object.values(archive.profile[0].profile.description)).not.toContain('');
    expect(archive.profile[0].profile.headerMediaUrl).toBeTypeOf('string');
    for (const item of archive.tweets)
      expect('tweet' in item ? typeof item.tweet.favorite_count : 'unwrapped').toBe('string');
    expect(texts(archive).some((t) => ENTITY.test(t))).toBe(false);
  });

  it('really writes the quirks it records', () => {
    const has = (archive: DemoArchive, quirk: Quirk): boolean => {
      const tweets = tweetsOf(archive);
      switch (quirk) {
        case 'numeric-counts':
          return tweets.every((t) => typeof t.favorite_count === 'number');
        case 'no-upload-options':
          return !('upload-options' in archive);
        case 'duplicate-parts':
          return (['tweets', 'follower', 'following', 'like'] as const).every((k) => {
            const items = (archive[k] as unknown[]).map((x) => JSON.stringify(x));
            const half = items.length / 2;
            return items.length > 0 && items.slice(0, half).join() === items.slice(half).join();
          });
        case 'unwrapped-tweets':
          return archive.tweets.every((item) => !('tweet' in item) && 'id_str' in item);
        case 'email-present':
          return /@example\.invalid$/.test(archive.account[0].account.email ?? '');
        case 'no-like-section':
          return !('like' in archive);
        case 'self-follow': {
          const self = archive.account[0].account.accountId;
          return edgeIds(archive, 'follower').includes(self) && edgeIds(archive, 'following').includes(self);
        }
        case 'html-entities':
          return texts(archive).some((t) => ENTITY.test(t));
        case 'note-tweet':
          return (
            (archive['note-tweet'] ?? []).length > 0 &&
            (archive['note-tweet'] ?? []).every((n) => noteHasTweet(n.noteTweet, tweets))
          );
        case 'community-tweet':
          return (
            (archive['community-tweet'] ?? []).length > 0 &&
            (archive['community-tweet'] ?? []).every((item) => item.tweet.community_id === item.tweet.community_id_str)
          );
        case 'alt-date-format':
          return tweets.filter((t) => ALT_DATE.test(t.created_at)).length === 1;
        case 'no-header-media':
          return !('headerMediaUrl' in archive.profile[0].profile);
        case 'empty-profile-strings':
          return Object.values(archive.profile[0].profile.description).includes('');
        case 'no-created-via':
          return !('createdVia' in archive.account[0].account);
      }
    };
    for (const a of manifest.accounts) {
      const archive = archives.get(a.username)!;
      for (const quirk of ALL_QUIRKS)
        expect(has(archive, quirk), `${a.username} ${quirk}`).toBe(a.quirks.includes(quirk));
    }
  });

  it('rejects impossible options', async () => {
    await expect(writeDemoCommunity(path.join(tmpRoot, 'bad'), { accounts: 0 })).rejects.toThrow(RangeError);
    await expect(writeDemoCommunity(path.join(tmpRoot, 'bad'), { accounts: 10, population: 5 })).rejects.toThrow(
      RangeError,
    );
  });
});

/** The tweet minted 0–1000 ms after the note whose text (unescaped) starts the note (format doc §2.9). */
function noteHasTweet(note: NoteTweet, tweets: DemoTweet[]): boolean {
  const noteMs = snowflakeTimeMs(note.noteTweetId);
  expect(Date.parse(note.createdAt)).toBe(noteMs);
  return tweets.some((t) => {
    const delta = snowflakeTimeMs(t.id_str) - noteMs;
    const shown = t.full_text.split(' …')[0]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    return delta >= 0 && delta <= 1000 && shown.length >= 200 && note.core.text.startsWith(shown);
  });
}

describe('writeSingleArchive', () => {
  it('streams one valid archive with exactly the requested counts', async () => {
    const file = path.join(tmpRoot, 'single', 'archive.json');
    const options = {
      username: 'Bench_User',
      accountId: '1500000000000000001',
      tweets: 120,
      likes: 150,
      followers: 300,
      following: 80,
    };
    const bytes = await writeSingleArchive(file, options);
    expect(fs.statSync(file).size).toBe(bytes);
    const archive = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoArchive;
    expect(archive.account[0].account).toMatchObject({ username: 'Bench_User', accountId: options.accountId });
    expect(archive.tweets).toHaveLength(120);
    expect(new Set(tweetsOf(archive).map((t) => t.id_str)).size).toBe(120);
    expect(new Set(likeIds(archive)).size).toBe(150);
    expect(archive.like).toHaveLength(150);
    expect(uniqueEdges(archive, 'follower', options.accountId).size).toBe(300);
    expect(archive.follower).toHaveLength(300);
    expect(uniqueEdges(archive, 'following', options.accountId).size).toBe(80);
    expect(archive.following).toHaveLength(80);
    const again = path.join(tmpRoot, 'single2.json');
    await writeSingleArchive(again, options);
    expect(fs.readFileSync(again).equals(fs.readFileSync(file))).toBe(true);
  });
});

describe('rng and helpers', () => {
  it('is seeded and stays within bounds', () => {
    const a = createRng(123);
    const b = createRng(123);
    const seq = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seq);
    const r = createRng(5);
    for (let i = 0; i < 1000; i++) {
      const x = r.int(3, 7);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(7);
      expect(r.zipf(10, 1)).toBeLessThan(10);
    }
  });

  it('samples Zipf ranks with a heavy head', () => {
    const r = createRng(9);
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 20_000; i++) counts[r.zipf(100, 1)]!++;
    expect(counts[0]!).toBeGreaterThan(10 * counts[50]!);
    expect(counts[99]!).toBeGreaterThan(0);
  });

  it('makes valid, case-insensitively unique handles', () => {
    const taken = new Set<string>();
    const rng = createRng(1);
    for (let i = 0; i < 5000; i++) expect(demoUsername(rng, taken)).toMatch(/^[A-Za-z0-9_]{1,15}$/);
    expect(taken.size).toBe(5000);
  });
});
