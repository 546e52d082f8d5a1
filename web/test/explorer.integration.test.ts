/// <reference lib="dom" />
/**
 * The explorer (docs/ARCHITECTURE.md, "Explorer") in real headless Chromium (Debian's, through
 * playwright-core), served by a real server over the demo community: the map renders (its pixels
 * are not blank), search picks an account and opens its panel, a weight slider re-orders the top
 * list without a request, a link reproduces the view, and the red banner appears when the API
 * stops. Screenshots are kept in test-artifacts/ for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled, launchChromium } from '../../src/testing/browser.js';
import { ARTIFACTS, inkOf, openExplorer } from './explorer-page.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../../src/testing/api-fixture.js';
import { tempDir } from '../../src/testing/fixtures.js';
import { writeSyntheticGraph } from '../../src/testing/synthetic-graph.js';
import { openDatabase } from '../../src/db/database.js';
import type { RunningServer } from '../../src/api/serve.js';

async function topHandles(page: Page, count = 10): Promise<string[]> {
  return page
    .locator('[data-testid=top-table] tbody tr')
    .evaluateAll((rows, n) => rows.slice(0, n).map((row) => row.getAttribute('data-handle') ?? ''), count);
}

describe.runIf(browserTestsEnabled())('the explorer in headless Chromium', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

  const open = (path = '/'): Promise<Page> => openExplorer(browser, `${server.url}${path}`, problems);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close().catch(() => undefined); // the last test stops it
    dir?.remove();
  });

  it('draws the whole map with the snapshot layout, with the demo banner, counts and legend', async () => {
    const page = await open();
    await page.getByTestId('banner-demo').waitFor({ state: 'visible' });
    const counts = await page.getByTestId('counts').textContent();
    const graph = (await (await fetch(`${server.url}/api/graph-data`)).json()) as {
      directed_nodes: number;
      directed_edges: number;
    };
    expect(counts).toContain(
      `${graph.directed_nodes.toLocaleString('en-US')} of ${graph.directed_nodes.toLocaleString('en-US')} accounts`,
    );
    await page.getByRole('list', { name: 'Community legend' }).locator('li').first().waitFor({ state: 'visible' });
    const shot = await page.getByTestId('map').screenshot({ path: join(ARTIFACTS, 'explorer-map.png') });
    const { ink, colours } = await inkOf(page, shot);
    expect(ink).toBeGreaterThan(0.01);
    expect(colours).toBeGreaterThan(8);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-page.png') });
    await page.close();
  });

  it('search by keyboard selects the account, opens its panel and puts it in the URL', async () => {
    const page = await open();
    const target = fixture.demo.accounts[3]!;
    const search = page.getByRole('combobox', { name: 'Search accounts' });
    await search.fill(target.username.slice(0, 6));
    const option = page.getByRole('option').filter({ hasText: `@${target.username}` });
    await option.waitFor();
    // Arrow down to the account, Enter to pick it.
    const options = await page.getByRole('option').allTextContents();
    const index = options.findIndex((text) => text.includes(`@${target.username}`));
    for (let i = 0; i < index; i++) await search.press('ArrowDown');
    await search.press('Enter');
    const panel = page.getByTestId('account-panel');
    await expect.poll(() => panel.textContent()).toContain(`@${target.username}`);
    await expect.poll(() => panel.textContent()).toContain('Followed by, in the graph');
    expect(await panel.getByRole('link', { name: /Open on X/ }).getAttribute('href')).toBe(
      `https://x.com/${target.username}`,
    );
    expect(new URL(page.url()).searchParams.get('sel')).toBe(target.accountId);
    // The map flew to the account: the camera zoomed in and the account is in the middle of the map.
    const camera = () =>
      page.evaluate((label) => {
        interface Point {
          x: number;
          y: number;
        }
        const sigma = (
          window as unknown as {
            __tpot: {
              renderer: {
                getGraph(): { findNode(match: (key: string, attributes: { label?: string }) => boolean): string };
                getNodeDisplayData(key: string): Point;
                framedGraphToViewport(point: Point): Point;
                getDimensions(): { width: number; height: number };
                getCamera(): { getState(): { ratio: number } };
              };
            };
          }
        ).__tpot.renderer;
        const key = sigma.getGraph().findNode((_, attributes) => attributes.label === label);
        const at = sigma.framedGraphToViewport(sigma.getNodeDisplayData(key));
        const { width, height } = sigma.getDimensions();
        return {
          ratio: Math.round(sigma.getCamera().getState().ratio * 100) / 100,
          offCentre: Math.max(Math.abs(at.x - width / 2) / width, Math.abs(at.y - height / 2) / height),
        };
      }, `@${target.username}`);
    await expect.poll(async () => (await camera()).ratio).toBe(0.3);
    expect((await camera()).offCentre).toBeLessThan(0.05);
    const { ink } = await inkOf(page, await page.getByTestId('map').screenshot());
    expect(ink).toBeGreaterThan(0.002);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-account.png') });
    await page.close();
  });

  it('moving a weight slider re-orders the top list in the browser, with no request', async () => {
    const page = await open();
    const before = await topHandles(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.getByRole('slider', { name: 'PageRank weight' }).fill('0');
    await page.getByRole('slider', { name: 'Betweenness weight' }).fill('0');
    await page.getByRole('slider', { name: 'Engagement weight' }).fill('1');
    await expect.poll(() => topHandles(page)).not.toEqual(before);
    expect(requests.filter((url) => url.includes('/api/'))).toEqual([]);
    expect(new URL(page.url()).searchParams.get('w')).toBe('0,0,1');
    await page.close();
  });

  it('a link with the view state reproduces the view', async () => {
    const [a, b] = fixture.demo.accounts;
    const first = await open();
    await first.getByRole('combobox', { name: 'Add a seed' }).fill(a!.username);
    await first
      .getByRole('option')
      .filter({ hasText: `@${a!.username}` })
      .first()
      .click();
    await first.getByRole('slider', { name: 'Betweenness weight' }).fill('0.8');
    await first.getByRole('radio', { name: /Focus/ }).check();
    const link = first.url();
    expect(new URL(link).searchParams.get('seeds')).toBe(a!.username.toLowerCase());
    await first.getByRole('combobox', { name: 'Search accounts' }).fill(b!.username);
    await first
      .getByRole('option')
      .filter({ hasText: `@${b!.username}` })
      .first()
      .click();
    const withSelection = first.url();
    const order = await topHandles(first);
    await first.close();

    const again = await open(new URL(withSelection).search ? `/${new URL(withSelection).search}` : '/');
    expect(await topHandles(again)).toEqual(order);
    expect(await again.getByRole('slider', { name: 'Betweenness weight' }).inputValue()).toBe('0.8');
    expect(await again.getByRole('radio', { name: /Focus/ }).isChecked()).toBe(true);
    // Focus: the seed and the top 200 (and any bridges), out of the whole graph.
    const shown = /^([\d,]+) of ([\d,]+) accounts/.exec((await again.getByTestId('counts').textContent()) ?? '')!;
    const [inFocus, all] = [Number(shown[1]!.replaceAll(',', '')), Number(shown[2]!.replaceAll(',', ''))];
    expect(inFocus).toBeGreaterThanOrEqual(Math.min(all, 201));
    expect(inFocus).toBeLessThan(all);
    expect(await again.getByRole('list', { name: 'Current seeds' }).textContent()).toContain(
      `@${a!.username.toLowerCase()}`,
    );
    await expect.poll(() => again.getByTestId('account-panel').textContent()).toContain(`@${b!.username}`);
    await again.screenshot({ path: join(ARTIFACTS, 'explorer-focus.png') });
    await again.close();
  });

  it('saves a seed list through the API, filters out shadow accounts, and offers working downloads', async () => {
    const page = await open();
    const a = fixture.demo.accounts[5]!;
    await page.getByRole('combobox', { name: 'Add a seed' }).fill(a.username);
    await page
      .getByRole('option')
      .filter({ hasText: `@${a.username}` })
      .first()
      .click();
    await page.getByRole('textbox', { name: 'List name' }).fill('from_the_browser');
    await page.getByRole('button', { name: 'Save list' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    const state = (await (await fetch(`${server.url}/api/seeds`)).json()) as {
      active_list: string;
      lists: Record<string, string[]>;
    };
    expect(state.active_list).toBe('from_the_browser');
    expect(state.lists.from_the_browser).toEqual([a.username.toLowerCase()]);

    const accounts = async () =>
      Number(/^([\d,]+) of/.exec((await page.getByTestId('counts').textContent()) ?? '')![1]!.replaceAll(',', ''));
    const withShadow = await accounts();
    await page.getByRole('checkbox', { name: 'Shadow accounts' }).uncheck();
    await expect.poll(accounts).toBe(withShadow - fixture.shadow.length);
    expect(new URL(page.url()).searchParams.get('shadow')).toBe('0');

    for (const name of ['Metrics (CSV)', 'Graph (GEXF, for Gephi)']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      const download = await fetch(`${server.url}${href}`);
      expect(download.status, name).toBe(200);
      expect(href).toContain(`seeds=${a.username.toLowerCase()}`);
    }
    await page.close();
  });

  it('follows the saved settings where the URL is silent; never shows a slow answer to an old question', async () => {
    const saveSettings = (settings: Record<string, unknown>) =>
      fetch(`${server.url}/api/seeds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ settings }),
      });
    const nodesWith = async (query: string) =>
      ((await (await fetch(`${server.url}/api/graph-data?${query}`)).json()) as { directed_nodes: number })
        .directed_nodes;
    const withShadow = await nodesWith('include_shadow=true');
    const withoutShadow = await nodesWith('include_shadow=false');
    expect(withoutShadow).toBeLessThan(withShadow);
    expect((await saveSettings({ include_shadow: false, top_n: 40 })).status).toBe(200);
    try {
      const page = await open();
      const drawn = async () =>
        Number(
          / of ([\d,]+) accounts/.exec((await page.getByTestId('counts').textContent()) ?? '')![1]!.replaceAll(',', ''),
        );
      const shadowBox = page.getByRole('checkbox', { name: 'Shadow accounts' });
      await expect.poll(drawn).toBe(withoutShadow);
      expect(await shadowBox.isChecked()).toBe(false);
      expect(new URL(page.url()).searchParams.has('shadow')).toBe(false);
      await page.getByRole('radio', { name: 'Focus (seeds + top N)' }).check();
      await page.getByText('Top N: 40').waitFor({ state: 'visible' });

      // The answer with shadow accounts is held back; unchecking again asks a newer question, answered at once.
      let heldBack = 0;
      await page.route(/\/api\/graph-data\?.*include_shadow=true/, async (route) => {
        heldBack++;
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await route.continue().catch(() => undefined); // the page cancelled it: nobody waits for it
      });
      await shadowBox.check();
      await expect.poll(() => heldBack).toBe(1);
      await shadowBox.uncheck();
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await drawn()).toBe(withoutShadow);
      expect(await shadowBox.isChecked()).toBe(false);
      await page.close();
    } finally {
      await saveSettings({ include_shadow: true, top_n: 200 });
    }
  });

  it('the table sorts by a column and selects by keyboard', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Followers' }).click();
    const followers = await page.locator('[data-testid=top-table] tbody tr td:nth-child(7)').allTextContents();
    const numbers = followers.map((text) => Number(text.replace('—', '-1')));
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    const row = page.locator('[data-testid=top-table] tbody tr').first();
    await row.focus();
    await page.keyboard.press('Enter');
    const handle = await row.getAttribute('data-handle');
    await expect.poll(() => page.getByTestId('account-panel').textContent()).toContain(`@${handle}`);
    await page.close();
  });

  it('shows the red banner with the start command when the API stops, and no console errors happened', async () => {
    const page = await open();
    expect(await page.getByTestId('banner-api-down').count()).toBe(0);
    await server.close();
    const banner = page.getByTestId('banner-api-down');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.textContent()).toContain('npm start');
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-api-down.png') });
    await page.close();
    // Failed requests after the stop are expected; nothing else may have logged an error.
    expect(problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED|Failed to fetch/.test(p))).toEqual(
      [],
    );
  });
});

describe.runIf(browserTestsEnabled())('the explorer on a large graph without a snapshot', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const db = openDatabase(join(dataDir, 'cache.db'));
    writeSyntheticGraph(db, { accounts: 20_000, edges: 60_000, archives: 100 });
    db.close();
    server = await startFixtureServer({ root: dir.path, dataDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    dir?.remove();
  });

  it('draws a live-built map without its 60,000 follows, says the snapshot is missing, draws selected', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.waitForFunction(
      () => (window as unknown as { __tpot?: { firstFrameMs?: number } }).__tpot?.firstFrameMs !== undefined,
      null,
      { timeout: 60_000 },
    );
    await page.getByTestId('banner-stale').waitFor({ state: 'visible' });
    const counts = () => page.getByTestId('counts').textContent();
    expect(await counts()).toMatch(/^20,000 of 20,000 accounts, 0 of 60,000 follows shown/);
    const { ink } = await inkOf(
      page,
      await page.getByTestId('map').screenshot({ path: join(ARTIFACTS, 'explorer-large.png') }),
    );
    expect(ink).toBeGreaterThan(0.01);
    const search = page.getByRole('combobox', { name: 'Search accounts' });
    await search.fill('archive_7');
    await page.getByRole('option').filter({ hasText: '@archive_7' }).first().waitFor();
    await search.press('Enter');
    await expect.poll(counts).toMatch(/^20,000 of 20,000 accounts, [1-9][\d,]* of 60,000 follows shown/);
    await page.close();
  });
});
