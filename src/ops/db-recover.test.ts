import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../db/database.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { corruptHeader, corruptPages, corruptRoot } from '../testing/corrupt-db.js';
import { ids } from '../testing/fixtures.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { findSqlite3, recoverDatabase, sqlite3CanRecover, type RecoveryReport } from './db-recover.js';
import { errorMessage } from '../errors.js';

const FOLLOWERS = 4000;
const SHADOW_ACCOUNTS = 3000;
/** Rows of the small tables, which the damage does not touch. */
const WHOLE = { archive_profiles: 4, archive_imports: 4, shadow_edge: 20, scrape_run_metrics: 3, cache_metadata: 1 };

const sqlite3 = findSqlite3();
/** Debian 12's sqlite3 has no working .recover; the test of that path needs one that has. */
const canRecover = sqlite3 !== null && sqlite3CanRecover(sqlite3);

const owners = ids('100', 4);
const followerIds = ids('1', FOLLOWERS);
const shadowIds = ids('2', SHADOW_ACCOUNTS);

/** A cache with a few thousand WITHOUT ROWID edges and rowid shadow accounts, closed and checkpointed. */
function buildCache(path: string): void {
  const db = openDatabase(path);
  const at = '2024-02-01 00:00:00';
  db.transaction(() => {
    const edge = db.prepare(
      'INSERT INTO archive_followers (account_id, follower_account_id, uploaded_at, imported_at) VALUES (?, ?, ?, ?)',
    );
    followerIds.forEach((id, i) => edge.run(owners[i % owners.length], id, '2024-01-01 00:00:00', at));
    const shadow = db.prepare(
      "INSERT INTO shadow_account (account_id, username, bio, source_channel, fetched_at) VALUES (?, ?, ?, 'test', ?)",
    );
    shadowIds.forEach((id, i) => shadow.run(id, `shadow${i}`, `bio of shadow ${i}`, at));
    owners.forEach((id, i) => {
      db.prepare('INSERT INTO archive_profiles (account_id, username, imported_at) VALUES (?, ?, ?)').run(
        id,
        `owner${i}`,
        at,
      );
      db.prepare(
        "INSERT INTO archive_imports (username, account_id, status, imported_at) VALUES (?, ?, 'imported', ?)",
      ).run(`owner${i}`, id, at);
    });
    for (let i = 0; i < WHOLE.shadow_edge; i++) {
      db.prepare(
        'INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES (?, ?, ' +
          "'outbound', 'test', ?)",
      ).run(shadowIds[i], owners[i % 4], at);
    }
    for (let i = 0; i < WHOLE.scrape_run_metrics; i++) {
      db.prepare('INSERT INTO scrape_run_metrics (seed_account_id, seed_username, run_at) VALUES (?, ?, ?)').run(
        owners[i],
        `owner${i}`,
        at,
      );
    }
    db.prepare("INSERT INTO cache_metadata (table_name, fetched_at, row_count) VALUES ('account', ?, 0)").run(at);
  })();
  db.close();
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

function fingerprint(path: string): { sha256: string; mtimeMs: number } {
  return { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), mtimeMs: statSync(path).mtimeMs };
}

function entry(report: RecoveryReport, table: string): RecoveryReport['tables'][number] {
  const found = report.tables.find((t) => t.table === table);
  if (!found) throw new Error(`no entry for ${table}`);
  return found;
}

/** The small tables and shadow_account came through whole and are not flagged. */
function expectUndamagedTablesWhole(report: RecoveryReport): void {
  expect(entry(report, 'shadow_account')).toEqual({ table: 'shadow_account', rows: SHADOW_ACCOUNTS, damaged: false });
  for (const [table, rows] of Object.entries(WHOLE))
    expect(entry(report, table), table).toEqual({ table, rows, damaged: false });
}

