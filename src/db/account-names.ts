/**
 * Names for account ids: archives list follows by id only, so the graph asks
 * here for a handle. Sources, most authoritative first: the account's own archive, the REST
 * `account` table, shadow accounts read from X, `mentioned_users` (the REST mirror's handles seen in tweets),
 * and `mention_names` (handles seen in the mentions of imported archives).
 */
import type { Db } from './database.js';
import { normaliseUsername } from '../usernames.js';

export interface AccountName {
  accountId: string;
  username: string;
  displayName: string | null;
  source: 'archive' | 'account' | 'shadow' | 'mentioned_users' | 'mention';
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
  UNION ALL
  SELECT account_id, username, display_name, 'mention', 5
    FROM mention_names WHERE account_id IN (SELECT value FROM json_each(@ids))
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

/** What `resolveAccounts` made of each ref (in the order given; a ref is listed once). */
export interface ResolvedAccounts {
  found: { ref: string; accountId: string; username: string | null }[];
  /** Valid handles or ids that no table knows. */
  unknown: string[];
  /** Neither a valid handle nor an id. */
  invalid: string[];
}

/** Handles to ids: the same sources and ranking as LOOKUP, in reverse. */
const REVERSE_LOOKUP = `
  SELECT lower(username) AS handle, account_id AS accountId, username, 1 AS rank
    FROM archive_profiles WHERE username COLLATE NOCASE IN (SELECT value FROM json_each(@handles))
  UNION ALL
  SELECT lower(username), account_id, username, 2
    FROM account WHERE username COLLATE NOCASE IN (SELECT value FROM json_each(@handles))
  UNION ALL
  SELECT lower(username), account_id, username, 3
    FROM shadow_account WHERE username COLLATE NOCASE IN (SELECT value FROM json_each(@handles))
  UNION ALL
  SELECT lower(screen_name), user_id, screen_name, 4
    FROM mentioned_users WHERE screen_name COLLATE NOCASE IN (SELECT value FROM json_each(@handles))
  UNION ALL
  SELECT lower(username), account_id, username, 5
    FROM mention_names WHERE username COLLATE NOCASE IN (SELECT value FROM json_each(@handles))
  ORDER BY rank`;

/** Ids any account or follow table knows (either endpoint of a follow). */
const KNOWN_IDS = `
  WITH ids(id) AS (SELECT value FROM json_each(@ids))
  SELECT id FROM ids WHERE
    EXISTS (SELECT 1 FROM archive_profiles WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM account WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM shadow_account WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM mentioned_users WHERE user_id = id)
    OR EXISTS (SELECT 1 FROM mention_names WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM followers WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM followers WHERE follower_account_id = id)
    OR EXISTS (SELECT 1 FROM following WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM following WHERE following_account_id = id)
    OR EXISTS (SELECT 1 FROM archive_followers WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM archive_followers WHERE follower_account_id = id)
    OR EXISTS (SELECT 1 FROM archive_following WHERE account_id = id)
    OR EXISTS (SELECT 1 FROM archive_following WHERE following_account_id = id)
    OR EXISTS (SELECT 1 FROM shadow_edge WHERE source_id = id)
    OR EXISTS (SELECT 1 FROM shadow_edge WHERE target_id = id)`;

const ID_REF = /^\d{1,20}$/;

/**
 * Account refs as a user types them (`@handle`, `handle`, or a numeric id) to account ids. A handle
 * several ids carry goes to the best-ranked source's id (archive, account, shadow, mentions); an id
 * is accepted when any account or follow table knows it, and named when LOOKUP names it.
 */
export function resolveAccounts(db: Db, refs: readonly string[]): ResolvedAccounts {
  const result: ResolvedAccounts = { found: [], unknown: [], invalid: [] };
  const unique = [...new Set(refs)];
  const ids: string[] = [];
  const handles = new Map<string, string>();
  for (const ref of unique) {
    const text = ref.trim();
    if (ID_REF.test(text)) ids.push(text);
    else {
      try {
        handles.set(ref, normaliseUsername(text));
      } catch {
        result.invalid.push(ref);
      }
    }
  }
  const known = new Set<string>();
  const byHandle = new Map<string, { accountId: string; username: string }>();
  const reverse = db.prepare(REVERSE_LOOKUP);
  const knownIds = db.prepare(KNOWN_IDS).pluck();
  const handleList = [...new Set(handles.values())];
  for (let first = 0; first < handleList.length; first += BATCH) {
    const rows = reverse.all({ handles: JSON.stringify(handleList.slice(first, first + BATCH)) }) as {
      handle: string;
      accountId: string;
      username: string;
    }[];
    for (const row of rows) if (!byHandle.has(row.handle)) byHandle.set(row.handle, row);
  }
  for (let first = 0; first < ids.length; first += BATCH)
    for (const id of knownIds.all({ ids: JSON.stringify(ids.slice(first, first + BATCH)) }) as string[]) known.add(id);
  const names = new AccountNames(db).lookup(known);
  for (const ref of unique) {
    const text = ref.trim();
    if (ID_REF.test(text)) {
      if (known.has(text)) result.found.push({ ref, accountId: text, username: names.get(text)?.username ?? null });
      else result.unknown.push(ref);
      continue;
    }
    const handle = handles.get(ref);
    if (handle === undefined) continue;
    const hit = byHandle.get(handle);
    if (hit) result.found.push({ ref, accountId: hit.accountId, username: hit.username });
    else result.unknown.push(ref);
  }
  return result;
}
