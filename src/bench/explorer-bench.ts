/// <reference lib="dom" />
/**
 * The explorer on the reference graph (docs/BENCHMARKS.md): the page opened in headless Chromium (Debian's,
 * software WebGL) against the benchmark's server, timed to its first map frame (target < 5 s)
 * and to the ranked top table; then the map dragged for ~2 s with the mouse, timing the frames
 * sigma draws meanwhile (it hides edges while the camera moves on graphs above 50,000 edges).
 */
import { launchChromium } from '../testing/browser.js';
import type { Measure } from './http-calls.js';

interface TpotWindow {
  __tpot?: {
    firstFrameMs?: number;
    renderer?: { on(event: string, listener: () => void): void };
    renderTimes?: number[];
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export async function measureExplorer(url: string, nodes: number): Promise<Measure[]> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as TpotWindow).__tpot?.firstFrameMs !== undefined, null, {
      timeout: 120_000,
    });
    const firstFrameMs = await page.evaluate(() => (window as unknown as TpotWindow).__tpot!.firstFrameMs!);
    // The map is painted before its renderer starts (App.tsx), so with a stored run the first frame is the named one.
    const named = (await page.locator('[aria-label="Community legend"] li[data-short]').count()) > 0;
    await page.locator('[data-testid=top-table] tbody tr').first().waitFor({ timeout: 120_000 });
    const rankedMs = await page.evaluate(() => performance.now());

    await page.evaluate(() => {
      const state = (window as unknown as TpotWindow).__tpot!;
      state.renderTimes = [];
      state.renderer!.on('afterRender', () => state.renderTimes!.push(performance.now()));
    });
    const box = (await page.getByTestId('map').boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let step = 1; step <= 80; step++) {
      await page.mouse.move(cx + 150 * Math.sin(step / 8), cy + 100 * Math.cos(step / 8));
      await page.waitForTimeout(25);
    }
    await page.mouse.up();
    const times = await page.evaluate(() => (window as unknown as TpotWindow).__tpot!.renderTimes!);
    const frames = times.slice(1).map((t, i) => t - times[i]!);
    const fps = frames.length > 0 ? (1000 * frames.length) / (times.at(-1)! - times[0]!) : 0;
    return [
      {
        what:
          `explorer: first ${named ? 'named ' : ''}map frame in headless Chromium (software WebGL), ` +
          `${nodes.toLocaleString('en-US')} nodes`,
        value: `${(firstFrameMs / 1000).toFixed(2)} s`,
        target: named
          ? { text: 'first named frame < 3 s', met: firstFrameMs < 3000 }
          : { text: 'first frame < 5 s', met: firstFrameMs < 5000 },
      },
      {
        what: 'explorer: top table ranked (base metrics fetched, composite in the browser)',
        value: `${(rankedMs / 1000).toFixed(2)} s`,
      },
      {
        what: `explorer: frame time while panning, median / p95 (${frames.length} frames, ${fps.toFixed(1)} frames/s)`,
        value: `${percentile(frames, 0.5).toFixed(0)} ms / ${percentile(frames, 0.95).toFixed(0)} ms`,
      },
    ];
  } finally {
    await browser.close();
  }
}
