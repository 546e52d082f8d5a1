/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `tpot enrich` (docs/OPERATIONS.md, "Shadow enrichment"): for each seed, its profile and its
 * lists, read in a real browser.
 *
 * - The page's own JSON answers are read as they arrive (`page.on('response')`, operations matched
 *   by name): numeric ids and exact counts. The DOM is the fallback — UserCells inside the primary
 *   column's timeline region only (never "Who to follow" or the sidebar), collected after every
 *   scroll because the list is virtualised.
 * - A list is read until `maxScrolls` consecutive scrolls bring nothing new (`stagnant_scrolls`).
 * - Rate limiting — HTTP 429 or code 88 on the page's requests, "Rate limit exceeded", or "Something
 *   went wrong. Try reloading." twice — stops the whole run at once (RateLimitedError). What was
 *   read of earlier seeds is already stored; the seed being read is recorded as rate_limited.
 * - A profile read without counts, or a page that fails to load, is retried after the configured
 *   delays (5, 15, 60 s); an incomplete profile's page is saved as
 *   `snapshot_<handle>_INCOMPLETE_DATA_<n>_<ts>.html` each time. A seed that still fails gets its
 *   metrics row with the error and the run goes on (it stops after three failures in a row).
 * - Each seed's rows land in one transaction with its scrape_run_metrics row (db/shadow-store.ts).
 * - Questions go through the caller's hooks: the first seed's preview (`confirmFirst`, once per
 *   run; "no" aborts before anything of it is written) and each list (`confirmList`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import type { Db } from '../db/database.js';
import { ShadowStore, type ListKind, type ShadowAccount } from '../db/shadow-store.js';
import { errorMessage, EXIT, TpotError } from '../errors.js';
import type { Logger } from '../log.js';
import { nowUtc } from '../time.js';
import { isValidUsername } from '../usernames.js';
import {
  graphqlOperation,
  isGraphqlRequest,
  isRateLimited,
  listFromResponse,
  profileFromResponse,
  type ListOperation,
  type ScrapedUser,
} from './graphql.js';
import { listDecision, seedDecision, type Decision, type EnrichmentPolicy, type ListHistory } from './policy.js';
import { extractProfile } from './profile-extractor.js';
import { isLoginWall, LoginRequiredError, type XSession } from './session.js';

/** X throttles the session: the run stops (exit 3). */
export class RateLimitedError extends TpotError {
  readonly errorType = 'rate_limited';
  constructor(readonly details: string) {
    super(
      'rate_limited',
      `X is rate limiting this session (${details}). Everything read so far is stored. ` +
        'Wait 1–24 hours, or switch to other cookies (--cookies), then run the same command again: ' +
        'finished seeds are skipped.',
    );
  }
}

/** A profile that still had no counts after every retry: that seed fails, the run goes on. */
export class IncompleteProfileError extends TpotError {
  readonly errorType = 'incomplete_profile';
  constructor(handle: string, attempts: number, logDir: string) {
    super(
      'input',
      `Could not read the counts of @${handle} after ${attempts} attempts; the pages are saved in ${logDir}.`,
    );
  }
}

/** The user answered "no" to the first seed's preview (exit 1, as any run that did not finish). */
export class RunAbortedError extends TpotError {
  constructor(readonly handle: string) {
    super('interrupted', `Aborted at the preview of @${handle}; nothing of it was written. Earlier seeds are stored.`, {
      exitStatus: EXIT.failed,
    });
  }
}

/** Seeds failing one after another before the run gives up (the browser or the network is gone). */
const MAX_FAILURES_IN_A_ROW = 3;

/** `--retry-attempts N` reads a page at most N times, waiting 5, 15, 60, 60… s between. */
export function retryDelaysMs(attempts: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => [5_000, 15_000][i] ?? 60_000);
}

export const LIST_OPERATION_OF: Record<ListKind, ListOperation> = {
  following: 'Following',
  followers: 'Followers',
  verified_followers: 'BlueVerifiedFollowers',
  followers_you_follow: 'FollowersYouKnow',
};

