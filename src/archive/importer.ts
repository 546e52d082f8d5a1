/**
 * ArchiveImporter: the `tpot import` engine (docs/ARCHITECTURE.md, "Archive import: how data
 * flows"), also usable as a library.
 *
 * importAll() plans the run from the ledger (already imported archives are skipped, so an
 * interrupted run resumes), downloads up to `concurrency` archives at once, and hands each
 * downloaded file to a single writer: stream-parse into staging tables, then one transaction
 * that copies the archive and writes its ledger row. Bad input fails that archive only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { removeStageFile, type StageCounts } from '../db/archive-stage.js';
import {
  ArchiveStore,
  MERGE_STRATEGIES,
  type CommitResult,
  type MergeStrategy,
  type LedgerEntry,
} from '../db/archive-store.js';
import type { Db } from '../db/database.js';
import { DiskFullError, isDiskFullError, withDbRetry, DB_RETRY_DELAYS_MS } from '../db/retry.js';
import { Mutex, runPool } from '../concurrency.js';
import { silentLogger, type Logger } from '../log.js';
import type { ProgressBar } from '../progress.js';
import { nowUtc } from '../time.js';
import { normaliseUsername } from '../usernames.js';
import { createParser, type ArchiveParser } from './parser-pool.js';
import { mergeParts, type CompleteStage, type StagePart } from './stage-archive.js';
import { isNotFound, type ArchiveSource, type FetchedArchive } from './sources/source.js';
import { errorMessage } from '../errors.js';

/** Archives at least this large are parsed by two threads at once (docs/BENCHMARKS.md). */
export const SPLIT_ARCHIVE_BYTES = 32 * 1024 * 1024;

export type ArchiveStatus = 'imported' | 'skipped' | 'not_found' | 'failed' | 'read';

export interface ArchiveResult {
  username: string;
  /** 'read': a dry run read the archive and wrote nothing. */
  status: ArchiveStatus;
  accountId: string | null;
  location: string;
  counts: StageCounts | null;
  stored: CommitResult | null;
  bytes: number;
  sha256: string | null;
  uploadedAt: string | null;
  error: string | null;
  seconds: number;
}

export interface ImportSummary {
  dryRun: boolean;
  /** Archives the run considered (imports and skips); 0 means there was nothing to import. */
  planned: number;
  mergeStrategy: MergeStrategy;
  imported: number;
  skipped: number;
  notFound: number;
  failed: number;
  /** Archives read by a dry run. */
  read: number;
  bytes: number;
  seconds: number;
  /** Why the run stopped before its end (disk full, interrupted), or null. */
  stopped: string | null;
  results: ArchiveResult[];
}

export interface ImporterOptions {
  /** The one writer connection. May be null only for a dry run on a missing database. */
  db: Db | null;
  source: ArchiveSource;
  logger?: Logger;
  /** Downloads in flight (default 4). */
  concurrency?: number;
  /** Parser threads (default: one per core, at most `concurrency`; 0 parses on the main thread). */
  parsers?: number;
  /** Where scratch staging files go (default: `tmp/` beside the database). */
  workDir?: string;
  /** Archives at least this large are parsed in two parts at once (default SPLIT_ARCHIVE_BYTES). */
  splitArchiveBytes?: number;
  /** Store every tweet instead of the 20 most liked plus the 10 most recent. */
  allTweets?: boolean;
  /**
   * Record each archive's interactions and the names its mentions carry (default true); without, an
   * imported archive has no interactions and replaces those it had.
   */
  interactions?: boolean;
  dbRetryDelaysMs?: readonly number[];
  progress?: ProgressBar;
  signal?: AbortSignal;
}

export interface ImportAllOptions {
  dryRun?: boolean;
  /** At most this many archives are downloaded; skipped ones do not count, so repeated runs advance. */
  maxArchives?: number;
  forceReimport?: boolean;
  mergeStrategy?: MergeStrategy;
  /** Which archives; default the `account` table's usernames, else everything the source lists. */
  usernames?: readonly string[];
}

export interface ImportArchiveOptions {
  dryRun?: boolean;
  mergeStrategy?: MergeStrategy;
}

interface PlannedArchive {
  position: number;
  username: string;
  skipAs: string | null; // account id when already imported
}

export class ArchiveImporter {
  private readonly log: Logger;
  private readonly writer = new Mutex();
  private readonly concurrency: number;
  private readonly workDir: string;
  private stopReason: string | null = null;
  private parser: ArchiveParser | null = null;

  constructor(private readonly options: ImporterOptions) {
    this.log = options.logger ?? silentLogger();
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.workDir =
      options.workDir ??
      (options.db && options.db.name !== ':memory:' ? join(dirname(options.db.name), 'tmp') : tmpdir());
  }

