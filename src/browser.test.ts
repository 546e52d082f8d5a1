/** The one Chromium lookup: an override is used as it is or not at all, else Debian's binary. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserMissingError, DEBIAN_CHROMIUM, findChromium, requireChromium } from './browser.js';
import { EXIT } from './errors.js';
import { useTempDir } from './testing/vitest-helpers.js';

describe('findChromium', () => {
  const dir = useTempDir();

  it('takes an executable override as it is, and never replaces a wrong one with another browser', () => {
    const browser = join(dir.path, 'my-chromium');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    expect(findChromium(browser)).toBe(browser);

    const notExecutable = join(dir.path, 'plain-file');
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
    mkdirSync(join(dir.path, 'a-directory'));
    for (const wrong of [join(dir.path, 'no-such-chromium'), notExecutable, join(dir.path, 'a-directory')])
      expect(findChromium(wrong)).toBeNull();
  });

  it('without an override, finds Debian’s chromium when it is installed', () => {
    const installed = DEBIAN_CHROMIUM.find((path) => findChromium(path) !== null) ?? null;
    expect(findChromium(null)).toBe(installed);
  });

  it('reads TPOT_CHROME_BINARY when called without an argument', () => {
    const saved = process.env.TPOT_CHROME_BINARY;
    try {
      process.env.TPOT_CHROME_BINARY = join(dir.path, 'no-such-chromium');
      expect(findChromium()).toBeNull();
      expect(() => requireChromium()).toThrow(/no-such-chromium \(TPOT_CHROME_BINARY\)/);
    } finally {
      if (saved === undefined) delete process.env.TPOT_CHROME_BINARY;
      else process.env.TPOT_CHROME_BINARY = saved;
    }
  });

  it('requireChromium says where it looked and how to install one', () => {
    const missing = join(dir.path, 'no-such-chromium');
    let error: unknown;
    try {
      requireChromium(missing, '--chrome-binary');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BrowserMissingError);
    const failure = error as BrowserMissingError;
    expect([failure.kind, failure.exitStatus]).toEqual(['missing', EXIT.failed]);
    expect(failure.message).toBe(
      `Chromium was not found at ${missing} (--chrome-binary): it is not an executable file.`,
    );
    expect(failure.hint).toMatch(/^Install Debian's chromium: apt-get install -y chromium, or point --chrome-binary/);
  });
});
