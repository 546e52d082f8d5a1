/**
 * What the shadow tables hold, for the operator (docs/OPERATIONS.md): the accounts due for a new read and the
 * accounts X shows as gone (`tpot accounts stale|deleted`, the same rows as the runbook's
 * `stale-accounts` and `deleted-accounts` SQL), and the shadow graph's counts (`tpot verify shadow`).
 * Writing them is shadow-store.ts's job.
 */
import type { Db } from './database.js';

export interface StaleAccount {
  account_id: string;
  username: string | null;
  fetched_at: string;
  age_days: number;
}

export interface GoneAccount {
  account_id: string;
  username: string | null;
  account_status: 'deleted' | 'suspended' | 'protected';
  fetched_at: string;
  checked_at: string | null;
}

/** Shadow accounts not read for `days` days, the oldest first. */
export function staleAccounts(
  db: Db,
  options: { days: number; limit: number },
): { total: number; accounts: StaleAccount[] } {
  const where = "fetched_at < datetime('now', @age)";
  const age = `-${options.days} days`;
  return {
    total: db.prepare(`SELECT COUNT(*) FROM shadow_account WHERE ${where}`).pluck().get({ age }) as number,
    accounts: db
      .prepare(
        `SELECT account_id, username, fetched_at, CAST(julianday('now') - julianday(fetched_at) AS INTEGER) AS age_days
         FROM shadow_account WHERE ${where} ORDER BY fetched_at, account_id LIMIT @limit`,
      )
      .all({ age, limit: options.limit }) as StaleAccount[],
  };
}

/** Accounts X shows as deleted, suspended or protected, by status then handle. */
export function goneAccounts(db: Db): GoneAccount[] {
  return db
    .prepare(
      `SELECT account_id, username, account_status, fetched_at, checked_at FROM shadow_account
       WHERE account_status IN ('deleted', 'suspended', 'protected')
       ORDER BY account_status, username COLLATE NOCASE, account_id`,
    )
    .all() as GoneAccount[];
}

export interface ShadowGraphCounts {
  accounts: number;
  edges: number;
  /** Accounts still keyed `shadow:<handle>` (their numeric id not read yet). */
  placeholders: number;
  /** Edges with an end missing from shadow_account. */
  dangling: number;
  /** When the last shadow edge was written; null without edges. */
  lastWrite: string | null;
}

export function shadowGraphCounts(db: Db): ShadowGraphCounts {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    accounts: count('SELECT COUNT(*) FROM shadow_account'),
    edges: count('SELECT COUNT(*) FROM shadow_edge'),
    placeholders: count("SELECT COUNT(*) FROM shadow_account WHERE account_id LIKE 'shadow:%'"),
    dangling: count(
      `SELECT COUNT(*) FROM shadow_edge e
        WHERE NOT EXISTS (SELECT 1 FROM shadow_account a WHERE a.account_id = e.source_id)
          OR NOT EXISTS (SELECT 1 FROM shadow_account a WHERE a.account_id = e.target_id)`,
    ),
    lastWrite: db.prepare('SELECT MAX(fetched_at) FROM shadow_edge').pluck().get() as string | null,
  };
}
