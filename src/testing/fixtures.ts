/**
 * Archives for tests: small hand-made archive.json bodies, the real DefenderOfBasic sections, the
 * made-up quirk samples, and temporary directories. Paths resolve from the repository root.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(REPO_ROOT, 'fixtures');
export const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export function tempDir(prefix = 'tpot-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestArchive {
  accountId: string;
  username: string;
  followers?: string[];
  following?: string[];
  /** Tweet count; tweet i has i likes and is i minutes newer than tweet 0. */
  tweets?: number;
  /** When true the oldest tweets are the most liked (so most-liked and most-recent do not overlap). */
  oldestMostLiked?: boolean;
  likes?: number;
}

/** A compact archive.json in the real format (string counts, wrapped items). */
export function buildArchive(archive: TestArchive): Buffer {
  const { accountId, username } = archive;
  const base = Date.UTC(2023, 0, 1);
  const tweets = Array.from({ length: archive.tweets ?? 0 }, (_, i) => ({
    tweet: {
      id_str: `${BigInt(accountId) * 1000n + BigInt(i)}`,
      id: `${BigInt(accountId) * 1000n + BigInt(i)}`,
      full_text: `tweet ${i} of ${username} &amp; friends`,
      created_at: twitterDate(new Date(base + i * 60_000)),
      favorite_count: String(archive.oldestMostLiked ? (archive.tweets ?? 0) - 1 - i : i),
      retweet_count: String(i % 3),
      lang: 'en',
      entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
    },
  }));
  const likes = Array.from({ length: archive.likes ?? 0 }, (_, i) => ({
    like: {
      tweetId: `17${String(i).padStart(17, '0')}`,
      fullText: `liked ${i}`,
      expandedUrl: `https://twitter.com/i/web/status/17${String(i).padStart(17, '0')}`,
    },
  }));
  return Buffer.from(
    JSON.stringify({
      'upload-options': {
        keepPrivate: false,
        uploadLikes: true,
        startDate: '2020-01-01T00:00:00.000Z',
        endDate: '2024-06-30T22:10:05.000Z',
      },
      profile: [
        {
          profile: {
            description: { bio: `bio of ${username}`, website: 'https://t.co/x', location: 'Somewhere' },
            avatarMediaUrl: 'https://pbs.twimg.com/a.jpg',
          },
        },
      ],
      account: [
        {
          account: {
            accountId,
            username,
            createdAt: '2020-01-01T00:00:00.000Z',
            accountDisplayName: username.toUpperCase(),
            createdVia: 'web',
          },
        },
      ],
      tweets,
      follower: (archive.followers ?? []).map((id) => ({
        follower: { accountId: id, userLink: `https://twitter.com/intent/user?user_id=${id}` },
      })),
      following: (archive.following ?? []).map((id) => ({
        following: { accountId: id, userLink: `https://twitter.com/intent/user?user_id=${id}` },
      })),
      like: likes,
    }),
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function twitterDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const day = `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}`;
  return `${day} ${time} +0000 ${date.getUTCFullYear()}`;
}

/** Numbered ids above 2^53, like real snowflakes. */
export function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(19 - prefix.length, '0')}`);
}

/** The real archive sections of DefenderOfBasic as one archive.json (7,946 followers, 2,224 following). */
export function realSampleArchive(): Buffer {
  const dir = join(FIXTURES, 'community-archive', 'DefenderOfBasic-twitter-archive-toolkit', 'data', 'data');
  const section = (name: string) => readFileSync(join(dir, `${name}.json`), 'utf8').trim();
  // Sections are spliced as text, exactly as they are stored, without a JSON round trip.
  return Buffer.from(
    `{"profile":${section('profile')},"account":${section('account')},` +
      `"follower":${section('follower')},"following":${section('following')}}`,
  );
}

export function sampleFile(name: string): string {
  return join(FIXTURES, 'samples', name);
}
