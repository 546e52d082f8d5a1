/**
 * Debian's Chromium through playwright-core, for the explorer's tests and benchmark. The browser
 * is never downloaded: TPOT_CHROME_BINARY, else /usr/bin/chromium. Without one the browser tests
 * skip on a developer machine and fail under CI=true.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../browser.js';

export function chromiumPath(): string | null {
  return findChromium(process.env.TPOT_CHROME_BINARY);
}

/** Whether the browser tests run: a browser is there, or CI requires them (and they fail without one). */
export function browserTestsEnabled(): boolean {
  return chromiumPath() !== null || process.env.CI === 'true';
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error(
      "No Chromium found: install Debian's chromium (apt-get install -y chromium) or set TPOT_CHROME_BINARY.",
    );
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
