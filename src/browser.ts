/**
 * Debian's Chromium, as every browser-driving part uses it (the enricher, `tpot cookies setup`,
 * the explorer's tests and benchmark): never a downloaded browser. One lookup — the override
 * (TPOT_CHROME_BINARY, or `--chrome-binary`) when given, else Debian's binary — and one set of
 * flags, which keep a headless run quiet and offline apart from the pages it is sent to.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { TpotError } from './errors.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where Debian's chromium package puts the binary (older releases: chromium-browser). */
export const DEBIAN_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

/** No Chromium to drive: exit 1, with how to get one. */
export class BrowserMissingError extends TpotError {
  constructor(override: { path: string; from: string } | null) {
    super(
      'missing',
      override
        ? `Chromium was not found at ${override.path} (${override.from}): it is not an executable file.`
        : `Chromium was not found (looked for ${DEBIAN_CHROMIUM.join(' and ')}).`,
      {
        hint:
          "Install Debian's chromium: apt-get install -y chromium" +
          (override
            ? `, or point ${override.from} at an executable Chromium`
            : ' (or set TPOT_CHROME_BINARY to another Chromium)') +
          '.',
      },
    );
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium to drive: `override` when it is given (default TPOT_CHROME_BINARY) and only it —
 * a wrong override is never silently replaced — else Debian's; null when there is none. Pass
 * null for Debian's alone.
 */
export function findChromium(override: string | null | undefined = process.env.TPOT_CHROME_BINARY): string | null {
  if (override) return isExecutableFile(override) ? override : null;
  return DEBIAN_CHROMIUM.find(isExecutableFile) ?? null;
}

/** findChromium, or BrowserMissingError naming where it looked (`from`: what gave the override). */
export function requireChromium(
  override: string | null | undefined = process.env.TPOT_CHROME_BINARY,
  from = 'TPOT_CHROME_BINARY',
): string {
  const path = findChromium(override);
  if (path === null) throw new BrowserMissingError(override ? { path: override, from } : null);
  return path;
}
