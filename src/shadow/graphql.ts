/**
 * The JSON X's pages load (x-web-format.md §2), read without trusting its layout: user objects of
 * all three schema eras (C first, then B, then A), list timelines found by instruction type with
 * promo, unavailable and empty entries skipped, the Bottom cursor wherever it is, and operations
 * matched by the path's last segment — never by queryId, which rotates — for GET and POST alike.
 */
import { parseArchiveDate } from '../time.js';
import { isValidUsername } from '../usernames.js';

export const LIST_OPERATIONS = ['Following', 'Followers', 'BlueVerifiedFollowers', 'FollowersYouKnow'] as const;
export type ListOperation = (typeof LIST_OPERATIONS)[number];
export type Operation = ListOperation | 'UserByScreenName' | 'UserByRestId';

/** The operation of a GraphQL URL (`…/i/api/graphql/<queryId>/<Operation>?…`), or null. */
/** Any of the page's GraphQL requests, known operation or not (X renames them between deploys). */
export function isGraphqlRequest(url: string): boolean {
  return /\/i\/api\/graphql\/[^/]+\/[^/?#]+/.test(url);
}

export function graphqlOperation(url: string): Operation | null {
  const match = /\/i\/api\/graphql\/[^/]+\/([A-Za-z]+)(?:[?#]|$)/.exec(url);
  const name = match?.[1];
  return name === 'UserByScreenName' ||
    name === 'UserByRestId' ||
    (LIST_OPERATIONS as readonly string[]).includes(name ?? '')
    ? (name as Operation)
    : null;
}

export interface ScrapedUser {
  accountId: string;
  handle: string;
  displayName: string | null;
  bio: string | null;
  location: string | null;
  website: string | null;
  avatarUrl: string | null;
  followers: number | null;
  following: number | null;
  posts: number | null;
  /** SQLite UTC. */
  createdAt: string | null;
  protected: boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

/** One user object of any era; null when it is not a usable user (unavailable, no id or handle). */
export function userFromResult(result: unknown): ScrapedUser | null {
  const r = result as Json | null | undefined;
  if (!r || r.__typename !== 'User' || typeof r.rest_id !== 'string' || !/^\d{1,20}$/.test(r.rest_id)) return null;
  const legacy: Json = r.legacy ?? {};
  const handle = text(r.core?.screen_name) ?? text(legacy.screen_name);
  if (!handle || !isValidUsername(handle)) return null;
  const urls = r.profile_bio?.entities?.url?.urls ?? legacy.entities?.url?.urls ?? [];
  const location = r.location;
  return {
    accountId: r.rest_id,
    handle,
    displayName: text(r.core?.name) ?? text(legacy.name),
    bio: text(r.profile_bio?.description) ?? text(legacy.description),
    location:
      text(typeof location === 'object' && location !== null ? location.location : undefined) ?? text(legacy.location),
    website: text(urls[0]?.expanded_url),
    avatarUrl: text(r.avatar?.image_url) ?? text(legacy.profile_image_url_https),
    followers: count(r.relationship_counts?.followers) ?? count(legacy.followers_count),
    following: count(r.relationship_counts?.following) ?? count(legacy.friends_count),
    posts: count(r.tweet_counts?.tweets) ?? count(legacy.statuses_count),
    createdAt: parseArchiveDate(text(r.core?.created_at) ?? text(legacy.created_at)),
    protected: Boolean(r.privacy?.protected ?? legacy.protected ?? false),
  };
}

export type ProfileAnswer =
  | { state: 'active' | 'protected'; user: ScrapedUser }
  | { state: 'deleted' | 'suspended'; user: null }
  | { state: 'unreadable'; user: null };

/** `UserByScreenName` / `UserByRestId`. */
export function profileFromResponse(body: unknown): ProfileAnswer {
  const result = (body as Json | null)?.data?.user?.result;
  if (!result)
    return (body as Json | null)?.data ? { state: 'deleted', user: null } : { state: 'unreadable', user: null };
  if (result.__typename === 'UserUnavailable') {
    const reason = String(result.reason ?? result.unavailable_reason ?? '');
    return reason === 'Suspended' ? { state: 'suspended', user: null } : { state: 'deleted', user: null };
  }
  const user = userFromResult(result);
  if (!user) return { state: 'unreadable', user: null };
  return { state: user.protected ? 'protected' : 'active', user };
}

export interface ListPage {
  users: ScrapedUser[];
  bottomCursor: string | null;
  /** Entries left out: promotions, unavailable users, empty results. */
  skipped: number;
}

const PROMO = /^(who-to-follow-|module-|messageprompt-)/;

/** One page of a list timeline. */
export function listFromResponse(body: unknown): ListPage {
  const page: ListPage = { users: [], bottomCursor: null, skipped: 0 };
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (n.type === 'TimelineAddEntries' && Array.isArray(n.entries)) {
      for (const entry of n.entries as Json[]) {
        const id = String(entry?.entryId ?? '');
        const content = entry?.content ?? {};
        if (content.cursorType === 'Bottom' || id.startsWith('cursor-bottom')) {
          page.bottomCursor = text(content.value) ?? page.bottomCursor;
          continue;
        }
        if (content.cursorType || id.startsWith('cursor-')) continue;
        if (PROMO.test(id)) {
          page.skipped++;
          continue;
        }
        const user = userFromResult(content.itemContent?.user_results?.result);
        if (!user) page.skipped++;
        else if (!seen.has(user.accountId)) {
          seen.add(user.accountId);
          page.users.push(user);
        }
      }
      return;
    }
    for (const value of Object.values(n)) visit(value);
  };
  visit(body);
  return page;
}

/** Whether an answer says the session is rate limited (HTTP 429, or error code 88 in the body). */
export function isRateLimited(status: number, body: unknown): boolean {
  if (status === 429) return true;
  const errors = (body as Json | null)?.errors;
  return Array.isArray(errors) && errors.some((e: Json) => e?.code === 88);
}