  private get parserThreads(): number {
    return this.options.parsers ?? Math.min(availableParallelism(), this.concurrency);
  }

  /** Starts the parser threads for one run; closed by `endRun`. */
  private beginRun(): void {
    mkdirSync(this.workDir, { recursive: true });
    this.parser = createParser(this.parserThreads);
  }

  private async endRun(): Promise<void> {
    await this.parser?.close();
    this.parser = null;
  }

  /** Imports every archive of the run; never throws for one archive's failure. */
  async importAll(options: ImportAllOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const dryRun = options.dryRun ?? false;
    const strategy = checkStrategy(options.mergeStrategy ?? 'timestamp');
    this.stopReason = null;
    const summary: ImportSummary = {
      dryRun,
      planned: 0,
      mergeStrategy: strategy,
      imported: 0,
      skipped: 0,
      notFound: 0,
      failed: 0,
      read: 0,
      bytes: 0,
      seconds: 0,
      stopped: null,
      results: [],
    };
    if (strategy === 'shadow_only') {
      this.log.info("Merge strategy 'shadow_only': archive rows are not imported, so there is nothing to do.");
      this.log.info(summaryLine(summary));
      return summary;
    }

    const plan = await this.plan(options);
    summary.planned = plan.length;
    if (plan.length === 0) {
      this.log.warn(
        `No archives to import from ${this.options.source.description}: ` +
          'name them with --username or --usernames-file, run `tpot sync` to fill the account table, ' +
          'or use a directory or zip source.',
      );
    }
    const toImport = plan.filter((entry) => entry.skipAs === null);
    this.log.info(
      `Importing ${plan.length} archives from ${this.options.source.description} ` +
        `(dry_run=${dryRun}, force_reimport=${options.forceReimport ?? false}, ` +
        `merge_strategy=${strategy}, concurrency=${this.concurrency})`,
    );

    const results = new Array<ArchiveResult>(plan.length);
    let done = 0;
    const finish = (entry: PlannedArchive, result: ArchiveResult) => {
      results[entry.position - 1] = result;
      summary.bytes += result.bytes;
      done++;
      this.options.progress?.update({ done, total: plan.length, bytes: summary.bytes });
    };
    for (const entry of plan) {
      if (entry.skipAs === null) continue;
      this.log.info(`[${entry.position}/${plan.length}] Processing '${entry.username}'...`);
      this.log.info(`Skipping '${entry.username}' (${entry.skipAs}) - already imported`);
      finish(entry, emptyResult(entry.username, 'skipped', entry.skipAs, this.options.source.locate(entry.username)));
    }

    this.beginRun();
    await runPool(
      toImport,
      this.concurrency,
      async (entry) => {
        this.log.info(`[${entry.position}/${plan.length}] Processing '${entry.username}'...`);
        const result = await this.importOne(entry.username, dryRun, strategy);
        // An archive cut short by Ctrl-C was not attempted: it is neither failed nor in the ledger.
        if (result) finish(entry, result);
      },
      () => this.stopReason !== null || Boolean(this.options.signal?.aborted),
    ).finally(() => this.endRun());
    this.options.progress?.finish();

    if (this.options.signal?.aborted && !this.stopReason) this.stopReason = 'interrupted';
    summary.results = results.filter(Boolean);
    for (const result of summary.results) {
      if (result.status === 'imported') summary.imported++;
      else if (result.status === 'skipped') summary.skipped++;
      else if (result.status === 'not_found') summary.notFound++;
      else if (result.status === 'failed') summary.failed++;
      else summary.read++;
    }
    summary.stopped = this.stopReason;
    summary.seconds = (Date.now() - started) / 1000;
    if (summary.stopped) {
      this.log.error(
        `Import stopped early (${summary.stopped}): ${plan.length - summary.results.length} archives ` +
          'were not attempted; run the same command again to continue.',
      );
    }
    this.log.info(summaryLine(summary));
    return summary;
  }

  /** Imports one archive now, whatever the ledger says. Throws InvalidUsernameError before any request. */
  async importArchive(username: string, options: ImportArchiveOptions = {}): Promise<ArchiveResult> {
    const name = normaliseUsername(username);
    const strategy = checkStrategy(options.mergeStrategy ?? 'timestamp');
    if (strategy === 'shadow_only') {
      this.log.info(`Merge strategy 'shadow_only': nothing imported for '${name}'.`);
      return emptyResult(name, 'skipped', null, this.options.source.locate(name));
    }
    this.beginRun();
    try {
      return (
        (await this.importOne(name, options.dryRun ?? false, strategy)) ??
        emptyResult(name, 'failed', null, this.options.source.locate(name), 'interrupted')
      );
    } finally {
      await this.endRun();
    }
  }

