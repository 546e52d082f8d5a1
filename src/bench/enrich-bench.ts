/**
 * The enricher's benchmark (docs/BENCHMARKS.md): one seed with 500 followers and 300 following read from the
 * fake X in headless Chromium with zero delays — accounts captured per minute, and coverage
 * (captured / claimed) per list. Real X adds its own pace and the delays a careful run uses.
 */
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { silentLogger } from '../log.js';
import { Enricher } from '../shadow/enricher.js';
import { POLICY_DEFAULTS } from '../shadow/policy.js';
import { openSession } from '../shadow/session.js';
import { fakeSeed, sessionCookiesOf, startFakeX } from '../testing/fake-x/server.js';

export async function runEnrichBench(
  workDir: string,
  sizes: { followers: number; following: number },
): Promise<string> {
  const seed = fakeSeed({ center: 'bench_seed', ...sizes });
  const fake = await startFakeX({ ...seed, viewer: 'bench_viewer' });
  const db = openDatabase(join(workDir, 'enrich.db'));
  const session = await openSession({
    baseUrl: fake.url,
    cookies: sessionCookiesOf(fake),
    chromeBinary: null,
    headless: true,
  });
  try {
    const enricher = new Enricher(
      db,
      session,
      {
        baseUrl: fake.url,
        maxScrolls: 3,
        delay: { min: 0, max: 0 },
        lists: ['following', 'followers'],
        profileOnly: false,
        skipIfEverScraped: false,
        policy: POLICY_DEFAULTS,
        logDir: join(workDir, 'logs'),
        retryMs: [],
        pauseSeconds: 0,
        cookieFile: 'bench',
      },
      silentLogger(),
    );
    const started = performance.now();
    const [outcome] = await enricher.run(['bench_seed']);
    const seconds = (performance.now() - started) / 1000;
    const following = outcome!.captured.following ?? 0;
    const followers = outcome!.captured.followers ?? 0;
    const rows = [
      ['enrich: one seed, zero delays, headless Chromium against the fake X', `${seconds.toFixed(1)} s`],
      [
        'accounts captured per minute',
        `${Math.round(((following + followers) / seconds) * 60).toLocaleString('en-US')}`,
      ],
      [
        `coverage: following ${following}/${sizes.following}, followers ${followers}/${sizes.followers}`,
        `${((100 * following) / sizes.following).toFixed(1)} % / ${((100 * followers) / sizes.followers).toFixed(1)} %`,
      ],
    ];
    return ['| enricher | measured |', '| --- | ---: |', ...rows.map(([what, value]) => `| ${what} | ${value} |`)].join(
      '\n',
    );
  } finally {
    await session.close();
    db.close();
    await fake.close();
  }
}
