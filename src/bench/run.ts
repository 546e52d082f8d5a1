/**
 * `npm run bench`: the archive import benchmark and the others of docs/BENCHMARKS.md.
 *
 *   corpus — 300 demo archives of ~2 MB, served over HTTP on 127.0.0.1, imported with the default
 *            concurrency into a fresh database (targets ≥ 600 archives/min and ≥ 50 MB/s);
 *   single — one ~250 MB archive the same way (target < 600 MB peak RSS; the throughput target is
 *            set on the corpus, so MB/s is reported here without one).
 *
 * Prints one Markdown table and writes it, with the machine it ran on, to
 * `bench-results/latest.md`. Data sets are cached under `bench-data/`; databases are always new.
 *
 *   sync   — `tpot sync` from the fake PostgREST (rows/s): 100,000 followers; 200,000 tweets; 1,000,000
 *            user_mentions in them, with the rebuild of rest_interactions (target ≥ 50,000 rows/s).
 *   graph  — the graph engine on a synthetic 95,000-account / 322,000-follow cache.
 *   api    — `tpot serve` in its own process over that cache and its snapshot: graph data, metrics
 *            (cache miss and hit) and /health, timed from an HTTP client.
 *
 *   startup — `tpot --help`, `--version` and `status` as new processes, run again and again (ms).
 *   communities — propagation, bootstrap and evaluation on planted graphs of 200,000 accounts.
 *
 * Flags: --quick (a tenth of every size: a smoke run), --only corpus|single|sync|graph|api|enrich|startup|communities,
 * --cpu-prof (CPU profiles of the importer process into bench-results/profiles/).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DemoOptions, SingleArchiveOptions } from '../demo/generator.js';
import { runApiBench } from './api-bench.js';
import { ChildProcesses } from './children.js';
import { corpusDataset, singleDataset, type Dataset } from './datasets.js';
import { runImportScenario, type ScenarioResult } from './import-bench.js';
import { machineLine, markdownTable, TARGETS, type Row, type Target } from './report.js';
import { runEnrichBench } from './enrich-bench.js';
import { GRAPH_SIZES, runGraphBench } from './graph-bench.js';
import { runStartupBench } from './startup-bench.js';
import { COMMUNITIES_SIZES, runCommunitiesBench } from './communities-bench.js';
import { runSyncScenario, syncTable, type SyncSizes } from './sync-bench.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA_DIR = join(REPO_ROOT, 'bench-data');
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

type ScenarioKey = 'corpus' | 'single';
type Only = ScenarioKey | 'sync' | 'graph' | 'api' | 'enrich' | 'startup' | 'communities';

/** Rows for the sync benchmark: followers, tweets, and the mentions in those tweets (docs/BENCHMARKS.md). */
const SYNC_ROWS: Record<'full' | 'quick', SyncSizes> = {
  full: { followers: 100_000, tweets: 200_000, mentions: 1_000_000 },
  quick: { followers: 10_000, tweets: 20_000, mentions: 100_000 },
};

interface Scenario {
  key: ScenarioKey;
  label: string;
  prepare(): Promise<Dataset>;
  targets: Target[];
  /** Also import it with `--no-interactions`, alternating, to show what recording interactions costs. */
  compareInteractions?: boolean;
}

/** Rounds of the with/without-interactions comparison; the fastest run of each side is reported. */
const COMPARISON_ROUNDS = 3;

interface Sizes {
  corpus: DemoOptions;
  single: SingleArchiveOptions;
}

/** ~1.9 MB per archive, ~573 MB in all; one archive of 250 MB. */
const FULL: Sizes = {
  corpus: { accounts: 300, tweetsPerAccount: 1300, likesPerAccount: 3200, seed: 42 },
  single: {
    username: 'bigarchive',
    accountId: '1500000000000000001',
    tweets: 157_750,
    likes: 450_000,
    followers: 90_000,
    following: 2_400,
    seed: 42,
  },
};

/** The same shapes at a tenth of the size. */
const QUICK: Sizes = {
  corpus: { ...FULL.corpus, accounts: 30 },
  single: { ...FULL.single, tweets: 15_775, likes: 45_000, followers: 9_000, following: 240 },
};

function scenarios(sizes: Sizes, suffix: string): Scenario[] {
  const { corpus, single } = sizes;
  return [
    {
      key: 'corpus',
      label: `corpus: ${corpus.accounts} archives`,
      prepare: () => corpusDataset(DATA_DIR, `corpus${suffix}`, corpus),
      targets: [TARGETS.archivesPerMin, TARGETS.mbPerSecond],
      compareInteractions: true,
    },
    {
      key: 'single',
      label: 'single archive',
      prepare: () => singleDataset(DATA_DIR, `single${suffix}`, single),
      targets: [TARGETS.peakRss],
    },
  ];
}

