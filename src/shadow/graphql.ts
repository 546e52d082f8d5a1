/**
 * The JSON X's pages load (docs/FORMATS.md, "GraphQL answers"), read without trusting its layout: user objects of
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

/** The value at `path` inside parsed JSON, or undefined where the path does not lead. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

/** One user object of any era; null when it is not a usable user (unavailable, no id or handle). */
export function userFromResult(result: unknown): ScrapedUser | null {
  const id = at(result, 'rest_id');
  if (at(result, '__typename') !== 'User' || typeof id !== 'string' || !/^\d{1,20}$/.test(id)) return null;
  // Era C and B keep fields in their own objects; era A only in `legacy` (docs/FORMATS.md, "User objects").
  const own = (...path: string[]) => at(result, ...path);
  const legacy = (field: string) => at(result, 'legacy', field);
  const handle = text(own('core', 'screen_name')) ?? text(legacy('screen_name'));
  if (!handle || !isValidUsername(handle)) return null;
  const urls = own('profile_bio', 'entities', 'url', 'urls') ?? at(result, 'legacy', 'entities', 'url', 'urls');
  const location = own('location');
  const protectedFlag = own('privacy', 'protected') ?? legacy('protected');
  return {
    accountId: id,
    handle,
    displayName: text(own('core', 'name')) ?? text(legacy('name')),
    bio: text(own('profile_bio', 'description')) ?? text(legacy('description')),
    location: text(typeof location === 'object' ? at(location, 'location') : undefined) ?? text(legacy('location')),
    website: text(at(urls, 0, 'expanded_url')),
    avatarUrl: text(own('avatar', 'image_url')) ?? text(legacy('profile_image_url_https')),
    followers: count(own('relationship_counts', 'followers')) ?? count(legacy('followers_count')),
    following: count(own('relationship_counts', 'following')) ?? count(legacy('friends_count')),
    posts: count(own('tweet_counts', 'tweets')) ?? count(legacy('statuses_count')),
    createdAt: parseArchiveDate(text(own('core', 'created_at')) ?? text(legacy('created_at'))),
    protected: protectedFlag === true,
  };
}

export type ProfileAnswer =
  | { state: 'active' | 'protected'; user: ScrapedUser }
  | { state: 'deleted' | 'suspended'; user: null }
  | { state: 'unreadable'; user: null };

/** `UserByScreenName` / `UserByRestId`. */
export function profileFromResponse(body: unknown): ProfileAnswer {
  const result = at(body, 'data', 'user', 'result');
  if (!result) return at(body, 'data') ? { state: 'deleted', user: null } : { state: 'unreadable', user: null };
  if (at(result, '__typename') === 'UserUnavailable') {
    const reason = at(result, 'reason') ?? at(result, 'unavailable_reason');
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
    const entries = at(node, 'entries');
    if (at(node, 'type') === 'TimelineAddEntries' && Array.isArray(entries)) {
      for (const entry of entries as unknown[]) {
        const id = text(at(entry, 'entryId')) ?? '';
        const cursorType = at(entry, 'content', 'cursorType');
        if (cursorType === 'Bottom' || id.startsWith('cursor-bottom')) {
          page.bottomCursor = text(at(entry, 'content', 'value')) ?? page.bottomCursor;
          continue;
        }
        if (cursorType || id.startsWith('cursor-')) continue;
        if (PROMO.test(id)) {
          page.skipped++;
          continue;
        }
        const user = userFromResult(at(entry, 'content', 'itemContent', 'user_results', 'result'));
        if (!user) page.skipped++;
        else if (!seen.has(user.accountId)) {
          seen.add(user.accountId);
          page.users.push(user);
        }
      }
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(body);
  return page;
}

/** Whether an answer says the session is rate limited (HTTP 429, or error code 88 in the body). */
export function isRateLimited(status: number, body: unknown): boolean {
  if (status === 429) return true;
  const errors = at(body, 'errors');
  return Array.isArray(errors) && errors.some((error) => at(error, 'code') === 88);
}
