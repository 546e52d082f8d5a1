/**
 * The `tpot` command line: global flags and one subcommand per module of `commands/`. Parsing
 * only; the work is in the library. Start-up is kept small (docs/ARCHITECTURE.md, "The command
 * line"): the program lists every command by its summary, and only the module of the command
 * being run is loaded, with its flags; that module loads the library inside its action.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

interface CommandEntry {
  /** The line `tpot --help` shows, and the command's description. */
  summary: string;
  load: () => Promise<() => Command>;
}

/** Every command, in the order `tpot --help` lists them. */
const COMMANDS: Record<string, CommandEntry> = {
  start: {
    summary:
      'Load the demo community into an empty cache, write the snapshot when there is none, ' +
      'and serve the API and explorer.',
    load: async () => (await import('./commands/start.js')).startCommand,
  },
  serve: {
    summary: 'Serve the JSON API and the explorer (default http://127.0.0.1:5001).',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  import: {
    summary: 'Import Community Archive archives into the SQLite cache, each archive whole or not at all.',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  sync: {
    summary: "Mirror the Community Archive's public REST tables into the cache, every row, paged by key and resumable.",
    load: async () => (await import('./commands/sync.js')).syncCommand,
  },
  analyze: {
    summary:
      'Build the follow graph and rank its accounts around the seeds: ' +
      'PageRank, betweenness, engagement, communities, composite.',
    load: async () => (await import('./commands/analyze.js')).analyzeCommand,
  },
  export: {
    summary: 'Write the follow graph with its metrics and communities for Gephi and other tools.',
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
  snapshot: {
    summary:
      'The precomputed graph the server and the map load: Arrow files, analysis and manifest in the data directory.',
    load: async () => (await import('./commands/snapshot.js')).snapshotCommand,
  },
  communities: {
    summary:
      'Named communities: curate seeds, propagate them over the graph (memberships, confidence, bands), ' +
      'evaluate, and keep versions.',
    load: async () => (await import('./commands/communities.js')).communitiesCommand,
  },
  verify: {
    summary: 'Check that the installation and its data are in order.',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
  enrich: {
    summary: "Read seeds' profiles and follow lists on X in Chromium with your session, into the shadow tables.",
    load: async () => (await import('./commands/enrich.js')).enrichCommand,
  },
  cookies: {
    summary: 'Your X session for tpot enrich: cookies kept in a file only you can read (0600).',
    load: async () => (await import('./commands/cookies.js')).cookiesCommand,
  },
  status: {
    summary:
      'Row counts, REST freshness, last import, shadow graph, enrichment success and coverage (7 days), ' +
      'snapshot age, free disk — on one screen.',
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  metrics: {
    summary: 'Enrichment run metrics (scrape_run_metrics).',
    load: async () => (await import('./commands/metrics.js')).metricsCommand,
  },
  db: {
    summary: 'The SQLite cache file: integrity, online backups, restore, recovery.',
    load: async () => (await import('./commands/db.js')).dbCommand,
  },
  accounts: {
    summary: 'Accounts of the shadow graph that need attention.',
    load: async () => (await import('./commands/accounts.js')).accountsCommand,
  },
  logs: {
    summary: 'The log directory (TPOT_LOG_DIR, default logs).',
    load: async () => (await import('./commands/logs.js')).logsCommand,
  },
  cache: {
    summary: "The running server's caches.",
    load: async () => (await import('./commands/cache.js')).cacheCommand,
  },
  demo: {
    summary: 'Write the synthetic demo community (real archive.json format), and with --load import it.',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
};

/** Global flags that take a value: their value is not a command name. */
const VALUE_FLAGS = new Set(['--data-dir', '--db', '--log-dir']);

/** The command `argv` names (also after `help`), or null. */
export function commandNameIn(argv: readonly string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const token = argv[i]!;
    if (VALUE_FLAGS.has(token)) i++;
    else if (token === 'help') continue;
    else if (!token.startsWith('-')) return token;
  }
  return null;
}

export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('tpot')
    .description('tpot-analyzer: map the TPOT community on X from the Community Archive.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'where the cache, snapshots and backups live (TPOT_DATA_DIR, default data)')
    .option('--db <file>', 'the SQLite cache (CACHE_DB_PATH, default <data dir>/cache.db)')
    .option('--log-dir <dir>', 'where log files go (TPOT_LOG_DIR, default logs)')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ npx tpot start                          # demo data into an empty cache, then serve http://127.0.0.1:5001
  $ npx tpot serve                          # serve the API and explorer over the cache as it is
  $ npx tpot import --source ./archives     # import archives from a directory
  $ npx tpot sync                           # mirror the Community Archive's REST tables (needs SUPABASE_KEY)
  $ npx tpot verify setup                   # is everything in place?
  $ npx tpot status                         # the whole system on one screen
  $ npx tpot db backup                      # an online backup to data/backups/
  $ npx tpot import --help                  # every import flag`,
    );
  const wanted = commandNameIn(argv);
  for (const [name, entry] of Object.entries(COMMANDS)) {
    // The others only need their name and summary, for the help and "did you mean" suggestions.
    const command = name === wanted ? (await entry.load())() : new Command(name);
    program.addCommand(command.description(entry.summary).showHelpAfterError('(add --help for usage)'));
  }
  throwInsteadOfExiting(program);
  return program;
}

/** The version in this package's package.json (two levels above this file, in src/ and in dist/). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Commander throws its usage errors instead of exiting, so main.ts gives them the usage status (2). */
function throwInsteadOfExiting(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExiting(sub);
}
