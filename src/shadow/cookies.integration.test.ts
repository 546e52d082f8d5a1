/** The session file: imports from browser exports, mode 0600, values never printed. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserTestsEnabled } from '../testing/browser.js';
import { startFakeX } from '../testing/fake-x/server.js';
import { CLI } from '../testing/fixtures.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { CookieError, parseCookieExport, readCookieFile, sessionFrom, writeCookieFile } from './cookies.js';

const SECRET = 'a1b2c3d4e5f6-very-secret-token';
const NETSCAPE = [
  '# Netscape HTTP Cookie File',
  `#HttpOnly_.x.com\tTRUE\t/\tTRUE\t2000000000\tauth_token\t${SECRET}`,
  '.x.com\tTRUE\t/\tTRUE\t2000000000\tct0\tcsrf-value-123',
  '.example.org\tTRUE\t/\tFALSE\t2000000000\tother\tnot-ours',
  '',
].join('\n');
const JSON_EXPORT = JSON.stringify([
  {
    name: 'auth_token',
    value: SECRET,
    domain: '.twitter.com',
    path: '/',
    expirationDate: 2000000000.5,
    httpOnly: true,
    secure: true,
    sameSite: 'no_restriction',
  },
  {
    name: 'ct0',
    value: 'csrf-value-123',
    domain: '.twitter.com',
    path: '/',
    expirationDate: 2000000000,
    httpOnly: false,
    secure: true,
    sameSite: 'lax',
  },
]);

describe('cookies', () => {
  const dir = useTempDir();

  it('reads Netscape cookies.txt and JSON exports, keeping x.com cookies (twitter.com moved to x.com)', () => {
    const fromText = sessionFrom(parseCookieExport(NETSCAPE));
    expect(fromText.map((c) => [c.name, c.domain, c.httpOnly])).toEqual([
      ['auth_token', '.x.com', true],
      ['ct0', '.x.com', false],
    ]);
    const fromJson = sessionFrom(parseCookieExport(JSON_EXPORT));
    expect(fromJson.map((c) => [c.name, c.domain, c.expires, c.sameSite])).toEqual([
      ['auth_token', '.x.com', 2000000000, 'None'],
      ['ct0', '.x.com', 2000000000, 'Lax'],
    ]);
  });

  it('says which session cookie is missing or expired, without any value', () => {
    expect(() => sessionFrom(parseCookieExport(NETSCAPE.replace(/.*ct0.*\n/, '')))).toThrow(/No ct0 cookie for x\.com/);
    const expired = JSON_EXPORT.replaceAll('2000000000', '1000000000');
    expect(() => sessionFrom(parseCookieExport(expired))).toThrow(/auth_token and ct0 cookie has expired/);
    expect(() => parseCookieExport('{"nope": 1}')).toThrow(CookieError);
    expect(() => parseCookieExport('x.com\tTRUE')).toThrow(/7 tab-separated fields/);
  });

  it('writes the session file with mode 0600 and refuses one that others can read', () => {
    const path = join(dir.path, 'secrets', 'session.json');
    writeCookieFile(path, sessionFrom(parseCookieExport(NETSCAPE)));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readCookieFile(path).map((c) => c.name)).toEqual(['auth_token', 'ct0']);
    chmodSync(path, 0o644);
    expect(() => readCookieFile(path)).toThrow(/chmod 600/);
    expect(() => readCookieFile(join(dir.path, 'none.json'))).toThrow(/tpot cookies setup/);
  });

  it('tpot cookies import converts an export and prints names only', async () => {
    writeFileSync(join(dir.path, 'cookies.txt'), NETSCAPE);
    const run = await runCli(['cookies', 'import', 'cookies.txt', '--output', 'secrets/x.json'], { cwd: dir.path });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('Saved 2 cookies (auth_token, ct0) to secrets/x.json (mode 0600).\n');
    expect(statSync(join(dir.path, 'secrets', 'x.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir.path, 'secrets', 'x.json'), 'utf8')).toContain(SECRET);
    writeFileSync(join(dir.path, 'bad.txt'), NETSCAPE.replace(/.*auth_token.*\n/, ''));
    const bad = await runCli(['cookies', 'import', 'bad.txt'], { cwd: dir.path });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/No auth_token cookie/);
    for (const out of [run.stdout, run.stderr, bad.stdout, bad.stderr]) expect(out).not.toContain(SECRET);
    expect((await runCli(['cookies', 'import', 'missing.txt'], { cwd: dir.path })).code).toBe(2);
  });
});

describe('tpot cookies setup', () => {
  const dir = useTempDir();

  it('needs a display for its window, and saves nothing when the browser holds no X session', async () => {
    const noDisplay = await runCli(['cookies', 'setup'], { cwd: dir.path });
    expect(noDisplay.code).toBe(2);
    expect(noDisplay.stderr).toMatch(/no display here.*tpot cookies import FILE/);
    if (!browserTestsEnabled()) return;
    const fake = await startFakeX({ accounts: [] });
    try {
      // Headless, and Enter pressed without logging in.
      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'cookies', 'setup', '--headless'], {
          cwd: dir.path,
          env: { PATH: process.env.PATH ?? '', TPOT_X_BASE_URL: fake.url },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('press Enter')) child.stdin.end('\n');
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('Log in to X in the browser window, then press Enter here.');
      expect(run.stderr).toMatch(/Nothing saved: No auth_token or ct0 cookie/);
      expect(existsSync(join(dir.path, 'secrets', 'x_cookies.json'))).toBe(false);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
