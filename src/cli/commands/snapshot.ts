/** `tpot snapshot refresh|verify` (docs/DATA-MODEL.md, "Snapshot files"). */
import { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { configFrom, loggerFor } from '../context.js';
import { addGraphOptions, graphParamsFromFlags, seedsFromFlags, type GraphFlags } from '../graph-options.js';

export function snapshotCommand(): Command {
  const snapshot = new Command('snapshot').addHelpText(
    'after',
    '\nExamples:\n  $ tpot snapshot refresh\n  $ tpot snapshot verify',
  );
  snapshot.addCommand(
    addGraphOptions(
      new Command('refresh').description(
        'Build the graph, compute every metric and the layout, and write the snapshot atomically.',
      ),
    )
      .addHelpText(
        'after',
        '\nExamples:\n  $ tpot snapshot refresh\n  $ tpot snapshot refresh --no-include-shadow --weights 0.5 0.3 0.2',
      )
      .action(async (flags: GraphFlags, command: Command) => {
        const config = configFrom(command);
        const params = await graphParamsFromFlags(flags);
        const seeds = await seedsFromFlags(flags);
        const log = await loggerFor(config, 'snapshot');
        const { refreshSnapshotFromCache } = await import('../../graph/refresh.js');
        refreshSnapshotFromCache(config, { ...params, seeds }, log);
      }),
  );
  snapshot.addCommand(
    new Command('verify')
      .description(
        'Numbered checks of the snapshot: files, manifest, checksums, freshness, counts, loading. ' +
          'Exit 0 only when all pass.',
      )
      .addHelpText('after', '\nExample:\n  $ tpot snapshot verify')
      .action(async (_flags: object, command: Command) => {
        const config = configFrom(command);
        const [{ openDatabase, DatabaseMissingError }, { formatChecks }, { verifySnapshot }] = await Promise.all([
          import('../../db/database.js'),
          import('../../checks.js'),
          import('../../graph/snapshot-verify.js'),
        ]);
        let db = null;
        try {
          db = openDatabase(config.dbPath, { readonly: true });
        } catch (error) {
          if (!(error instanceof DatabaseMissingError)) throw error;
        }
        try {
          const { text, passed } = formatChecks(verifySnapshot(config.dataDir, db, config.cacheMaxAgeDays));
          process.stdout.write(`${text}\n`);
          process.exitCode = passed ? EXIT.ok : EXIT.failed;
        } finally {
          db?.close();
        }
      }),
  );
  return snapshot;
}