  /** Which archives, in order, and which of them the ledger already has. */
  private async plan(options: ImportAllOptions): Promise<PlannedArchive[]> {
    const store = this.options.db ? new ArchiveStore(this.options.db) : null;
    let usernames: string[];
    if (options.usernames && options.usernames.length > 0) {
      usernames = options.usernames.map(normaliseUsername);
    } else {
      const fromAccounts = store?.accountUsernames() ?? [];
      const valid = fromAccounts.filter((name) => /^[a-z0-9_]{1,15}$/.test(name));
      for (const bad of fromAccounts.filter((name) => !valid.includes(name))) {
        this.log.warn(`Ignoring invalid username ${JSON.stringify(bad)} from the account table`);
      }
      usernames = valid.length > 0 ? valid : ((await this.options.source.listUsernames()) ?? []);
      if (fromAccounts.length > 0)
        this.log.info(`Found ${usernames.length} usernames in account table (will attempt import for each)`);
    }
    usernames = [...new Set(usernames)];
    const ledger = store && !options.forceReimport ? store.ledger() : new Map<string, LedgerEntry>();
    const max = options.maxArchives ?? Infinity;
    const plan: PlannedArchive[] = [];
    let attempts = 0;
    for (const username of usernames) {
      const entry = ledger.get(username);
      const imported = entry?.status === 'imported';
      if (!imported && attempts >= max) continue;
      if (!imported) attempts++;
      plan.push({ position: plan.length + 1, username, skipAs: imported ? (entry.accountId ?? '?') : null });
    }
    return plan;
  }

  private get interrupted(): boolean {
    return Boolean(this.options.signal?.aborted);
  }

  /** The archive's result, or null when the run was interrupted before it was written. */
  private async importOne(
    username: string,
    dryRun: boolean,
    strategy: Exclude<MergeStrategy, 'shadow_only'>,
  ): Promise<ArchiveResult | null> {
    const started = Date.now();
    const location = this.options.source.locate(username);
    const result = (status: ArchiveStatus, fields: Partial<ArchiveResult> = {}): ArchiveResult => ({
      ...emptyResult(username, status, null, location),
      ...fields,
      seconds: (Date.now() - started) / 1000,
    });

    let fetched: FetchedArchive;
    try {
      const outcome = await this.options.source.fetch(username, this.options.signal);
      if (isNotFound(outcome)) {
        this.log.warn(`Archive not found for '${username}' at ${outcome.location}`);
        await this.record(dryRun, (store) =>
          store.recordOutcome(username, 'not_found', outcome.location, outcome.reason, nowUtc()),
        );
        return result('not_found', { location: outcome.location, error: outcome.reason });
      }
      fetched = outcome;
    } catch (error) {
      return this.interrupted ? null : this.failed(username, location, dryRun, error, result);
    }

    const stageBase = join(this.workDir, `stage-${username}-${randomBytes(6).toString('hex')}`);
    const parts = this.partsFor(fetched.path);
    const stageFiles = parts.map((_, i) => `${stageBase}-${i}.db`);
    try {
      if (this.interrupted) return null;
      const allTweets = this.options.allTweets ?? false;
      const interactions = this.options.interactions ?? true;
      const staged = mergeParts(
        await Promise.all(
          parts.map((part, i) =>
            this.parser!.stage({ archivePath: fetched.path, stageFile: stageFiles[i]!, allTweets, interactions, part }),
          ),
        ),
      );
      // Ctrl-C stops after the archive being written: one still waiting for the writer is left alone.
      return await this.writer.run(async () =>
        this.interrupted ? null : this.commit(fetched, staged, dryRun, strategy, result),
      );
    } catch (error) {
      return this.failed(username, fetched.location, dryRun, error, result);
    } finally {
      for (const file of stageFiles) removeStageFile(file);
      await fetched.release();
    }
  }

  /**
   * A large archive is read by two parser threads at once (tweets, and the rest) when there are
   * two; smaller ones whole, since the pool already parses several archives side by side.
   */
  private partsFor(path: string): StagePart[] {
    const large = statSync(path).size >= (this.options.splitArchiveBytes ?? SPLIT_ARCHIVE_BYTES);
    return large && this.parserThreads >= 2 ? ['tweets', 'others'] : ['whole'];
  }

  private async failed(
    username: string,
    location: string,
    dryRun: boolean,
    error: unknown,
    result: (status: ArchiveStatus, fields?: Partial<ArchiveResult>) => ArchiveResult,
  ): Promise<ArchiveResult> {
    const diskFull = error instanceof DiskFullError || isDiskFullError(error);
    if (diskFull) this.stopReason = 'disk full';
    const message =
      diskFull && !(error instanceof DiskFullError)
        ? new DiskFullError(error).message
        : error instanceof Error
          ? error.message
          : String(error);
    this.log.error(`Failed to import '${username}': ${message}`);
    if (!diskFull) {
      await this.record(dryRun, (store) => store.recordOutcome(username, 'failed', location, message, nowUtc())).catch(
        (recordError: unknown) => {
          this.log.error(`Could not record the failure of '${username}' in the ledger: ${errorMessage(recordError)}`);
        },
      );
    }
    return result('failed', { location, error: message });
  }

