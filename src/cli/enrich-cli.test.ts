/** `tpot enrich` as a user runs it, against the fake X: exit statuses, the log's markers, the summary. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCookieFile } from '../shadow/cookies.js';
import { browserTestsEnabled } from '../testing/browser.js';
import { fakeSeed, startFakeX, type FakeX } from '../testing/fake-x/server.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';

describe.runIf(browserTestsEnabled())('tpot enrich', () => {
  const dir = useTempDir();
  let fake: FakeX;
  beforeAll(async () => {
    fake = await startFakeX({ ...fakeSeed({ center: 'small_a', followers: 25, following: 15 }), viewer: 'the_viewer' });
  });
  afterAll(() => fake?.close());

  const env = () => ({ TPOT_X_BASE_URL: fake.url, TPOT_DATA_DIR: join(dir.path, 'data'), TPOT_LOG_DIR: join(dir.path, 'logs') });
  const enrich = (...args: string[]) => runCli(['enrich', '--headless', '--delay-min', '0', '--delay-max', '0', '--max-scrolls', '3', ...args], { cwd: dir.path, env: env() });

  it('reads a seed, logs the runbook markers and writes the summary; exit 3 when rate limited', async () => {
    writeCookieFile(join(dir.path, 'secrets', 'x_cookies.json'), fake.cookies().map((c) => ({ name: c.name, value: c.value, domain: 'x.com', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' })));
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

  it('explains missing cookies and bad flags', async () => {
    const none = await runCli(['enrich', '--seeds', 'small_a', '--cookies', 'nope.json'], { cwd: dir.path, env: env() });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/No cookie file at .*nope\.json.*tpot cookies setup/)]);
    expect((await runCli(['enrich'], { cwd: dir.path, env: env() })).stderr).toMatch(/--seeds H,H,… or --center H/);
    expect((await runCli(['enrich', '--seeds', 'not a handle!'], { cwd: dir.path, env: env() })).code).toBe(2);
  });
});
