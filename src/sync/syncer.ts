/**
 * CacheSync: the `tpot sync` engine (docs/FORMATS.md, "REST tables"). For each selected table: skip
 * it while it is fresh, else page through it by key into its staging table — continuing an
 * unfinished sync from its cursor — and swap it into place once the last page is in. A table that
 * fails keeps its previous rows and its progress; a refused key stops the whole run. At the end of a run that
 * replaced one of the tables rest_interactions is derived from, it is rebuilt (docs/DATA-MODEL.md, "Interactions").
 */
import type { Db } from '../db/database.js';
import { DiskFullError, withDbRetry, DB_RETRY_DELAYS_MS } from '../db/retry.js';
import { SyncStore } from '../db/sync-store.js';
import { silentLogger, type Logger } from '../log.js';
import { ageDays, nowUtc } from '../time.js';
import {
  describeRestInteractions,
  rebuildRestInteractions,
  REST_INTERACTION_SOURCES,
  type RestInteractionCounts,
} from '../db/rest-interactions.js';
import { RestAuthError, type PostgrestClient } from './postgrest-client.js';
import type { SyncTable } from './tables.js';
import { cursorOf, decodeCursor, encodeCursor, type Cursor } from './cursor.js';
import { errorMessage } from '../errors.js';

/** PostgREST's max-rows on the Community Archive (docs/FORMATS.md, "REST tables"). */
export const PAGE_SIZE = 1000;

export type TableOutcome = 'synced' | 'fresh' | 'failed';

export interface TableResult {
  table: string;
  outcome: TableOutcome;
  /** Rows in the live table after the sync (or as it stands when skipped or failed). */
  rows: number;
  /** Pages fetched by this run. */
  pages: number;
  seconds: number;
  /** True when this run continued an earlier, unfinished sync. */
  resumed: boolean;
  detail: string | null;
}

export interface SyncSummary {
  results: TableResult[];
  failed: number;
  /** Why the run stopped before its end (the key was refused), or null. */
  stopped: string | null;
  /** The rebuild of rest_interactions, when the run replaced one of its source tables; null otherwise. */
  interactions: RestInteractionCounts | null;
}

export interface CacheSyncOptions {
  db: Db;
  client: PostgrestClient;
  logger?: Logger;
  /** CACHE_MAX_AGE_DAYS: a table synced more recently is skipped unless forced. */
  maxAgeDays: number;
  pageSize?: number;
  dbRetryDelaysMs?: readonly number[];
}

export class CacheSync {
  private readonly log: Logger;
  private readonly store: SyncStore;
  private readonly pageSize: number;

  constructor(private readonly options: CacheSyncOptions) {
    this.log = options.logger ?? silentLogger();
    this.store = new SyncStore(options.db);
    this.pageSize = options.pageSize ?? PAGE_SIZE;
  }

  async syncTables(tables: readonly SyncTable[], { force = false } = {}): Promise<SyncSummary> {
    const summary: SyncSummary = { results: [], failed: 0, stopped: null, interactions: null };
    for (const table of tables) {
      try {
        summary.results.push(await this.syncTable(table, force));
      } catch (error) {
        const message = errorMessage(error);
        const state = this.store.state(table.name);
        summary.results.push({
          table: table.name,
          outcome: 'failed',
          rows: state?.rowCount ?? 0,
          pages: 0,
          seconds: 0,
          resumed: false,
          detail: message,
        });
        summary.failed++;
        // Nothing else can succeed after these: stop the run rather than fail every table alike.
        if (error instanceof RestAuthError || error instanceof DiskFullError) {
          summary.stopped = error instanceof RestAuthError ? 'the REST API refused the key' : 'disk full';
          this.log.error(message);
          break;
        }
        this.log.error(
          `Sync of '${table.name}' failed: ${message}. Its previous rows are unchanged; ` +
            `run tpot sync again to continue from row ${state?.stagedRows ?? 0}.`,
        );
      }
    }
    await this.rebuildInteractions(summary);
    this.log.info(formatSyncSummary(summary));
    return summary;
  }

  /** After the tables are swapped in: a failed rebuild keeps the previous pairs and fails the run. */
  private async rebuildInteractions(summary: SyncSummary): Promise<void> {
    const replaced = summary.results.filter(
      (r) => r.outcome === 'synced' && REST_INTERACTION_SOURCES.includes(r.table),
    );
    if (replaced.length === 0) return;
    try {
      summary.interactions = await this.db(() => rebuildRestInteractions(this.options.db));
    } catch (error) {
      summary.failed++;
      this.log.error(
        `Rebuilding rest_interactions failed: ${errorMessage(error)}. The previous pairs are unchanged; ` +
          `tpot sync --tables ${replaced[0]!.table} --force rebuilds them.`,
      );
    }
  }

