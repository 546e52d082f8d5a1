/**
 * The only SQL for the shadow tables (docs/DATA-MODEL.md): what the enricher read from X, written so that
 *
 * - an account is keyed by its numeric X id whenever it is known — from the page, or because the
 *   handle already belongs to an archive, REST or shadow account — and by `shadow:<handle>` only
 *   otherwise; such a placeholder is merged into the numeric id (account, edges, discoveries) as
 *   soon as that is learnt, so an account with an archive is never duplicated;
 * - a stored value is never overwritten with null (COALESCE upserts), and every write is idempotent;
 * - deleted and suspended accounts keep the bio `[ACCOUNT DELETED OR SUSPENDED]` the runbook looks
 *   for, with `account_status` saying which;
 * - one seed's accounts, edges, discoveries and its `scrape_run_metrics` row land in one transaction.
 */
import type { Db } from './database.js';

export const DELETED_BIO = '[ACCOUNT DELETED OR SUSPENDED]';

export type AccountStatus = 'active' | 'deleted' | 'suspended' | 'protected';

export interface ShadowAccount {
  /** Numeric X id when known. */
  accountId: string | null;
  handle: string;
  displayName?: string | null;
  bio?: string | null;
  location?: string | null;
  website?: string | null;
  avatarUrl?: string | null;
  followers?: number | null;
  following?: number | null;
  status?: AccountStatus;
  scrapeStats?: Record<string, unknown> | null;
}

/** The lists of a seed; `following` means the seed follows each account, the others that each follows the seed. */
export type ListKind = 'following' | 'followers' | 'verified_followers' | 'followers_you_follow';

export interface SeedRun {
  seed: ShadowAccount;
  lists: Partial<Record<ListKind, { accounts: ShadowAccount[]; claimed: number | null }>>;
  runAt: string;
  durationSeconds: number;
  channel: string;
  skipped?: { reason: string };
  error?: { type: string; details: string };
  phaseTimings?: Record<string, number>;
}

export interface SeedWriteResult {
  seedId: string;
  accountsUpserted: number;
  edgesUpserted: number;
}

/** One list of a seed's last successful run, as its scrape_run_metrics row has it. */
export interface StoredListRun {
  captured: number | null;
  claimed: number | null;
  coverage: number | null;
}

/** What the cache holds about a seed, for the enrichment policy. */
export interface StoredSeed {
  /** Its account's status and when that was read; null when it is not stored (or has no status). */
  status: AccountStatus | null;
  checkedAt: string | null;
  /** Its last run that was neither skipped nor failed. */
  lastRun: { runAt: string; following: StoredListRun; followers: StoredListRun } | null;
  /** Follow edges stored: accounts it follows, accounts that follow it. */
  storedEdges: { following: number; followers: number };
}

export class ShadowStore {
  constructor(private readonly db: Db) {}

  /** The id an account is stored under: its numeric id, a known account's id for its handle, or `shadow:<handle>`. */
  resolveId(account: Pick<ShadowAccount, 'accountId' | 'handle'>): string {
    if (account.accountId) return account.accountId;
    const known = this.db
      .prepare(
        `SELECT account_id FROM archive_profiles WHERE username = @handle COLLATE NOCASE
         UNION ALL SELECT account_id FROM account WHERE username = @handle COLLATE NOCASE
         UNION ALL SELECT account_id FROM shadow_account
                   WHERE username = @handle COLLATE NOCASE AND account_id NOT LIKE 'shadow:%'
         LIMIT 1`,
      )
      .pluck()
      .get({ handle: account.handle }) as string | undefined;
    return known ?? `shadow:${account.handle.toLowerCase()}`;
  }

