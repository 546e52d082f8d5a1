/** The fake X server (docs/FORMATS.md, "X pages"): over plain HTTP, then in headless Chromium. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listFromResponse, profileFromResponse } from '../../shadow/graphql.js';
import { extractProfile } from '../../shadow/profile-extractor.js';
import { browserTestsEnabled, launchChromium } from '../browser.js';
import type { FakeProfile } from './profile-page.js';
import { fakeAccounts, fakeSeed, QUERY_IDS, startFakeX, type FakeX } from './server.js';
import { ALICE, BOB } from './sample-profiles.js';

const STATES: FakeProfile[] = [
  { handle: 'gone_acct', id: '1700000000000000010', name: 'Gone', followers: 1, following: 1, state: 'deleted' },
  { handle: 'banned_acct', id: '1700000000000000011', name: 'Banned', followers: 1, following: 1, state: 'suspended' },
  { handle: 'locked_acct', id: '1700000000000000012', name: 'Locked', followers: 3, following: 2, state: 'protected' },
  { handle: 'lonely_acct', id: '1700000000000000013', name: 'Lonely', followers: 0, following: 0 },
];

const servers: FakeX[] = [];
async function start(...args: Parameters<typeof startFakeX>): Promise<FakeX> {
  const fake = await startFakeX(...args);
  servers.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const cookieHeader = (fake: FakeX) => ({
  cookie: fake
    .cookies()
    .map((c) => `${c.name}=${c.value}`)
    .join('; '),
});
const gqlUrl = (fake: FakeX, op: keyof typeof QUERY_IDS, variables?: unknown) => {
  const query =
    variables === undefined ? '' : `?variables=${encodeURIComponent(JSON.stringify(variables))}&features=%7B%7D`;
  return `${fake.url}/i/api/graphql/anyQueryId123/${op}${query}`;
};

describe('the fake X over HTTP', () => {
  it('walls off pages and GraphQL without both cookies', async () => {
    const fake = await start({ accounts: [ALICE] });
    const page = await fetch(`${fake.url}/alice_tpot/following`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/i/flow/login?redirect_after_login=%2Falice_tpot%2Ffollowing');
    const onlyOne = await fetch(`${fake.url}/home`, { redirect: 'manual', headers: { cookie: 'auth_token=abc' } });
    expect(onlyOne.status).toBe(302);

    const login = await (await fetch(`${fake.url}/i/flow/login?redirect_after_login=%2Falice_tpot`)).text();
    expect(login).toContain('<title>Log in to X / X</title>');
    expect(login).toContain('data-testid="loginButton"');
    expect(login).not.toContain('SideNav_AccountSwitcher_Button');

    const api = await fetch(gqlUrl(fake, 'UserByScreenName', { screen_name: 'alice_tpot' }));
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ errors: [{ code: 32, message: 'Could not authenticate you' }] });
    expect(api.headers.get('x-rate-limit-limit')).toMatch(/^\d+$/);

    for (const path of ['/home', '/alice_tpot', '/alice_tpot/followers']) {
      const ok = await fetch(`${fake.url}${path}`, { headers: cookieHeader(fake), redirect: 'manual' });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('data-testid="SideNav_AccountSwitcher_Button"');
    }
    fake.setSessionValid(false);
    expect((await fetch(`${fake.url}/alice_tpot`, { headers: cookieHeader(fake), redirect: 'manual' })).status).toBe(
      302,
    );
    expect(fake.counters.loginRedirects).toBe(3);
    expect(fake.counters.unauthenticated).toBe(1);
  });

  it('answers UserByScreenName in three eras, with rate-limit headers', async () => {
    const fake = await start({ accounts: [ALICE, ...STATES] });
    const headers = cookieHeader(fake);
    for (const era of ['C', 'B', 'A'] as const) {
      fake.setEra(era);
      const res = await fetch(
        gqlUrl(fake, 'UserByScreenName', { screen_name: 'ALICE_TPOT', withSafetyModeUserFields: true }),
        { headers },
      );
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
      const body = (await res.json()) as { data: { user: { result: { legacy?: unknown } } } };
      expect(body.data.user.result.legacy === null).toBe(era === 'C');
      const answer = profileFromResponse(body);
      expect(answer.state).toBe('active');
      expect(answer.user).toMatchObject({
        accountId: ALICE.id,
        handle: 'alice_tpot',
        followers: 90_512,
        following: 1_234,
        posts: 74_028,
        website: 'https://alice.example/',
      });
    }
    const state = async (screen_name: string) =>
      profileFromResponse(await (await fetch(gqlUrl(fake, 'UserByScreenName', { screen_name }), { headers })).json())
        .state;
    expect(await state('gone_acct')).toBe('deleted');
    expect(await state('nobody_here')).toBe('deleted');
    expect(await state('banned_acct')).toBe('suspended');
    expect(await state('locked_acct')).toBe('protected');
    expect(
      await (await fetch(gqlUrl(fake, 'UserByScreenName', { screen_name: 'gone_acct' }), { headers })).json(),
    ).toEqual({ data: {} });
  });

  it('pages lists by GET and POST with the Bottom cursor until an empty last page', async () => {
    const seed = fakeSeed({ followers: 45, following: 30 });
    const fake = await start({ ...seed });
    const headers = cookieHeader(fake);
    const walk = async (op: 'Followers' | 'Following', method: 'GET' | 'POST') => {
      const ids: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const variables = {
          userId: seed.center.id,
          count: 20,
          includePromotedContent: false,
          ...(cursor ? { cursor } : {}),
        };
        const res =
          method === 'GET'
            ? await fetch(gqlUrl(fake, op, variables), { headers })
            : await fetch(gqlUrl(fake, op), {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify({ variables, features: {}, queryId: 'x' }),
              });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-rate-limit-remaining')).not.toBeNull();
        const page = listFromResponse(await res.json());
        sizes.push(page.users.length);
        ids.push(...page.users.map((u) => u.accountId));
        if (page.users.length === 0) break;
        cursor = page.bottomCursor;
      }
      return { ids, sizes };
    };
    const followers = await walk('Followers', 'GET');
    expect(followers.sizes).toEqual([20, 20, 5, 0]);
    expect(new Set(followers.ids).size).toBe(45);
    const following = await walk('Following', 'POST');
    expect(following.sizes).toEqual([20, 10, 0]);
    expect(fake.graphqlLog.filter((r) => r.method === 'POST')).toHaveLength(3);
    // The empty last page repeats its cursor (a reader must stop on "no new users").
    const ends = fake.graphqlLog.filter((r) => r.operation === 'Following').map((r) => r.variables?.cursor);
    expect(ends.at(-1)).toBeDefined();
    // userId must be a string.
    const numeric = await fetch(gqlUrl(fake, 'Followers', { userId: Number(seed.center.id), count: 20 }), { headers });
    expect(numeric.status).toBe(400);
  });

  it('keeps the quirks readable: promo-only page, repeated user, unavailable entries', async () => {
    const seed = fakeSeed({ followers: 50, following: 0 });
    const fake = await start({
      ...seed,
      pageSize: 20,
      quirks: { promoPage: true, promoEntry: true, repeatUser: true, unavailable: true, emptyResult: true },
    });
    const headers = cookieHeader(fake);
    const users = new Set<string>();
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const body: unknown = await (
        await fetch(gqlUrl(fake, 'Followers', { userId: seed.center.id, count: 20, ...(cursor ? { cursor } : {}) }), {
          headers,
        })
      ).json();
      const page = listFromResponse(body);
      sizes.push(page.users.length);
      page.users.forEach((u) => users.add(u.handle));
      if (page.users.length === 0 && page.bottomCursor === cursor) break;
      cursor = page.bottomCursor;
    }
    expect(sizes).toEqual([20, 0, 21, 11, 0]);
    expect(users.size).toBe(50);
  });

  it('answers 429 with code 88 after N GraphQL requests, and recovers when lifted', async () => {
    const fake = await start({ accounts: [ALICE], rateLimitAfter: 2 });
    const headers = cookieHeader(fake);
    const get = () => fetch(gqlUrl(fake, 'UserByScreenName', { screen_name: 'alice_tpot' }), { headers });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-rate-limit-remaining')).toBe('1');
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) + 890,
    );
    expect(await limited.json()).toEqual({ errors: [{ code: 88, message: 'Rate limit exceeded' }] });
    expect(fake.counters.rateLimited).toBe(1);
    fake.setRateLimitAfter(null);
    expect((await get()).status).toBe(200);
  });

  it('generates seeds with valid, unique handles and ids', () => {
    const seed = fakeSeed({ followers: 500, following: 300, mutuals: 10 });
    expect(seed.center.followers).toBe(510);
    expect(seed.center.following).toBe(300);
    const handles = seed.accounts.map((a) => a.handle);
    expect(new Set(handles).size).toBe(handles.length);
    expect(new Set(seed.accounts.map((a) => a.id)).size).toBe(handles.length);
    expect(handles.every((h) => /^[A-Za-z0-9_]{1,15}$/.test(h))).toBe(true);
    expect(fakeAccounts(3, 'x')[2]).toMatchObject({ handle: 'x_3' });
  });
});

describe.runIf(browserTestsEnabled())('the fake X in headless Chromium', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  async function open(fake: FakeX, loggedIn = true): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    contexts.push(context);
    if (loggedIn) await context.addCookies(fake.cookies());
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }
  const graphqlResponses = (page: Page) => {
    const seen: { op: string; status: number; method: string }[] = [];
    page.on('response', (r) => {
      const m = /\/i\/api\/graphql\/[^/]+\/(\w+)/.exec(r.url());
      if (m) seen.push({ op: m[1]!, status: r.status(), method: r.request().method() });
    });
    return seen;
  };
  const emptyHeader = (page: Page) => page.locator('[data-testid="empty_state_header_text"]').innerText();

  it('redirects a browser without cookies to the login wall', async () => {
    const fake = await start({ accounts: [ALICE] });
    const page = await open(fake, false);
    await page.goto(`${fake.url}/alice_tpot/followers`);
    expect(page.url()).toBe(`${fake.url}/i/flow/login?redirect_after_login=%2Falice_tpot%2Ffollowers`);
    expect(await page.title()).toBe('Log in to X / X');
    expect(await page.locator('[data-testid="loginButton"]').count()).toBe(1);
    expect(await page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').count()).toBe(0);
  });

  it('renders the profile on the client after the UserByScreenName fetch', async () => {
    const fake = await start({ accounts: [ALICE, BOB], viewer: 'bob', slow: 600 });
    const page = await open(fake);
    const seen = graphqlResponses(page);
    const started = Date.now();
    await page.goto(`${fake.url}/alice_tpot`, { waitUntil: 'load' });
    // Before the JSON arrives the page is a shell: nothing to read yet, but the viewer's own links are there.
    const early = extractProfile(await page.content(), { handle: 'alice_tpot' });
    expect(early.followers).toBeNull();
    expect(await page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').count()).toBe(1);
    await page.waitForSelector('[data-testid="primaryColumn"] [data-testid="UserName"]');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(seen).toContainEqual({ op: 'UserByScreenName', status: 200, method: 'GET' });
    expect(await page.title()).toBe(`${ALICE.name} (@alice_tpot) / X`);
    const profile = extractProfile(await page.content());
    expect(profile).toMatchObject({
      handle: 'alice_tpot',
      accountId: ALICE.id,
      state: 'active',
      website: 'https://alice.example/',
      staleSchemaIgnored: false,
    });
    expect(profile.followers).toEqual({ value: 90_512, exact: true, source: 'json-ld' });
    expect(profile.following).toEqual({ value: 1_234, exact: true, source: 'json-ld' });
    const column = page.locator('[data-testid="primaryColumn"]');
    expect(await column.locator('a[href="/alice_tpot/verified_followers"]').innerText()).toMatch(
      /^90\.5K\s+Followers$/,
    );
    expect(await column.locator('a[href="/alice_tpot/following"]').innerText()).toMatch(/^1,234\s+Following$/);
    // the viewer's own counter, outside the column
    expect(await page.locator('a[href="/bob/following"]').count()).toBe(1);
    // "Who to follow" traps
    expect(await page.locator('section[role="region"] [data-testid="UserCell"]').count()).toBe(2);
    expect(await page.locator('aside[aria-label] [data-testid="UserCell"]').count()).toBe(1);
    // Without the JSON-LD the DOM counters still read.
    const dom = extractProfile(
      (await page.content()).replace(/<script type="application\/ld\+json"[^]*?<\/script>/g, ''),
    );
    expect(dom.followers).toEqual({ value: 90_500, exact: false, source: 'dom' });
  });

  it('keeps a stale JSON-LD block from the profile seen before', async () => {
    const fake = await start({ accounts: [ALICE, BOB], staleSchema: true });
    const page = await open(fake);
    await page.goto(`${fake.url}/bob`);
    await page.waitForSelector('[data-testid="UserName"]');
    await page.goto(`${fake.url}/alice_tpot`);
    await page.waitForSelector('[data-testid="UserName"]');
    expect(await page.locator('script[data-testid="UserProfileSchema-test"]').count()).toBe(2);
    const profile = extractProfile(await page.content());
    expect(profile.staleSchemaIgnored).toBe(true);
    expect(profile.followers?.value).toBe(90_512);
  });

  it('scrolls a list of 500 through a virtual window of at most 30 rows', async () => {
    const seed = fakeSeed({ followers: 500, following: 300 });
    const fake = await start({ ...seed, accounts: [...seed.accounts, BOB], viewer: 'bob' });
    const page = await open(fake);
    const seen = graphqlResponses(page);
    await page.goto(`${fake.url}/${seed.center.handle}/followers`);
    await page.waitForSelector('section[role="region"] [data-testid="UserCell"]');
    expect(await page.title()).toBe(`People following ${seed.center.name} (@${seed.center.handle}) / X`);
    const collected = new Set<string>();
    let maxRows = 0;
    const deadline = Date.now() + 30_000;
    while (collected.size < 500 && Date.now() < deadline) {
      const snapshot = await page.evaluate(() => {
        const region = document.querySelector('section[role="region"]')!;
        const handles = Array.from(region.querySelectorAll('[data-testid="UserCell"] a[href^="/"]')).map((a) =>
          a.getAttribute('href')!.slice(1),
        );
        return { rows: region.querySelectorAll('[data-testid="cellInnerDiv"]').length, handles };
      });
      maxRows = Math.max(maxRows, snapshot.rows);
      snapshot.handles.forEach((h) => collected.add(h));
      await page.mouse.wheel(0, 1200);
      await page.waitForTimeout(40);
    }
    expect(collected.size).toBe(500);
    expect([...collected].every((h) => h.startsWith('fr_'))).toBe(true); // no sidebar traps
    expect(maxRows).toBeLessThanOrEqual(30);
    // Reading only at the end misses most rows.
    expect(await page.locator('section[role="region"] [data-testid="UserCell"]').count()).toBeLessThanOrEqual(30);
    expect(await page.locator('a[href="/fr_001"]').count()).toBe(0);
    // 25 pages of 20, then the empty one
    await expect.poll(() => seen.filter((s) => s.op === 'Followers').length).toBe(26);
    expect(fake.counters.graphql.Followers).toBe(26);
    const style = await page
      .locator('section[role="region"] [data-testid="cellInnerDiv"]')
      .last()
      .getAttribute('style');
    expect(style).toMatch(/^transform: translateY\(\d+px\); position: absolute; width: 100%$/);
  });

  it('pages a list by POST and shows "Follows you" on rows that follow the viewer', async () => {
    const accounts = fakeAccounts(30, 'pal');
    const fake = await start({
      accounts: [BOB, ...accounts],
      viewer: 'bob',
      pageSize: 50,
      listMethod: 'POST',
      follows: (list, handle) =>
        handle === 'bob' && list === 'following'
          ? accounts.map((a) => a.handle)
          : handle === 'bob' && list === 'followers'
            ? ['pal_01', 'pal_02']
            : [],
    });
    const page = await open(fake);
    const seen = graphqlResponses(page);
    await page.goto(`${fake.url}/bob/following`);
    await page.waitForSelector('section[role="region"] [data-testid="UserCell"]');
    await page.mouse.wheel(0, 3000); // near the end: the empty last page is asked for
    await expect.poll(() => seen.filter((s) => s.op === 'Following').length).toBe(2);
    expect(seen.filter((s) => s.op === 'Following').every((s) => s.method === 'POST')).toBe(true);
    expect(await page.locator('[data-testid="userFollowIndicator"]').count()).toBe(2);
    expect(await page.locator(`[data-testid="${accounts[0]!.id}-unfollow"]`).count()).toBe(1);
  });

  it('shows deleted, suspended, protected and empty states', async () => {
    const fake = await start({ accounts: [...STATES] });
    const page = await open(fake);
    const visit = async (path: string) => {
      await page.goto(`${fake.url}${path}`);
      await page.waitForSelector('[data-testid="emptyState"], [data-testid="UserName"]');
      return page;
    };
    await visit('/gone_acct');
    expect(await emptyHeader(page)).toBe('This account doesn\u2019t exist');
    expect(extractProfile(await page.content(), { handle: 'gone_acct' }).state).toBe('deleted');
    await visit('/never_was');
    expect(await emptyHeader(page)).toBe('This account doesn\u2019t exist');
    await visit('/banned_acct');
    expect(await emptyHeader(page)).toBe('Account suspended');
    expect(extractProfile(await page.content(), { handle: 'banned_acct' }).state).toBe('suspended');
    await visit('/banned_acct/followers');
    expect(await emptyHeader(page)).toBe('Account suspended');
    await visit('/locked_acct');
    expect(await page.locator('[data-testid="UserName"] svg[data-testid="icon-lock"]').count()).toBe(1);
    await page.waitForSelector('[data-testid="emptyState"]');
    expect(await emptyHeader(page)).toBe('These posts are protected');
    expect(extractProfile(await page.content()).state).toBe('protected');
    await visit('/locked_acct/followers');
    expect(await emptyHeader(page)).toBe('These posts are protected');
    expect(await page.locator('[data-testid="UserCell"]:not(aside *)').count()).toBe(0);
    await visit('/lonely_acct/following');
    expect(await emptyHeader(page)).toBe('@lonely_acct isn\u2019t following anyone');
    await visit('/lonely_acct/followers');
    expect(await emptyHeader(page)).toBe('Looking for followers?');
    await visit('/lonely_acct/verified_followers');
    expect(await emptyHeader(page)).toBe('@lonely_acct doesn\u2019t have any verified followers.');
    await visit('/lonely_acct/followers_you_follow');
    expect(await emptyHeader(page)).toBe('@lonely_acct doesn\u2019t have any followers you know yet');
  });

  it('shows "Something went wrong" and a Retry button when rate limited mid-list', async () => {
    const seed = fakeSeed({ followers: 100, following: 0 });
    const fake = await start({ ...seed, rateLimitAfter: 3 }); // UserByScreenName + 2 pages
    const page = await open(fake);
    const seen = graphqlResponses(page);
    await page.goto(`${fake.url}/${seed.center.handle}/followers`);
    await page.waitForSelector('section[role="region"] [data-testid="UserCell"]');
    const error = page.getByText('Something went wrong. Try reloading.');
    for (const deadline = Date.now() + 10_000; (await error.count()) === 0 && Date.now() < deadline;) {
      await page.mouse.wheel(0, 1200);
      await page.waitForTimeout(50);
    }
    await error.waitFor();
    expect(seen.filter((s) => s.status === 429)).toHaveLength(1);
    const rows = await page.locator('section[role="region"] [data-testid="UserCell"]').count();
    expect(rows).toBe(30); // the window over 40 loaded rows
    fake.setRateLimitAfter(null);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => fake.counters.graphql.Followers, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    expect(await page.getByText('Something went wrong. Try reloading.').count()).toBe(0);
  });

  it('shows "Rate limit exceeded" in the variant, in place of the profile', async () => {
    const fake = await start({ accounts: [ALICE], rateLimitAfter: 0, rateLimitText: 'rate-limit' });
    const page = await open(fake);
    const seen = graphqlResponses(page);
    await page.goto(`${fake.url}/alice_tpot`);
    await page.getByText('Rate limit exceeded').waitFor();
    expect(seen).toContainEqual({ op: 'UserByScreenName', status: 429, method: 'GET' });
    expect(await page.locator('[data-testid="UserName"]').count()).toBe(0);
  });
});
