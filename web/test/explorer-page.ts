/// <reference lib="dom" />
/**
 * What the explorer's Chromium tests share: opening the built app with its console and page errors collected (every
 * test file asserts there were none), waiting for the map's first frame (MapView records it in window.__tpot), and
 * reading a screenshot's ink. Screenshots go to test-artifacts/ for a human to look at.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/fixtures.js';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  /** Wait for the map's first frame and the ranked top table (default); false: return once the page has loaded. */
  waitForMap?: boolean;
}

/** Opens `url` in a new page, records its console errors and page errors into `problems`. */
export async function openExplorer(
  browser: Browser,
  url: string,
  problems: string[],
  options: OpenOptions = {},
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  if (options.waitForMap !== false) await mapDrawn(page);
  return page;
}

/** Waits for the map's first frame and the ranked top table. */
export async function mapDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { __tpot?: { firstFrameMs?: number } }).__tpot?.firstFrameMs !== undefined,
    null,
    { timeout: 30_000 },
  );
  await page.locator('[data-testid=top-table] tbody tr').first().waitFor({ timeout: 30_000 });
}

/** Share of pixels that differ from a white background, and how many distinct colours there are. */
export async function inkOf(page: Page, png: Buffer): Promise<{ ink: number; colours: number }> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let ink = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (r < 245 || g < 245 || b < 245) ink++;
      colours.add((r >> 4) * 256 + (g >> 4) * 16 + (b >> 4));
    }
    return { ink: ink / (data.length / 4), colours: colours.size };
  }, png.toString('base64'));
}
