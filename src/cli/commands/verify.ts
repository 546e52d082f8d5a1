/** `tpot verify …` (SPEC §8): checks that print ✓/✗ lines and exit 0 only when all pass. */
import { Command } from 'commander';
import { formatChecks } from '../../checks.js';
import { verifyShadow } from '../../ops/verify-shadow.js';
import { verifyProfileCounters } from '../../shadow/verify-profile-counters.js';
import { verifySetup } from '../../sync/verify-setup.js';
import { configFrom, openForReport } from '../context.js';
import { EXIT } from '../options.js';

export function verifyCommand(): Command {
  const verify = new Command('verify')
    .description('Check that the installation and its data are in order.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tpot verify setup      # database, REST API, accounts, freshness, samples\n  $ tpot verify shadow\n  $ tpot verify profile-counters logs/snapshot_*.html',
    );
  verify
    .command('setup')
    .description('Database opens and is migrated; REST API reachable with SUPABASE_KEY; accounts, freshness, samples.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tpot verify setup\n  $ SUPABASE_KEY=… tpot verify setup   # include the REST API check',
    )
    .action(async (_flags: object, command: Command) => {
      const { text, passed } = formatChecks(await verifySetup(configFrom(command)));
      process.stdout.write(`${text}\n`);
      process.exitCode = passed ? EXIT.ok : EXIT.failed;
    });
  verify
    .command('shadow')
    .description(
      'Shadow accounts and edges cached; shadow nodes and edges in the latest analysis (the snapshot), and that it is newer than the last enrichment.',
    )
    .addHelpText('after', '\nExample:\n  $ tpot verify shadow')
    .action((_flags: object, command: Command) => {
      const config = configFrom(command);
      const db = openForReport(config);
      try {
        const { text, passed } = formatChecks(verifyShadow(db, config.dataDir));
        process.stdout.write(`${text}\n`);
        process.exitCode = passed ? EXIT.ok : EXIT.failed;
      } finally {
        db.close();
      }
    });
  verify
    .command('profile-counters')
    .description(
      'Re-extract handle, follower and following counts (and the other profile fields) from saved X pages; exit 1 if a counter is missing.',
    )
    .argument('<files...>', 'saved profile pages (.html)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tpot verify profile-counters logs/snapshot_alice_INCOMPLETE_DATA_1_20260101T000000.html\n  $ tpot verify profile-counters saved/*.html',
    )
    .action((files: string[]) => {
      const { text, passed } = verifyProfileCounters(files);
      process.stdout.write(`${text}\n`);
      process.exitCode = passed ? EXIT.ok : EXIT.failed;
    });
  return verify;
}