  /** Fresh: synced completely within CACHE_MAX_AGE_DAYS. */
  isFresh(table: string): boolean {
    const state = this.store.state(table);
    return state?.fetchedAt != null && !this.olderThanMaxAge(state.fetchedAt);
  }

  private olderThanMaxAge(time: string | null): boolean {
    if (!time) return true;
    return ageDays(time) >= this.options.maxAgeDays;
  }

  private async syncTable(table: SyncTable, force: boolean): Promise<TableResult> {
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    const state = this.store.state(table.name);
    const unfinished = this.store.canResume(table.name);
    // An unfinished sync is a refresh already under way: it is continued even while the last
    // complete copy is still fresh.
    if (!force && !unfinished && this.isFresh(table.name)) {
      this.log.info(
        `Skipping '${table.name}': synced at ${state!.fetchedAt} UTC, ` +
          `younger than ${this.options.maxAgeDays} days (--force to refresh)`,
      );
      return {
        table: table.name,
        outcome: 'fresh',
        rows: state!.rowCount,
        pages: 0,
        seconds: 0,
        resumed: false,
        detail: `synced ${state!.fetchedAt} UTC`,
      };
    }

    // Staged rows older than the freshness window are not worth continuing: start that table again.
    const stored = unfinished ? decodeCursor(table, state!.resumeKey!) : null;
    const resumed = stored !== null && !this.olderThanMaxAge(state!.syncStartedAt);
    let after: Cursor | null = null;
    let staged = 0;
    if (resumed) {
      after = stored;
      staged = state!.stagedRows;
      this.log.info(`Continuing '${table.name}' after key ${state!.resumeKey!} (${staged} rows already staged)`);
    } else {
      await this.db(() => this.store.begin(table.name, nowUtc()));
      this.log.info(`Syncing '${table.name}'...`);
    }

    let pages = 0;
    let limit = this.pageSize;
    for (;;) {
      const first = pages === 0;
      const page = await this.options.client.page({
        table: table.name,
        select: table.select,
        key: table.key,
        after,
        limit,
        count: first && !resumed,
      });
      // A server that caps pages below our size would make every page look like the last one.
      if (
        first &&
        page.total !== null &&
        page.rows.length < limit &&
        page.rows.length < page.total &&
        page.rows.length > 0
      ) {
        this.log.warn(`'${table.name}': the server sends at most ${page.rows.length} rows a page; paging by that`);
        limit = page.rows.length;
      }
      pages++;
      if (page.rows.length > 0) {
        const values = page.rows.flatMap((row) => table.row(row));
        const last = cursorOf(table, page.rows[page.rows.length - 1]!);
        const lastKey = encodeCursor(table, last);
        await this.db(() => this.store.stagePage(table.name, table.columns, values, page.rows.length, lastKey));
        staged += page.rows.length;
        after = last;
      }
      if (page.rows.length < limit) break;
    }

    const rows = await this.db(() => this.store.swap(table.name, nowUtc()));
    this.log.info(
      `Synced '${table.name}': ${rows} rows in ${pages} pages, ${seconds().toFixed(1)} s` +
        (resumed ? ' (continued an earlier sync)' : ''),
    );
    return { table: table.name, outcome: 'synced', rows, pages, seconds: seconds(), resumed, detail: null };
  }

  private db<T>(work: () => T): Promise<T> {
    return withDbRetry(work, {
      delaysMs: this.options.dbRetryDelaysMs ?? DB_RETRY_DELAYS_MS,
      onRetry: (error, attempt, delay) =>
        this.log.warn(`Database busy (${errorMessage(error)}); retry ${attempt} in ${delay / 1000} s`),
    });
  }
}

/** The per-table summary printed at the end of a run. */
export function formatSyncSummary(summary: SyncSummary): string {
  const lines = [
    'Sync summary',
    '============',
    `${'table'.padEnd(16)} ${'rows'.padStart(10)} ${'pages'.padStart(7)} ${'seconds'.padStart(8)}  status`,
  ];
  for (const r of summary.results) {
    const status =
      r.outcome === 'synced'
        ? r.resumed
          ? 'synced (continued)'
          : 'synced'
        : r.outcome === 'fresh'
          ? `fresh, skipped (${r.detail})`
          : `FAILED: ${r.detail}`;
    lines.push(
      `${r.table.padEnd(16)} ${String(r.rows).padStart(10)} ${String(r.pages).padStart(7)} ` +
        `${r.seconds.toFixed(1).padStart(8)}  ${status}`,
    );
  }
  if (summary.interactions) lines.push('', describeRestInteractions(summary.interactions));
  return lines.join('\n');
}
