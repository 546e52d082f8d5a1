/**
 * Debian's Chromium through playwright-core, for the explorer's tests and benchmark. The browser
 * is never downloaded: TPOT_CHROME_BINARY, else /usr/bin/chromium. Without one the browser tests
 * skip on a developer machine and fail under CI=true (SPEC §2).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string | null {
  const candidates = [process.env.TPOT_CHROME_BINARY, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Whether the browser tests run: a browser is there, or CI requires them (and they fail without one). */
export function browserTestsEnabled(): boolean {
  return chromiumPath() !== null || process.env.CI === 'true';
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium found: install Debian\'s chromium (apt-get install -y chromium) or set TPOT_CHROME_BINARY.');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
