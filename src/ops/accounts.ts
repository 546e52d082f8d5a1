/**
 * `tpot accounts stale|deleted` (docs/OPERATIONS.md): the shadow accounts due for a new read, and the accounts
 * X shows as gone (or locked). The same rows as the runbook's `stale-accounts` and
 * `deleted-accounts` SQL.
 */
import type { GoneAccount, staleAccounts } from '../db/shadow-report.js';

export { goneAccounts, staleAccounts, type GoneAccount, type StaleAccount } from '../db/shadow-report.js';

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
        `${a.account_status.padEnd(10)} ${(a.username ? `@${a.username}` : a.account_id).padEnd(17)} ` +
        `checked ${a.checked_at ?? a.fetched_at} UTC`,
    ),
  ].join('\n');
}
