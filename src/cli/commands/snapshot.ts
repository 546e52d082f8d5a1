/** `tpot snapshot refresh|verify` (SPEC §6.3). */
import { Command } from 'commander';
import type { Config } from '../../config.js';
import { formatChecks } from '../../checks.js';
import { openDatabase, DatabaseMissingError } from '../../db/database.js';
import { refreshSnapshot, type PrecomputedAnalysis } from '../../graph/refresh.js';
import { verifySnapshot } from '../../graph/snapshot-verify.js';
import type { Logger } from '../../log.js';
import { configFrom, loggerFor } from '../context.js';
import { addGraphOptions, seedsFromFlags, weightsFromFlags, type GraphFlags } from '../graph-options.js';
import { EXIT } from '../options.js';

export function snapshotCommand(): Command {
  const snapshot = new Command('snapshot')
    .description(
      'The precomputed graph the server and the map load: Arrow files, analysis and manifest in the data directory.',
    )
    .addHelpText('after', '\nExamples:\n  $ tpot snapshot refresh\n  $ tpot snapshot verify');
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
      .action((flags: GraphFlags, command: Command) => {
        const config = configFrom(command);
        writeSnapshotFromFlags(config, flags, loggerFor(config, 'snapshot'));
      }),
  );
  snapshot.addCommand(
    new Command('verify')
      .description(
        'Numbered checks of the snapshot: files, manifest, checksums, freshness, counts, loading. Exit 0 only when all pass.',
      )
      .addHelpText('after', '\nExample:\n  $ tpot snapshot verify')
      .action((_flags: object, command: Command) => {
        const config = configFrom(command);
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

/** Shared by `snapshot refresh` and `analyze --refresh-snapshot` (which passes its own analysis). */
export function writeSnapshotFromFlags(
  config: Config,
  flags: GraphFlags,
  log: Logger,
  precomputed?: PrecomputedAnalysis,
): void {
  const db = openDatabase(config.dbPath, { readonly: true });
  try {
    const started = performance.now();
    const { manifest, steps } = refreshSnapshot(
      db,
      config.dataDir,
      {
        includeShadow: flags.includeShadow,
        mutualOnly: flags.mutualOnly ?? false,
        minFollowers: flags.minFollowers,
        seeds: seedsFromFlags(flags),
        alpha: flags.alpha,
        weights: weightsFromFlags(flags),
        resolution: flags.resolution,
      },
      (step, total, name) => log.info(`[${step}/${total}] ${name}...`),
      precomputed,
    );
    log.info(
      `Snapshot written to ${config.dataDir} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${manifest.counts.nodes} nodes, ${manifest.counts.edges} edges, ${manifest.counts.communities} communities; ` +
        steps.map((s) => `${s.name.toLowerCase()} ${s.seconds.toFixed(1)} s`).join(', '),
    );
  } finally {
    db.close();
  }
}
