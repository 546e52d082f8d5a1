/** The `tpot` binary as a user runs it: help, wrong input, exit statuses, log files. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startArchiveServer, type ArchiveServer } from '../testing/archive-server.js';
import { buildArchive, CLI, ids, tempDir } from '../testing/fixtures.js';
import type { GraphDataPayload, HealthPayload } from '../api/wire.js';
import { runCli, startCliServer } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';

describe('tpot CLI', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: ArchiveServer | null = null;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    dir.remove();
  });

  const tpot = (...args: string[]) => runCli(args, { cwd: dir.path });

  it('prints help with examples for the program and every command', async () => {
    const main = await tpot('--help');
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Commands:[\s\S]*start[\s\S]*import[\s\S]*sync[\s\S]*verify[\s\S]*demo/);
    for (const command of [
      'import',
      'sync',
      'analyze',
      'export',
      'snapshot',
      'verify',
      'demo',
      'start',
      'serve',
      'cache',
      'cookies',
      'enrich',
    ]) {
      const help = await tpot(command, '--help');
      expect(help.stdout, command).toContain('Example');
    }
    expect((await tpot('import', '--help')).stdout).toMatch(
      /--max-archives[\s\S]*--merge-strategy[\s\S]*--concurrency/,
    );
  });

  it('rejects an unknown flag and a bad flag value with a message naming it', async () => {
    const unknown = await tpot('import', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const bad = await tpot('import', '--concurrency', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency must be a whole number');
  });

  it('rejects invalid usernames before any request, with exit status 2', async () => {
    server = await startArchiveServer({
      archives: new Map([['alice', buildArchive({ accountId: '1', username: 'alice' })]]),
    });
    const run = await tpot(
      'import',
      '--source',
      server.template,
      '-u',
      'alice',
      '-u',
      '../../etc/passwd',
      '-u',
      'has space',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid usernames "../../etc/passwd", "has space"');
    expect(server.requests).toHaveLength(0);
  });

  it('explains a missing source, a missing usernames file and an empty run', async () => {
    const missing = await tpot('import', '--source', 'no-such-dir');
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('Archive source not found')]);
    const file = await tpot('import', '--source', '.', '--usernames-file', 'nope.txt');
    expect([file.code, file.stderr]).toEqual([2, expect.stringContaining('Usernames file not found: nope.txt')]);
    const empty = await tpot('import', '--source', 'http://127.0.0.1:9/{username}/archive.json');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No archives to import');
  });

  it('imports from a usernames file, logs the runbook lines to logs/import.log, exits 1 if one failed', async () => {
    server = await startArchiveServer({
      archives: new Map([
        [
          'alice',
          buildArchive({
            accountId: '1700000000000000001',
            username: 'alice',
            followers: ['2', '3'],
            following: ['4'],
          }),
        ],
        ['broken', Buffer.from('{"account":')],
      ]),
    });
    writeFileSync(join(dir.path, 'names.txt'), '# archives to import\nalice\n@Broken\n\nmissing_one  # not uploaded\n');
    const run = await tpot('import', '--source', server.template, '--usernames-file', 'names.txt');
    expect(run.code).toBe(1);
    const log = readFileSync(join(dir.path, 'logs', 'import.log'), 'utf8');
    for (const line of [
      "[1/3] Processing 'alice'...",
      "Archive for 'alice' (1700000000000000001): 1 following, 2 followers",
      `Archive not found for 'missing_one' at ${server.url}/missing_one/archive.json`,
      'Import complete: 1 imported, 0 skipped, 1 not found, 1 failed',
    ]) {
      expect(log).toContain(line);
      expect(run.stdout + run.stderr).toContain(line);
    }
    const db = new Database(join(dir.path, 'data', 'cache.db'), { readonly: true });
    expect(db.prepare('SELECT username, status FROM archive_imports ORDER BY username').all()).toEqual([
      { username: 'alice', status: 'imported' },
      { username: 'broken', status: 'failed' },
      { username: 'missing_one', status: 'not_found' },
    ]);
    db.close();

    const again = await tpot('import', '--source', server.template, '-u', 'alice');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Skipping 'alice' (1700000000000000001) - already imported");
  });

  it('Ctrl-C stops after the archive being written: nothing marked failed, the next run finishes', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `slow${i}`);
    const archives = new Map(
      names.map((name, i) => [
        name,
        buildArchive({
          accountId: `${1_900_000_000_000_000_000n + BigInt(i)}`,
          username: name,
          followers: ids(`7${i}`, 500),
        }),
      ]),
    );
    server = await startArchiveServer({
      archives,
      faults: new Map(names.map((name) => [name, { kind: 'slow', chunks: 4, gapMs: 150 } as const])),
    });
    const args = [
      CLI,
      'import',
      '--source',
      server.template,
      '--concurrency',
      '2',
      ...names.flatMap((name) => ['-u', name]),
    ];
    const child = spawn(process.execPath, args, { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Imported ') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Stopping after the archive being written');
    expect(stderr).toMatch(/Import stopped early \(interrupted\): \d+ archives were not attempted/);
    const db = new Database(join(dir.path, 'data', 'cache.db'), { readonly: true });
    const statuses = db.prepare('SELECT status FROM archive_imports').pluck().all();
    db.close();
    expect(statuses.length).toBeGreaterThanOrEqual(1);
    expect(statuses.length).toBeLessThan(8);
    expect(statuses.every((status) => status === 'imported')).toBe(true);

    const rest = await tpot(...args.slice(1));
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain(
      `Import complete: ${8 - statuses.length} imported, ${statuses.length} skipped, 0 not found, 0 failed`,
    );
  });

  it('refuses a malformed environment variable with a message naming it', async () => {
    const run = await runCli(['start'], { cwd: dir.path, env: { PORT: 'eighty' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PORT must be a whole number');
  });

  it('start loads the demo into an empty cache once, writes the snapshot, serves; the next only serves', async () => {
    const first = await startCliServer(['start', '--port', '0'], { cwd: dir.path, timeoutMs: 120_000 });
    try {
      expect(first.output()).toContain('loading the demo community');
      expect(first.output()).toMatch(/Import complete: 120 imported, 0 skipped, 0 not found, 0 failed/);
      expect(first.output()).toContain('This is DEMO data');
      expect(first.output()).toMatch(/\[6\/6\] Checking that the snapshot loads/);
      const health = (await request(`${first.url}/health`)).body;
      expect(await health.json()).toMatchObject({
        status: 'ok',
        database: { present: true, demo: true },
        snapshot: { present: true, used_for_default_view: true },
      });
      const graph = (await (await request(`${first.url}/api/graph-data`)).body.json()) as {
        source: string;
        nodes: { username: (string | null)[] };
      };
      expect(graph.source).toBe('snapshot');
      expect(graph.nodes.username.filter((u) => u !== null).length).toBeGreaterThanOrEqual(120);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startCliServer(['start', '--port', '0'], { cwd: dir.path });
    expect(await second.stop()).toBe(0);
    expect(second.output()).not.toContain('loading the demo community');
    expect(second.output()).not.toContain('[1/6]');
    expect(second.output()).toContain('archives imported: 120');
  }, 180_000);

  it('demo writes a deterministic community and --load imports it through the importer', async () => {
    const a = await tpot('demo', '--accounts', '6', '--out', 'a');
    const b = await tpot('demo', '--accounts', '6', '--out', 'b');
    expect(a.code + b.code).toBe(0);
    const archives = readdirSync(join(dir.path, 'a'))
      .filter((name) => !name.endsWith('.json'))
      .sort();
    expect(archives).toHaveLength(6);
    for (const name of archives) {
      expect(
        readFileSync(join(dir.path, 'a', name, 'archive.json')).equals(
          readFileSync(join(dir.path, 'b', name, 'archive.json')),
        ),
      ).toBe(true);
    }
    const load = await tpot('--db', 'demo.db', 'demo', '--accounts', '6', '--out', 'c', '--load');
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('Import complete: 6 imported, 0 skipped, 0 not found, 0 failed');
    expect(existsSync(join(dir.path, 'demo.db'))).toBe(true);
  });
});

describe('tpot analyze', () => {
  const dir = useTempDir();

  it('analyses the demo community, reports unknown seeds, writes the analysis file; explains bad flags', async () => {
    await runCli(['demo', '--accounts', '12', '--load'], { cwd: dir.path });
    const run = await runCli(['analyze', '--seeds', 'nobody_here', '--output', 'out.json'], { cwd: dir.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Graph: \d+ accounts, \d+ follows/);
    expect(run.stdout).toContain('Seeds: none (plain PageRank); not in the graph: nobody_here');
    expect(run.stderr).toContain('Seeds not in the graph (ignored): nobody_here');
    const output = JSON.parse(readFileSync(join(dir.path, 'out.json'), 'utf8')) as {
      unknown_seeds: string[];
      top: { composite: unknown[] };
    };
    expect(output.unknown_seeds).toEqual(['nobody_here']);
    expect(output.top.composite).toHaveLength(20);

    const weights = await runCli(['analyze', '--weights', '1', '2'], { cwd: dir.path });
    expect([weights.code, weights.stderr]).toEqual([
      2,
      'error: --weights takes three numbers: PageRank, betweenness, engagement.\n',
    ]);
    const list = await runCli(['analyze', '--seed-list', 'og_tpot'], { cwd: dir.path });
    expect([list.code, list.stderr]).toEqual([2, expect.stringContaining('No seed list "og_tpot"')]);
    const alpha = await runCli(['analyze', '--alpha', '1.5'], { cwd: dir.path });
    expect(alpha.stderr).toContain('--alpha must be between 0 and 1');
  });
});

describe('tpot export', () => {
  const dir = useTempDir();

  it('writes each format where asked, and requires a known --format', async () => {
    await runCli(['demo', '--accounts', '8', '--load'], { cwd: dir.path });
    const gexf = await runCli(['export', '--format', 'gexf'], { cwd: dir.path });
    expect(gexf.code).toBe(0);
    const [, accounts] = /Wrote .*data\/graph\.gexf: (\d+) accounts, \d+ follows/.exec(gexf.stdout) ?? [];
    expect(Number(accounts)).toBeGreaterThanOrEqual(8);
    expect(readFileSync(join(dir.path, 'data', 'graph.gexf'), 'utf8')).toContain('<gexf xmlns="http://gexf.net/1.3"');
    const csv = await runCli(['export', '--format', 'csv', '--output', 'm.csv'], { cwd: dir.path });
    expect(csv.code).toBe(0);
    expect(readFileSync(join(dir.path, 'm.csv'), 'utf8').trim().split('\n')).toHaveLength(Number(accounts) + 1);
    const missing = await runCli(['export'], { cwd: dir.path });
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining("required option '--format <format>' not specified"),
    ]);
    const wrong = await runCli(['export', '--format', 'pdf'], { cwd: dir.path });
    expect(wrong.stderr).toContain('Allowed choices are gexf, graphml, csv');
  });
});

describe('tpot snapshot', () => {
  const dir = useTempDir();

  it('verify fails without a snapshot, refresh reports six steps, then verify passes; so does analyze', async () => {
    await runCli(['demo', '--accounts', '10', '--load'], { cwd: dir.path });
    const before = await runCli(['snapshot', 'verify'], { cwd: dir.path });
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/✗ Files present: missing .*npx tpot snapshot refresh/);

    const refresh = await runCli(['snapshot', 'refresh'], { cwd: dir.path });
    expect(refresh.code).toBe(0);
    for (let step = 1; step <= 6; step++) expect(refresh.stdout).toContain(`[${step}/6] `);
    expect(refresh.stdout).toMatch(/Snapshot written to .* \d+ nodes, \d+ edges, \d+ communities/);
    const after = await runCli(['snapshot', 'verify'], { cwd: dir.path });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('RESULT: 6/6 checks passed');

    const analyze = await runCli(['analyze', '--summary-only', '--refresh-snapshot'], { cwd: dir.path });
    expect(analyze.code).toBe(0);
    expect(analyze.stdout).toContain('[6/6] Checking that the snapshot loads...');
  });

  it('a snapshot refreshed with default flags is the default view of a server with default settings', async () => {
    await runCli(['demo', '--accounts', '10', '--load'], { cwd: dir.path });
    expect((await runCli(['snapshot', 'refresh'], { cwd: dir.path })).code).toBe(0);
    const server = await startCliServer(['serve', '--port', '0'], { cwd: dir.path });
    try {
      const health = (await (await request(`${server.url}/health`)).body.json()) as HealthPayload;
      expect(health.snapshot).toMatchObject({ present: true, used_for_default_view: true });
      const graph = (await (await request(`${server.url}/api/graph-data`)).body.json()) as GraphDataPayload;
      expect(graph.source).toBe('snapshot');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
