/**
 * `tpot enrich` (SPEC §11): reads seeds' profiles and lists on X with your session. Exit 0 when
 * every seed was read or skipped, 1 on a failure (a login wall, a seed that could not be read, "no"
 * at the preview), 3 when X rate limited the run (it stops at once; what was read is stored).
 * Ctrl-C pauses after the current seed (resume or stop when there is a terminal); a second Ctrl-C
 * stops now.
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { ShadowStore, type ListKind } from '../../db/shadow-store.js';
import type { Logger } from '../../log.js';
import { readCookieFile, DEFAULT_COOKIE_FILE, CookieError, sessionFilesNear } from '../../shadow/cookies.js';
import {
  Enricher,
  RateLimitedError,
  retryDelaysMs,
  RunAbortedError,
  type SeedOutcome,
  type SeedPreview,
} from '../../shadow/enricher.js';
import { ENRICHMENT_POLICY_FILE, readPolicy, PolicyError } from '../../shadow/policy.js';
import { checkSession, LoginRequiredError, openSession } from '../../shadow/session.js';
import { isValidUsername } from '../../usernames.js';
import { configFrom, loggerFor } from '../context.js';
import { GRAPH_FLAG_DEFAULTS } from '../graph-options.js';
import { CliError, EXIT, positiveInteger } from '../options.js';
import { Prompter } from '../prompt.js';
import { writeSnapshotFromFlags } from './snapshot.js';

/** Exit status of a rate-limited run (SPEC §11). */
export const EXIT_RATE_LIMITED = 3;

interface EnrichFlags {
  seeds?: string[];
  center?: string;
  cookies?: string;
  headless?: boolean;
  maxScrolls: number;
  delayMin: number;
  delayMax: number;
  pause: number;
  retryAttempts: number;
  skipIfEverScraped: boolean;
  quiet?: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  following: boolean;
  followers: boolean;
  followersYouFollow: boolean;
  profileOnly?: boolean;
  autoConfirmFirst?: boolean;
  requireConfirmation?: boolean;
  refreshSnapshot?: boolean;
  chromeBinary?: string;
  output: string;
}

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

