/** `tpot import` (docs/FORMATS.md, "Archives"): flags to ArchiveImporter options, the summary to an exit status. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { ImportSummary } from '../../archive/importer.js';
import { MERGE_STRATEGIES, type MergeStrategy } from '../../db/archive-store.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../log.js';
import { errorMessage, EXIT, UsageError } from '../../errors.js';
import { ProgressBar } from '../../progress.js';
import { InvalidUsernameError, normaliseUsername } from '../../usernames.js';
import { configFrom, loggerFor } from '../context.js';
import { collect, positiveInteger } from '../options.js';
import { readUsernamesFile } from '../usernames-file.js';

interface ImportFlags {
  source?: string;
  username?: string[];
  usernamesFile?: string;
  dryRun?: boolean;
  maxArchives?: number;
  forceReimport?: boolean;
  mergeStrategy: MergeStrategy;
  concurrency: number;
  allTweets?: boolean;
  interactions: boolean;
}

export function importCommand(): Command {
  return new Command('import')
    .option(
      '--source <url|dir|zip>',
      'URL template with {username}, a directory of <username>/archive.json, or an X export .zip ' +
        '(default: TPOT_ARCHIVE_SOURCE)',
    )
    .option('-u, --username <name>', 'import this archive (repeatable)', collect)
    .option(
      '--usernames-file <file>',
      'a file of usernames: one per line, or a JSON array, or a JSON object keyed by username',
    )
    .option('--dry-run', 'download and read the archives, count what they hold, write nothing')
    .option(
      '--max-archives <n>',
      'download at most N archives (already imported ones do not count)',
      positiveInteger('--max-archives'),
    )
    .option('--force-reimport', 'import again archives that the ledger says are imported')
    .addOption(
      new Option('--merge-strategy <strategy>', 'how an archive meets rows already stored')
        .choices(MERGE_STRATEGIES)
        .default('timestamp'),
    )
    .option(
      '--concurrency <n>',
      'downloads in flight (writes stay on one connection)',
      positiveInteger('--concurrency', 64),
      4,
    )
    .option('--all-tweets', 'store every tweet, not only the 20 most liked and the 10 most recent')
    .option(
      '--no-interactions',
      'do not record mentions, replies, quotes and retweets, nor the names mentions carry ' +
        '(an archive imported so keeps none)',
    )
    .addHelpText(
      'after',
      `
Which archives: --username/--usernames-file, else every username in the account table
(filled by \`tpot sync\`), else every archive a directory or zip source holds.

Examples:
  $ tpot import --source ./archives                          # every <name>/archive.json there
  $ tpot import --source 'https://mirror.example/{username}/archive.json' -u alice -u bob
  $ tpot import --source ~/Downloads/twitter-2024.zip        # your own X export
  $ tpot import --usernames-file usernames.txt --max-archives 50 --dry-run
  $ tpot import --force-reimport --merge-strategy archive_only -u alice

Exit status: 0 when no archive failed, 1 otherwise (not found is not a failure).
The log is written to logs/import.log.`,
    )
    .action(async (flags: ImportFlags, command: Command) => {
      const config = configFrom(command, { archiveSource: flags.source });
      const usernames = requestedUsernames(flags);
      const progress = new ProgressBar('import');
      const log = await loggerFor(config, 'import', progress.enabled ? 'warnings' : 'lines');
      const [{ ArchiveImporter, summaryLine }, { resolveArchiveSource }, { openDatabase }] = await Promise.all([
        import('../../archive/importer.js'),
        import('../../archive/sources/resolve.js'),
        import('../../db/database.js'),
      ]);
      const source = resolveArchiveSource(config.archiveSource, config);
      // A dry run must not create or migrate the database: it opens it read-only if it exists.
      const db = flags.dryRun
        ? existsSync(config.dbPath)
          ? openDatabase(config.dbPath, { readonly: true })
          : null
        : openDatabase(config.dbPath);
      const abort = new AbortController();
      const onSignal = () => {
        if (abort.signal.aborted) process.exit(EXIT.interrupted);
        process.stderr.write('\nStopping after the archive being written (Ctrl-C again to stop now)…\n');
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      try {
        const importer = new ArchiveImporter({
          db,
          source,
          logger: log,
          concurrency: flags.concurrency,
          allTweets: flags.allTweets,
          interactions: flags.interactions,
          workDir: join(config.dataDir, 'tmp'),
          progress,
          signal: abort.signal,
        });
        const summary = await importer.importAll({
          dryRun: flags.dryRun,
          maxArchives: flags.maxArchives,
          forceReimport: flags.forceReimport,
          mergeStrategy: flags.mergeStrategy,
          usernames,
        });
        if (db && !flags.dryRun) await refreshLikes(db, summary, log);
        if (progress.enabled) printSummary(summaryLine(summary), summary);
        process.exitCode =
          summary.planned === 0 ? EXIT.usage : summary.failed > 0 || summary.stopped ? EXIT.failed : EXIT.ok;
      } finally {
        process.off('SIGINT', onSignal);
        db?.close();
      }
    });
}

/** Usernames named on the command line, all checked before any request (src/usernames.ts). */
function requestedUsernames(flags: ImportFlags): string[] | undefined {
  const raw = [...(flags.username ?? []), ...(flags.usernamesFile ? readUsernamesFile(flags.usernamesFile) : [])];
  if (raw.length === 0) return undefined;
  const invalid: string[] = [];
  const names = raw.flatMap((name) => {
    try {
      return [normaliseUsername(name)];
    } catch (error) {
      if (!(error instanceof InvalidUsernameError)) throw error;
      invalid.push(JSON.stringify(name));
      return [];
    }
  });
  if (invalid.length > 0) {
    throw new UsageError(
      `Invalid username${invalid.length > 1 ? 's' : ''} ${invalid.join(', ')}: ` +
        'a username is 1–15 letters, digits or underscores. Nothing was imported.',
    );
  }
  return names;
}

/** On a terminal the log lines are hidden behind the bar, so the totals are printed once at the end. */
function printSummary(line: string, summary: ImportSummary): void {
  process.stdout.write(`${line} (${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.seconds.toFixed(1)} s)\n`);
}

/**
 * The imported archives' likes get their authors from the REST mirror (docs/DATA-MODEL.md, "Interactions"): only
 * their like pairs are replaced, which costs what their likes cost (docs/BENCHMARKS.md, "REST sync"). A failure
 * leaves the import as it is and says how to rebuild the pairs.
 */
async function refreshLikes(db: Db, summary: ImportSummary, log: Logger): Promise<void> {
  const accounts = summary.results.flatMap((r) => (r.status === 'imported' && r.accountId ? [r.accountId] : []));
  if (accounts.length === 0) return;
  const [{ describeRestInteractions, refreshLikeInteractions }, { withDbRetry }] = await Promise.all([
    import('../../db/rest-interactions.js'),
    import('../../db/retry.js'),
  ]);
  try {
    const counts = await withDbRetry(() => refreshLikeInteractions(db, accounts));
    if (counts) log.info(describeRestInteractions(counts, 'Like pairs of the imported archives (rest_interactions)'));
  } catch (error) {
    log.warn(
      `The imported likes' pairs in rest_interactions were not refreshed (${errorMessage(error)}); ` +
        'the next sync of tweets, likes or liked_tweets rebuilds them.',
    );
  }
}
