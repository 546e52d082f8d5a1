/// <reference lib="dom" />
/**
 * The named map (docs/ARCHITECTURE.md, "Explorer") in real headless Chromium, served by a real server over the demo
 * with its named communities propagated: the legend names every community of the run with its members, the map is
 * drawn in the communities' colours, Louvain is the second colouring, the dark theme follows the system and can be
 * chosen, and "my account" highlights its neighbourhood and sums up where its follows are.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunitiesPayload, GraphDataPayload } from '../../src/api/wire.js';
import type { RunningServer } from '../../src/api/serve.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../../src/testing/api-fixture.js';
import { browserTestsEnabled, launchChromium } from '../../src/testing/browser.js';
import { tempDir } from '../../src/testing/fixtures.js';
import { ARTIFACTS, inkOf, openExplorer } from './explorer-page.js';

interface Sigma {
  getNodeDisplayData(node: string): { color: string } | undefined;
}

/** The colour sigma draws a node with now (after the reducers). */
function drawnColour(page: Page, node: number): Promise<string | undefined> {
  return page.evaluate(
    (key) => (window as unknown as { __tpot: { renderer: Sigma } }).__tpot.renderer.getNodeDisplayData(key)?.color,
    String(node),
  );
}

describe.runIf(browserTestsEnabled())('the named map in headless Chromium', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  let browser: Browser;
  let graph: GraphDataPayload;
  const problems: string[] = [];
  const get = async <T>(path: string) => (await (await fetch(`${server.url}${path}`)).json()) as T;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = tempDir();
    fixture = await createApiFixture(dir.path, 30, { named: true });
    server = await startFixtureServer(fixture);
    browser = await launchChromium();
    graph = await get<GraphDataPayload>('/api/graph-data');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    dir?.remove();
  });

  it('names each community of the run in the legend with its members and draws the map in its colours', async () => {
    const page = await openExplorer(browser, server.url, problems);
    const run = graph.named_communities!;
    expect(run.communities.length).toBeGreaterThanOrEqual(3);
    const legend = page.getByRole('list', { name: 'Community legend' });
    await legend.locator('li[data-short]').first().waitFor();
    const items = await legend.locator('li[data-short]').evaluateAll((rows) =>
      rows.map((row) => ({
        short: row.getAttribute('data-short'),
        text: row.textContent ?? '',
        swatch: getComputedStyle(row.querySelector('.swatch')!).backgroundColor,
      })),
    );
    const current = await get<CommunitiesPayload>('/api/communities');
    expect(items.map((i) => i.short)).toEqual(run.communities.map((c) => c.short));
    for (const [k, stored] of run.communities.entries()) {
      const now = current.communities.find((c) => c.id === stored.id)!;
      const total =
        stored.members.exemplar + stored.members.specialist + stored.members.bridge + stored.members.frontier;
      expect(items[k]!.text).toContain(now.name);
      expect(items[k]!.text).toContain(total.toLocaleString('en-US'));
      const [r, g, b] = [1, 3, 5].map((at) => parseInt(now.color.slice(at, at + 2), 16));
      expect(items[k]!.swatch).toBe(`rgb(${r}, ${g}, ${b})`);
    }
    // A confident member is drawn in its community's colour, fully opaque; a less confident one fainter.
    const confidence = graph.nodes.community_confidence!;
    const placed = graph.nodes.named_community!.map((c, i) => ({ c, i })).filter(({ c }) => c >= 0);
    const surest = placed.reduce((a, b) => (confidence[b.i]! > confidence[a.i]! ? b : a));
    expect(await drawnColour(page, surest.i)).toBe(
      current.communities.find((c) => c.id === run.communities[surest.c]!.id)!.color,
    );
    const shot = await page.getByTestId('map').screenshot({ path: join(ARTIFACTS, 'named-map.png') });
    const { ink, colours } = await inkOf(page, shot);
    expect(ink).toBeGreaterThan(0.01);
    expect(colours).toBeGreaterThan(8);
    await page.close();
  });

  it('colours by Louvain community when asked, and the URL keeps the choice', async () => {
    const page = await openExplorer(browser, server.url, problems);
    await page.getByRole('radio', { name: 'Louvain' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('colour')).toBe('louvain');
    const legend = page.getByRole('list', { name: 'Community legend' });
    await expect.poll(() => legend.textContent()).toContain('largest');
    expect(await legend.locator('li[data-short]').count()).toBe(0);
    await page.reload();
    await expect.poll(() => legend.textContent()).toContain('largest');
    expect(await page.getByRole('radio', { name: 'Louvain' }).isChecked()).toBe(true);
    await page.close();
  });

  it('follows a dark system theme, and a chosen theme stays chosen across visits', async () => {
    const page = await openExplorer(browser, server.url, problems, { colorScheme: 'dark' });
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const mapBackground = () =>
      page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=map]')!).backgroundColor);
    expect(await theme()).toBe('dark');
    expect(await mapBackground()).toBe('rgb(11, 16, 32)');
    await page.screenshot({ path: join(ARTIFACTS, 'named-map-dark.png') });
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await expect.poll(theme).toBe('light');
    expect(await mapBackground()).toBe('rgb(255, 255, 255)');
    await page.reload();
    await expect.poll(theme).toBe('light');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await expect.poll(theme).toBe('dark');
    await page.close();
  });

  it('"my account" highlights its neighbourhood and says which communities its follows fall in', async () => {
    // The account that follows the most others in the graph.
    const follows = new Map<number, number[]>();
    graph.edges.source.forEach((s, k) => follows.set(s, [...(follows.get(s) ?? []), graph.edges.target[k]!]));
    const [me, mine] = [...follows].reduce((a, b) => (b[1].length > a[1].length ? b : a));
    const handle = graph.nodes.username[me]!;
    const page = await openExplorer(browser, `${server.url}/?me=${handle}`, problems);
    const ego = page.getByTestId('ego');
    await expect.poll(() => ego.textContent()).toContain(`You follow (${mine.length})`);
    // Its largest group, counted here from graph-data and the current names.
    const current = await get<CommunitiesPayload>('/api/communities');
    const counts = new Map<number, number>();
    for (const j of mine)
      counts.set(graph.nodes.named_community![j]!, (counts.get(graph.nodes.named_community![j]!) ?? 0) + 1);
    const [top, topCount] = [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
    const name =
      top < 0
        ? 'no community'
        : current.communities.find((c) => c.id === graph.named_communities!.communities[top]!.id)!.name;
    const firstShare = await page.getByRole('list', { name: 'You follow' }).locator('li').first().textContent();
    expect(firstShare).toContain(`${name}: ${topCount}`);
    // On the map, an account outside its neighbourhood is dimmed; one it follows keeps its colour.
    const neighbours = new Set([...mine, ...graph.edges.source.filter((_, k) => graph.edges.target[k] === me)]);
    const outsider = graph.nodes.id.findIndex((_, i) => i !== me && !neighbours.has(i));
    await expect.poll(() => drawnColour(page, outsider)).toBe('#e5e7eb');
    expect(await drawnColour(page, mine[0]!)).not.toBe('#e5e7eb');
    expect(new URL(page.url()).searchParams.get('me')).toBe(handle);
    await page.getByTestId('ego').getByRole('button', { name: 'clear' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('me')).toBeNull();
    await expect.poll(() => drawnColour(page, outsider)).not.toBe('#e5e7eb');
    await page.close();
    expect(problems).toEqual([]);
  });
});
