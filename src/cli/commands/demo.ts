/**
 * `tpot demo`: writes the deterministic demo community in the real archive.json format, and with
 * --load imports it through the real importer from a directory source.
 */
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_DEMO_ACCOUNTS, DEFAULT_DEMO_SEED } from '../../demo/options.js';
import { EXIT } from '../../errors.js';
import { configFrom, loggerFor } from '../context.js';
import { positiveInteger } from '../options.js';

interface DemoFlags {
  accounts: number;
  population?: number;
  seed: number;
  out?: string;
  load?: boolean;
}

export function demoCommand(): Command {
  return new Command('demo')
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
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same community',
      positiveInteger('--seed'),
      DEFAULT_DEMO_SEED,
    )
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
      const log = await loggerFor(config, 'demo');
      const { loadDemo, writeDemo } = await import('../../demo/load.js');
      const outDir = resolve(flags.out ?? join(config.dataDir, 'demo-archives'));
      await writeDemo(
        outDir,
        { accounts: flags.accounts, seed: flags.seed, ...(flags.population ? { population: flags.population } : {}) },
        log,
      );
      if (!flags.load) return;
      const summary = await loadDemo(config, outDir, log);
      process.exitCode = summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });
}
