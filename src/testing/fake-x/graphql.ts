/**
 * X's GraphQL JSON as the pages load it (docs/FORMATS.md, "User objects", "List timelines"), for the parser's tests and
 * the fake X: a user object in each of the three schema eras, list timelines with cursors and
 * promo entries, and the missing, suspended and rate-limited answers.
 */
import type { FakeProfile } from './profile-page.js';

export type Era = 'A' | 'B' | 'C';

const twitterDate = (iso: string) =>
  new Date(iso).toUTCString().replace(/^(\w{3}), (\d{2}) (\w{3}) (\d{4}) (\S+) GMT$/, '$1 $3 $2 $5 +0000 $4');

export function userResult(p: FakeProfile, era: Era = 'C'): Record<string, unknown> {
  const created = twitterDate(p.createdAt ?? '2011-03-14T09:26:53.000Z');
  const urls = p.website
    ? [
        {
          display_url: p.website.shown,
          expanded_url: p.website.expanded,
          url: 'https://t.co/AbCdEf1234',
          indices: [0, 23],
        },
      ]
    : [];
  const avatar = `https://pbs.twimg.com/profile_images/${p.id}/a_normal.jpg`;
  const common = {
    __typename: 'User',
    id: Buffer.from(`User:${p.id}`).toString('base64'),
    rest_id: p.id,
    is_blue_verified: false,
    profile_image_shape: 'Circle',
  };
  const protectedFlag = p.state === 'protected';
  if (era === 'A') {
    return {
      ...common,
      legacy: {
        screen_name: p.handle,
        name: p.name,
        created_at: created,
        description: p.bio ?? '',
        location: p.location ?? '',
        entities: { url: { urls } },
        url: p.website ? 'https://t.co/AbCdEf1234' : undefined,
        profile_image_url_https: avatar,
        followers_count: p.followers,
        friends_count: p.following,
        statuses_count: p.posts ?? 0,
        verified: false,
        ...(protectedFlag ? { protected: true } : {}),
      },
    };
  }
  const split = {
    core: { screen_name: p.handle, name: p.name, created_at: created },
    avatar: { image_url: avatar },
    location: { location: p.location ?? '' },
    privacy: { protected: protectedFlag },
    verification: { verified: false },
  };
  if (era === 'B') {
    return {
      ...common,
      ...split,
      profile_bio: { description: p.bio ?? '' },
      legacy: {
        followers_count: p.followers,
        friends_count: p.following,
        statuses_count: p.posts ?? 0,
        description: p.bio ?? '',
        entities: { url: { urls } },
      },
    };
  }
  return {
    ...common,
    ...split,
    legacy: null,
    relationship_counts: { followers: p.followers, following: p.following },
    tweet_counts: { tweets: p.posts ?? 0, media_tweets: 0 },
    profile_bio: { description: p.bio ?? '', entities: { description: { urls: [] }, url: { urls } } },
    website: { url: p.website ? 'https://t.co/AbCdEf1234' : '' },
  };
}

/** `UserByScreenName`'s answer, by account state. */
export function userByScreenName(p: FakeProfile, era: Era = 'C'): unknown {
  if (p.state === 'deleted') return { data: {} };
  if (p.state === 'suspended')
    return {
      data: { user: { result: { __typename: 'UserUnavailable', reason: 'Suspended', message: 'User is suspended' } } },
    };
  return { data: { user: { result: userResult(p, era) } } };
}

export interface ListPageOptions {
  era?: Era;
  component?: string;
  /** The Bottom cursor, or null on the last page. */
  bottom: string | null;
  /** Quirks: promo entries, an unavailable user, an entry with empty user_results. */
  promo?: boolean;
  unavailable?: boolean;
  emptyResult?: boolean;
}

export function listPage(users: readonly FakeProfile[], options: ListPageOptions): unknown {
  const era = options.era ?? 'C';
  const entries: unknown[] = users.map((u, i) => ({
    entryId: `user-${u.id}`,
    sortIndex: String(1900000000000000060n - BigInt(i)),
    content: {
      entryType: 'TimelineTimelineItem',
      __typename: 'TimelineTimelineItem',
      itemContent: {
        itemType: 'TimelineUser',
        __typename: 'TimelineUser',
        userDisplayType: 'User',
        user_results: { result: userResult(u, era) },
      },
      clientEventInfo: { component: options.component ?? 'FollowingSgs', element: 'user' },
    },
  }));
  if (options.promo)
    entries.unshift({
      entryId: 'who-to-follow-1',
      content: {
        entryType: 'TimelineTimelineModule',
        items: [
          {
            item: {
              itemContent: {
                user_results: {
                  result: userResult(
                    { handle: 'promo_pick', id: '1999', name: 'Promo', followers: 1, following: 1 },
                    era,
                  ),
                },
              },
            },
          },
        ],
      },
    });
  if (options.unavailable)
    entries.push({
      entryId: 'user-1998',
      content: {
        itemContent: {
          user_results: {
            result: { __typename: 'UserUnavailable', message: 'User is not available', reason: 'NoReason' },
          },
        },
      },
    });
  if (options.emptyResult) entries.push({ entryId: 'user-1997', content: { itemContent: { user_results: {} } } });
  if (options.bottom !== null)
    entries.push({
      entryId: `cursor-bottom-${options.bottom}`,
      content: {
        entryType: 'TimelineTimelineCursor',
        __typename: 'TimelineTimelineCursor',
        cursorType: 'Bottom',
        value: options.bottom,
      },
    });
  entries.push({
    entryId: 'cursor-top-1',
    content: { entryType: 'TimelineTimelineCursor', cursorType: 'Top', value: '-1|1900000000000000061' },
  });
  return {
    data: {
      user: {
        result: {
          __typename: 'User',
          timeline: {
            timeline: {
              instructions: [
                { type: 'TimelineClearCache' },
                { type: 'TimelineTerminateTimeline', direction: 'Top' },
                { type: 'TimelineAddEntries', entries },
              ],
            },
          },
        },
      },
    },
  };
}

export const RATE_LIMITED_BODY = { errors: [{ code: 88, message: 'Rate limit exceeded' }] };
export const NOT_AUTHENTICATED_BODY = { errors: [{ code: 32, message: 'Could not authenticate you' }] };
