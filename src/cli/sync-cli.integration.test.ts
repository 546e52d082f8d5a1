/** `tpot sync` and `tpot verify setup` as a user runs them, against a local fake PostgREST. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountRows,
  followerRows,
  followingRows,
  mentionedUserRows,
  profileRows,
  startFakePostgrest,
  type FakePostgrest,
} from '../testing/fake-postgrest.js';
import { tempDir } from '../testing/fixtures.js';
import { runCli } from '../testing/run-cli.js';

const KEY = 'test-anon-key';

describe('tpot sync and tpot verify setup', () => {
  let dir: ReturnType<typeof tempDir>;
  let fake: FakePostgrest;

  beforeEach(async () => {
    dir = tempDir();
    fake = await startFakePostgrest({
      apiKey: KEY,
      tables: {
        account: { key: 'account_id', rows: accountRows(40) },
        profile: { key: 'account_id', rows: profileRows(40) },
        followers: { key: 'id', rows: followerRows(2_500) },
        following: { key: 'id', rows: followingRows(1_200) },
        mentioned_users: { key: 'user_id', rows: mentionedUserRows(50) },
      },
    });
  });
  afterEach(async () => {
    await fake.close();
    dir.remove();
  });

  const tpot = (env: Record<string, string>, ...args: string[]) =>
    runCli(args, { cwd: dir.path, env: { SUPABASE_URL: fake.url, TPOT_HTTP_RETRY_BASE_MS: '10', ...env } });

  it('syncs the default tables and prints the per-table summary; a second run skips them as fresh', async () => {
    const first = await tpot({ SUPABASE_KEY: KEY }, 'sync');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Sync summary\n=+\ntable\s+rows\s+pages\s+seconds\s+status/);
    expect(first.stdout).toMatch(/followers\s+2500\s+3\s+[\d.]+\s+synced/);
    expect(first.stdout).toMatch(/mentioned_users\s+50\s+1\s+[\d.]+\s+synced/);
    const second = await tpot({ SUPABASE_KEY: KEY }, 'sync', '--tables', 'followers');
    expect(second.stdout).toMatch(/followers\s+2500\s+0\s+0\.0\s+fresh, skipped/);

    const verify = await tpot({ SUPABASE_KEY: KEY }, 'verify', 'setup');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/\[2\/5\] ✓ REST API: .* answered with the key \(40 profiles\)/);
    expect(verify.stdout).toMatch(/✓ Cache freshness: account FRESH/);
    expect(verify.stdout).toContain('RESULT: 5/5 checks passed');
  });

  it('explains a missing key, an unknown table and a refused key', async () => {
    const noKey = await tpot({}, 'sync');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('SUPABASE_KEY is not set');
    expect(fake.requests).toHaveLength(0);

    const unknown = await tpot({ SUPABASE_KEY: KEY }, 'sync', '--tables', 'followers,bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown table 'bogus'");

    const refused = await tpot({ SUPABASE_KEY: 'wrong' }, 'sync');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the key \(HTTP 401.*Set SUPABASE_KEY/);
  });

  it('verify setup says what is missing: no database, no key, a stopped API', async () => {
    const empty = await tpot({}, 'verify', 'setup');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/\[1\/2\] ✗ Database: Database not found/);
    expect(empty.stdout).toContain('– REST API: skipped: SUPABASE_KEY is not set');

    await tpot({}, 'demo', '--load'); // the demo community
    const noKey = await tpot({}, 'verify', 'setup');
    expect(noKey.code).toBe(0);
    expect(noKey.stdout).toMatch(/✓ Accounts: 0 accounts and 0 profiles from the REST API, 120 imported archives/);
    expect(noKey.stdout).toMatch(/RESULT: 3\/3 checks passed \(2 skipped\)/);

    await fake.close();
    const down = await tpot({ SUPABASE_KEY: KEY }, 'verify', 'setup');
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/✗ REST API: .*ECONNREFUSED/);
    expect(down.stdout).toMatch(/✗ Cache freshness: account NEVER SYNCED/);
  });
});
