/** The GraphQL readers on X's answers in all three schema eras, quirks included (docs/FORMATS.md). */
import { describe, expect, it } from 'vitest';
import {
  listPage,
  NOT_AUTHENTICATED_BODY,
  RATE_LIMITED_BODY,
  userByScreenName,
  userResult,
  type Era,
} from '../testing/fake-x/graphql.js';
import type { FakeProfile } from '../testing/fake-x/profile-page.js';
import {
  graphqlOperation,
  isGraphqlRequest,
  isRateLimited,
  listFromResponse,
  profileFromResponse,
  userFromResult,
} from './graphql.js';

const CAROL: FakeProfile = {
  handle: 'carol_x',
  id: '1234567890123456789',
  name: 'Carol',
  bio: 'bio with words',
  location: 'Lisbon',
  website: { shown: 'carol.example', expanded: 'https://carol.example/about' },
  createdAt: '2013-12-14T04:35:55.000Z',
  followers: 4321,
  following: 987,
  posts: 55,
};
const people = (n: number, from = 0): FakeProfile[] =>
  Array.from({ length: n }, (_, i) => ({
    handle: `person_${from + i}`,
    id: String(1800000000000000000n + BigInt(from + i)),
    name: `Person ${from + i}`,
    followers: i,
    following: i * 2,
  }));

describe('GraphQL readers', () => {
  it('read the same user from every schema era, ids as strings', () => {
    for (const era of ['A', 'B', 'C'] as Era[]) {
      expect(userFromResult(userResult(CAROL, era)), era).toEqual({
        accountId: '1234567890123456789',
        handle: 'carol_x',
        displayName: 'Carol',
        bio: 'bio with words',
        location: 'Lisbon',
        website: 'https://carol.example/about',
        avatarUrl: 'https://pbs.twimg.com/profile_images/1234567890123456789/a_normal.jpg',
        followers: 4321,
        following: 987,
        posts: 55,
        createdAt: '2013-12-14 04:35:55',
        protected: false,
      });
    }
    expect(userFromResult({ __typename: 'User', rest_id: 'abc' })).toBeNull();
    expect(userFromResult({ __typename: 'UserUnavailable' })).toBeNull();
  });

  it('tell active, protected, deleted and suspended profiles apart', () => {
    expect(profileFromResponse(userByScreenName(CAROL)).state).toBe('active');
    expect(profileFromResponse(userByScreenName({ ...CAROL, state: 'protected' }, 'A')).state).toBe('protected');
    expect(profileFromResponse(userByScreenName({ ...CAROL, state: 'deleted' }))).toEqual({
      state: 'deleted',
      user: null,
    });
    expect(profileFromResponse({ data: { user: {} } }).state).toBe('deleted');
    expect(profileFromResponse(userByScreenName({ ...CAROL, state: 'suspended' })).state).toBe('suspended');
    expect(profileFromResponse(NOT_AUTHENTICATED_BODY).state).toBe('unreadable');
  });

  it('read a list page: users in order, the Bottom cursor, promotions and broken entries skipped', () => {
    const page = listFromResponse(
      listPage(people(20), {
        bottom: '1770000000000000000|1900000000000000001',
        promo: true,
        unavailable: true,
        emptyResult: true,
      }),
    );
    expect(page.users.map((u) => u.handle)).toEqual(people(20).map((p) => p.handle));
    expect(page.bottomCursor).toBe('1770000000000000000|1900000000000000001');
    expect(page.skipped).toBe(3);
    const last = listFromResponse(listPage([], { bottom: null }));
    expect(last).toEqual({ users: [], bottomCursor: null, skipped: 0 });
    // A user repeated within a page counts once.
    expect(listFromResponse(listPage([...people(2), ...people(1)], { bottom: 'c' })).users).toHaveLength(2);
  });

  it('match operations by name whatever the queryId, and see rate limits', () => {
    expect(graphqlOperation('https://x.com/i/api/graphql/b8XpwALENnJdFSHchkK6rw/Following?variables=%7B%7D')).toBe(
      'Following',
    );
    expect(graphqlOperation('http://127.0.0.1:9999/i/api/graphql/anything/UserByScreenName')).toBe('UserByScreenName');
    expect(graphqlOperation('https://x.com/i/api/graphql/x/HomeTimeline')).toBeNull();
    expect(graphqlOperation('https://x.com/alice/following')).toBeNull();
    // A renamed operation is still one of the page's GraphQL requests (rate limits are seen on it).
    expect(graphqlOperation('https://x.com/i/api/graphql/q/FollowersTimelineV2?variables=%7B%7D')).toBeNull();
    expect(isGraphqlRequest('https://x.com/i/api/graphql/q/FollowersTimelineV2?variables=%7B%7D')).toBe(true);
    expect(isGraphqlRequest('https://x.com/i/api/1.1/friends/list.json')).toBe(false);
    expect(isRateLimited(429, 'Too Many Requests')).toBe(true);
    expect(isRateLimited(200, RATE_LIMITED_BODY)).toBe(true);
    expect(isRateLimited(200, listPage([], { bottom: null }))).toBe(false);
  });
});
