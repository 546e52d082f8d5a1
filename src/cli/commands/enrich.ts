/**
 * `tpot enrich` (SPEC §11): reads seeds' profiles and lists on X with your session. Exit 0 when
 * every seed was read or skipped, 1 on a failure (a login wall among them), 3 when X rate limited
 * the run (it stops at once; what was read is stored). Ctrl-C pauses after the current seed; a
 * second Ctrl-C stops now.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase } from '../../db/database.js';
import type { ListKind } from '../../db/shadow-store.js';
import { readCookieFile, DEFAULT_COOKIE_FILE, CookieError } from '../../shadow/cookies.js';
import { Enricher, RateLimitedError, type SeedOutcome } from '../../shadow/enricher.js';
import { ENRICHMENT_POLICY_FILE, readPolicy, PolicyError } from '../../shadow/policy.js';
import { checkSession, LoginRequiredError, openSession } from '../../shadow/session.js';
import { isValidUsername } from '../../usernames.js';
import { configFrom, loggerFor } from '../context.js';
import { CliError, EXIT } from '../options.js';

/** Exit status of a rate-limited run (SPEC §11). */
export const EXIT_RATE_LIMITED = 3;

interface EnrichFlags {
  seeds?: string[];
  center?: string;
  cookies: string;
  headless?: boolean;
  maxScrolls: number;
  delayMin: number;
  delayMax: number;
  skipIfEverScraped: boolean;
  quiet?: boolean;
  following: boolean;
  followers: boolean;
  followersYouFollow: boolean;
  profileOnly?: boolean;
  output: string;
}

function seconds(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || value > 3600) throw new InvalidArgumentError(`${name} must be a number of seconds from 0 to 3600.`);
    return value;
  };
}

function count(name: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 1000) throw new InvalidArgumentError(`${name} must be a whole number from 1 to 1000.`);
    return Number(text);
  };
}

function handles(text: string, previous: string[] = []): string[] {
  const list = text.split(/[\s,]+/).map((h) => h.trim().replace(/^@/, '')).filter(Boolean);
  const bad = list.find((h) => !isValidUsername(h));
  if (bad) throw new InvalidArgumentError(`"${bad}" is not an X handle (1–15 letters, digits or _).`);
  return [...previous, ...list];
}

