/**
 * One account's profile for the API's account panel (`/api/accounts/:id`, docs/API.md): the archive's
 * own profile first, then the REST mirror, then what the enricher read from X. Fields one source
 * lacks are filled from the next.
 */
import type { Db } from './database.js';
import type { AccountProfilePayload } from '../api/wire.js';

/** One account's profile, as the account panel's API answer carries it. */
export type AccountProfile = AccountProfilePayload;

/** One source's row: the profile fields, plus the enricher's status for shadow rows. */
type Row = Pick<AccountProfile, 'bio' | 'website' | 'location' | 'avatar_url' | 'header_url' | 'created_at'> & {
  account_status?: string | null;
  fetched_at?: string | null;
};

export function readAccountProfile(db: Db, accountId: string): AccountProfile | null {
  const archive = db
    .prepare(
      `SELECT bio, website, location, avatar_media_url AS avatar_url, header_media_url AS header_url,
              account_created_at AS created_at
       FROM archive_profiles WHERE account_id = ?`,
    )
    .get(accountId) as Row | undefined;
  const rest = db
    .prepare(
      `SELECT p.bio, p.website, p.location, p.avatar_media_url AS avatar_url, p.header_media_url AS header_url,
              a.created_at
       FROM account a LEFT JOIN profile p ON p.account_id = a.account_id WHERE a.account_id = ?
       UNION ALL
       SELECT bio, website, location, avatar_media_url, header_media_url, NULL FROM profile
       WHERE account_id = ? AND account_id NOT IN (SELECT account_id FROM account)`,
    )
    .get(accountId, accountId) as Row | undefined;
  const shadow = db
    .prepare(
      `SELECT bio, website, location, profile_image_url AS avatar_url, NULL AS header_url, NULL AS created_at,
              account_status, fetched_at
       FROM shadow_account WHERE account_id = ?`,
    )
    .get(accountId) as Row | undefined;
  const found = (
    [
      ['archive', archive],
      ['rest', rest],
      ['shadow', shadow],
    ] as const
  ).filter((entry): entry is readonly ['archive' | 'rest' | 'shadow', Row] => entry[1] !== undefined);
  if (found.length === 0) return null;
  const first = (field: keyof Row) =>
    found.map(([, row]) => row[field]).find((value) => value !== null && value !== undefined && value !== '') ?? null;
  return {
    bio: first('bio'),
    website: first('website'),
    location: first('location'),
    avatar_url: first('avatar_url'),
    header_url: first('header_url'),
    created_at: first('created_at'),
    sources: found.map(([source]) => source),
    account_status: shadow?.account_status ?? null,
    shadow_fetched_at: shadow?.fetched_at ?? null,
  };
}
