/**
 * The run of `tpot enrich` (its flags are in commands/enrich.ts): the session file, the browser,
 * the policy, the questions at a terminal, Ctrl-C, the summary file and the exit status. Loaded
 * only when the command runs: it brings playwright-core and the enricher.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireChromium } from '../browser.js';
import { CONFIG_FILES, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { ShadowStore, type ListKind } from '../db/shadow-store.js';
import { EXIT, UsageError } from '../errors.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { refreshSnapshotFromCache } from '../graph/refresh.js';
import type { Logger } from '../log.js';
import { activeSeeds } from '../seed-lists.js';
import { readCookieFile, DEFAULT_COOKIE_FILE, CookieError, sessionFilesNear } from '../shadow/cookies.js';
import {
  Enricher,
  RateLimitedError,
  retryDelaysMs,
  RunAbortedError,
  type SeedOutcome,
  type SeedPreview,
} from '../shadow/enricher.js';
import { readPolicy, PolicyError } from '../shadow/policy.js';
import { checkSession, LoginRequiredError, openSession } from '../shadow/session.js';
import { Prompter } from './prompt.js';

export interface EnrichFlags {
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

/** Reads the seeds the flags name (already checked by the command) and sets the exit status. */
export async function runEnrichment(config: Config, flags: EnrichFlags, log: Logger): Promise<void> {
  // Before anything else: without a browser there is nothing to do (BrowserMissingError, one line).
  const chromeBinary = requireChromium(
    flags.chromeBinary ?? config.chromeBinary,
    flags.chromeBinary ? '--chrome-binary' : 'TPOT_CHROME_BINARY',
  );
  let prompter: Prompter | null = null;
  const prompts = () => (prompter ??= new Prompter(process.stdin, process.stdout));
  try {
    await enrich(config, flags, log, chromeBinary, prompts);
  } finally {
    (prompter as Prompter | null)?.close();
  }
}

/** The preview of the first seed read, shown before anything of it is written. */
function formatPreview({ seed, lists }: SeedPreview): string {
  const lines = [
    '',
    `First seed read: @${seed.handle}${seed.displayName ? ` (${seed.displayName})` : ''}, ` +
      `id ${seed.accountId ?? 'unknown'}`,
    ...(seed.bio ? [`  bio: ${seed.bio.replace(/\s+/g, ' ').slice(0, 160)}`] : []),
    ...(seed.location ? [`  location: ${seed.location}`] : []),
    ...(seed.website ? [`  website: ${seed.website}`] : []),
    `  profile counts: ${seed.following ?? '?'} following, ${seed.followers ?? '?'} followers`,
  ];
  for (const [kind, list] of Object.entries(lists)) {
    const coverage = list.claimed
      ? ` of ${list.claimed} (${Math.min(100, Math.round((100 * list.captured) / list.claimed))} %)`
      : '';
    const more = list.captured > list.sample.length ? ', …' : '';
    const sample = list.sample.length ? `: ${list.sample.map((h) => `@${h}`).join(', ')}${more}` : '';
    lines.push(`  ${kind}: ${list.captured} captured${coverage}${sample}`);
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
  throw new UsageError(`Several sessions in secrets/ (${files.join(', ')}): choose one with --cookies FILE.`);
}

async function enrich(
  config: Config,
  flags: EnrichFlags,
  log: Logger,
  chromeBinary: string,
  prompts: () => Prompter,
): Promise<void> {
  const cookieFile = await cookieFileFor(flags, prompts, log);
  let cookies;
  let policy;
  try {
    cookies = readCookieFile(resolve(cookieFile));
    policy = readPolicy(resolve(CONFIG_FILES.enrichmentPolicy));
  } catch (error) {
    if (error instanceof CookieError || error instanceof PolicyError) throw new UsageError(error.message);
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
          ? (handle, kind, reason) => {
              const question = `Read @${handle} → ${kind} (${reason})?`;
              return prompts().yesNo(question, { defaultAnswer: true });
            }
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
      [stopped, exitCode] = [{ reason: 'rate_limited', message: error.message }, EXIT.rateLimited];
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
    const reasons = failed.map((o) => `@${o.handle}: ${o.error}`).join(', ');
    log.error(
      `${failed.length} seed${failed.length === 1 ? '' : 's'} could not be read (${reasons}); ` +
        `see ${config.logDir}/enrichment.log. The others are stored.`,
    );
    exitCode = EXIT.failed;
  } else {
    const count = (status: string) => outcomes.filter((o) => o.status === status).length;
    log.info(
      `COMPLETE: ${outcomes.length} seeds (${count('scraped')} read, ${count('skipped')} skipped); ` +
        `summary in ${flags.output}.`,
    );
  }
  // The snapshot takes what was stored, also when X stopped the run early; nothing new was stored
  // after a login wall or "no" at the preview.
  if (flags.refreshSnapshot && (!stopped || stopped.reason === 'rate_limited'))
    refreshSnapshotFromCache(
      config,
      { ...GRAPH_DEFAULTS, seeds: activeSeeds(resolve(CONFIG_FILES.graphSettings)) },
      log,
    );
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
