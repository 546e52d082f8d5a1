/** `tpot enrich` as a user runs it, against the fake X: exit statuses, the log's markers, the summary. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { writeCookieFile } from '../shadow/cookies.js';
import { CLI } from '../testing/fixtures.js';
import { findChromium } from '../browser.js';
import { browserTestsEnabled } from '../testing/browser.js';
import { fakeSeed, startFakeX, sessionCookiesOf, type FakeX } from '../testing/fake-x/server.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { joined } from '../testing/patterns.js';

// Runs with or without a browser: what a user without Chromium sees.
describe('tpot enrich without Chromium', () => {
  const dir = useTempDir();

  it('says in one line that Chromium is missing and how to install it, before anything else', async () => {
    const missing = join(dir.path, 'no-such-chromium');
    const run = await runCli(['enrich', '--seeds', 'small_a', '--headless'], {
      cwd: dir.path,
      env: {
        TPOT_CHROME_BINARY: missing,
        TPOT_DATA_DIR: join(dir.path, 'data'),
        TPOT_LOG_DIR: join(dir.path, 'logs'),
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: Chromium was not found at ${missing} (TPOT_CHROME_BINARY): ` +
        "it is not an executable file. Install Debian's chromium: apt-get install -y chromium, " +
        'or point TPOT_CHROME_BINARY at an executable Chromium.\n',
    );
    expect(existsSync(join(dir.path, 'data', 'cache.db'))).toBe(false); // nothing was opened
  });
});

describe.runIf(browserTestsEnabled())('tpot enrich', () => {
  const dir = useTempDir();
  let fake: FakeX;
  beforeAll(async () => {
    // Two seeds alike: small_b's lists are small_a's accounts too.
    const a = fakeSeed({ center: 'small_a', followers: 25, following: 15 });
    const b = fakeSeed({ center: 'small_b', followers: 25, following: 15 });
    fake = await startFakeX({
      accounts: [...new Map([...a.accounts, ...b.accounts].map((p) => [p.handle, p])).values()],
      follows: {
        followers: { ...a.follows.followers, ...b.follows.followers },
        following: { ...a.follows.following, ...b.follows.following },
      },
      viewer: 'the_viewer',
    });
  });
  afterAll(() => fake?.close());

  const env = () => ({
    TPOT_X_BASE_URL: fake.url,
    TPOT_DATA_DIR: join(dir.path, 'data'),
    TPOT_LOG_DIR: join(dir.path, 'logs'),
  });
  const enrich = (...args: string[]) =>
    runCli(['enrich', '--headless', '--delay-min', '0', '--delay-max', '0', '--max-scrolls', '3', ...args], {
      cwd: dir.path,
      env: env(),
    });

  /** The session file where `tpot enrich` looks by default (each test has its own directory). */
  const writeSession = (name = 'x_cookies.json') =>
    writeCookieFile(join(dir.path, 'secrets', name), sessionCookiesOf(fake));
  const logLines = () =>
    readFileSync(join(dir.path, 'logs', 'enrichment.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string });

  it('reads a seed, logs the runbook markers and writes the summary; exit 3 when rate limited', async () => {
    writeSession();
    const ok = await enrich('--seeds', 'small_a');
    expect(ok.code, ok.stderr).toBe(0);
    const log = readFileSync(join(dir.path, 'logs', 'enrichment.log'), 'utf8');
    for (const marker of [
      'SEED #1/1: @small_a',
      'CAPTURED 15 unique accounts from @small_a → following',
      'CAPTURED 25 unique accounts from @small_a → followers',
      'COMPLETE',
    ])
      expect(log).toContain(marker);
    const summary = JSON.parse(readFileSync(join(dir.path, 'enrichment_summary.json'), 'utf8')) as unknown;
    expect(summary).toMatchObject({ scraped: 1, stopped: null });

    fake.setRateLimitAfter(1);
    const limited = await enrich('--seeds', 'small_a', '--no-skip-if-ever-scraped');
    expect(limited.code).toBe(3);
    expect(limited.stderr).toMatch(/rate limiting.*Wait 1–24 hours, or switch to other cookies/);
    expect(JSON.parse(readFileSync(join(dir.path, 'enrichment_summary.json'), 'utf8'))).toMatchObject({
      scraped: 0,
      stopped: { reason: 'rate_limited' },
    });
    fake.setRateLimitAfter(null);
  }, 120_000);

  it('a run killed in the middle of a seed leaves none of that seed, and the next run reads it whole', async () => {
    writeSession();
    const db = () => openDatabase(join(dir.path, 'data', 'cache.db'), { readonly: true });
    fake.setSlow(400); // each page answers slowly: the kill lands while the lists are being read
    const child = spawn(
      process.execPath,
      [
        CLI,
        'enrich',
        '--headless',
        '--delay-min',
        '0',
        '--delay-max',
        '0',
        '--seeds',
        'small_b',
        '--no-skip-if-ever-scraped',
      ],
      { cwd: dir.path, env: { PATH: process.env.PATH ?? '', ...env() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await expect
      .poll(() => output, { timeout: 30_000, message: 'the run printed: ' })
      .toMatch(/CAPTURED \d+ unique accounts from @small_b → following/);
    child.kill('SIGKILL');
    await exited;
    fake.setSlow(false);
    const before = db();
    expect(
      before.prepare("SELECT COUNT(*) FROM scrape_run_metrics WHERE seed_username = 'small_b'").pluck().get(),
    ).toBe(0);
    expect(before.prepare("SELECT COUNT(*) FROM shadow_account WHERE username = 'small_b'").pluck().get()).toBe(0);
    before.close();
    const again = await enrich('--seeds', 'small_b');
    expect(again.code, again.stderr).toBe(0);
    const after = db();
    expect(
      after
        .prepare(
          "SELECT following_captured, followers_captured FROM scrape_run_metrics WHERE seed_username = 'small_b'",
        )
        .get(),
    ).toEqual({ following_captured: 15, followers_captured: 25 });
    after.close();
  }, 120_000);

  it('explains missing cookies and bad flags', async () => {
    const none = await runCli(['enrich', '--seeds', 'small_a', '--cookies', 'nope.json'], {
      cwd: dir.path,
      env: env(),
    });
    expect([none.code, none.stderr]).toEqual([
      2,
      expect.stringMatching(/No cookie file at .*nope\.json.*tpot cookies setup/),
    ]);
    expect((await runCli(['enrich'], { cwd: dir.path, env: env() })).stderr).toMatch(/--seeds H,H,… or --center H/);
    expect((await runCli(['enrich', '--seeds', 'not a handle!'], { cwd: dir.path, env: env() })).code).toBe(2);
  });

  it('--quiet prints one line per seed; --log-level sets the console detail; the log file has everything', async () => {
    writeSession();
    const quiet = await enrich('--seeds', 'small_a', '--quiet');
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(
      joined(
        /^\[1\/1\] @small_a: scraped — following 15, followers 25, verified_followers 25, followers_you_follow 0; /,
        /40 new edges \(\d+\.\d s\)\n$/,
      ),
    );
    expect(quiet.stderr).toBe('');
    // The file has the info markers and the debug detail (each scroll).
    expect(logLines().some((l) => l.level === 20 && /small_a → following: scroll 1/.test(l.msg))).toBe(true);
    expect(logLines().some((l) => l.msg.startsWith('SEED #1/1: @small_a'))).toBe(true);

    const warnOnly = await enrich('--seeds', 'small_a', '--log-level', 'warn');
    expect([warnOnly.code, warnOnly.stdout]).toEqual([0, '']);
    const normal = await enrich('--seeds', 'small_a');
    expect(normal.stdout).toMatch(
      /SEED #1\/1: @small_a\n.*SKIPPED — @small_a: .*complete and fresh.*\n\[1\/1\] @small_a: skipped/s,
    );
    expect(normal.stdout).not.toMatch(/scroll \d/);
    expect((await enrich('--seeds', 'small_a', '--log-level', 'loud')).stderr).toMatch(
      /--log-level.*Allowed choices are debug, info, warn, error/,
    );
  }, 120_000);

  it('--require-confirmation asks before each list, answers piped in; "no" skips the list', async () => {
    writeSession();
    const run = await runCli(
      [
        'enrich',
        '--headless',
        '--delay-min',
        '0',
        '--delay-max',
        '0',
        '--max-scrolls',
        '3',
        '--seeds',
        'small_b',
        '--require-confirmation',
      ],
      { cwd: dir.path, env: env(), input: 'n\ny\n' },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Read @small_b → following (never read)? [Y/n] n\n');
    expect(run.stdout).toContain('Read @small_b → followers (never read)? [Y/n] y\n');
    // Out of answers: the rest take the default (yes).
    expect(run.stdout).toContain(
      'Read @small_b → verified_followers (read with the followers)? [Y/n] \n(no more input: yes)',
    );
    const db = openDatabase(join(dir.path, 'data', 'cache.db'), { readonly: true });
    expect(
      db
        .prepare(
          "SELECT following_captured, followers_captured FROM scrape_run_metrics WHERE seed_username = 'small_b'",
        )
        .get(),
    ).toEqual({ following_captured: 0, followers_captured: 25 });
    db.close();
  }, 120_000);

  it('--refresh-snapshot writes the snapshot with what was read; --chrome-binary is checked', async () => {
    writeSession();
    const bad = await enrich('--seeds', 'small_a', '--chrome-binary', join(dir.path, 'no-such-chromium'));
    expect([bad.code, bad.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: Chromium was not found at .*no-such-chromium \(--chrome-binary\)/),
    ]);
    const run = await enrich('--seeds', 'small_a', '--refresh-snapshot', '--chrome-binary', findChromium(null)!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Snapshot written to .* 41 nodes, 40 edges/);
    const manifest = JSON.parse(readFileSync(join(dir.path, 'data', 'graph_snapshot.meta.json'), 'utf8')) as {
      counts: { nodes: number; edges: number };
    };
    expect(manifest.counts).toMatchObject({ nodes: 41, edges: 40 });
  }, 120_000);

  it('--center reads the account, then every account it follows', async () => {
    writeSession();
    const run = await enrich(
      '--center',
      'small_a',
      '--no-followers',
      '--no-followers-you-follow',
      '--quiet',
      '--pause',
      '0',
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(16);
    expect(lines[0]).toMatch(/^\[1\/1\] @small_a: scraped — following 15/);
    expect(
      lines
        .slice(1)
        .map((l) => /@(\w+):/.exec(l)![1])
        .sort(),
    ).toEqual(Array.from({ length: 15 }, (_, i) => `fg_${String(i + 1).padStart(2, '0')}`));
  }, 120_000);

  it('finds the session in secrets/ without --cookies, and asks which one when there are several', async () => {
    writeSession('work.json');
    const one = await enrich('--seeds', 'small_a', '--profile-only');
    expect(one.code, one.stderr).toBe(0);
    writeSession('alt.json');
    const several = await enrich('--seeds', 'small_a', '--profile-only');
    expect([several.code, several.stderr]).toEqual([
      2,
      expect.stringMatching(
        /Several sessions in secrets\/ \(secrets\/alt\.json, secrets\/work\.json\): choose one with --cookies FILE/,
      ),
    ]);
    const quiet = await enrich('--seeds', 'small_a', '--profile-only', '--quiet');
    expect([quiet.code, quiet.stderr]).toEqual([0, expect.stringMatching(/using the first, secrets\/alt\.json/)]);
  }, 120_000);

  /** `tpot enrich` at a terminal: util-linux `script` gives it a pseudo-terminal; `input` is typed ahead. */
  const enrichAtTerminal = (input: string, ...args: string[]) => {
    const command = [
      process.execPath,
      CLI,
      'enrich',
      '--headless',
      '--delay-min',
      '0',
      '--delay-max',
      '0',
      '--max-scrolls',
      '3',
      ...args,
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    return new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env() },
      });
      let output = '';
      for (const stream of [child.stdout, child.stderr])
        stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdin.end(input);
      child.once('exit', (code) => resolve({ code, output }));
    });
  };

  it('at a terminal, shows the first seed read and writes nothing of it on "no"', async () => {
    writeSession();
    const declined = await enrichAtTerminal('n\n', '--seeds', 'small_a,small_b', '--no-followers');
    expect(declined.code, declined.output).toBe(1);
    expect(declined.output).toMatch(/First seed read: @small_a \(Center small_a\), id \d+\r?\n/);
    expect(declined.output).toMatch(/following: 15 captured of 15 \(100 %\): @fg_01, @fg_02, .*, …/);
    expect(declined.output).toMatch(/Proceed with enrichment\? \[Y\/n\]/);
    expect(declined.output).toMatch(/Aborted at the preview of @small_a; nothing of it was written/);
    const db = openDatabase(join(dir.path, 'data', 'cache.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM scrape_run_metrics').pluck().get()).toBe(0);
    db.close();
    const accepted = await enrichAtTerminal('', '--seeds', 'small_a', '--no-followers', '--auto-confirm-first');
    expect(accepted.code, accepted.output).toBe(0);
    expect(accepted.output).not.toMatch(/Proceed with enrichment/);
  }, 120_000);
});