  /** Ledger writes go through the writer, so they never land inside another archive's staging. */
  private async record(dryRun: boolean, write: (store: ArchiveStore) => void): Promise<void> {
    const db = this.options.db;
    if (dryRun || !db) return;
    await this.writer.run(() => withDbRetry(() => write(new ArchiveStore(db)), this.retryOptions()));
  }

  private retryOptions() {
    return {
      delaysMs: this.options.dbRetryDelaysMs ?? DB_RETRY_DELAYS_MS,
      onRetry: (error: unknown, attempt: number, delay: number) =>
        this.log.warn(`Database busy (${errorMessage(error)}); retry ${attempt} in ${delay / 1000} s`),
    };
  }

  private async commit(
    fetched: FetchedArchive,
    staged: CompleteStage,
    dryRun: boolean,
    strategy: Exclude<MergeStrategy, 'shadow_only'>,
    result: (status: ArchiveStatus, fields?: Partial<ArchiveResult>) => ArchiveResult,
  ): Promise<ArchiveResult> {
    const { username } = fetched;
    const { account, counts, stats } = staged;
    this.log.info(
      `Archive for '${username}' (${account.accountId}): ${counts.following} following, ${counts.followers} followers`,
    );
    if (account.username && account.username.toLowerCase() !== username) {
      this.log.info(
        `Note: the archive stored as '${username}' belongs to @${account.username} ` +
          '(a changed handle keeps its old path)',
      );
    }
    if (staged.uploadOptions?.keepPrivate) {
      this.log.warn(`'${username}' was uploaded with keepPrivate: its tweets and likes are not stored`);
    }
    const uploadedAt = fetched.lastModified ?? staged.uploadOptions?.endDate ?? nowUtc();
    const common = {
      accountId: account.accountId,
      location: fetched.location,
      counts,
      bytes: stats.bytes,
      sha256: stats.sha256,
      uploadedAt,
    };
    const db = this.options.db;
    if (dryRun || !db) {
      this.log.info(`Dry run: '${username}' has ${counts.tweets} tweets, ${counts.likes} likes (nothing written)`);
      return result('read', common);
    }
    const store = new ArchiveStore(db);
    const stored = await withDbRetry(
      () =>
        store.commit({
          stageFiles: staged.stageFiles,
          username,
          account,
          profile: staged.profile,
          uploadedAt,
          importedAt: nowUtc(),
          source: fetched.location,
          etag: fetched.etag,
          bytes: stats.bytes,
          sha256: stats.sha256,
          strategy,
          counts,
        }),
      this.retryOptions(),
    );
    this.log.info(
      `Imported '${username}': ${stored.following} following, ${stored.followers} followers, ` +
        `${stored.tweetsStored} of ${counts.tweets} tweets, ${stored.likes} likes, ` +
        `${stored.interactions} interaction pairs` +
        (stored.interactionsSkipped > 0 ? ` (${stored.interactionsSkipped} unusable entities skipped)` : '') +
        (counts.duplicates > 0 ? ` (${counts.duplicates} duplicate entries dropped)` : '') +
        (stored.replaced ? '' : ' — a newer upload was already stored, only missing rows were added'),
    );
    return result('imported', { ...common, stored });
  }
}

/** The last line of a run, with numbers that are true. */
export function summaryLine(summary: ImportSummary): string {
  const { imported, read, skipped, notFound, failed } = summary;
  return summary.dryRun
    ? `Dry run complete: ${read} read (nothing written), ${skipped} skipped, ${notFound} not found, ${failed} failed`
    : `Import complete: ${imported} imported, ${skipped} skipped, ${notFound} not found, ${failed} failed`;
}

function checkStrategy(strategy: string): MergeStrategy {
  if (!(MERGE_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new Error(`Unknown merge strategy '${strategy}': use one of ${MERGE_STRATEGIES.join(', ')}`);
  }
  return strategy as MergeStrategy;
}

function emptyResult(
  username: string,
  status: ArchiveStatus,
  accountId: string | null,
  location: string,
  error: string | null = null,
): ArchiveResult {
  return {
    username,
    status,
    accountId,
    location,
    counts: null,
    stored: null,
    bytes: 0,
    sha256: null,
    uploadedAt: null,
    error,
    seconds: 0,
  };
}
