/**
 * The operations commands as an operator runs them (docs/OPERATIONS.md), on a populated cache and on the
 * failure paths: no database, a database locked by another process, a damaged file.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoneAccount } from '../ops/accounts.js';
import type { SystemStatus } from '../ops/status.js';
import { corruptPages } from '../testing/corrupt-db.js';
import { REPO_ROOT, tempDir } from '../testing/fixtures.js';
import { populatedCache } from '../testing/ops-fixture.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { inOrder, joined } from '../testing/patterns.js';

describe('operations commands', () => {
  const dir = useTempDir();
  let template: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    template = tempDir();
    await populatedCache(join(template.path, 'data'));
  });
  afterAll(() => template?.remove());

  /** Each test gets its own copy of the populated data directory. */
  const populate = () => cpSync(join(template.path, 'data'), join(dir.path, 'data'), { recursive: true });
  const tpot = (...args: string[]) =>
    runCli(args, {
      cwd: dir.path,
      env: { TPOT_DATA_DIR: join(dir.path, 'data'), TPOT_LOG_DIR: join(dir.path, 'logs') },
    });

  it('status, metrics summary, accounts and verify shadow report the cache', async () => {
    populate();
    const status = await tpot('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      inOrder(
        /Archives {3}8 imported, 0 not found, 1 failed/,
        /Names {6}[\d,]+ graph accounts: 8 archive, 0 REST, [\d,]+ mention, 4 shadow; [\d,]+ id only \(unnamed\)/,
        /Enrichment 4 runs in 7 days/,
        /Needs attention:\n {2}- REST tables not fresh \(followers\)/,
      ),
    );
    const json = JSON.parse((await tpot('status', '--json')).stdout) as SystemStatus;
    expect(json).toMatchObject({
      rows: { shadow_account: 4 },
      graph_names: { archive: 8, rest: 0, shadow: 4 },
      scrapes_7d: { runs: 4, succeeded: 2 },
      snapshot: { present: false },
      database: { integrity: 'ok' },
    });

    const summary = await tpot('metrics', 'summary', '--last-7-days');
    expect(summary.stdout).toMatch(/Enrichment runs, last 7 days .*: 4\n {2}succeeded 2 \(50 %\)/);
    expect(JSON.parse((await tpot('metrics', 'summary', '--days', '60', '--json')).stdout)).toMatchObject({
      days: 60,
      runs: 5,
    });
    expect((await tpot('metrics', 'summary', '--days', '0')).code).toBe(2);
    expect((await tpot('metrics', 'summary', '--days', '30', '--last-7-days')).stderr).toMatch(/cannot be used with/);

    expect((await tpot('accounts', 'stale')).stdout).toMatch(
      /^1 shadow accounts not read for 180 days \(oldest first\):\n@old_one/,
    );
    expect(
      (JSON.parse((await tpot('accounts', 'deleted', '--json')).stdout) as GoneAccount[]).map((a) => a.username),
    ).toEqual(['locked_one', 'gone_one']);

    const unverified = await tpot('verify', 'shadow');
    expect([unverified.code, unverified.stdout]).toEqual([
      1,
      expect.stringMatching(/✗ Shadow accounts in the latest analysis: No snapshot/),
    ]);
    expect((await tpot('snapshot', 'refresh')).code).toBe(0);
    const verified = await tpot('verify', 'shadow');
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringMatching(/RESULT: 6\/6 checks passed/)]);
  }, 120_000);

  it('with no database: status says how to make one (exit 1), reports name it', async () => {
    const status = await tpot('status');
    expect([status.code, status.stdout]).toEqual([
      1,
      expect.stringMatching(/Database {3}.*cache\.db: not found[\s\S]*npx tpot start/),
    ]);
    for (const args of [
      ['metrics', 'summary'],
      ['accounts', 'stale'],
      ['verify', 'shadow'],
      ['db', 'check'],
    ]) {
      const run = await tpot(...args);
      expect([args, run.code, run.stdout + run.stderr]).toEqual([
        args,
        1,
        expect.stringMatching(/(Database not found|no file) at .*cache\.db.*tpot (demo --load|start)/),
      ]);
    }
    expect((await tpot('db', 'backup')).stderr).toMatch(/No database at .* to back up/);
  }, 60_000);

  it('a database locked by another process: a clear message after a few seconds, not a hang', async () => {
    populate();
    const path = join(dir.path, 'data', 'cache.db');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(path)});
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec("UPDATE shadow_account SET bio = bio");
      process.stdout.write('locked\\n');
      setTimeout(() => db.close(), 30000);`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const started = Date.now();
      const commands = [
        ['status'],
        ['metrics', 'summary'],
        ['accounts', 'deleted'],
        ['verify', 'shadow'],
        ['db', 'check'],
        ['db', 'backup'],
      ];
      const runs = await Promise.all(commands.map((args) => tpot(...args)));
      expect(Date.now() - started).toBeLessThan(20_000);
      for (const [i, run] of runs.entries()) {
        expect([commands[i], run.code, run.stderr]).toEqual([
          commands[i],
          1,
          expect.stringMatching(/The database is locked by another process .* try again/),
        ]);
      }
    } finally {
      holder.kill();
    }
  }, 60_000);

  it('a damaged file: check names it, recover salvages it, restore puts the salvage in place', async () => {
    populate();
    const path = join(dir.path, 'data', 'cache.db');
    corruptPages(path, { table: 'archive_followers' });
    const status = await tpot('status');
    expect([status.code, status.stderr]).toEqual([
      1,
      expect.stringMatching(/The database file is damaged .*npx tpot db check.*npx tpot db recover/),
    ]);
    const check = await tpot('db', 'check');
    expect([check.code, check.stdout]).toEqual([1, expect.stringMatching(/✗ integrity_check: .*npx tpot db recover/)]);
    const recovered = await tpot('db', 'recover', '--to', join(dir.path, 'salvage.db'));
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(
      /Recovered .*cache\.db into .*salvage\.db \(.+\); integrity_check of the new file: ok\./,
    );
    expect(recovered.stdout).toMatch(/✓ shadow_account: 4 rows/);
    expect(recovered.stdout).toMatch(/Next: stop every tpot process, then npx tpot db restore .*salvage\.db/);
    expect(recovered.stdout).toMatch(/✗ archive_followers: \d+ rows \(rows were lost\)/);
    expect(recovered.stdout).toMatch(
      joined(
        /\narchive_followers: [\d,]+ rows saved of the [\d,]+ the damaged file lists; /,
        /a damaged region was skipped .*tpot import --force-reimport/,
      ),
    );
    const restored = await tpot('db', 'restore', join(dir.path, 'salvage.db'));
    expect([restored.code, restored.stdout]).toEqual([
      0,
      expect.stringMatching(/Restored .*salvage\.db as .*cache\.db[\s\S]*kept as .*cache\.db\.replaced-\d{14}/),
    ]);
    expect((await tpot('db', 'check')).code).toBe(0);
    expect((JSON.parse((await tpot('status', '--json')).stdout) as SystemStatus).rows?.shadow_account).toBe(4);

    const backup = await tpot('db', 'backup');
    expect(backup.stdout).toMatch(/Backed up .* to .*backups\/cache_\d{4}-\d{2}-\d{2}\.db: .* passed quick_check/);
    writeFileSync(join(dir.path, 'junk.db'), 'not a database at all, not at all'.repeat(300));
    const refused = await tpot('db', 'restore', join(dir.path, 'junk.db'));
    expect([refused.code, refused.stderr]).toEqual([
      1,
      expect.stringMatching(/junk\.db does not open as an SQLite database .*nothing was changed/),
    ]);
  }, 120_000);

  it('logs clean lists (dry run), then removes old snapshot pages', async () => {
    mkdirSync(join(dir.path, 'logs'), { recursive: true });
    const page = join(dir.path, 'logs', 'snapshot_alice_INCOMPLETE_DATA_1_20260101T000000.html');
    cpSync(join(REPO_ROOT, 'package.json'), page);
    const old = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(page, old, old);
    const dry = await tpot('logs', 'clean', '--older-than', '30', '--dry-run');
    expect(dry.stdout).toMatch(
      joined(
        /^Would remove 1 files \(.+\) older than 30 days from .*logs; 0 newer kept\.\n/,
        / {2}snapshot_alice_INCOMPLETE_DATA_1_20260101T000000\.html \(.+, 40 days\)/,
      ),
    );
    expect(existsSync(page)).toBe(true);
    expect((await tpot('logs', 'clean')).stdout).toMatch(/^Removed 1 files/);
    expect(existsSync(page)).toBe(false);
    expect((await tpot('logs', 'clean', '--older-than', 'soon')).code).toBe(2);
  }, 30_000);
});
