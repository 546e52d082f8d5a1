/**
 * `tpot db check|backup|restore|recover` (docs/OPERATIONS.md, "Recovery"): the cache file's health, copies and repair.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { fileStampUtc } from '../../time.js';
import { configFrom } from '../context.js';

export function dbCommand(): Command {
  const db = new Command('db').addHelpText(
    'after',
    '\nExamples:\n' +
      '  $ tpot db check\n' +
      '  $ tpot db backup\n' +
      '  $ tpot db restore data/backups/cache_2026-11-23.db\n' +
      '  $ tpot db recover',
  );
  db.addCommand(
    new Command('check')
      .description(
        'quick_check and integrity_check, schema version, WAL size, page counts. Exit 1 when something is wrong.',
      )
      .addHelpText('after', '\nExample:\n  $ tpot db check')
      .action(async (_flags: object, command: Command) => {
        const [{ formatChecks }, { checkDatabase }] = await Promise.all([
          import('../../checks.js'),
          import('../../ops/db-tools.js'),
        ]);
        const { text, passed } = formatChecks(checkDatabase(configFrom(command).dbPath));
        process.stdout.write(`${text}\n`);
        process.exitCode = passed ? EXIT.ok : EXIT.failed;
      }),
  );
  db.addCommand(
    new Command('backup')
      .description("An online backup (SQLite's backup API), consistent while imports or enrichment write.")
      .option('--to <file>', 'where to write it (default <data dir>/backups/cache_YYYY-MM-DD.db)')
      .addHelpText('after', '\nExamples:\n  $ tpot db backup\n  $ tpot db backup --to /mnt/usb/cache.db')
      .action(async (flags: { to?: string }, command: Command) => {
        const config = configFrom(command);
        const [{ backupDatabase, defaultBackupPath }, { formatBytes }] = await Promise.all([
          import('../../ops/db-tools.js'),
          import('../../ops/status.js'),
        ]);
        const to = flags.to ?? defaultBackupPath(config.dataDir, config.dbPath);
        const report = await backupDatabase(config.dbPath, to);
        const rows = Object.entries(report.rows)
          .map(([table, n]) => `${table} ${n}`)
          .join(', ');
        process.stdout.write(
          `Backed up ${config.dbPath} to ${report.file}: ${formatBytes(report.bytes)}, ` +
            `${report.pages} pages in ${report.seconds.toFixed(1)} s; passed quick_check.\n` +
            `  rows: ${rows}\n` +
            `  restore it with: npx tpot db restore ${report.file}\n`,
        );
      }),
  );
  db.addCommand(
    new Command('restore')
      .description('Check FILE (integrity, schema), keep the current database aside, and put FILE in its place.')
      .argument('<file>', 'a backup (tpot db backup) or a recovered file (tpot db recover)')
      .addHelpText(
        'after',
        '\nExample:\n' +
          '  $ tpot db restore data/backups/cache_2026-11-23.db\n' +
          'Stop imports, syncs and enrichment runs first; a running tpot serve picks the new file up by itself.',
      )
      .action(async (file: string, _flags: object, command: Command) => {
        const config = configFrom(command);
        const { restoreDatabase } = await import('../../ops/db-tools.js');
        const report = restoreDatabase(file, config.dbPath);
        process.stdout.write(
          `Restored ${file} as ${report.restored} (schema v${report.schemaVersion}).` +
            (report.keptAside
              ? `\nThe replaced database is kept as ${report.keptAside}; delete it once you are satisfied.`
              : '') +
            '\n',
        );
      }),
  );
  db.addCommand(
    new Command('recover')
      .description(
        'Salvage a damaged database into a new file ' +
          "(the sqlite3 CLI's .recover when installed, else a table-by-table scan) and report what was saved.",
      )
      .option('--from <file>', 'the damaged file (default: the cache)')
      .option('--to <file>', 'the new file (default <data dir>/cache.recovered-<time>.db)')
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  $ tpot db recover\n' +
          '  $ tpot db recover --from data/cache.db --to /tmp/salvaged.db\n' +
          'The damaged file is only read. Put the result in place with: npx tpot db restore <the new file>',
      )
      .action(async (flags: { from?: string; to?: string }, command: Command) => {
        const config = configFrom(command);
        const { recoverDatabase } = await import('../../ops/db-recover.js');
        const source = flags.from ?? config.dbPath;
        const output = flags.to ?? join(config.dataDir, `cache.recovered-${fileStampUtc()}.db`);
        const report = recoverDatabase({ source, output });
        const lines = [
          `Recovered ${source} into ${report.output} (${report.method}); ` +
            `integrity_check of the new file: ${report.integrity}.`,
          ...report.tables.map(
            (t) => `  ${t.damaged ? '✗' : '✓'} ${t.table}: ${t.rows} rows${t.damaged ? ' (rows were lost)' : ''}`,
          ),
          ...report.notes,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        process.exitCode = report.integrity === 'ok' ? EXIT.ok : EXIT.failed;
      }),
  );
  return db;
}
