/**
 * Debian's Chromium through playwright-core, for the explorer's tests and benchmark. The browser
 * is never downloaded: TPOT_CHROME_BINARY, else Debian's (src/browser.ts). Without one the browser tests
 * skip on a developer machine and fail under CI=true.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, requireChromium } from '../browser.js';

export function chromiumPath(): string | null {
  return findChromium();
}

/** Whether the browser tests run: a browser is there, or CI requires them (and they fail without one). */
export function browserTestsEnabled(): boolean {
  return chromiumPath() !== null || process.env.CI === 'true';
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS, headless: true });
}
