/**
 * The operator's reports (docs/OPERATIONS.md) on a populated cache: `tpot status`, `metrics summary`,
 * `accounts stale|deleted` and `verify shadow` — and that they agree with the runbook's SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecks } from '../checks.js';
import { openDatabase, type Db } from '../db/database.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { tempDir } from '../testing/fixtures.js';
import { populatedCache, POPULATED_ARCHIVES } from '../testing/ops-fixture.js';
import { runbookSql } from '../testing/runbook.js';
import { formatGoneAccounts, formatStaleAccounts, goneAccounts, staleAccounts } from './accounts.js';
import { formatScrapeSummary, summariseScrapeRuns } from './scrape-summary.js';
import { collectStatus, formatBytes, formatStatus, statusProblems } from './status.js';
import { verifyShadow } from './verify-shadow.js';
import { inOrder } from '../testing/patterns.js';
import { buildGraph } from '../graph/build.js';
import { namesOfBuiltGraph } from '../testing/graph-names.js';

describe('operations reports on a populated cache', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let empty: Db;
  beforeAll(async () => {
    dir = tempDir();
    db = openDatabase(await populatedCache(dir.path));
    empty = openDatabase(`${dir.path}/empty.db`);
  });
  afterAll(() => {
    db.close();
    empty.close();
    dir.remove();
  });

  it('metrics summary counts what the runbook SQL counts, with skip reasons, averages and accounts per minute', () => {
    const week = summariseScrapeRuns(db, 7);
    const [rate] = db.prepare(runbookSql('success-rate')).all() as Record<string, number>[];
    expect(week).toMatchObject({
      runs: rate!.runs,
      succeeded: rate!.succeeded,
      skipped: rate!.skipped,
      errors: rate!.errors,
      success_pct: rate!.success_pct,
    });
    const buckets = db.prepare(runbookSql('coverage-buckets')).all() as { bucket: string; runs: number }[];
    expect(week.coverage_buckets).toEqual(Object.fromEntries(buckets.map((b) => [b.bucket, b.runs])));
    expect(week.error_types).toEqual(db.prepare(runbookSql('error-types')).all());
    expect(week).toMatchObject({
      skipped_pct: 25,
      error_pct: 25,
      skip_reasons: [{ reason: 'deleted account', runs: 1 }],
      averages: {
        duration_seconds: 45,
        following_captured: 19.5,
        followers_captured: 65,
        following_coverage: 48.4,
        followers_coverage: 65,
      },
      accounts_per_minute: 108, // (150 + 12) accounts over 90 s of reading
      recent_errors: [
        { seed_username: 'locked_one', error_type: 'rate_limited', details: 'HTTP 429 on UserByScreenName' },
      ],
    });
    // A longer window takes the 30-day-old login wall in.
    expect(summariseScrapeRuns(db, 60)).toMatchObject({ runs: 5, errors: 2 });
    const text = formatScrapeSummary(week);
    expect(text).toContain('succeeded 2 (50 %), skipped 1 (25 %), errors 1 (25 %)');
    expect(text).toContain('1 × deleted account');
    expect(text).toMatch(/wait 1–24 h or switch sessions/);
    expect(formatScrapeSummary(summariseScrapeRuns(empty, 7))).toMatch(/^No enrichment runs in the last 7 days/);
  });

  it('accounts stale and deleted give the runbook rows', () => {
    const stale = staleAccounts(db, { days: 180, limit: 50 });
    expect(stale.accounts.map((a) => a.username)).toEqual(
      (db.prepare(runbookSql('stale-accounts')).all() as { username: string }[]).map((r) => r.username),
    );
    expect(stale).toMatchObject({ total: 1, accounts: [{ username: 'old_one', age_days: 400 }] });
    const recent = staleAccounts(db, { days: 1, limit: 2 });
    expect(recent.total).toBe(4);
    expect(formatStaleAccounts(recent, 1)).toMatch(
      /4 shadow accounts not read for 1 days[\s\S]*@old_one[\s\S]*… and 2 more \(--limit\)/,
    );
    const gone = goneAccounts(db);
    expect(gone.map((a) => [a.username, a.account_status])).toEqual([
      ['locked_one', 'protected'],
      ['gone_one', 'suspended'],
    ]);
    expect(new Set(gone.map((a) => a.username))).toEqual(
      new Set((db.prepare(runbookSql('deleted-accounts')).all() as { username: string }[]).map((r) => r.username)),
    );
    expect(formatGoneAccounts(gone)).toContain('2 accounts (0 deleted, 1 suspended, 1 protected)');
    expect(formatStaleAccounts(staleAccounts(empty, { days: 180, limit: 50 }), 180)).toBe(
      'No shadow account is older than 180 days.',
    );
    expect(formatGoneAccounts(goneAccounts(empty))).toMatch(/^No account is marked/);
  });

  it('status shows every part on one screen and names what needs attention', () => {
    const status = collectStatus({ db, dbPath: db.name, dataDir: dir.path, cacheMaxAgeDays: 7 });
    expect(status).toMatchObject({
      rows: { archive_profiles: POPULATED_ARCHIVES, shadow_account: 4, shadow_edge: 1, scrape_run_metrics: 5 },
      last_import: { imported: POPULATED_ARCHIVES, failed: 1 },
      shadow: { accounts: 4, edges: 1 },
      scrapes_7d: { runs: 4, succeeded: 2, skipped: 1, errors: 1, success_pct: 50 },
      snapshot: { present: false },
    });
    expect(status.cache_freshness.map((t) => [t.table, t.fresh])).toEqual([
      ['account', true],
      ['followers', false],
    ]);
    // The graph's accounts by the source of their names: the demo archives, the four shadow accounts, the rest
    // known only by id and mostly named by the archives' mentions; as the graph built says.
    const names = status.graph_names!;
    expect(names).toMatchObject({ archive: POPULATED_ARCHIVES, rest: 0, shadow: 4 });
    expect(names.mention).toBeGreaterThan(names.unnamed);
    expect(names).toEqual(namesOfBuiltGraph(db, buildGraph(db)));
    const text = formatStatus(status);
    const n = (value: number) => value.toLocaleString('en-US');
    expect(text).toContain(
      `Names      ${n(names.nodes)} graph accounts: 8 archive, 0 REST, ${n(names.mention)} mention, 4 shadow; ` +
        `${n(names.unnamed)} id only (unnamed)`,
    );
    for (const part of [
      'Database ',
      'Archives   8 imported',
      'REST ',
      '✗ followers',
      'Shadow     4 accounts, 1 edges',
      'Enrichment 4 runs in 7 days: 2 ok (50 %)',
      'Snapshot   none',
      'Disk ',
    ])
      expect(text).toContain(part);
    expect(statusProblems(status)).toEqual([
      'REST tables not fresh (followers): npx tpot sync.',
      '1 archive imports failed: see docs/OPERATIONS.md "What the import ledger says".',
      'No graph snapshot: npx tpot snapshot refresh.',
      '1 enrichment runs failed this week: npx tpot metrics summary.',
    ]);
    const none = collectStatus({
      db: null,
      dbPath: `${dir.path}/missing.db`,
      dataDir: `${dir.path}/nowhere`,
      cacheMaxAgeDays: 7,
    });
    expect(none.graph_names).toBeNull();
    expect(formatStatus(none)).toMatch(/Database {3}.*missing\.db: not found[\s\S]*No database at .*: npx tpot start/);
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
  });

  it('verify shadow fails until the analysis includes the shadow graph, then passes', () => {
    const before = formatChecks(verifyShadow(db, dir.path));
    expect(before.passed).toBe(false);
    expect(before.text).toMatch(
      inOrder(
        /✓ Shadow accounts cached: 4 accounts/,
        /✓ Shadow edges cached: 1 edges/,
        /✗ Shadow accounts in the latest analysis: No snapshot.*npx tpot snapshot refresh/,
      ),
    );
    refreshSnapshot(
      db,
      dir.path,
      {
        includeShadow: true,
        mutualOnly: false,
        includeInteractions: false,
        minFollowers: 0,
        seeds: [],
        alpha: 0.85,
        weights: [0.4, 0.3, 0.3],
        resolution: 1,
      },
      () => undefined,
    );
    const after = formatChecks(verifyShadow(db, dir.path));
    expect(after.text).toMatch(
      inOrder(
        /✓ Shadow accounts in the latest analysis: [1-9]\d* of \d+ nodes/,
        /✓ Shadow edges in the latest analysis: 1 of \d+ edges/,
      ),
    );
    expect(after.passed).toBe(true);
    // Enrichment written after the snapshot makes it stale.
    db.prepare(
      "INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES ('900', '903', " +
        "'outbound', 'browser', datetime('now', '+1 minutes'))",
    ).run();
    expect(formatChecks(verifyShadow(db, dir.path)).text).toMatch(
      /✗ The analysis is newer than the last enrichment: .*npx tpot snapshot refresh/,
    );
    const nothing = formatChecks(verifyShadow(empty, dir.path));
    expect(nothing.text).toMatch(/✗ Shadow accounts cached: none: npx tpot enrich/);
  });
});
