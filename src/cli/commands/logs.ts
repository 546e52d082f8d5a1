/**
 * `tpot logs clean` (docs/OPERATIONS.md, "Maintenance"): old HTML snapshots of incomplete profiles and rotated logs.
 */
import { Command } from 'commander';
import { configFrom } from '../context.js';
import { positiveInteger } from '../options.js';

export function logsCommand(): Command {
  const logs = new Command('logs').addHelpText('after', '\nExample:\n  $ tpot logs clean --older-than 30');
  logs.addCommand(
    new Command('clean')
      .description('Remove snapshot_*.html pages and rotated *.log.N files older than N days; live logs stay.')
      .option('--older-than <days>', 'age in days', positiveInteger('--older-than', 36500), 30)
      .option('--dry-run', 'list what would go, remove nothing')
      .addHelpText('after', '\nExamples:\n  $ tpot logs clean\n  $ tpot logs clean --older-than 7 --dry-run')
      .action(async (flags: { olderThan: number; dryRun?: boolean }, command: Command) => {
        const config = configFrom(command);
        const [{ cleanLogs }, { formatBytes }] = await Promise.all([
          import('../../ops/logs-clean.js'),
          import('../../ops/status.js'),
        ]);
        const report = cleanLogs(config.logDir, { olderThanDays: flags.olderThan, dryRun: flags.dryRun });
        const verb = flags.dryRun ? 'Would remove' : 'Removed';
        const lines = report.removed.map((f) => `  ${f.file} (${formatBytes(f.bytes)}, ${f.ageDays} days)`);
        const head =
          `${verb} ${report.removed.length} files (${formatBytes(report.bytes)}) ` +
          `older than ${flags.olderThan} days from ${config.logDir}; ${report.kept} newer kept.`;
        process.stdout.write(`${[head, ...lines].join('\n')}\n`);
      }),
  );
  return logs;
}
