/** The enricher in real Chromium against the fake X. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { silentLogger } from '../log.js';
import { browserTestsEnabled } from '../testing/browser.js';
import { fakeSeed, startFakeX, sessionCookiesOf, type FakeX } from '../testing/fake-x/server.js';
import { runbookSql } from '../testing/runbook.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import type { SessionCookie } from './cookies.js';
import {
  Enricher,
  RateLimitedError,
  retryDelaysMs,
  RunAbortedError,
  type EnrichOptions,
  type SeedPreview,
} from './enricher.js';
import { POLICY_DEFAULTS } from './policy.js';
import { LoginRequiredError, openSession, type XSession } from './session.js';

describe.runIf(browserTestsEnabled())('the enricher against the fake X', () => {
  const dir = useTempDir();
  const big = fakeSeed({ center: 'center_acct', followers: 500, following: 300, mutuals: 20 });
  const smallA = fakeSeed({ center: 'small_a', followers: 30, following: 25 });
  const smallB = fakeSeed({ center: 'small_b', followers: 30, following: 25 });
  let fake: FakeX;
  let db: Db;
  let session: XSession;

  beforeAll(async () => {
    // The two small seeds share their followers (fakeSeed names and numbers them alike); the big one has a server of
    // its own.
    const accounts = [...smallA.accounts, ...smallB.accounts];
    const merge = (key: 'followers' | 'following') => ({ ...smallA.follows[key], ...smallB.follows[key] });
    fake = await startFakeX({
      accounts: [...new Map(accounts.map((a) => [a.handle, a])).values()],
      follows: { followers: merge('followers'), following: merge('following') },
      viewer: 'the_viewer',
    });
  });
  afterAll(() => fake?.close());
  beforeEach(async () => {
    db = openDatabase(join(dir.path, 'cache.db'));
    fake.setRateLimitAfter(null);
  });
  afterEach(async () => {
    await session?.close();
    db.close();
  });

  const cookies = (server = fake): SessionCookie[] => sessionCookiesOf(server);
  const options = (extra: Partial<EnrichOptions> = {}): EnrichOptions => ({
    baseUrl: extra.baseUrl ?? fake.url,
    maxScrolls: 3,
    delay: { min: 0, max: 0 },
    lists: ['following', 'followers'],
    profileOnly: false,
    skipIfEverScraped: true,
    policy: POLICY_DEFAULTS,
    logDir: join(dir.path, 'logs'),
    retryMs: [],
    pauseSeconds: 0,
    cookieFile: 'secrets/x.json',
    ...extra,
  });
  const enricher = async (extra: Partial<EnrichOptions> = {}, withCookies = true, server = fake) => {
    session = await openSession({
      baseUrl: server.url,
      cookies: withCookies ? cookies(server) : [],
      chromeBinary: null,
      headless: true,
    });
    return new Enricher(db, session, options({ baseUrl: server.url, ...extra }), silentLogger());
  };

  it('captures a seed with 500 followers and 300 following completely, with numeric ids', async () => {
    const own = await startFakeX({ ...big, viewer: 'the_viewer' });
    let outcome;
    try {
      [outcome] = await (await enricher({}, true, own)).run(['center_acct']);
    } finally {
      await session.close();
      await own.close();
    }
    expect(outcome).toMatchObject({ status: 'scraped', captured: { following: 300, followers: 520 } });
    const seedId = big.center.id;
    expect(
      db.prepare("SELECT COUNT(*) FROM shadow_edge WHERE source_id = ? AND direction = 'outbound'").pluck().get(seedId),
    ).toBe(300);
    expect(
      db.prepare("SELECT COUNT(*) FROM shadow_edge WHERE target_id = ? AND direction = 'inbound'").pluck().get(seedId),
    ).toBe(520);
    expect(db.prepare("SELECT COUNT(*) FROM shadow_account WHERE account_id LIKE 'shadow:%'").pluck().get()).toBe(0);
    // The traps were not taken: no "Who to follow" or sidebar account, not the viewer.
    const handles = db.prepare('SELECT username FROM shadow_account').pluck().all() as string[];
    expect(handles.filter((h) => /recommended|sidebar|the_viewer/.test(h))).toEqual([]);
    expect(
      db.prepare('SELECT following_coverage, followers_coverage, error_type FROM scrape_run_metrics').get(),
    ).toEqual({ following_coverage: 100, followers_coverage: 100, error_type: null });
  }, 120_000);

  it('stops the whole run on rate limiting, with what was read before it stored', async () => {
    const run = await enricher();
    await run.run(['small_a']);
    fake.setRateLimitAfter(2); // the next seed's profile and first list page, then 429
    await expect(run.run(['small_b'])).rejects.toThrow(RateLimitedError);
    expect(
      db
        .prepare('SELECT COUNT(*) FROM shadow_edge WHERE source_id = ? OR target_id = ?')
        .pluck()
        .get(smallA.center.id, smallA.center.id),
    ).toBe(55);
    const rows = db.prepare('SELECT seed_username, error_type FROM scrape_run_metrics ORDER BY id').all();
    expect(rows).toEqual([
      { seed_username: 'small_a', error_type: null },
      { seed_username: 'small_b', error_type: 'rate_limited' },
    ]);
    expect(
      db
        .prepare('SELECT COUNT(*) FROM shadow_edge WHERE source_id = ? OR target_id = ?')
        .pluck()
        .get(smallB.center.id, smallB.center.id),
    ).toBe(0);
  }, 120_000);

  it('records deleted, suspended and protected accounts, and does not re-visit the first two each run', async () => {
    fake.putAccount({
      handle: 'gone_acct',
      id: '1600000000000000001',
      name: 'Gone',
      followers: 0,
      following: 0,
      state: 'deleted',
    });
    fake.putAccount({
      handle: 'banned_acct',
      id: '1600000000000000002',
      name: 'Banned',
      followers: 0,
      following: 0,
      state: 'suspended',
    });
    fake.putAccount({
      handle: 'locked_acct',
      id: '1600000000000000003',
      name: 'Locked',
      bio: 'private',
      followers: 40,
      following: 30,
      state: 'protected',
    });
    const run = await enricher();
    const outcomes = await run.run(['gone_acct', 'banned_acct', 'locked_acct']);
    expect(outcomes.map((o) => o.status)).toEqual(['deleted', 'suspended', 'protected']);
    const rows = db
      .prepare(
        "SELECT username, bio, account_status, followers_count FROM shadow_account WHERE username IN ('gone_acct', " +
          "'banned_acct', 'locked_acct') ORDER BY username",
      )
      .all();
    expect(rows).toEqual([
      {
        username: 'banned_acct',
        bio: '[ACCOUNT DELETED OR SUSPENDED]',
        account_status: 'suspended',
        followers_count: null,
      },
      {
        username: 'gone_acct',
        bio: '[ACCOUNT DELETED OR SUSPENDED]',
        account_status: 'deleted',
        followers_count: null,
      },
      { username: 'locked_acct', bio: 'private', account_status: 'protected', followers_count: 40 },
    ]);
    const again = await run.run(['gone_acct', 'banned_acct']);
    expect(again.map((o) => [o.status, o.reason])).toEqual([
      ['skipped', expect.stringMatching(/^deleted when checked/)],
      ['skipped', expect.stringMatching(/^suspended when checked/)],
    ]);

    // The runbook's SQL on what the enricher wrote.
    const sql = (name: string) => db.prepare(runbookSql(name)).all() as Record<string, unknown>[];
    expect(
      sql('deleted-accounts')
        .map((r) => [r.username, r.account_status])
        .sort(),
    ).toEqual([
      ['banned_acct', 'suspended'],
      ['gone_acct', 'deleted'],
      ['locked_acct', 'protected'],
    ]);
    expect(sql('success-rate')).toEqual([{ runs: 5, succeeded: 1, skipped: 4, errors: 0, success_pct: 20 }]);
    expect(sql('coverage-buckets')).toEqual([{ bucket: 'unknown', runs: 1 }]);
    expect(sql('stale-accounts')).toEqual([]);
    db.prepare(
      "UPDATE shadow_account SET fetched_at = datetime('now', '-200 days') WHERE username = 'locked_acct'",
    ).run();
    expect(sql('stale-accounts').map((r) => r.username)).toEqual(['locked_acct']);
  }, 120_000);

  it('stops at a login wall with login_required', async () => {
    await expect((await enricher({}, false)).run(['small_a'])).rejects.toThrow(LoginRequiredError);
    expect(db.prepare('SELECT seed_username, error_type FROM scrape_run_metrics').get()).toEqual({
      seed_username: 'small_a',
      error_type: 'login_required',
    });
  }, 60_000);

  it('with skip-if-ever-scraped, skips a complete seed and re-reads a low-coverage one', async () => {
    const run = await enricher();
    await run.run(['small_a']);
    const [again] = await run.run(['small_a']);
    expect(again).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/complete and fresh/) as unknown });
    // Make the last run look like it caught only 2 of 25 followings.
    db.prepare(
      'UPDATE scrape_run_metrics SET following_captured = 2, following_coverage = 8 WHERE seed_username = ' +
        "'small_a' AND skipped = 0",
    ).run();
    const [third] = await run.run(['small_a']);
    expect(third).toMatchObject({ status: 'scraped', captured: { following: 25 } });
  }, 120_000);

  it('reads profiles and lists from the DOM alone when the JSON cannot be matched (renamed operations)', async () => {
    fake.setOperationNames({
      UserByScreenName: 'UserByScreenNameV2',
      Following: 'FollowingTimeline',
      Followers: 'FollowersTimeline',
      BlueVerifiedFollowers: 'VerifiedFollowersTimeline',
    });
    try {
      const [outcome] = await (await enricher()).run(['small_a']);
      expect(outcome).toMatchObject({ status: 'scraped', captured: { following: 25, followers: 30 } });
    } finally {
      fake.setOperationNames({});
    }
    // The profile (JSON-LD and counters) and the cells' follow buttons give numeric ids.
    expect(
      db
        .prepare('SELECT account_id, followers_count, following_count FROM shadow_account WHERE username = ?')
        .get('small_a'),
    ).toEqual({ account_id: smallA.center.id, followers_count: 30, following_count: 25 });
    expect(db.prepare("SELECT COUNT(*) FROM shadow_account WHERE account_id LIKE 'shadow:%'").pluck().get()).toBe(0);
    expect(
      db
        .prepare("SELECT COUNT(*) FROM shadow_edge WHERE source_id = ? AND direction = 'outbound'")
        .pluck()
        .get(smallA.center.id),
    ).toBe(25);
    const handles = db.prepare('SELECT username FROM shadow_account').pluck().all() as string[];
    expect(handles.filter((h) => /recommended|sidebar|the_viewer/.test(h))).toEqual([]);
  }, 120_000);

  it('retries a profile loaded without its counts, saving the page; gives up on a seed, not the run', async () => {
    fake.setOperationNames({ UserByScreenName: 'UserByScreenNameV2' }); // no JSON: the counters must come from the page
    try {
      fake.setIncompleteProfiles(2);
      const run = await enricher({ retryMs: [50, 50, 50], lists: ['following'] });
      const [outcome] = await run.run(['small_a']);
      expect(outcome).toMatchObject({ status: 'scraped', captured: { following: 25 } });
      const snapshots = readdirSync(join(dir.path, 'logs')).sort();
      expect(snapshots).toEqual([
        expect.stringMatching(/^snapshot_small_a_INCOMPLETE_DATA_1_\d{8}T\d{6}\.html$/),
        expect.stringMatching(/^snapshot_small_a_INCOMPLETE_DATA_2_\d{8}T\d{6}\.html$/),
      ]);
      expect(readFileSync(join(dir.path, 'logs', snapshots[0]!), 'utf8')).toContain('data-testid="UserName"');

      // Never complete: each seed fails with its metrics row and the run goes on, until three in a row.
      fake.setIncompleteProfiles(100);
      const again = await enricher({ retryMs: [20], lists: ['following'] });
      await expect(again.run(['small_b', 'fg_01', 'fg_02', 'fg_03'])).rejects.toThrow(/3 seeds failed in a row/);
      expect(
        db
          .prepare('SELECT seed_username, error_type FROM scrape_run_metrics WHERE error_type IS NOT NULL ORDER BY id')
          .all(),
      ).toEqual(
        ['small_b', 'fg_01', 'fg_02'].map((seed_username) => ({ seed_username, error_type: 'incomplete_profile' })),
      );
      expect(
        db.prepare("SELECT error_details FROM scrape_run_metrics WHERE seed_username = 'small_b'").pluck().get(),
      ).toMatch(/after 2 attempts/);
    } finally {
      fake.setOperationNames({});
      fake.setIncompleteProfiles(0);
    }
  }, 120_000);

  it('asks once, before the first seed is written; "no" writes nothing of it', async () => {
    const previews: SeedPreview[] = [];
    const declining = await enricher({ confirmFirst: async (p) => (previews.push(p), false) });
    await expect(declining.run(['small_a', 'small_b'])).rejects.toThrow(RunAbortedError);
    expect(previews).toHaveLength(1);
    expect(previews[0]).toMatchObject({
      seed: { handle: 'small_a', followers: 30, following: 25 },
      lists: { following: { captured: 25, claimed: 25, sample: expect.arrayContaining(['fg_01']) as unknown } },
    });
    expect(previews[0]!.lists.following!.sample).toHaveLength(10);
    expect(db.prepare('SELECT COUNT(*) FROM scrape_run_metrics').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM shadow_account').pluck().get()).toBe(0);
    await session.close();

    let asked = 0;
    const accepting = await enricher({ confirmFirst: async () => (asked++, true), pauseSeconds: 1 });
    const started = performance.now();
    const outcomes = await accepting.run(['small_a', 'small_b']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000); // --pause between the two seeds
    expect([asked, outcomes.map((o) => o.status)]).toEqual([1, ['scraped', 'scraped']]);
  }, 120_000);

  it('asks before each list with require-confirmation: a "no" skips it (verified with followers)', async () => {
    const questions: string[] = [];
    const run = await enricher({
      lists: ['following', 'followers', 'verified_followers'],
      confirmList: async (handle, kind) => (questions.push(`${handle} ${kind}`), kind === 'following'),
    });
    const [outcome] = await run.run(['small_a']);
    expect(questions).toEqual(['small_a following', 'small_a followers']);
    expect(outcome).toMatchObject({ status: 'scraped', captured: { following: 25 } });
    expect(outcome!.captured.followers).toBeUndefined();
    expect(db.prepare("SELECT COUNT(*) FROM shadow_edge WHERE direction = 'inbound'").pluck().get()).toBe(0);
  }, 120_000);

  it('after Ctrl-C, pauses between seeds and resumes or stops as answered', async () => {
    let resume = true;
    const answers: boolean[] = [];
    const run = await enricher({ lists: ['following'], resumeAfterPause: async () => (answers.push(resume), resume) });
    run.requestStop();
    // resumed at the first pause
    expect((await run.run(['small_a', 'small_b'])).map((o) => o.handle)).toEqual(['small_a', 'small_b']);
    resume = false;
    run.requestStop();
    expect(await run.run(['small_a'])).toEqual([]);
    expect(answers).toEqual([true, false]);
  }, 120_000);

  it('waits 5, 15, 60 s between the reads of a page (--retry-attempts)', () => {
    expect(retryDelaysMs(1)).toEqual([]);
    expect(retryDelaysMs(4)).toEqual([5_000, 15_000, 60_000]);
    expect(retryDelaysMs(6)).toEqual([5_000, 15_000, 60_000, 60_000, 60_000]);
  });
});
