/** `tpot enrich` as a user runs it, against the fake X: exit statuses, the log's markers, the summary. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { writeCookieFile } from '../shadow/cookies.js';
import { CLI } from '../testing/fixtures.js';
import { browserTestsEnabled } from '../testing/browser.js';
import { fakeSeed, startFakeX, type FakeX } from '../testing/fake-x/server.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';

describe.runIf(browserTestsEnabled())('tpot enrich', () => {
  const dir = useTempDir();
  let fake: FakeX;
  beforeAll(async () => {
    // Two seeds alike: small_b's lists are small_a's accounts too.
    const a = fakeSeed({ center: 'small_a', followers: 25, following: 15 });
    const b = fakeSeed({ center: 'small_b', followers: 25, following: 15 });
    fake = await startFakeX({
      accounts: [...new Map([...a.accounts, ...b.accounts].map((p) => [p.handle, p])).values()],
      follows: { followers: { ...a.follows.followers, ...b.follows.followers }, following: { ...a.follows.following, ...b.follows.following } },
      viewer: 'the_viewer',
    });
  });
  afterAll(() => fake?.close());

  const env = () => ({ TPOT_X_BASE_URL: fake.url, TPOT_DATA_DIR: join(dir.path, 'data'), TPOT_LOG_DIR: join(dir.path, 'logs') });
  const enrich = (...args: string[]) => runCli(['enrich', '--headless', '--delay-min', '0', '--delay-max', '0', '--max-scrolls', '3', ...args], { cwd: dir.path, env: env() });

  /** The session file where `tpot enrich` looks by default (each test has its own directory). */
  const writeSession = () => writeCookieFile(join(dir.path, 'secrets', 'x_cookies.json'), fake.cookies().map((c) => ({ name: c.name, value: c.value, domain: 'x.com', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' as const })));

  it('reads a seed, logs the runbook markers and writes the summary; exit 3 when rate limited', async () => {
    writeSession();
    const ok = await enrich('--seeds', 'small_a');
    expect(ok.code, ok.stderr).toBe(0);
    const log = readFileSync(join(dir.path, 'logs', 'enrichment.log'), 'utf8');
    for (const marker of ['SEED #1/1: @small_a', 'CAPTURED 15 unique accounts from @small_a → following', 'CAPTURED 25 unique accounts from @small_a → followers', 'COMPLETE']) expect(log).toContain(marker);
    const summary = JSON.parse(readFileSync(join(dir.path, 'enrichment_summary.json'), 'utf8'));
    expect(summary).toMatchObject({ scraped: 1, stopped: null });

    fake.setRateLimitAfter(1);
    const limited = await enrich('--seeds', 'small_a', '--no-skip-if-ever-scraped');
    expect(limited.code).toBe(3);
    expect(limited.stderr).toMatch(/rate limiting.*Wait 1–24 hours, or switch to other cookies/);
    fake.setRateLimitAfter(null);
  }, 120_000);

  it('a run killed in the middle of a seed leaves none of that seed, and the next run reads it whole', async () => {
    writeSession();
    const db = () => openDatabase(join(dir.path, 'data', 'cache.db'), { readonly: true });
    fake.setSlow(400); // each page answers slowly: the kill lands while the lists are being read
    const child = spawn(process.execPath, [CLI, 'enrich', '--headless', '--delay-min', '0', '--delay-max', '0', '--seeds', 'small_b', '--no-skip-if-ever-scraped'], { cwd: dir.path, env: { PATH: process.env.PATH ?? '', ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await expect.poll(() => output, { timeout: 30_000, message: 'the run printed: ' }).toMatch(/CAPTURED \d+ unique accounts from @small_b → following/);
    child.kill('SIGKILL');
    await exited;
    fake.setSlow(false);
    const before = db();
    expect(before.prepare("SELECT COUNT(*) FROM scrape_run_metrics WHERE seed_username = 'small_b'").pluck().get()).toBe(0);
    expect(before.prepare("SELECT COUNT(*) FROM shadow_account WHERE username = 'small_b'").pluck().get()).toBe(0);
    before.close();
    const again = await enrich('--seeds', 'small_b');
    expect(again.code, again.stderr).toBe(0);
    const after = db();
    expect(after.prepare("SELECT following_captured, followers_captured FROM scrape_run_metrics WHERE seed_username = 'small_b'").get()).toEqual({ following_captured: 15, followers_captured: 25 });
    after.close();
  }, 120_000);

  it('explains missing cookies and bad flags', async () => {
    const none = await runCli(['enrich', '--seeds', 'small_a', '--cookies', 'nope.json'], { cwd: dir.path, env: env() });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/No cookie file at .*nope\.json.*tpot cookies setup/)]);
    expect((await runCli(['enrich'], { cwd: dir.path, env: env() })).stderr).toMatch(/--seeds H,H,… or --center H/);
    expect((await runCli(['enrich', '--seeds', 'not a handle!'], { cwd: dir.path, env: env() })).code).toBe(2);
  });
});
