/**
 * The CLI's start-up (docs/BENCHMARKS.md, "CLI start-up"): `tpot --help`, `tpot --version` and
 * `tpot status`, each run again and again as a new process, with the wall time from spawn to exit.
 * `status` runs over a cache the size of the demo community and over one of the graph benchmark's
 * size, where its exact row counts read every edge. Node's own start-up is measured the same way,
 * so the table shows what tpot adds to it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { CLI } from '../testing/fixtures.js';
import { writeSyntheticGraph } from '../testing/synthetic-graph.js';

/** The target of every tpot row, in milliseconds (median). */
const TARGET_MS = 250;

function runTimes(args: string[], cwd: string, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString()}`);
  }
  return times.sort((a, b) => a - b);
}

interface CacheSize {
  accounts: number;
  edges: number;
  archives: number;
}

/** A cache of about the demo community's size (120 archives). */
const DEMO_SIZED: CacheSize = { accounts: 3_000, edges: 18_000, archives: 120 };

/** A working directory whose data/cache.db holds a synthetic graph of this size. */
function cacheDir(workDir: string, name: string, size: CacheSize): string {
  const dir = join(workDir, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const db = openDatabase(join(dir, 'data', 'cache.db'));
  writeSyntheticGraph(db, size);
  db.close();
  return dir;
}

export function runStartupBench(workDir: string, large: CacheSize, runs: number): string {
  const small = cacheDir(workDir, 'startup-demo', DEMO_SIZED);
  const big = cacheDir(workDir, 'startup-large', large);
  const status = (size: CacheSize) =>
    `tpot status (${size.accounts.toLocaleString('en-US')} accounts, ${size.edges.toLocaleString('en-US')} follows)`;
  const rows: { what: string; times: number[]; target: boolean }[] = [
    { what: 'node -e 0 (Node itself, for comparison)', times: runTimes(['-e', '0'], small, runs), target: false },
    { what: 'tpot --help', times: runTimes([CLI, '--help'], small, runs), target: true },
    { what: 'tpot --version', times: runTimes([CLI, '--version'], small, runs), target: true },
    { what: status(DEMO_SIZED), times: runTimes([CLI, 'status'], small, runs), target: true },
    { what: `${status(large)}: counting its rows`, times: runTimes([CLI, 'status'], big, runs), target: false },
  ];
  const ms = (value: number) => `${Math.round(value)} ms`;
  return [
    `| CLI start-up, ${runs} runs each | median | fastest | slowest | target |`,
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(({ what, times, target }) => {
      const median = times[Math.floor(times.length / 2)]!;
      const verdict = target ? `< ${TARGET_MS} ms ${median < TARGET_MS ? '✓' : '✗'}` : '';
      return `| ${what} | ${ms(median)} | ${ms(times[0]!)} | ${ms(times[times.length - 1]!)} | ${verdict} |`;
    }),
  ].join('\n');
}
