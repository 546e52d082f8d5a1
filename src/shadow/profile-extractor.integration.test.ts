/** The profile extractor on pages built as X renders them, traps included (docs/FORMATS.md, "Pages"). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { formatCount, renderProfilePage } from '../testing/fake-x/profile-page.js';
import { parseCount } from './counts.js';
import { extractProfile } from './profile-extractor.js';
import { ALICE, BOB } from '../testing/fake-x/sample-profiles.js';

const VIEWER = { handle: 'the_viewer', followers: 31_337, following: 4_242 };

describe('parseCount', () => {
  it('reads exact and compact counters, with or without the label', () => {
    const cases: [string, number | null, boolean?][] = [
      ['123', 123, true],
      ['1,064', 1064, true],
      ['123,456', 123_456, true],
      ['5K', 5000, false],
      ['5.5K', 5500, false],
      ['90.5K', 90_500, false],
      ['100K', 100_000, false],
      ['1.2M', 1_200_000, false],
      ['5M', 5_000_000, false],
      ['90.5K Followers', 90_500, false],
      ['1,064 Following', 1064, true],
      ['Followers', null],
      ['', null],
      ['1.5', null],
    ];
    for (const [text, value, exact] of cases) {
      const parsed = parseCount(text);
      expect(parsed?.value ?? null, text).toBe(value);
      if (value !== null) expect(parsed!.exact, text).toBe(exact);
    }
    expect(parseCount(formatCount(90_512))).toEqual({ value: 90_500, exact: false });
    expect(formatCount(12_000)).toBe('12K');
    expect(formatCount(1_234)).toBe('1,234');
  });
});

describe('extractProfile', () => {
  it("takes exact counts and every field from the page's own JSON-LD", () => {
    const profile = extractProfile(renderProfilePage(ALICE, { viewer: VIEWER }));
    expect(profile).toMatchObject({
      handle: 'alice_tpot',
      accountId: ALICE.id,
      displayName: 'Alice 🦋',
      bio: ALICE.bio,
      location: 'Somewhere',
      website: 'https://alice.example/',
      followers: { value: 90_512, exact: true, source: 'json-ld' },
      following: { value: 1234, exact: true, source: 'json-ld' },
      posts: { value: 74_028, exact: true },
      state: 'active',
      staleSchemaIgnored: false,
    });
  });

  it("ignores a stale JSON-LD block from a profile seen before, and the viewer's own counters", () => {
    const profile = extractProfile(renderProfilePage(ALICE, { staleSchemaFrom: BOB, viewer: VIEWER }));
    expect(profile.followers?.value).toBe(90_512);
    expect(profile.accountId).toBe(ALICE.id);
    expect(profile.staleSchemaIgnored).toBe(true);
    // Only a stale block, no own one: the counters come from the page's links, never from Bob's schema.
    const staleOnly = extractProfile(
      renderProfilePage(ALICE, { staleSchemaFrom: BOB, withoutSchema: true, viewer: VIEWER }),
    );
    expect(staleOnly.followers).toEqual({ value: 90_500, exact: false, source: 'dom' });
    expect(staleOnly.following).toEqual({ value: 1234, exact: true, source: 'dom' });
    expect(staleOnly.accountId).toBe(ALICE.id); // from the follow button's testid
  });

  it('reads the counter links of the current and the old markup, and says when they are missing', () => {
    for (const oldFollowersHref of [false, true]) {
      const profile = extractProfile(renderProfilePage(ALICE, { withoutSchema: true, oldFollowersHref }));
      expect(profile.followers?.value).toBe(90_500);
    }
    // Without its own counters and schema, the viewer's and the sidebar's links are not taken instead.
    const bare = extractProfile(
      renderProfilePage(ALICE, { withoutSchema: true, withoutCounters: true, viewer: VIEWER }),
    );
    expect([bare.followers, bare.following]).toEqual([null, null]);
    expect(bare.handle).toBe('alice_tpot');
  });

  it('tells deleted, suspended and protected accounts apart', () => {
    expect(extractProfile(renderProfilePage({ ...BOB, state: 'deleted' })).state).toBe('deleted');
    expect(extractProfile(renderProfilePage({ ...BOB, state: 'suspended' })).state).toBe('suspended');
    const locked = extractProfile(renderProfilePage({ ...BOB, state: 'protected' }));
    expect(locked.state).toBe('protected');
    expect(locked.followers?.value).toBe(5);
  });

  it('survives pages that are not profiles at all', () => {
    expect(extractProfile('<html><body>nothing here</body></html>')).toMatchObject({
      handle: null,
      followers: null,
      following: null,
      state: 'active',
    });
    expect(
      extractProfile('<script type="application/ld+json">{not json</script>', { handle: 'bob' }).followers,
    ).toBeNull();
  });
});

describe('tpot verify profile-counters', () => {
  const dir = useTempDir();

  it('re-extracts saved pages: ✓ with the source of each counter, exit 1 when one is missing', async () => {
    writeFileSync(
      join(dir.path, 'snapshot_alice_tpot_INCOMPLETE_DATA_1_20260101.html'),
      renderProfilePage(ALICE, { staleSchemaFrom: BOB, viewer: VIEWER }),
    );
    writeFileSync(join(dir.path, 'compact.html'), renderProfilePage(ALICE, { withoutSchema: true }));
    const good = await runCli(
      ['verify', 'profile-counters', 'snapshot_alice_tpot_INCOMPLETE_DATA_1_20260101.html', 'compact.html'],
      { cwd: dir.path },
    );
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('@alice_tpot (id 1700000000000000001)');
    expect(good.stdout).toContain('✓ followers: 90,512 (json-ld, exact)');
    expect(good.stdout).toContain('✓ followers: 90,500 (dom, compact: rounded down)');
    expect(good.stdout).toContain('was on the page and was ignored');
    expect(good.stdout).toContain('RESULT: 2/2 pages with both counters');

    writeFileSync(
      join(dir.path, 'login.html'),
      '<html><head><title>Log in to X / X</title></head><body><a href="/login" data-testid="loginButton">Log ' +
        'in</a></body></html>',
    );
    const bad = await runCli(['verify', 'profile-counters', 'compact.html', 'login.html', 'missing.html'], {
      cwd: dir.path,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ followers: missing');
    expect(bad.stdout).toContain('missing.html: ✗ cannot read it (ENOENT)');
    expect(bad.stdout).toContain('RESULT: 1/3 pages with both counters');
    expect((await runCli(['verify', 'profile-counters'], { cwd: dir.path })).code).toBe(2);
  });
});