export interface EnrichOptions {
  baseUrl: string;
  maxScrolls: number;
  /** Seconds between page visits, uniform in [min, max]. */
  delay: { min: number; max: number };
  /** Seconds between seeds (`--pause`). */
  pauseSeconds: number;
  lists: ListKind[];
  profileOnly: boolean;
  skipIfEverScraped: boolean;
  policy: EnrichmentPolicy;
  logDir: string;
  /** Waits before retrying a profile without counts or a page that did not load (retryDelaysMs). */
  retryMs: number[];
  cookieFile: string;
  /** Asked once, before the first read seed is written; false aborts the run (RunAbortedError). */
  confirmFirst?: (preview: SeedPreview) => Promise<boolean>;
  /** Asked before each list is read; false skips it. */
  confirmList?: (handle: string, kind: ListKind, reason: string) => Promise<boolean>;
  /** After Ctrl-C, between seeds: true resumes the run; without it the run stops there. */
  resumeAfterPause?: () => Promise<boolean>;
}

/** What the first seed's preview shows: the profile as read and what each list caught. */
export interface SeedPreview {
  seed: ShadowAccount;
  lists: Partial<Record<ListKind, { captured: number; claimed: number | null; sample: string[] }>>;
}

export interface SeedOutcome {
  handle: string;
  status: 'scraped' | 'skipped' | 'deleted' | 'suspended' | 'protected' | 'failed';
  reason?: string;
  /** error_type of a failed seed. */
  error?: string;
  captured: Partial<Record<ListKind, number>>;
  accountsUpserted: number;
  edgesUpserted: number;
}

