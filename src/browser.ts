/**
 * Debian's Chromium, as every browser-driving part uses it (the enricher, the explorer's tests and
 * benchmark): never a downloaded browser. The flags keep a headless run quiet and offline apart
 * from the pages it is sent to.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The configured binary (TPOT_CHROME_BINARY), else Debian's; null when there is none. */
export function findChromium(configured: string | null | undefined): string | null {
  return (
    [configured, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
      (p): p is string => Boolean(p) && existsSync(p!),
    ) ?? null
  );
}