  private upsertAccount(account: ShadowAccount, channel: string, at: string): string {
    const id = this.resolveId(account);
    const gone = account.status === 'deleted' || account.status === 'suspended';
    this.db
      .prepare(
        `INSERT INTO shadow_account (account_id, username, display_name, bio, location, website, profile_image_url,
           followers_count, following_count, source_channel, fetched_at, checked_at, scrape_stats, is_shadow,
           account_status)
         VALUES (@id, @handle, @displayName, @bio, @location, @website, @avatarUrl,
           @followers, @following, @channel, @at, @at, @stats, 1, @status)
         ON CONFLICT(account_id) DO UPDATE SET
           username = COALESCE(excluded.username, username),
           display_name = COALESCE(excluded.display_name, display_name),
           bio = COALESCE(excluded.bio, bio),
           location = COALESCE(excluded.location, location),
           website = COALESCE(excluded.website, website),
           profile_image_url = COALESCE(excluded.profile_image_url, profile_image_url),
           followers_count = COALESCE(excluded.followers_count, followers_count),
           following_count = COALESCE(excluded.following_count, following_count),
           source_channel = excluded.source_channel, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at,
           scrape_stats = COALESCE(excluded.scrape_stats, scrape_stats),
           account_status = COALESCE(excluded.account_status, account_status)`,
      )
      .run({
        id,
        handle: account.handle,
        displayName: account.displayName ?? null,
        bio: gone ? DELETED_BIO : (account.bio ?? null),
        location: account.location ?? null,
        website: account.website ?? null,
        avatarUrl: account.avatarUrl ?? null,
        followers: account.followers ?? null,
        following: account.following ?? null,
        channel,
        at,
        stats: account.scrapeStats ? JSON.stringify(account.scrapeStats) : null,
        status: account.status ?? null,
      });
    if (!id.startsWith('shadow:')) this.mergePlaceholder(account.handle, id);
    return id;
  }

  /** Moves what `shadow:<handle>` holds onto the numeric id, then removes the placeholder. */
  private mergePlaceholder(handle: string, id: string): void {
    const placeholder = `shadow:${handle.toLowerCase()}`;
    if (!this.db.prepare('SELECT 1 FROM shadow_account WHERE account_id = ?').get(placeholder)) return;
    this.db.prepare(`UPDATE OR IGNORE shadow_edge SET source_id = ? WHERE source_id = ?`).run(id, placeholder);
    this.db.prepare(`UPDATE OR IGNORE shadow_edge SET target_id = ? WHERE target_id = ?`).run(id, placeholder);
    this.db
      .prepare(`DELETE FROM shadow_edge WHERE source_id = @placeholder OR target_id = @placeholder`)
      .run({ placeholder });
    this.db
      .prepare(`UPDATE OR IGNORE shadow_discovery SET shadow_account_id = ? WHERE shadow_account_id = ?`)
      .run(id, placeholder);
    this.db
      .prepare(`UPDATE OR IGNORE shadow_discovery SET seed_account_id = ? WHERE seed_account_id = ?`)
      .run(id, placeholder);
    this.db
      .prepare(`DELETE FROM shadow_discovery WHERE shadow_account_id = @placeholder OR seed_account_id = @placeholder`)
      .run({ placeholder });
    this.db
      .prepare(
        `UPDATE shadow_account SET
           display_name = COALESCE(display_name,
             (SELECT display_name FROM shadow_account WHERE account_id = @placeholder)),
           bio = COALESCE(bio, (SELECT bio FROM shadow_account WHERE account_id = @placeholder)),
           location = COALESCE(location, (SELECT location FROM shadow_account WHERE account_id = @placeholder)),
           website = COALESCE(website, (SELECT website FROM shadow_account WHERE account_id = @placeholder))
         WHERE account_id = @id`,
      )
      .run({ id, placeholder });
    this.db.prepare('DELETE FROM shadow_account WHERE account_id = ?').run(placeholder);
  }

  /** What is stored about the seed with this handle (under the id resolveId gives it). */
  storedSeed(handle: string): StoredSeed {
    const id = this.resolveId({ accountId: null, handle });
    const account = this.db
      .prepare('SELECT account_status AS status, checked_at AS checkedAt FROM shadow_account WHERE account_id = ?')
      .get(id) as { status: AccountStatus | null; checkedAt: string | null } | undefined;
    const last = this.db
      .prepare(
        `SELECT run_at, following_captured, followers_captured, following_claimed_total, followers_claimed_total,
                following_coverage, followers_coverage
         FROM scrape_run_metrics WHERE seed_account_id = ? AND skipped = 0 AND error_type IS NULL
         ORDER BY run_at DESC, id DESC LIMIT 1`,
      )
      .get(id) as Record<string, number | string | null> | undefined;
    const stored = (direction: 'outbound' | 'inbound') =>
      this.db
        .prepare(
          `SELECT COUNT(*) FROM shadow_edge
           WHERE ${direction === 'outbound' ? 'source_id' : 'target_id'} = ? AND direction = ?`,
        )
        .pluck()
        .get(id, direction) as number;
    const list = (kind: 'following' | 'followers'): StoredListRun => ({
      captured: (last?.[`${kind}_captured`] as number | null) ?? null,
      claimed: (last?.[`${kind}_claimed_total`] as number | null) ?? null,
      coverage: (last?.[`${kind}_coverage`] as number | null) ?? null,
    });
    return {
      status: account?.status ?? null,
      checkedAt: account?.checkedAt ?? null,
      lastRun: last
        ? { runAt: last.run_at as string, following: list('following'), followers: list('followers') }
        : null,
      storedEdges: { following: stored('outbound'), followers: stored('inbound') },
    };
  }