function toShadow(user: ScrapedUser, status: ShadowAccount['status'] = 'active'): ShadowAccount {
  return {
    accountId: user.accountId,
    handle: user.handle,
    displayName: user.displayName,
    bio: user.bio,
    location: user.location,
    website: user.website,
    avatarUrl: user.avatarUrl,
    followers: user.followers,
    following: user.following,
    status: user.protected ? 'protected' : status,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long after a scroll the page may take to ask for the list's next page (slow pages answer later; that wait is
 * unbounded by this).
 */
const SCROLL_REQUEST_MS = 600;

/** Watches a page's JSON answers: rate limits, and the bodies of the operations asked for. */
function watch(
  page: Page,
  operations: readonly string[],
  onBody: (operation: string, body: unknown) => void,
): { limited: () => string | null; stop: () => void } {
  let limited: string | null = null;
  const listener = (response: Response) => {
    if (!isGraphqlRequest(response.url())) return;
    const operation = graphqlOperation(response.url());
    void response
      .json()
      .catch(() => null)
      .then((body: unknown) => {
        if (isRateLimited(response.status(), body))
          limited ??= `HTTP ${response.status()} on ${operation ?? new URL(response.url()).pathname.split('/').pop()}`;
        else if (operation && operations.includes(operation) && response.ok()) onBody(operation, body);
      });
  };
  page.on('response', listener);
  return { limited: () => limited, stop: () => page.off('response', listener) };
}

/** The error texts X shows in place of content when it is limiting (docs/FORMATS.md, "Account states"). */
async function pageErrors(page: Page): Promise<{ rateLimitText: boolean; somethingWrong: boolean }> {
  const text = await page
    .locator('[data-testid="primaryColumn"]')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
  return {
    rateLimitText: /Rate limit exceeded/i.test(text),
    somethingWrong: /Something went wrong\. Try reloading\./i.test(text),
  };
}

/** UserCells of the list itself: inside the primary column's timeline region, never in an aside. */
async function listCells(page: Page): Promise<ShadowAccount[]> {
  return page.evaluate(() => {
    const out: { accountId: string | null; handle: string; displayName: string | null; bio: string | null }[] = [];
    for (const cell of document.querySelectorAll(
      '[data-testid="primaryColumn"] section[role="region"] [data-testid="UserCell"]',
    )) {
      if (cell.closest('aside')) continue;
      const link = [...cell.querySelectorAll('a[href^="/"]')]
        .map((a) => a.getAttribute('href') ?? '')
        .find((href) => /^\/[A-Za-z0-9_]{1,15}$/.test(href));
      if (!link) continue;
      const button = [...cell.querySelectorAll('[data-testid]')]
        .map((e) => e.getAttribute('data-testid') ?? '')
        .find((id) => /^\d+-(un)?follow$/.test(id));
      const name = cell.querySelector('a[href^="/"] div[dir="ltr"] span');
      const bio = [...cell.querySelectorAll('div[dir="auto"]')].find(
        (d) => !d.getAttribute('data-testid') && !(d as HTMLElement).style.display,
      );
      out.push({
        accountId: button ? button.split('-')[0]! : null,
        handle: link.slice(1),
        displayName: name?.textContent ?? null,
        bio: bio?.textContent?.trim() || null,
      });
    }
    return out;
  });
}

export class Enricher {
  private readonly store: ShadowStore;
  private stopRequested = false;
  private previewed = false;

  constructor(
    db: Db,
    private readonly session: XSession,
    private readonly options: EnrichOptions,
    private readonly log: Logger,
  ) {
    this.store = new ShadowStore(db);
  }

  /** Ctrl-C: finish the current seed, then pause (resumeAfterPause) or stop. */
  requestStop(): void {
    this.stopRequested = true;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Between two page visits. */
  private async delay(): Promise<void> {
    const { min, max } = this.options.delay;
    if (max <= 0) return;
    await sleep(1000 * (min + Math.random() * (max - min)));
  }

  async run(seeds: readonly string[]): Promise<SeedOutcome[]> {
    const outcomes: SeedOutcome[] = [];
    let failuresInARow = 0;
    for (const [i, handle] of seeds.entries()) {
      if (this.stopRequested) {
        this.log.info(`Paused after ${i} of ${seeds.length} seeds (Ctrl-C).`);
        if (this.options.resumeAfterPause && (await this.options.resumeAfterPause())) {
          this.stopRequested = false;
          this.log.info('Resumed.');
        } else {
          this.log.info(`Stopped after ${i} of ${seeds.length} seeds. Run the same command again to continue.`);
          break;
        }
      }
      if (i > 0 && this.options.pauseSeconds > 0) await sleep(this.options.pauseSeconds * 1000);
      this.log.info(`SEED #${i + 1}/${seeds.length}: @${handle}`);
      const started = performance.now();
      const outcome = await this.enrichSeed(handle);
      outcomes.push(outcome);
      this.log.info(
        { progress: true },
        progressLine(outcome, i + 1, seeds.length, (performance.now() - started) / 1000),
      );
      failuresInARow = outcome.status === 'failed' ? failuresInARow + 1 : 0;
      if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        throw new Error(
          `${failuresInARow} seeds failed in a row (last: ${outcome.reason}); stopping. ` +
            'Check the browser and the network, then run the same command again.',
        );
      }
    }
    return outcomes;
  }

  private history(handle: string) {
    const stored = this.store.storedSeed(handle);
    const list = (kind: 'following' | 'followers'): ListHistory => ({
      lastRunAt: stored.lastRun?.runAt ?? null,
      captured: stored.lastRun?.[kind].captured ?? null,
      claimed: stored.lastRun?.[kind].claimed ?? null,
      coverage: stored.lastRun?.[kind].coverage ?? null,
      storedEdges: stored.storedEdges[kind],
      claimedNow: null,
    });
    return {
      seed: { status: stored.status, checkedAt: stored.checkedAt, lastCompleteRunAt: stored.lastRun?.runAt ?? null },
      lists: { following: list('following'), followers: list('followers') },
    };
  }

  /**
   * Whether to read one list now. Following and followers follow the policy; verified followers
   * go with followers (they are a part of them); "followers you know" is always read (it is short).
   */
  private listDecision(
    kind: ListKind,
    history: ReturnType<Enricher['history']>,
    seed: ShadowAccount,
    decided: Map<ListKind, Decision>,
  ): Decision {
    if (kind === 'following' || kind === 'followers') {
      const claimedNow = (kind === 'following' ? seed.following : seed.followers) ?? null;
      return listDecision({ ...history.lists[kind], claimedNow }, this.options.policy, {
        skipIfEverScraped: this.options.skipIfEverScraped,
      });
    }
    if (kind === 'verified_followers') {
      const followers = decided.get('followers');
      if (followers?.action === 'skip') return { action: 'skip', reason: 'the followers list is skipped' };
      return { action: 'scrape', reason: 'read with the followers' };
    }
    return { action: 'scrape', reason: 'always read (a short list)' };
  }

  private async enrichSeed(handle: string): Promise<SeedOutcome> {
    const started = performance.now();
    const runAt = nowUtc();
    const seconds = () => (performance.now() - started) / 1000;
    const history = this.history(handle);
    const wanted = this.options.profileOnly ? [] : this.options.lists;
    const histories = wanted
      .filter((k): k is 'following' | 'followers' => k === 'following' || k === 'followers')
      .map((k) => history.lists[k]);
    const before = seedDecision(history.seed, histories, this.options.policy, {
      skipIfEverScraped: this.options.skipIfEverScraped,
    });
    const seedRef = { accountId: null, handle };
    if (before.action === 'skip') {
      this.log.info(`SKIPPED — @${handle}: ${before.reason}`);
      this.store.writeSeedRun({
        seed: seedRef,
        lists: {},
        runAt,
        durationSeconds: 0,
        channel: 'browser',
        skipped: { reason: before.reason },
      });
      return { handle, status: 'skipped', reason: before.reason, captured: {}, accountsUpserted: 0, edgesUpserted: 0 };
    }
    this.log.debug(`@${handle}: reading (${before.reason})`);
    const page = await this.session.context.newPage();
    try {
      const profile = await this.readProfile(page, handle);
      if (profile.state === 'deleted' || profile.state === 'suspended') {
        this.log.info(`DELETED ACCOUNT @${handle} (${profile.state})`);
        this.store.writeSeedRun({
          seed: { ...seedRef, accountId: profile.account?.accountId ?? null, status: profile.state },
          lists: {},
          runAt,
          durationSeconds: seconds(),
          channel: 'browser',
          skipped: { reason: `account ${profile.state}` },
        });
        return { handle, status: profile.state, captured: {}, accountsUpserted: 1, edgesUpserted: 0 };
      }
      const seed = profile.account!;
      const lists: Partial<Record<ListKind, { accounts: ShadowAccount[]; claimed: number | null }>> = {};
      const decided = new Map<ListKind, Decision>();
      for (const kind of profile.state === 'protected' ? [] : wanted) {
        let decision = this.listDecision(kind, history, seed, decided);
        if (
          decision.action === 'scrape' &&
          this.options.confirmList &&
          !(await this.options.confirmList(handle, kind, decision.reason))
        ) {
          decision = { action: 'skip', reason: 'declined at the prompt' };
        }
        decided.set(kind, decision);
        if (decision.action === 'skip') {
          this.log.info(`SKIPPED — @${handle} → ${kind}: ${decision.reason}`);
          continue;
        }
        this.log.debug(`@${handle} → ${kind}: reading (${decision.reason})`);
        await this.delay();
        const accounts = await this.readList(page, handle, kind);
        this.log.info(`CAPTURED ${accounts.length} unique accounts from @${handle} → ${kind}`);
        const claimed =
          kind === 'following' ? (seed.following ?? null) : kind === 'followers' ? (seed.followers ?? null) : null;
        lists[kind] = { accounts, claimed };
      }
      await this.confirmFirst(seed, lists);
      const written = this.store.writeSeedRun({ seed, lists, runAt, durationSeconds: seconds(), channel: 'browser' });
      const captured = Object.fromEntries(Object.entries(lists).map(([kind, list]) => [kind, list.accounts.length]));
      return {
        handle,
        status: profile.state === 'protected' ? 'protected' : 'scraped',
        captured,
        accountsUpserted: written.accountsUpserted,
        edgesUpserted: written.edgesUpserted,
      };
    } catch (error) {
      if (error instanceof RunAbortedError) throw error;
      const stopsRun = error instanceof RateLimitedError || error instanceof LoginRequiredError;
      const type = stopsRun || error instanceof IncompleteProfileError ? error.errorType : 'page_error';
      const details =
        error instanceof RateLimitedError
          ? error.details
          : error instanceof LoginRequiredError
            ? 'login wall'
            : errorMessage(error);
      this.store.writeSeedRun({
        seed: seedRef,
        lists: {},
        runAt,
        durationSeconds: seconds(),
        channel: 'browser',
        error: { type, details },
      });
      if (stopsRun) throw error;
      this.log.error(`FAILED @${handle}: ${details}`);
      return {
        handle,
        status: 'failed',
        reason: details,
        error: type,
        captured: {},
        accountsUpserted: 0,
        edgesUpserted: 0,
      };
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  /** The preview of the first seed read in this run, once; "no" aborts before it is written. */
  private async confirmFirst(
    seed: ShadowAccount,
    lists: Partial<Record<ListKind, { accounts: ShadowAccount[]; claimed: number | null }>>,
  ): Promise<void> {
    if (this.previewed || !this.options.confirmFirst) return;
    this.previewed = true;
    const preview: SeedPreview = {
      seed,
      lists: Object.fromEntries(
        Object.entries(lists).map(([kind, list]) => [
          kind,
          {
            captured: list.accounts.length,
            claimed: list.claimed,
            sample: list.accounts.slice(0, 10).map((a) => a.handle),
          },
        ]),
      ),
    };
    if (!(await this.options.confirmFirst(preview))) throw new RunAbortedError(seed.handle);
  }

  /** page.goto, again after the retry delays when the page does not load (a network error or a timeout). */
  private async visit(page: Page, url: string): Promise<void> {
    const waits = [0, ...this.options.retryMs];
    for (const [attempt, wait] of waits.entries()) {
      if (wait > 0) await sleep(wait);
      try {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        return;
      } catch (error) {
        if (attempt === waits.length - 1)
          throw new Error(`${url} did not load after ${waits.length} attempts: ${errorMessage(error).split('\n')[0]}`, {
            cause: error,
          });
        this.log.warn(
          `${url} did not load (${errorMessage(error).split('\n')[0]}); retrying in ${waits[attempt + 1]! / 1000} s.`,
        );
      }
    }
  }

  private async readProfile(
    page: Page,
    handle: string,
  ): Promise<{ state: 'active' | 'protected' | 'deleted' | 'suspended'; account: ShadowAccount | null }> {
    const attempts = [0, ...this.options.retryMs];
    for (const [attempt, wait] of attempts.entries()) {
      if (wait > 0) await sleep(wait);
      let answer: ReturnType<typeof profileFromResponse> | null = null;
      const watcher = watch(page, ['UserByScreenName'], (_op, body) => (answer = profileFromResponse(body)));
      try {
        await this.visit(page, `${this.options.baseUrl}/${handle}`);
        if (await isLoginWall(page)) throw new LoginRequiredError(this.options.cookieFile);
        await page
          .waitForSelector(
            [
              '[data-testid="primaryColumn"] [data-testid="UserName"]',
              '[data-testid="emptyState"]',
              '[data-testid="primaryColumn"] [role="button"]',
            ].join(', '),
            { timeout: 20_000 },
          )
          .catch(() => undefined);
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
        const limited = watcher.limited();
        if (limited) throw new RateLimitedError(limited);
        const errors = await pageErrors(page);
        if (errors.rateLimitText) throw new RateLimitedError('"Rate limit exceeded" on the page');
        const fromJson = answer as ReturnType<typeof profileFromResponse> | null;
        if (fromJson && (fromJson.state === 'deleted' || fromJson.state === 'suspended'))
          return { state: fromJson.state, account: null };
        const json = fromJson?.user ? toShadow(fromJson.user) : null;
        if (json && json.followers !== null && json.following !== null)
          return { state: fromJson!.state as 'active' | 'protected', account: json };
        // No JSON (X renamed the operation, or it was not seen), or JSON without counts: the page itself.
        const html = await page.content();
        const dom = extractProfile(html, { handle });
        if (!json && (dom.state === 'deleted' || dom.state === 'suspended')) return { state: dom.state, account: null };
        if (dom.followers && dom.following && (json || dom.handle)) {
          this.log.debug(
            `@${handle}: profile read from the page's HTML` +
              (json ? ' (the JSON had no counts)' : ' (no JSON answer seen)'),
          );
          const fromDom: ShadowAccount = {
            accountId: dom.accountId,
            handle: dom.handle ?? handle,
            displayName: dom.displayName,
            bio: dom.bio,
            location: dom.location,
            website: dom.website,
            avatarUrl: dom.avatarUrl,
            followers: dom.followers.value,
            following: dom.following.value,
            status: dom.state,
          };
          return {
            state: json ? (fromJson!.state as 'active' | 'protected') : dom.state,
            account: json ? { ...json, followers: fromDom.followers, following: fromDom.following } : fromDom,
          };
        }
        if (errors.somethingWrong && attempt > 0)
          throw new RateLimitedError('"Something went wrong. Try reloading." again');
        this.saveSnapshot(handle, attempt + 1, html);
        this.log.warn(
          `Incomplete profile data for @${handle} (attempt ${attempt + 1} of ${attempts.length})` +
            (attempt + 1 < attempts.length ? `; retrying in ${attempts[attempt + 1]! / 1000} s` : '') +
            '.',
        );
      } finally {
        watcher.stop();
      }
    }
    throw new IncompleteProfileError(handle, attempts.length, this.options.logDir);
  }

  private saveSnapshot(handle: string, attempt: number, html: string): void {
    mkdirSync(this.options.logDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    writeFileSync(join(this.options.logDir, `snapshot_${handle}_INCOMPLETE_DATA_${attempt}_${stamp}.html`), html);
  }

  private async readList(page: Page, handle: string, kind: ListKind): Promise<ShadowAccount[]> {
    const found = new Map<string, ShadowAccount>();
    const key = (a: ShadowAccount) => a.accountId ?? `@${a.handle.toLowerCase()}`;
    const add = (account: ShadowAccount) => {
      if (!isValidUsername(account.handle)) return;
      // A JSON user (numeric id) wins over the same account read from the DOM by handle.
      const byHandle = `@${account.handle.toLowerCase()}`;
      if (account.accountId && found.has(byHandle)) found.delete(byHandle);
      else if (
        !account.accountId &&
        [...found.values()].some((a) => a.handle.toLowerCase() === account.handle.toLowerCase())
      )
        return;
      if (!found.has(key(account))) found.set(key(account), account);
    };
    const watcher = watch(page, [LIST_OPERATION_OF[kind]], (_op, body) => {
      for (const user of listFromResponse(body).users) add(toShadow(user));
    });
    try {
      await this.visit(page, `${this.options.baseUrl}/${handle}/${kind}`);
      if (await isLoginWall(page)) throw new LoginRequiredError(this.options.cookieFile);
      await page
        .waitForSelector(
          '[data-testid="primaryColumn"] section[role="region"] [data-testid="UserCell"], [data-testid="emptyState"]',
          { timeout: 20_000 },
        )
        .catch(() => undefined);
      let stagnant = 0;
      let somethingWrong = 0;
      let scrolls = 0;
      while (stagnant < this.options.maxScrolls) {
        const limited = watcher.limited();
        if (limited) throw new RateLimitedError(limited);
        const errors = await pageErrors(page);
        if (errors.rateLimitText) throw new RateLimitedError('"Rate limit exceeded" on the page');
        if (errors.somethingWrong && ++somethingWrong >= 2)
          throw new RateLimitedError('"Something went wrong. Try reloading." on the page, twice');
        if (await page.locator('[data-testid="emptyState"]').count()) break;
        const size = found.size;
        for (const cell of await listCells(page)) add(cell);
        // Scroll; when that makes the page ask for more (any GraphQL request: the list's operation
        // may have been renamed), wait for the answer.
        const asked = page
          .waitForRequest((request) => isGraphqlRequest(request.url()), { timeout: SCROLL_REQUEST_MS })
          .catch(() => null);
        await page.evaluate(() => window.scrollBy(0, 1200));
        const request = await asked;
        if (request) {
          await request.response().catch(() => null);
          await page.waitForTimeout(150); // the body is read, and the rows drawn
        }
        for (const cell of await listCells(page)) add(cell);
        stagnant = found.size > size ? 0 : stagnant + 1;
        this.log.debug(
          `@${handle} → ${kind}: scroll ${++scrolls}, ${found.size} accounts` +
            (stagnant ? `, ${stagnant} without new ones` : ''),
        );
      }
      if (stagnant >= this.options.maxScrolls)
        this.log.info(`stagnant_scrolls: ${stagnant} scrolls brought nothing new on @${handle} → ${kind}`);
      return [...found.values()].filter((a) => a.handle.toLowerCase() !== handle.toLowerCase());
    } finally {
      watcher.stop();
    }
  }
}

/** The one console line per seed (shown with --quiet too). */
function progressLine(outcome: SeedOutcome, index: number, total: number, seconds: number): string {
  const lists = Object.entries(outcome.captured).map(([kind, n]) => `${kind} ${n}`);
  const what =
    outcome.status === 'failed'
      ? `failed (${outcome.error})`
      : outcome.status === 'skipped'
        ? `skipped (${outcome.reason})`
        : outcome.status;
  const captured = lists.length ? ` — ${lists.join(', ')}` : '';
  const edges = outcome.edgesUpserted ? `; ${outcome.edgesUpserted} new edges` : '';
  return `[${index}/${total}] @${outcome.handle}: ${what}${captured}${edges} (${seconds.toFixed(1)} s)`;
}
