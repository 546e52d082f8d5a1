/**
 * `tpot db check|backup|restore` on real files: a healthy cache, a missing one, one that is not a
 * database, one with damaged pages; a backup taken while another process writes; restores that
 * keep the replaced file aside, and refuse what should not become the cache.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChecks } from '../checks.js';
import { openDatabase, type Db } from '../db/database.js';
import { corruptPages } from '../testing/corrupt-db.js';
import { REPO_ROOT } from '../testing/fixtures.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { backupDatabase, checkDatabase, defaultBackupPath, MaintenanceError, restoreDatabase } from './db-tools.js';
import { inOrder } from '../testing/patterns.js';

/** A cache with `edges` archive follower rows (enough pages to damage and to take a while to copy). */
function cacheWith(path: string, edges: number): void {
  const db = openDatabase(path);
  const insert = db.prepare(
    "INSERT INTO archive_followers (account_id, follower_account_id, imported_at) VALUES (?, ?, '2026-11-01 00:00:00')",
  );
  db.transaction(() => {
    for (let i = 0; i < edges; i++)
      insert.run(String(1_000_000_000_000_000_000n + BigInt(i % 300)), String(2_000_000_000_000_000_000n + BigInt(i)));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const count = (db: Db, table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('db check, backup and restore', () => {
  const dir = useTempDir();
  const cache = () => join(dir.path, 'data', 'cache.db');

  it('check passes a healthy cache and names the recovery for a damaged, foreign or missing one', () => {
    cacheWith(cache(), 20_000);
    const healthy = formatChecks(checkDatabase(cache()));
    expect(healthy.passed).toBe(true);
    expect(healthy.text).toMatch(
      inOrder(
        /✓ quick_check: ok/,
        /✓ integrity_check: ok/,
        /✓ Pages: [\d,]+ pages of 4096 bytes/,
        /✓ WAL size: 0 bytes/,
      ),
    );

    corruptPages(cache(), { table: 'archive_followers' });
    const damaged = formatChecks(checkDatabase(cache()));
    expect(damaged.passed).toBe(false);
    expect(damaged.text).toMatch(/✗ integrity_check: .*(Tree|page|malformed).*npx tpot db recover/);

    const foreign = join(dir.path, 'notes.db');
    writeFileSync(foreign, 'these are not the pages you are looking for'.repeat(200));
    expect(formatChecks(checkDatabase(foreign)).text).toMatch(
      /✗ Opens as an SQLite database: file is not a database\. .*npx tpot db recover/,
    );
    expect(formatChecks(checkDatabase(join(dir.path, 'none.db'))).text).toMatch(
      /✗ Database file present: no file at .*none\.db: npx tpot start/,
    );
  });

  it('backs up a consistent copy while another process writes', async () => {
    cacheWith(cache(), 150_000);
    // concurrent-writer.mjs holds a write lock 20 ms at a time, like an enrichment seed, for 4 s.
    const writer = spawn(
      process.execPath,
      [join(REPO_ROOT, 'src', 'testing', 'concurrent-writer.mjs'), cache(), '4000', '20'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    writer.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    const reader = openDatabase(cache(), { readonly: true });
    await expect.poll(() => count(reader, 'shadow_account'), { timeout: 10_000 }).toBeGreaterThan(0); // it is writing
    reader.close();
    const to = defaultBackupPath(join(dir.path, 'data'), cache());
    expect(to).toMatch(/backups\/cache_\d{4}-\d{2}-\d{2}\.db$/);
    const report = await backupDatabase(cache(), to);
    await exited;
    expect((JSON.parse(out) as { writes: number }).writes).toBeGreaterThan(20);
    expect(report.rows.archive_followers).toBe(150_000);
    const copy = openDatabase(to, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete'); // one self-contained file
    expect(count(copy, 'shadow_account')).toBe(report.rows.shadow_account);
    copy.close();
    expect(readdirSync(join(dir.path, 'data', 'backups'))).toEqual([to.split('/').pop()]);
    // A second backup the same day gets the time in its name; an existing --to is refused.
    expect(defaultBackupPath(join(dir.path, 'data'), cache())).toMatch(/cache_\d{4}-\d{2}-\d{2}_\d{6}\.db$/);
    await expect(backupDatabase(cache(), to)).rejects.toThrow(/exists already/);
  }, 60_000);

  it('restores a backup, keeping the replaced database (with its WAL) aside', async () => {
    cacheWith(cache(), 1_000);
    const backup = join(dir.path, 'backup.db');
    await backupDatabase(cache(), backup);
    const db = openDatabase(cache());
    db.prepare(
      "INSERT INTO shadow_account (account_id, username, source_channel, fetched_at) VALUES ('77', 'after_backup', " +
        "'test', '2026-11-23 00:00:00')",
    ).run();
    db.close();
    const report = restoreDatabase(backup, cache());
    expect(report.keptAside).toMatch(/cache\.db\.replaced-\d{14}$/);
    const restored = openDatabase(cache());
    expect([count(restored, 'shadow_account'), count(restored, 'archive_followers')]).toEqual([0, 1_000]);
    restored.close();
    const aside = openDatabase(report.keptAside!, { readonly: true });
    expect(aside.prepare('SELECT username FROM shadow_account').pluck().all()).toEqual(['after_backup']);
    aside.close();
  });

  it('refuses to restore a damaged or foreign file, or under a writer, and changes nothing', async () => {
    cacheWith(cache(), 20_000);
    const damaged = join(dir.path, 'damaged.db');
    copyFileSync(cache(), damaged);
    corruptPages(damaged, { table: 'archive_followers' });
    expect(() => restoreDatabase(damaged, cache())).toThrow(
      /fails integrity_check .*nothing was changed.*npx tpot db recover --from/,
    );
    const foreign = join(dir.path, 'other.db');
    openDatabase(':memory:').close();
    const other = new (await import('better-sqlite3')).default(foreign);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    other.close();
    expect(() => restoreDatabase(foreign, cache())).toThrow(MaintenanceError);
    expect(() => restoreDatabase(foreign, cache())).toThrow(/is not a tpot database/);

    const good = join(dir.path, 'good.db');
    copyFileSync(cache(), good);
    const writer = openDatabase(cache());
    writer.exec('BEGIN IMMEDIATE');
    try {
      expect(() => restoreDatabase(good, cache())).toThrow(/Another process is writing .*Nothing was changed/);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    expect(
      readdirSync(join(dir.path, 'data')).filter((f) => f.includes('replaced') || f.includes('restoring')),
    ).toEqual([]);
    expect(existsSync(cache())).toBe(true);
    expect(formatChecks(checkDatabase(cache())).passed).toBe(true);
  }, 30_000);
});