/** The preview of the first seed read, shown before anything of it is written. */
function formatPreview({ seed, lists }: SeedPreview): string {
  const lines = [
    '',
    `First seed read: @${seed.handle}${seed.displayName ? ` (${seed.displayName})` : ''}, id ${seed.accountId ?? 'unknown'}`,
    ...(seed.bio ? [`  bio: ${seed.bio.replace(/\s+/g, ' ').slice(0, 160)}`] : []),
    ...(seed.location ? [`  location: ${seed.location}`] : []),
    ...(seed.website ? [`  website: ${seed.website}`] : []),
    `  profile counts: ${seed.following ?? '?'} following, ${seed.followers ?? '?'} followers`,
  ];
  for (const [kind, list] of Object.entries(lists)) {
    const coverage = list.claimed
      ? ` of ${list.claimed} (${Math.min(100, Math.round((100 * list.captured) / list.claimed))} %)`
      : '';
    lines.push(
      `  ${kind}: ${list.captured} captured${coverage}${list.sample.length ? `: ${list.sample.map((h) => `@${h}`).join(', ')}${list.captured > list.sample.length ? ', …' : ''}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The session file: --cookies, else secrets/x_cookies.json, else the only secrets/*.json; with
 * several, ask at a terminal, take the first with --quiet, and otherwise ask for --cookies.
 */
async function cookieFileFor(flags: EnrichFlags, prompter: () => Prompter, log: Logger): Promise<string> {
  if (flags.cookies) return flags.cookies;
  const files = sessionFilesNear(DEFAULT_COOKIE_FILE);
  if (files.length <= 1 || files[0] === DEFAULT_COOKIE_FILE) return files[0] ?? DEFAULT_COOKIE_FILE;
  if (flags.quiet) {
    log.warn(`Several sessions in secrets/; using the first, ${files[0]} (choose with --cookies).`);
    return files[0]!;
  }
  if (process.stdin.isTTY) return prompter().choose('Which X session?', files);
  throw new CliError(`Several sessions in secrets/ (${files.join(', ')}): choose one with --cookies FILE.`, EXIT.usage);
}

/** --chrome-binary, else TPOT_CHROME_BINARY: it must be there and executable (null: Debian's chromium). */
function chromeBinaryFor(config: Config, given: string | undefined): string | null {
  const path = given ?? config.chromeBinary;
  if (!path) return null;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new CliError(
      `${given ? '--chrome-binary' : 'TPOT_CHROME_BINARY'}: ${path} is not an executable file. Install Debian's chromium (apt-get install chromium) or point it at one.`,
      EXIT.usage,
    );
  }
  return path;
}

export function enrichCommand(): Command {
  return new Command('enrich')
    .description("Read seeds' profiles and follow lists on X in Chromium with your session, into the shadow tables.")
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
      const log = loggerFor(config, 'enrichment', flags.quiet ? 'progress' : 'lines', {
        level: 'debug',
        consoleLevel: flags.logLevel,
      });
      if (!flags.seeds?.length && !flags.center)
        throw new CliError('Name the accounts to read: --seeds H,H,… or --center H.', EXIT.usage);
      if (flags.center && !isValidUsername(flags.center.replace(/^@/, '')))
        throw new CliError(`--center: "${flags.center}" is not an X handle.`, EXIT.usage);
      if (flags.delayMin > flags.delayMax) throw new CliError('--delay-min must not exceed --delay-max.', EXIT.usage);
      const chromeBinary = chromeBinaryFor(config, flags.chromeBinary);
      let prompter: Prompter | null = null;
      const prompts = () => (prompter ??= new Prompter(process.stdin, process.stdout));
      try {
        await enrich(config, flags, log, chromeBinary, prompts);
      } finally {
        (prompter as Prompter | null)?.close();
      }
    });
}