interface Flags {
  quick: boolean;
  only: Only | null;
  cpuProf: boolean;
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const choices = ['corpus', 'single', 'sync', 'graph', 'api', 'enrich', 'startup', 'communities'];
  if (values.only !== undefined && !choices.includes(values.only)) {
    throw new Error(`--only takes ${choices.map((c) => `'${c}'`).join(', ')}, not '${values.only}'`);
  }
  return { quick: values.quick, only: (values.only as Only | undefined) ?? null, cpuProf: values['cpu-prof'] };
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function prepare(scenario: Scenario): Promise<Dataset> {
  const started = Date.now();
  const dataset = await scenario.prepare();
  const how = dataset.cached
    ? 'reused from bench-data/'
    : `generated in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  progress(`${scenario.label}: ${dataset.archives.size} archives, ${(dataset.bytes / 1e6).toFixed(1)} MB (${how})`);
  return dataset;
}

async function runScenarios(
  selected: Scenario[],
  children: ChildProcesses,
  workRoot: string,
  workerExecArgv: string[],
): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const scenario of selected) {
    const dataset = await prepare(scenario);
    const run = async (interactions: boolean, name: string) => {
      const workDir = join(workRoot, name);
      const result = await runImportScenario(dataset, { children, workDir, workerExecArgv, interactions });
      await rm(workDir, { recursive: true, force: true });
      return result;
    };
    if (!scenario.compareInteractions) {
      progress(`${scenario.label}: importing…`);
      rows.push({ label: scenario.label, result: await run(true, scenario.key), targets: scenario.targets });
      continue;
    }
    const runs = new Map<boolean, ScenarioResult[]>([
      [true, []],
      [false, []],
    ]);
    for (let round = 1; round <= COMPARISON_ROUNDS; round++) {
      for (const interactions of [true, false]) {
        const side = interactions ? 'with interactions' : 'without';
        progress(`${scenario.label}: importing ${side} (round ${round} of ${COMPARISON_ROUNDS})…`);
        runs.get(interactions)!.push(await run(interactions, `${scenario.key}-${round}-${side}`));
      }
    }
    const fastest = (results: ScenarioResult[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const withThem = fastest(runs.get(true)!);
    const without = fastest(runs.get(false)!);
    rows.push({ label: scenario.label, result: withThem, targets: scenario.targets });
    rows.push({ label: `${scenario.label}, --no-interactions`, result: without, targets: [] });
    const seconds = (results: ScenarioResult[]) => results.map((r) => r.seconds.toFixed(2)).join(', ');
    const cost = (withThem.seconds / without.seconds - 1) * 100;
    notes.push(
      `${scenario.label}: recording interactions costs ${cost.toFixed(1)} % ` +
        `(fastest of ${COMPARISON_ROUNDS} alternating runs each; with: ${seconds(runs.get(true)!)} s, ` +
        `without: ${seconds(runs.get(false)!)} s; budget 5 %).`,
    );
  }
  return { rows, notes };
}

async function writeReport(tables: string[], flags: Flags): Promise<void> {
  const command = `npm run bench${flags.quick ? ' -- --quick' : ''}`;
  const text = [
    `# Benchmarks (\`${command}\`)`,
    '',
    `Machine: ${machineLine()}`,
    '',
    ...tables.flatMap((table) => [table, '']),
    'MB = 10^6 bytes of archive JSON; import seconds are the wall time of `importAll()` in the importer process;',
    'rows are the followers, following, likes and tweets stored; peak RSS is the importer process alone.',
    'Sync seconds cover every page, the staging and the swap into the live table.',
    '',
  ].join('\n');
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'latest.md'), text);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const selected = scenarios(flags.quick ? QUICK : FULL, flags.quick ? '-quick' : '').filter(
    (s) => flags.only === null || s.key === flags.only,
  );
  const workerExecArgv = flags.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS_DIR, 'profiles')] : [];
  const children = new ChildProcesses();
  const workRoot = await mkdtemp(join(tmpdir(), 'tpot-bench-'));
  const cleanUp = async () => {
    await children.killAll();
    await rm(workRoot, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  const tables: string[] = [];
  try {
    if (selected.length > 0) {
      const { rows, notes } = await runScenarios(selected, children, workRoot, workerExecArgv);
      tables.push([markdownTable(rows), ...notes.map((note) => `\n${note}`)].join('\n'));
    }
    if (flags.only === null || flags.only === 'graph') {
      const sizes = flags.quick ? GRAPH_SIZES.quick : GRAPH_SIZES.full;
      progress(`graph: a synthetic cache of ${sizes.accounts} accounts and ${sizes.edges} follows…`);
      tables.push(runGraphBench(workRoot, sizes));
    }
    if (flags.only === null || flags.only === 'api') {
      const sizes = flags.quick ? GRAPH_SIZES.quick : GRAPH_SIZES.full;
      progress(`api: tpot serve over a synthetic cache of ${sizes.accounts} accounts and ${sizes.edges} follows…`);
      tables.push(await runApiBench(workRoot, sizes, children));
    }
    if (flags.only === null || flags.only === 'enrich') {
      const sizes = flags.quick ? { followers: 50, following: 30 } : { followers: 500, following: 300 };
      const { followers, following } = sizes;
      progress(`enrich: one seed with ${followers} followers and ${following} following from the fake X…`);
      tables.push(await runEnrichBench(workRoot, sizes));
    }
    if (flags.only === null || flags.only === 'startup') {
      const sizes = flags.quick ? GRAPH_SIZES.quick : GRAPH_SIZES.full;
      progress('startup: tpot --help, --version and status as new processes…');
      tables.push(runStartupBench(workRoot, sizes, flags.quick ? 5 : 21));
    }
    if (flags.only === null || flags.only === 'communities') {
      progress('communities: propagation, bootstrap and evaluation on planted graphs…');
      tables.push(await runCommunitiesBench(workRoot, flags.quick ? COMMUNITIES_SIZES.quick : COMMUNITIES_SIZES.full));
    }
    if (flags.only === null || flags.only === 'sync') {
      const sizes = flags.quick ? SYNC_ROWS.quick : SYNC_ROWS.full;
      progress(
        `sync: ${sizes.followers} followers, ${sizes.tweets} tweets and ${sizes.mentions} user_mentions ` +
          'from a fake PostgREST…',
      );
      tables.push(syncTable(await runSyncScenario(sizes, { children, workDir: workRoot })));
    }
  } finally {
    await cleanUp();
  }
  await writeReport(tables, flags);
  process.stdout.write(`${tables.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
