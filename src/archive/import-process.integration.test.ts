/**
 * The import as a real process: killed in the middle of a large archive, and racing another
 * process that reads and writes the same database.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startArchiveServer } from '../testing/archive-server.js';
import { buildArchive, CLI, ids, REPO_ROOT, tempDir } from '../testing/fixtures.js';

const run = promisify(execFile);
/** WAL bytes that show the big archive's commit transaction is under way (its pages, not yet committed). */
const WAL_MID_COMMIT = 1_000_000;

describe('tpot import as a process', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('a process killed while writing a large archive leaves no row of it, and the next run imports it', async () => {
    const source = join(dir.path, 'archives');
    const bigId = '1700000000000000777';
    mkdirSync(join(source, 'small'), { recursive: true });
    mkdirSync(join(source, 'big'), { recursive: true });
    writeFileSync(
      join(source, 'small', 'archive.json'),
      buildArchive({ accountId: '1700000000000000001', username: 'small', followers: ids('31', 100) }),
    );
    // ~1.6 M edges: committing them takes long enough for the kill to land inside the transaction.
    writeFileSync(
      join(source, 'big', 'archive.json'),
      buildArchive({
        accountId: bigId,
        username: 'big',
        followers: ids('41', 1_000_000),
        following: ids('42', 600_000),
      }),
    );
    const db = join(dir.path, 'cache.db');
    const args = [
      CLI,
      '--db',
      db,
      '--log-dir',
      join(dir.path, 'logs'),
      'import',
      '--source',
      source,
      '-u',
      'small',
      '-u',
      'big',
    ];

    const child = spawn(process.execPath, args, { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let watching: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Logged after the big archive is parsed, just before its commit transaction starts: from
        // then on, kill as soon as the transaction's pages reach the WAL (a fixed delay lands too
        // early on a busy machine).
        if (output.includes("Archive for 'big'") && !watching) {
          watching = setInterval(() => {
            if (existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > WAL_MID_COMMIT && !child.killed)
              child.kill('SIGKILL');
          }, 5);
        }
      });
      child.on('exit', () => {
        clearInterval(watching);
        resolve();
      });
    });
    await killed;
    expect(child.signalCode).toBe('SIGKILL');
    expect(output).toContain("Imported 'small'");
    expect(output).not.toContain("Imported 'big'");

    // The kill came mid-transaction: uncommitted pages had reached the WAL, and none of them count.
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(WAL_MID_COMMIT);
    const check = new Database(db, { readonly: true });
    const rows = (table: string) =>
      check.prepare(`SELECT COUNT(*) FROM ${table} WHERE account_id = ?`).pluck().get(bigId);
    expect([rows('archive_followers'), rows('archive_following'), rows('archive_profiles')]).toEqual([0, 0, 0]);
    expect(check.prepare("SELECT status FROM archive_imports WHERE username = 'big'").pluck().get()).toBeUndefined();
    expect(check.prepare("SELECT status FROM archive_imports WHERE username = 'small'").pluck().get()).toBe('imported');
    check.close();

    const rerun = await run(process.execPath, args, { cwd: dir.path });
    expect(rerun.stdout).toContain("Skipping 'small' (1700000000000000001) - already imported");
    expect(rerun.stdout).toContain('Import complete: 1 imported, 1 skipped, 0 not found, 0 failed');
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM archive_followers WHERE account_id = ?').pluck().get(bigId)).toBe(
      1_000_000,
    );
    expect(after.prepare('SELECT COUNT(*) FROM archive_following WHERE account_id = ?').pluck().get(bigId)).toBe(
      600_000,
    );
    after.close();
  });

  it('finishes with no "database is locked" failure while another process reads and writes the database', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `racer${i}`);
    const archives = new Map(
      names.map((name, i) => [
        name,
        buildArchive({
          accountId: `${1_800_000_000_000_000_000n + BigInt(i)}`,
          username: name,
          followers: ids(`5${i}`, 20_000),
          following: ids(`6${i}`, 2_000),
          tweets: 40,
          likes: 200,
        }),
      ]),
    );
    const server = await startArchiveServer({ archives });
    const db = join(dir.path, 'cache.db');
    try {
      // Create the schema first so both processes start on a migrated file.
      await run(
        process.execPath,
        [CLI, '--db', db, '--log-dir', join(dir.path, 'logs'), 'import', '--source', server.template, '-u', 'racer0'],
        { cwd: dir.path },
      );
      const writer = run(
        process.execPath,
        [join(REPO_ROOT, 'src', 'testing', 'concurrent-writer.mjs'), db, '6000', '40'],
        { cwd: dir.path },
      );
      const usernames = names.flatMap((name) => ['-u', name]);
      const result = await run(
        process.execPath,
        [
          CLI,
          '--db',
          db,
          '--log-dir',
          join(dir.path, 'logs'),
          'import',
          '--source',
          server.template,
          '--force-reimport',
          ...usernames,
        ],
        { cwd: dir.path },
      );
      const report = JSON.parse((await writer).stdout) as { writes: number; reads: number; lastSeen: number };

      expect(result.stdout).toContain('Import complete: 20 imported, 0 skipped, 0 not found, 0 failed');
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/database is locked|SQLITE_BUSY/);
      expect(report.writes).toBeGreaterThan(20);
      expect(report.lastSeen).toBeGreaterThan(0);
      const check = new Database(db, { readonly: true });
      expect(check.prepare('SELECT COUNT(*) FROM archive_followers').pluck().get()).toBe(400_000);
      check.close();
    } finally {
      await server.close();
    }
  });

  it('the dry run of the CLI creates no database', async () => {
    const server = await startArchiveServer({
      archives: new Map([['alice', buildArchive({ accountId: '1', username: 'alice', followers: ['2'] })]]),
    });
    try {
      const db = join(dir.path, 'never.db');
      const { stdout } = await run(
        process.execPath,
        [
          CLI,
          '--db',
          db,
          '--log-dir',
          join(dir.path, 'logs'),
          'import',
          '--source',
          server.template,
          '-u',
          'alice',
          '--dry-run',
        ],
        { cwd: dir.path },
      );
      expect(stdout).toContain('Dry run complete: 1 read (nothing written), 0 skipped, 0 not found, 0 failed');
      expect(existsSync(db)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