describe('recoverDatabase', () => {
  const dir = useTempDir();
  const damagedCache = () => {
    const path = join(dir.path, 'cache.db');
    buildCache(path);
    const { pages } = corruptPages(path, { table: 'archive_followers' });
    return { path, pages };
  };

  it('starts from real damage: the test file fails integrity_check and a full read errors', () => {
    const { path, pages } = damagedCache();
    expect(pages.length).toBeGreaterThan(0);
    expect(integrity(path)).not.toBe('ok');
    const db = new Database(path, { readonly: true });
    expect(() => db.prepare('SELECT * FROM archive_followers ORDER BY account_id, follower_account_id').all()).toThrow(
      /malformed|corrupt/i,
    );
    db.close();
  });

  it('table scan: keeps every readable row on both sides of the damaged region and leaves the source as it was', () => {
    const { path } = damagedCache();
    const before = fingerprint(path);
    const output = join(dir.path, 'recovered.db');

    const report = recoverDatabase({ source: path, output, sqlite3: null });

    expect(report).toMatchObject({ method: 'table scan', source: path, output, lostAndFound: 0, integrity: 'ok' });
    expect(integrity(output)).toBe('ok');
    expect(readdirSync(dir.path).filter((name) => name.includes('.tmp'))).toEqual([]);
    expect(fingerprint(path)).toEqual(before);

    const followers = entry(report, 'archive_followers');
    expect(followers.damaged).toBe(true);
    expect(followers.rows).toBeGreaterThan(FOLLOWERS / 2);
    expect(followers.rows).toBeLessThan(FOLLOWERS);
    expect(report.notes.join('\n')).toMatch(
      /archive_followers: [\d,]+ rows saved.*a damaged region was skipped \(rows in it are lost/,
    );
    expectUndamagedTablesWhole(report);

    const db = openDatabase(output);
    // Both ends of the key range survive (forward and backward scans), and no garbage rows came through.
    const saved = db.prepare('SELECT account_id, follower_account_id FROM archive_followers').all() as {
      account_id: string;
      follower_account_id: string;
    }[];
    expect(saved.length).toBe(followers.rows);
    const original = new Set(followerIds.map((id, i) => `${owners[i % 4]}/${id}`));
    expect(saved.every((row) => original.has(`${row.account_id}/${row.follower_account_id}`))).toBe(true);
    const firstKey = [...original].sort()[0];
    const lastKey = [...original].sort().at(-1);
    expect(saved.map((row) => `${row.account_id}/${row.follower_account_id}`)).toEqual(
      expect.arrayContaining([firstKey, lastKey]),
    );
    expect(db.prepare('SELECT bio FROM shadow_account WHERE account_id = ?').get(shadowIds[1234])).toEqual({
      bio: 'bio of shadow 1234',
    });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('table scan of an undamaged file copies everything and says nothing was lost', () => {
    const path = join(dir.path, 'cache.db');
    buildCache(path);
    const report = recoverDatabase({ source: path, output: join(dir.path, 'copy.db'), sqlite3: null });
    expect(entry(report, 'archive_followers')).toEqual({ table: 'archive_followers', rows: FOLLOWERS, damaged: false });
    expectUndamagedTablesWhole(report);
    expect(report.notes).toContain('No rows were lost.');
  });

  it.runIf(canRecover)('sqlite3 .recover: saves the rows, and the new file opens migrated and takes writes', () => {
    const { path } = damagedCache();
    const before = fingerprint(path);
    const output = join(dir.path, 'recovered.db');

    const report = recoverDatabase({ source: path, output });

    expect(report).toMatchObject({ method: 'sqlite3 .recover', integrity: 'ok' });
    expect(integrity(output)).toBe('ok');
    expect(fingerprint(path)).toEqual(before);
    expect(readdirSync(dir.path).filter((name) => name.includes('.tmp'))).toEqual([]);
    expectUndamagedTablesWhole(report);
    const followers = entry(report, 'archive_followers');
    expect(followers.rows).toBeGreaterThan(0);
    expect(followers.rows).toBeLessThan(FOLLOWERS);
    expect(followers.damaged).toBe(true);

    const db = openDatabase(output);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.prepare(
      "INSERT INTO archive_followers (account_id, follower_account_id, imported_at) VALUES ('1', '2', '2024-03-01 " +
        "00:00:00')",
    ).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM archive_followers').get()).toEqual({ n: followers.rows + 1 });
    db.close();
  });

  it.runIf(canRecover)('sqlite3 .recover: rows it cannot place stay in lost_and_found of the new file', () => {
    const path = join(dir.path, 'cache.db');
    buildCache(path);
    // Without its root page, archive_followers' leaves are orphans: .recover finds them, but not their table.
    corruptRoot(path, 'archive_followers');
    const output = join(dir.path, 'recovered.db');

    const report = recoverDatabase({ source: path, output });

    expect(report.method).toBe('sqlite3 .recover');
    expect(report.lostAndFound).toBeGreaterThan(FOLLOWERS / 2);
    expect(entry(report, 'archive_followers')).toMatchObject({ rows: 0, damaged: true });
    expect(report.notes.join('\n')).toMatch(/could not be placed in a table; they are in the table lost_and_found/);
    expectUndamagedTablesWhole(report);
    const db = openDatabase(output);
    expect(db.prepare('SELECT COUNT(*) AS n FROM lost_and_found').get()).toEqual({ n: report.lostAndFound });
    db.close();
  });

  it('falls back to a table scan, and says so, when the sqlite3 found cannot run .recover', () => {
    const { path } = damagedCache();
    // Behaves like Debian 12's shell: the first lines of the script, then a failure.
    const fake = join(dir.path, 'sqlite3');
    writeFileSync(fake, "#!/bin/sh\necho 'BEGIN;'\necho 'sql error: SQL logic error (1)' >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    const report = recoverDatabase({ source: path, output: join(dir.path, 'recovered.db'), sqlite3: fake });
    expect(report.method).toBe('table scan');
    expect(report.notes[0]).toMatch(/cannot run \.recover.*table scan was used/);
    expect(entry(report, 'archive_followers').damaged).toBe(true);
  });

  it('refuses to overwrite an existing output, naming it', () => {
    const path = join(dir.path, 'cache.db');
    buildCache(path);
    const output = join(dir.path, 'taken.db');
    writeFileSync(output, 'mine');
    expect(() => recoverDatabase({ source: path, output, sqlite3: null })).toThrow(output);
    expect(readFileSync(output, 'utf8')).toBe('mine');
  });

  describe('a file whose schema page is damaged', () => {
    const headerless = () => {
      const path = join(dir.path, 'cache.db');
      buildCache(path);
      corruptHeader(path);
      return path;
    };
    const leftovers = () => readdirSync(dir.path).filter((name) => name.startsWith('recovered'));

    it('table scan: throws that the schema page is damaged and .recover is needed, leaving no file', () => {
      const path = headerless();
      expect(() => recoverDatabase({ source: path, output: join(dir.path, 'recovered.db'), sqlite3: null })).toThrow(
        /first page is damaged.*SQLite's \.recover can.*Install a sqlite3 shell whose \.recover works/,
      );
      expect(leftovers()).toEqual([]);
    });

    it.runIf(canRecover)(
      'sqlite3 .recover: either reports what it saved or throws what it met, never leaving a half file',
      () => {
        const path = headerless();
        const output = join(dir.path, 'recovered.db');
        let report: RecoveryReport | null = null;
        try {
          report = recoverDatabase({ source: path, output });
        } catch (error) {
          // SQLite 3.40's .recover gives up on a file without its header ("file is not a database").
          expect(errorMessage(error)).toMatch(/\.recover could not read .*Keep the file/);
        }
        if (report) expect(report.integrity).toBe('ok');
        expect(leftovers()).toEqual(report ? ['recovered.db'] : []);
      },
    );
  });
});