async function enrich(
  config: Config,
  flags: EnrichFlags,
  log: Logger,
  chromeBinary: string | null,
  prompts: () => Prompter,
): Promise<void> {
  const cookieFile = await cookieFileFor(flags, prompts, log);
  let cookies;
  let policy;
  try {
    cookies = readCookieFile(resolve(cookieFile));
    policy = readPolicy(resolve(ENRICHMENT_POLICY_FILE));
  } catch (error) {
    if (error instanceof CookieError || error instanceof PolicyError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  const terminal = Boolean(process.stdin.isTTY) && !flags.quiet;
  const askFirst = terminal && !flags.autoConfirmFirst;
  const askPerList = flags.requireConfirmation ?? policy.require_confirmation;
  const lists: ListKind[] = [
    ...(flags.following ? (['following'] as const) : []),
    ...(flags.followers ? (['followers', 'verified_followers'] as const) : []),
    ...(flags.followersYouFollow ? (['followers_you_follow'] as const) : []),
  ];
  const headless = flags.headless ?? !process.env.DISPLAY;
  const session = await openSession({ baseUrl: config.xBaseUrl, cookies, chromeBinary, headless });
  const db = openDatabase(config.dbPath);
  const outcomes: SeedOutcome[] = [];
  let stopped: { reason: 'rate_limited' | 'login_required' | 'aborted'; message: string } | null = null;
  let exitCode: number = EXIT.ok;
  const started = Date.now();
  try {
    await checkSession(session, config.xBaseUrl, cookieFile);
    const enricher = new Enricher(
      db,
      session,
      {
        baseUrl: config.xBaseUrl,
        maxScrolls: flags.maxScrolls,
        delay: { min: flags.delayMin, max: flags.delayMax },
        pauseSeconds: flags.pause,
        lists,
        profileOnly: flags.profileOnly ?? false,
        skipIfEverScraped: flags.skipIfEverScraped,
        policy,
        logDir: config.logDir,
        retryMs: retryDelaysMs(flags.retryAttempts),
        cookieFile,
        confirmFirst: askFirst
          ? async (preview) => {
              process.stdout.write(formatPreview(preview));
              return prompts().yesNo('Proceed with enrichment?', { defaultAnswer: true, timeoutMs: 30_000 });
            }
          : undefined,
        confirmList: askPerList
          ? (handle, kind, reason) => prompts().yesNo(`Read @${handle} → ${kind} (${reason})?`, { defaultAnswer: true })
          : undefined,
        resumeAfterPause: terminal
          ? () => prompts().yesNo('Paused. Resume the run?', { defaultAnswer: false })
          : undefined,
      },
      log,
    );
    const onInterrupt = () => {
      if (!enricher.stopping) {
        log.warn(
          `Ctrl-C: ${terminal ? 'pausing' : 'stopping'} after the current seed (press Ctrl-C again to stop now).`,
        );
        enricher.requestStop();
      } else {
        log.warn('Stopping now. Seeds already read are stored; run the same command again to continue.');
        process.exit(EXIT.interrupted);
      }
    };
    process.on('SIGINT', onInterrupt);
    try {
      const center = flags.center?.replace(/^@/, '');
      const seeds = [...(center ? [center] : []), ...(flags.seeds ?? [])];
      outcomes.push(...(await enricher.run(seeds)));
      if (center && !enricher.stopping) {
        const followed = new ShadowStore(db).followedHandles(center);
        outcomes.push(
          ...(await enricher.run(followed.filter((h) => !seeds.some((s) => s.toLowerCase() === h.toLowerCase())))),
        );
      }
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  } catch (error) {
    if (error instanceof RateLimitedError)
      [stopped, exitCode] = [{ reason: 'rate_limited', message: error.message }, EXIT_RATE_LIMITED];
    else if (error instanceof LoginRequiredError)
      [stopped, exitCode] = [{ reason: 'login_required', message: error.message }, EXIT.failed];
    else if (error instanceof RunAbortedError)
      [stopped, exitCode] = [{ reason: 'aborted', message: error.message }, EXIT.failed];
    else throw error;
  } finally {
    await session.close();
    db.close();
    writeSummary(flags.output, { started, outcomes, stopped });
  }
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (stopped) log.error(stopped.message);
  else if (failed.length) {
    log.error(
      `${failed.length} seed${failed.length === 1 ? '' : 's'} could not be read (${failed.map((o) => `@${o.handle}: ${o.error}`).join(', ')}); see ${config.logDir}/enrichment.log. The others are stored.`,
    );
    exitCode = EXIT.failed;
  } else {
    log.info(
      `COMPLETE: ${outcomes.length} seeds (${outcomes.filter((o) => o.status === 'scraped').length} read, ${outcomes.filter((o) => o.status === 'skipped').length} skipped); summary in ${flags.output}.`,
    );
  }
  // The snapshot takes what was stored, also when X stopped the run early; nothing new was stored
  // after a login wall or "no" at the preview.
  if (flags.refreshSnapshot && (!stopped || stopped.reason === 'rate_limited'))
    writeSnapshotFromFlags(config, GRAPH_FLAG_DEFAULTS, log);
  process.exitCode = exitCode;
}

function writeSummary(
  output: string,
  run: { started: number; outcomes: SeedOutcome[]; stopped: { reason: string; message: string } | null },
): void {
  const { outcomes } = run;
  const summary = {
    finished_at: new Date().toISOString(),
    seconds: Math.round((Date.now() - run.started) / 100) / 10,
    seeds: outcomes,
    scraped: outcomes.filter((o) => o.status === 'scraped' || o.status === 'protected').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    deleted_or_suspended: outcomes.filter((o) => o.status === 'deleted' || o.status === 'suspended').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    stopped: run.stopped,
  };
  writeFileSync(resolve(output), `${JSON.stringify(summary, null, 2)}\n`);
}
