/**
 * Names for account ids: archives list follows by id only, so the graph asks
 * here for a handle. Sources, most authoritative first: the account's own archive, the REST
 * `account` table, shadow accounts read from X, and `mentioned_users` (handles seen in tweets).
 */
import type { Db } from './database.js';

export interface AccountName {
  accountId: string;
  username: string;
  displayName: string | null;
  source: 'archive' | 'account' | 'shadow' | 'mentioned_users';
}

const LOOKUP = `
  SELECT account_id AS accountId, username, account_display_name AS displayName, 'archive' AS source, 1 AS rank
    FROM archive_profiles WHERE account_id IN (SELECT value FROM json_each(@ids)) AND username IS NOT NULL
  UNION ALL
  SELECT account_id, username, account_display_name, 'account', 2
    FROM account WHERE account_id IN (SELECT value FROM json_each(@ids)) AND username IS NOT NULL
  UNION ALL
  SELECT account_id, username, display_name, 'shadow', 3
    FROM shadow_account WHERE account_id IN (SELECT value FROM json_each(@ids)) AND username IS NOT NULL
  UNION ALL
  SELECT user_id, screen_name, name, 'mentioned_users', 4
    FROM mentioned_users WHERE user_id IN (SELECT value FROM json_each(@ids)) AND screen_name IS NOT NULL
  ORDER BY rank`;

/** Ids per query: the list travels as one JSON parameter, so any number of ids is one statement. */
const BATCH = 10_000;

export class AccountNames {
  constructor(private readonly db: Db) {}

  /** The best known name of each id that has one; ids nobody names are absent from the map. */
  lookup(ids: Iterable<string>): Map<string, AccountName> {
    const names = new Map<string, AccountName>();
    const statement = this.db.prepare(LOOKUP);
    const all = [...new Set(ids)];
    for (let first = 0; first < all.length; first += BATCH) {
      for (const row of statement.all({ ids: JSON.stringify(all.slice(first, first + BATCH)) }) as (AccountName & {
        rank: number;
      })[]) {
        if (!names.has(row.accountId))
          names.set(row.accountId, {
            accountId: row.accountId,
            username: row.username,
            displayName: row.displayName,
            source: row.source,
          });
      }
    }
    return names;
  }

  /** The handle of one id, or null. */
  handleOf(id: string): string | null {
    return this.lookup([id]).get(id)?.username ?? null;
  }
}
