/**
 * `tpot verify …` (docs/OPERATIONS.md, "Health checks"): checks that print ✓/✗ lines and exit 0 only when
 * all pass.
 */
import { Command } from 'commander';
import type { Check } from '../../checks.js';
import { EXIT } from '../../errors.js';
import { configFrom, withReportDb } from '../context.js';

/** Prints the checks' lines and their RESULT, and exits 0 only when all passed. */
async function printChecks(checks: Check[]): Promise<void> {
  const { formatChecks } = await import('../../checks.js');
  const { text, passed } = formatChecks(checks);
  process.stdout.write(`${text}\n`);
  process.exitCode = passed ? EXIT.ok : EXIT.failed;
}

export function verifyCommand(): Command {
  const verify = new Command('verify').addHelpText(
    'after',
    '\nExamples:\n' +
      '  $ tpot verify setup      # database, REST API, accounts, freshness, samples\n' +
      '  $ tpot verify shadow\n' +
      '  $ tpot verify profile-counters logs/snapshot_*.html',
  );
  verify
    .command('setup')
    .description('Database opens and is migrated; REST API reachable with SUPABASE_KEY; accounts, freshness, samples.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tpot verify setup\n  $ SUPABASE_KEY=… tpot verify setup   # include the REST API check',
    )
    .action(async (_flags: object, command: Command) => {
      const { verifySetup } = await import('../../sync/verify-setup.js');
      await printChecks(await verifySetup(configFrom(command)));
    });
  verify
    .command('shadow')
    .description(
      'Shadow accounts and edges cached; shadow nodes and edges in the latest analysis (the snapshot), ' +
        'and that it is newer than the last enrichment.',
    )
    .addHelpText('after', '\nExample:\n  $ tpot verify shadow')
    .action(async (_flags: object, command: Command) => {
      const config = configFrom(command);
      const { verifyShadow } = await import('../../ops/verify-shadow.js');
      await printChecks(await withReportDb(config, (db) => verifyShadow(db, config.dataDir)));
    });
  verify
    .command('profile-counters')
    .description(
      'Re-extract handle, follower and following counts (and the other profile fields) from saved X pages; ' +
        'exit 1 if a counter is missing.',
    )
    .argument('<files...>', 'saved profile pages (.html)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tpot verify profile-counters logs/snapshot_alice_INCOMPLETE_DATA_1_20260101T000000.html\n' +
        '  $ tpot verify profile-counters saved/*.html',
    )
    .action(async (files: string[]) => {
      const { verifyProfileCounters } = await import('../../shadow/verify-profile-counters.js');
      const { text, passed } = verifyProfileCounters(files);
      process.stdout.write(`${text}\n`);
      process.exitCode = passed ? EXIT.ok : EXIT.failed;
    });
  return verify;
}
