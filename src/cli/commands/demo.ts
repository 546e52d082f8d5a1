/**
 * `tpot demo` (SPEC §9): writes the deterministic demo community in the real archive.json format,
 * and with --load imports it through the real importer from a directory source.
 */
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import type { Config } from '../../config.js';
import { ArchiveImporter, type ImportSummary } from '../../archive/importer.js';
import { DirectoryArchiveSource } from '../../archive/sources/directory-source.js';
import { openDatabase } from '../../db/database.js';
import { formatSummary, summariseDatabase } from '../../db/summary.js';
import { writeDemoCommunity, type DemoManifest } from '../../demo/generator.js';
import type { Logger } from '../../log.js';
import { configFrom, loggerFor } from '../context.js';
import { EXIT, positiveInteger } from '../options.js';

export const DEFAULT_DEMO_ACCOUNTS = 120;

interface DemoFlags {
  accounts: number;
  population?: number;
  seed: number;
  out?: string;
  load?: boolean;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('Write the synthetic demo community (real archive.json format), and with --load import it.')
    .option(
      '--accounts <n>',
      'archive accounts in the community',
      positiveInteger('--accounts', 1_000_000),
      DEFAULT_DEMO_ACCOUNTS,
    )
    .option(
      '--population <n>',
      'accounts in the whole network, archive or not (default 25 per archive account)',
      positiveInteger('--population', 10_000_000),
    )
    .option('--seed <n>', 'random seed: the same seed gives the same community', positiveInteger('--seed'), 42)
    .option('--out <dir>', 'where to write <username>/archive.json files (default <data dir>/demo-archives)')
    .option('--load', 'import the written archives into the cache through the real importer')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot demo --load                        # the demo community npm start uses
  $ tpot demo --accounts 300 --out /tmp/demo # write 300 archives, import nothing
  $ tpot import --source /tmp/demo           # then import them yourself`,
    )
    .action(async (flags: DemoFlags, command: Command) => {
      const config = configFrom(command);
      const log = loggerFor(config, 'demo');
      const outDir = resolve(flags.out ?? join(config.dataDir, 'demo-archives'));
      const manifest = await writeDemo(outDir, flags, log);
      if (!flags.load) return;
      const summary = await loadDemo(config, outDir, log);
      process.exitCode = summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });
}

async function writeDemo(outDir: string, flags: DemoFlags, log: Logger): Promise<DemoManifest> {
  const started = Date.now();
  const manifest = await writeDemoCommunity(outDir, {
    accounts: flags.accounts,
    seed: flags.seed,
    ...(flags.population ? { population: flags.population } : {}),
  });
  log.info(
    `Wrote ${manifest.accounts.length} demo archives (${manifest.communities} communities, ${manifest.population} accounts in the network, ${(manifest.bytes / 1e6).toFixed(1)} MB) to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return manifest;
}

/** Imports a written demo community into the configured cache; used by `demo --load` and `npm start`. */
export async function loadDemo(config: Config, outDir: string, log: Logger): Promise<ImportSummary> {
  const db = openDatabase(config.dbPath);
  try {
    const importer = new ArchiveImporter({ db, source: new DirectoryArchiveSource(outDir), logger: log });
    const summary = await importer.importAll();
    log.info(formatSummary(summariseDatabase(db), config.dbPath));
    return summary;
  } finally {
    db.close();
  }
}

export async function writeAndLoadDemo(config: Config, log: Logger): Promise<ImportSummary> {
  const outDir = join(config.dataDir, 'demo-archives');
  await writeDemo(outDir, { accounts: DEFAULT_DEMO_ACCOUNTS, seed: 42 }, log);
  return loadDemo(config, outDir, log);
}
