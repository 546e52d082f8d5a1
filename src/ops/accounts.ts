/**
 * `tpot accounts stale|deleted` (docs/OPERATIONS.md): the shadow accounts due for a new read, and the accounts
 * X shows as gone (or locked). The same rows as the runbook's `stale-accounts` and
 * `deleted-accounts` SQL.
 */
import type { Db } from '../db/database.js';

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
        `SELECT account_id, username, fetched_at, CAST(julianday('now') - julianday(fetched_at) AS INTEGER) AS age_days FROM shadow_account WHERE ${where} ORDER BY fetched_at, account_id LIMIT @limit`,
      )
      .all({ age, limit: options.limit }) as StaleAccount[],
  };
}

/** Accounts X shows as deleted, suspended or protected, by status then handle. */
export function goneAccounts(db: Db): GoneAccount[] {
  return db
    .prepare(
      `SELECT account_id, username, account_status, fetched_at, checked_at FROM shadow_account
       WHERE account_status IN ('deleted', 'suspended', 'protected') ORDER BY account_status, username COLLATE NOCASE, account_id`,
    )
    .all() as GoneAccount[];
}

export function formatStaleAccounts({ total, accounts }: ReturnType<typeof staleAccounts>, days: number): string {
  if (total === 0) return `No shadow account is older than ${days} days.`;
  const lines = accounts.map(
    (a) => `${(a.username ? `@${a.username}` : a.account_id).padEnd(17)} ${a.fetched_at} UTC  ${a.age_days} days`,
  );
  const more = total > accounts.length ? [`… and ${total - accounts.length} more (--limit)`] : [];
  return [
    `${total} shadow accounts not read for ${days} days (oldest first):`,
    ...lines,
    ...more,
    'Read them again: npx tpot enrich --seeds <handles> --no-skip-if-ever-scraped',
  ].join('\n');
}

export function formatGoneAccounts(accounts: readonly GoneAccount[]): string {
  if (accounts.length === 0) return 'No account is marked deleted, suspended or protected.';
  const counts = ['deleted', 'suspended', 'protected']
    .map((status) => `${accounts.filter((a) => a.account_status === status).length} ${status}`)
    .join(', ');
  return [
    `${accounts.length} accounts (${counts}):`,
    ...accounts.map(
      (a) =>
        `${a.account_status.padEnd(10)} ${(a.username ? `@${a.username}` : a.account_id).padEnd(17)} checked ${a.checked_at ?? a.fetched_at} UTC`,
    ),
  ].join('\n');
}
