/**
 * `tpot enrich` (docs/OPERATIONS.md, "Shadow enrichment"): reads seeds' profiles and lists on X
 * with your session. Exit 0 when every seed was read or skipped, 1 on a failure (a login wall, a
 * seed that could not be read, "no" at the preview), 3 when X rate limited the run (it stops at
 * once; what was read is stored). Ctrl-C pauses after the current seed (resume or stop when there
 * is a terminal); a second Ctrl-C stops now. The run itself is cli/enrich-run.ts, loaded when the
 * command runs.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_COOKIE_FILE } from '../../shadow/cookies.js';
import { isValidUsername } from '../../usernames.js';
import { configFrom, loggerFor } from '../context.js';
import type { EnrichFlags } from '../enrich-run.js';
import { positiveInteger } from '../options.js';

function seconds(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || value > 3600)
      throw new InvalidArgumentError(`${name} must be a number of seconds from 0 to 3600.`);
    return value;
  };
}

function handles(text: string, previous: string[] = []): string[] {
  const list = text
    .split(/[\s,]+/)
    .map((h) => h.trim().replace(/^@/, ''))
    .filter(Boolean);
  const bad = list.find((h) => !isValidUsername(h));
  if (bad) throw new InvalidArgumentError(`"${bad}" is not an X handle (1–15 letters, digits or _).`);
  return [...previous, ...list];
}

export function enrichCommand(): Command {
  return new Command('enrich')
    .option('--seeds <handles...>', 'the accounts to read (comma or space separated)', handles)
    .option('--center <handle>', 'read this account, then the accounts it follows')
    .option(
      '--cookies <file>',
      `your X session (tpot cookies import / setup; default ${DEFAULT_COOKIE_FILE}, else the one in secrets/)`,
    )
    .option('--headless', 'no visible browser window (the default without a display)')
    .option('--chrome-binary <path>', 'the Chromium to drive (default TPOT_CHROME_BINARY, else /usr/bin/chromium)')
    .option(
      '--max-scrolls <n>',
      'stop a list after this many scrolls bring nothing new',
      positiveInteger('--max-scrolls', 1000),
      6,
    )
    .option('--delay-min <s>', 'shortest wait between pages, seconds', seconds('--delay-min'), 5)
    .option('--delay-max <s>', 'longest wait between pages, seconds', seconds('--delay-max'), 40)
    .option('--pause <s>', 'wait between seeds, seconds', seconds('--pause'), 2)
    .option(
      '--retry-attempts <n>',
      'reads of a page before giving up on it (waits 5, 15, 60 s between)',
      positiveInteger('--retry-attempts', 10),
      4,
    )
    .option('--skip-if-ever-scraped', 'skip seeds and lists that are complete and fresh', true)
    .option('--no-skip-if-ever-scraped', 'read every seed and list again')
    .option('--no-following', 'leave out the accounts each seed follows')
    .option('--no-followers', 'leave out the accounts that follow each seed')
    .option('--no-followers-you-follow', 'leave out "followers you know"')
    .option('--profile-only', 'read profiles only, no lists')
    .option('--auto-confirm-first', 'no preview question after the first seed')
    .option('--require-confirmation', 'ask y/n before each list is read')
    .option('--refresh-snapshot', 'write the graph snapshot (shadow included) after the run')
    .option('--quiet', 'console: one line per seed and warnings (logs/enrichment.log has everything); no questions')
    .addOption(
      new Option('--log-level <level>', 'console detail (the log file always has debug)')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .option('--output <file>', 'the run summary (JSON)', 'enrichment_summary.json')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot cookies import ~/Downloads/cookies.txt      # once: your session
  $ tpot enrich --seeds visakanv,nosilverv
  $ tpot enrich --center visakanv --delay-min 8 --delay-max 30 --quiet --refresh-snapshot

At a terminal the first seed read is shown before it is written ([Y/n], yes after 30 s), and
Ctrl-C pauses after the current seed (resume or stop); a second Ctrl-C stops at once.
Exit status: 0 done, 1 failed (a login wall: capture new cookies; a seed not read: see the log),
3 rate limited (wait 1–24 h or switch --cookies).`,
    )
    .action(async (flags: EnrichFlags, command: Command) => {
      const config = configFrom(command);
      const log = await loggerFor(config, 'enrichment', flags.quiet ? 'progress' : 'lines', {
        level: 'debug',
        consoleLevel: flags.logLevel,
      });
      if (!flags.seeds?.length && !flags.center)
        throw new UsageError('Name the accounts to read: --seeds H,H,… or --center H.');
      if (flags.center && !isValidUsername(flags.center.replace(/^@/, '')))
        throw new UsageError(`--center: "${flags.center}" is not an X handle.`);
      if (flags.delayMin > flags.delayMax) throw new UsageError('--delay-min must not exceed --delay-max.');
      const { runEnrichment } = await import('../enrich-run.js');
      await runEnrichment(config, flags, log);
    });
}