  /** The handles an account follows, as its last enrichment read them (`tpot enrich --center`). */
  followedHandles(handle: string): string[] {
    return this.db
      .prepare(
        `SELECT a.username FROM shadow_edge e JOIN shadow_account a ON a.account_id = e.target_id
         WHERE e.source_id = (SELECT account_id FROM shadow_account WHERE username = ? COLLATE NOCASE LIMIT 1)
           AND e.direction = 'outbound' AND a.username IS NOT NULL`,
      )
      .pluck()
      .all(handle) as string[];
  }

  /** Writes one seed's run — accounts, edges, discoveries and its metrics row — in one transaction. */
  writeSeedRun(run: SeedRun): SeedWriteResult {
    return this.db
      .transaction((): SeedWriteResult => {
        const seedId = this.upsertAccount(run.seed, run.channel, run.runAt);
        let accounts = 1;
        let edges = 0;
        let discoveries = 0;
        const newEdge = this.db.prepare(
          `INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at, checked_at, metadata)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, target_id, direction) DO NOTHING`,
        );
        const seenAgain = this.db.prepare(
          `UPDATE shadow_edge SET checked_at = ?, source_channel = ?
           WHERE source_id = ? AND target_id = ? AND direction = ?`,
        );
        const discovery = this.db.prepare(
          `INSERT INTO shadow_discovery (shadow_account_id, seed_account_id, discovered_at, discovery_method)
           VALUES (?, ?, ?, ?)
           ON CONFLICT(shadow_account_id, seed_account_id) DO NOTHING`,
        );
        for (const [kind, list] of Object.entries(run.lists) as [ListKind, { accounts: ShadowAccount[] }][]) {
          for (const account of list.accounts) {
            const id = this.upsertAccount(account, run.channel, run.runAt);
            accounts++;
            if (id === seedId) continue;
            const [source, target, direction] =
              kind === 'following' ? [seedId, id, 'outbound'] : [id, seedId, 'inbound'];
            // edges_upserted counts follows new to the cache; one seen again only gets its checked_at.
            if (
              newEdge.run(source, target, direction, run.channel, run.runAt, run.runAt, JSON.stringify({ list: kind }))
                .changes > 0
            )
              edges++;
            else seenAgain.run(run.runAt, run.channel, source, target, direction);
            discoveries += discovery.run(id, seedId, run.runAt, kind).changes;
          }
        }
        const captured = (kind: ListKind) => run.lists[kind]?.accounts.length ?? 0;
        // Verified followers are followers too: count each account once.
        const followers = new Set(
          [...(run.lists.followers?.accounts ?? []), ...(run.lists.verified_followers?.accounts ?? [])].map(
            (a) => a.accountId ?? a.handle.toLowerCase(),
          ),
        ).size;
        const claimed = (kind: ListKind) => run.lists[kind]?.claimed ?? null;
        // Coverage is stored in percent, capped at 100: lists can grow while being read.
        const coverageOf = (got: number, of: number | null) =>
          of ? Math.min(100, Math.round((1000 * got) / of) / 10) : null;
        const coverage = (kind: ListKind) =>
          coverageOf(kind === 'followers' ? followers : captured(kind), claimed(kind));
        this.db
          .prepare(
            `INSERT INTO scrape_run_metrics (seed_account_id, seed_username, run_at, duration_seconds,
               following_captured, followers_captured, followers_you_follow_captured,
               following_claimed_total, followers_claimed_total,
               following_coverage, followers_coverage, followers_you_follow_coverage,
               accounts_upserted, edges_upserted, discoveries_upserted, phase_timings,
               skipped, skip_reason, error_type, error_details)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            seedId,
            run.seed.handle,
            run.runAt,
            run.durationSeconds,
            captured('following'),
            followers,
            captured('followers_you_follow'),
            claimed('following'),
            claimed('followers'),
            coverage('following'),
            coverage('followers'),
            coverage('followers_you_follow'),
            run.skipped ? 0 : accounts,
            run.skipped ? 0 : edges,
            discoveries,
            run.phaseTimings ? JSON.stringify(run.phaseTimings) : null,
            run.skipped ? 1 : 0,
            run.skipped?.reason ?? null,
            run.error?.type ?? null,
            run.error?.details ?? null,
          );
        return { seedId, accountsUpserted: accounts, edgesUpserted: edges };
      })
      .immediate();
  }
}