export function enrichCommand(): Command {
  return new Command('enrich')
    .description("Read seeds' profiles and follow lists on X in Chromium with your session, into the shadow tables.")
    .option('--seeds <handles...>', 'the accounts to read (comma or space separated)', handles)
    .option('--center <handle>', 'read this account, then the accounts it follows')
    .option('--cookies <file>', 'your X session (tpot cookies import / setup)', DEFAULT_COOKIE_FILE)
    .option('--headless', 'no visible browser window (the default without a display)')
    .option('--max-scrolls <n>', 'stop a list after this many scrolls bring nothing new', count('--max-scrolls'), 6)
    .option('--delay-min <s>', 'shortest pause between pages, seconds', seconds('--delay-min'), 5)
    .option('--delay-max <s>', 'longest pause between pages, seconds', seconds('--delay-max'), 40)
    .option('--skip-if-ever-scraped', 'skip seeds and lists that are complete and fresh (default)', true)
    .option('--no-skip-if-ever-scraped', 'read every seed and list again')
    .option('--quiet', 'warnings only on the console (logs/enrichment.log has everything)')
    .option('--no-following', 'leave out the accounts each seed follows')
    .option('--no-followers', 'leave out the accounts that follow each seed')
    .option('--no-followers-you-follow', 'leave out "followers you know"')
    .option('--profile-only', 'read profiles only, no lists')
    .option('--output <file>', 'the run summary (JSON)', 'enrichment_summary.json')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot cookies import ~/Downloads/cookies.txt      # once: your session
  $ tpot enrich --seeds visakanv,nosilverv
  $ tpot enrich --center visakanv --delay-min 8 --delay-max 30 --quiet

Exit status: 0 done, 1 failed (e.g. a login wall: capture new cookies), 3 rate limited (wait 1–24 h or switch --cookies).`,
    )
    .action(async (flags: EnrichFlags, command: Command) => {
      const config = configFrom(command);
      const log = loggerFor(config, 'enrichment', flags.quiet ? 'warnings' : 'lines');
      if (!flags.seeds?.length && !flags.center) throw new CliError('Name the accounts to read: --seeds H,H,… or --center H.', EXIT.usage);
      if (flags.center && !isValidUsername(flags.center.replace(/^@/, ''))) throw new CliError(`--center: "${flags.center}" is not an X handle.`, EXIT.usage);
      if (flags.delayMin > flags.delayMax) throw new CliError('--delay-min must not exceed --delay-max.', EXIT.usage);
      let cookies;
      let policy;
      try {
        cookies = readCookieFile(resolve(flags.cookies));
        policy = readPolicy(resolve(ENRICHMENT_POLICY_FILE));
      } catch (error) {
        if (error instanceof CookieError || error instanceof PolicyError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      const lists: ListKind[] = [...(flags.following ? (['following'] as const) : []), ...(flags.followers ? (['followers', 'verified_followers'] as const) : []), ...(flags.followersYouFollow ? (['followers_you_follow'] as const) : [])];
      const headless = flags.headless ?? !process.env.DISPLAY;
      const session = await openSession({ baseUrl: config.xBaseUrl, cookies, chromeBinary: config.chromeBinary, headless });
      const db = openDatabase(config.dbPath);
      const outcomes: SeedOutcome[] = [];
      let stopReason: string | null = null;
      const started = Date.now();
      try {
        await checkSession(session, config.xBaseUrl, flags.cookies);
        const enricher = new Enricher(db, session, {
          baseUrl: config.xBaseUrl,
          maxScrolls: flags.maxScrolls,
          delay: { min: flags.delayMin, max: flags.delayMax },
          lists,
          profileOnly: flags.profileOnly ?? false,
          skipIfEverScraped: flags.skipIfEverScraped,
          policy,
          logDir: config.logDir,
          incompleteRetryMs: [5_000, 15_000, 60_000],
          cookieFile: flags.cookies,
        }, log);
        let interrupts = 0;
        const onInterrupt = () => {
          interrupts++;
          if (interrupts === 1) {
            log.warn('Ctrl-C: stopping after the current seed (press Ctrl-C again to stop now).');
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
            const followed = db
              .prepare(`SELECT a.username FROM shadow_edge e JOIN shadow_account a ON a.account_id = e.target_id WHERE e.source_id = (SELECT account_id FROM shadow_account WHERE username = ? COLLATE NOCASE LIMIT 1) AND e.direction = 'outbound' AND a.username IS NOT NULL`)
              .pluck()
              .all(center) as string[];
            outcomes.push(...(await enricher.run(followed.filter((h) => !seeds.some((s) => s.toLowerCase() === h.toLowerCase())))));
          }
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      } catch (error) {
        if (error instanceof RateLimitedError || error instanceof LoginRequiredError) stopReason = `${error.errorType}: ${error.message}`;
        else throw error;
      } finally {
        await session.close();
        db.close();
        const summary = {
          finished_at: new Date().toISOString(),
          seconds: Math.round((Date.now() - started) / 100) / 10,
          seeds: outcomes,
          scraped: outcomes.filter((o) => o.status === 'scraped' || o.status === 'protected').length,
          skipped: outcomes.filter((o) => o.status === 'skipped').length,
          deleted_or_suspended: outcomes.filter((o) => o.status === 'deleted' || o.status === 'suspended').length,
          stopped: stopReason,
        };
        writeFileSync(resolve(flags.output), `${JSON.stringify(summary, null, 2)}\n`);
      }
      if (stopReason?.startsWith('rate_limited')) {
        log.error(stopReason.slice('rate_limited: '.length));
        process.exitCode = EXIT_RATE_LIMITED;
        return;
      }
      if (stopReason) {
        log.error(stopReason.slice(stopReason.indexOf(': ') + 2));
        process.exitCode = EXIT.failed;
        return;
      }
      log.info(`COMPLETE: ${outcomes.length} seeds (${outcomes.filter((o) => o.status === 'scraped').length} read, ${outcomes.filter((o) => o.status === 'skipped').length} skipped); summary in ${flags.output}.`);
    });
}
