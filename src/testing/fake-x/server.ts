/**
 * A fake X web server for the enricher's tests (docs/FORMATS.md, "X pages"): node:http on 127.0.0.1, a
 * random port. Pages render on the client like the real site: the HTML shell carries an inline
 * script that fetches the GraphQL JSON from the browser (so `page.on('response')` sees it) and
 * only then builds the DOM. Markup comes from profile-page.ts and JSON from graphql.ts; the server
 * hands the page the markup pieces through `/i/fakex/*` fragment endpoints after the GraphQL fetch.
 *
 * Reproduced: the login wall (redirect, 401 code 32), the profile DOM with its traps (stale JSON-LD,
 * "Who to follow" cells, sidebar cells, the viewer's own counters), list pages with infinite scroll
 * and a virtualised window of `cellInnerDiv`s, schema eras A/B/C, rate-limit headers and a 429
 * mode after N requests with the page's "Something went wrong" / "Rate limit exceeded" texts,
 * deleted / suspended / protected accounts and empty lists, a slow mode, renamed operations (the
 * reader then has only the DOM) and profiles that load without their counters.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ListKind } from '../../db/shadow-store.js';
import type { SessionCookie } from '../../shadow/cookies.js';
import type { AddressInfo } from 'node:net';
import { listPage, NOT_AUTHENTICATED_BODY, RATE_LIMITED_BODY, userByScreenName, type Era } from './graphql.js';
import {
  emptyState,
  profileColumn,
  profileHead,
  sideNav,
  sidebar,
  userCellContent,
  type FakeProfile,
  type ProfilePageOptions,
} from './profile-page.js';

export type ListOperationName = 'Following' | 'Followers' | 'BlueVerifiedFollowers' | 'FollowersYouKnow';
export type GraphqlOperationName = ListOperationName | 'UserByScreenName';

export const LIST_KINDS: readonly ListKind[] = ['following', 'followers', 'verified_followers', 'followers_you_follow'];
export const LIST_OPERATION: Record<ListKind, ListOperationName> = {
  following: 'Following',
  followers: 'Followers',
  verified_followers: 'BlueVerifiedFollowers',
  followers_you_follow: 'FollowersYouKnow',
};
const KIND_OF_OPERATION = Object.fromEntries(Object.entries(LIST_OPERATION).map(([k, op]) => [op, k])) as Record<
  ListOperationName,
  ListKind
>;

/** queryIds the pages use (they rotate on the real site; the server accepts any). */
export const QUERY_IDS: Record<GraphqlOperationName, string> = {
  UserByScreenName: 'Gb-d6r0vxPOADdG62OEBpQ',
  Following: 'b8XpwALENnJdFSHchkK6rw',
  Followers: 'vJijlO_CM7dyGFNjDd7iqQ',
  BlueVerifiedFollowers: 'cg6WLW39UujWMeX77xBnOA',
  FollowersYouKnow: 'f2tbuGNjfOE8mNUO5itMew',
};

/**
 * Who follows whom, by handle. `verifiedFollowers` defaults to `followers`; `followersYouKnow`
 * defaults to the followers the viewer follows.
 */
export interface FakeFollows {
  following: Record<string, readonly string[]>;
  followers: Record<string, readonly string[]>;
  verifiedFollowers?: Record<string, readonly string[]>;
  followersYouKnow?: Record<string, readonly string[]>;
}
/** Either a graph or a function answering one list (undefined: empty). */
export type FollowSource = FakeFollows | ((list: ListKind, handle: string) => readonly string[] | undefined);

export interface ListQuirks {
  /** A page of `who-to-follow-` entries only (plus its cursor) after the first page. */
  promoPage?: boolean;
  /** A `who-to-follow-` entry on the first page. */
  promoEntry?: boolean;
  /** Each page after the first repeats the previous page's last user first. */
  repeatUser?: boolean;
  /** A `UserUnavailable` entry on the first page. */
  unavailable?: boolean;
  /** An entry with empty `user_results` on the first page. */
  emptyResult?: boolean;
}

export type RateLimitText = 'retry' | 'rate-limit';

export interface FakeXOptions {
  accounts: readonly FakeProfile[];
  follows?: FollowSource;
  /** The signed-in account's handle (default `fake_viewer`); its counters sit in the side nav. */
  viewer?: string;
  /** Users per list page (default 20). */
  pageSize?: number;
  /** User object schema (default C). */
  era?: Era;
  /** Delay every GraphQL answer: true = 1500 ms, or a number of ms. */
  slow?: boolean | number;
  /**
   * Keep a stale JSON-LD block before the profile's own: true = the profile served before (or a fixed one), or that
   * profile.
   */
  staleSchema?: boolean | FakeProfile;
  /** Answer 429 to every GraphQL request after this many (counted from start or from `setRateLimitAfter`). */
  rateLimitAfter?: number | null;
  /**
   * What the page shows when a GraphQL request fails: "Something went wrong. Try reloading." + Retry (default), or
   * "Rate limit exceeded".
   */
  rateLimitText?: RateLimitText;
  /** How list pages send their GraphQL requests (default GET; UserByScreenName is always GET). */
  listMethod?: 'GET' | 'POST';
  /** `cellInnerDiv`s kept in a list's DOM (default 30). */
  window?: number;
  quirks?: ListQuirks;
  /** The final, empty page: repeats its own Bottom cursor (default) or has none. */
  endCursor?: 'repeat' | 'none';
  /** Profile markup options. */
  profilePage?: Pick<ProfilePageOptions, 'oldFollowersHref' | 'withoutCounters' | 'withoutSchema'>;
  /** Names the pages use for GraphQL operations instead of the usual ones (X renames them between deploys). */
  operationNames?: Partial<Record<GraphqlOperationName, string>>;
}

export interface GraphqlRequestRecord {
  method: string;
  operation: GraphqlOperationName;
  variables: Record<string, unknown> | null;
  status: number;
}

export interface FakeXCounters {
  /** HTML page requests (profile, lists, home), logged in or not. */
  pages: number;
  /** Redirects to the login wall. */
  loginRedirects: number;
  /** GraphQL requests by operation (every answer, including 401 and 429). */
  graphql: Record<GraphqlOperationName, number>;
  graphqlTotal: number;
  /** 429 answers. */
  rateLimited: number;
  /** 401 answers. */
  unauthenticated: number;
  /** `/i/fakex/*` markup fetches. */
  fragments: number;
}

export interface FakeX {
  url: string;
  /** Cookies that log a browser in: `context.addCookies(fake.cookies())`. */
  cookies(): { name: string; value: string; url: string }[];
  readonly counters: FakeXCounters;
  /** Every GraphQL request, in arrival order. */
  readonly graphqlLog: readonly GraphqlRequestRecord[];
  resetCounters(): void;
  setEra(era: Era): void;
  setSlow(slow: boolean | number): void;
  setStaleSchema(stale: boolean | FakeProfile): void;
  /** 429 after `n` more GraphQL requests (0: at once); null lifts it. */
  setRateLimitAfter(n: number | null): void;
  setRateLimitText(text: RateLimitText): void;
  setPageSize(n: number): void;
  setQuirks(quirks: ListQuirks): void;
  setListMethod(method: 'GET' | 'POST'): void;
  /** False: every cookie is treated as expired (login wall, 401). */
  setSessionValid(valid: boolean): void;
  /** Adds or replaces an account (by handle). */
  putAccount(profile: FakeProfile): void;
  setOperationNames(names: Partial<Record<GraphqlOperationName, string>>): void;
  /** The next `n` profile pages render without their counters and JSON-LD, as a page that loaded half. */
  setIncompleteProfiles(n: number): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Seeds

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** `n` accounts `<prefix>_<i>` with deterministic ids (unique per prefix), names, bios and counts. */
export function fakeAccounts(n: number, prefix = 'user', overrides: Partial<FakeProfile> = {}): FakeProfile[] {
  const width = String(n).length;
  if (!/^[A-Za-z0-9_]+$/.test(prefix) || prefix.length + 1 + width > 15)
    throw new Error(`fakeAccounts: prefix ${prefix} makes handles that are not valid X usernames`);
  const base = 1_500_000_000_000_000_000n + BigInt(hash32(prefix) % 100_000) * 10_000_000n;
  return Array.from({ length: n }, (_, i) => {
    const handle = `${prefix}_${String(i + 1).padStart(width, '0')}`;
    return {
      handle,
      id: String(base + BigInt(i + 1)),
      name: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${i + 1}`,
      bio: `bio of ${handle}`,
      followers: (i * 37) % 1000,
      following: (i * 53) % 700,
      posts: i * 11,
      ...overrides,
    };
  });
}

export interface FakeSeed {
  center: FakeProfile;
  accounts: FakeProfile[];
  follows: FakeFollows;
}

/**
 * One account followed by `followers` accounts (`fr_…`) and following `following` accounts
 * (`fg_…`); the first `mutuals` followed accounts also follow back. The center's counts match.
 */
export function fakeSeed(options: {
  center?: string | FakeProfile;
  followers: number;
  following: number;
  mutuals?: number;
}): FakeSeed {
  const given = options.center ?? 'center_acct';
  const followers = fakeAccounts(options.followers, 'fr');
  const following = fakeAccounts(options.following, 'fg');
  const mutuals = following.slice(0, options.mutuals ?? 0);
  const followerHandles = [...mutuals, ...followers].map((p) => p.handle);
  const base: FakeProfile =
    typeof given === 'string'
      ? {
          handle: given,
          id: String(1_400_000_000_000_000_000n + BigInt(hash32(given) % 1_000_000)),
          name: `Center ${given}`,
          bio: 'the seed account',
          followers: 0,
          following: 0,
          posts: 1234,
        }
      : given;
  const center = { ...base, followers: followerHandles.length, following: following.length };
  return {
    center,
    accounts: [center, ...followers, ...following],
    follows: {
      followers: { [center.handle]: followerHandles },
      following: { [center.handle]: following.map((p) => p.handle) },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Client

const CELL_HEIGHT = 100;
/** The page's layout: list cells of a fixed height, so that the client's virtual window can place them. */
const SHELL_CSS = [
  'body{margin:0;font-family:sans-serif}main{display:flex}',
  '[data-testid="primaryColumn"]{width:600px}aside{width:350px}',
  `div[aria-label^="Timeline: "]>div>[data-testid="cellInnerDiv"]{height:${CELL_HEIGHT}px;overflow:hidden}`,
].join('');

/** Where X sends a visitor without a session (the enricher recognises it as a login wall). */
const LOGIN_PAGE = [
  '<!DOCTYPE html><html dir="ltr" lang="en"><head><meta charset="utf-8"><title>Log in to X / X</title></head>',
  '<body><div id="react-root"><main role="main"><div>',
  '<h1 role="heading"><span>Don\u2019t miss what\u2019s happening</span></h1>',
  '<div><span>People on X are the first to know.</span></div>',
  '<a href="/login" role="link" data-testid="loginButton"><span>Log in</span></a>',
  '<a href="/i/flow/signup" role="link" data-testid="signupButton"><span>Sign up</span></a>',
  '<div><span>New to X?</span> <span>Sign up now to get your own personalized timeline!</span></div>',
  '</div></main></div></body></html>',
].join('');

/** The page's script: GraphQL first, then the markup; lists page on scroll in a virtual window. */
const CLIENT = String.raw`
(() => {
  const cfg = window.__FAKEX__;
  const column = document.querySelector('[data-testid="primaryColumn"]');
  const csrf = (document.cookie.match(/(?:^|;\s*)ct0=([^;]*)/) || [])[1] || '';
  const features = {
    responsive_web_graphql_timeline_navigation_enabled: true,
    hidden_profile_subscriptions_enabled: true,
  };
  async function gql(op, variables) {
    const base = '/i/api/graphql/' + cfg.queryIds[op] + '/' + (cfg.operationNames[op] || op);
    const headers = {
      authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAFakeX',
      'x-csrf-token': csrf,
      'x-twitter-auth-type': 'OAuth2Session',
      'x-twitter-active-user': 'yes',
      'x-twitter-client-language': 'en',
    };
    let res;
    try {
      res = cfg.method === 'POST' && op !== 'UserByScreenName'
        ? await fetch(base, {
            method: 'POST',
            headers: Object.assign({ 'content-type': 'application/json' }, headers),
            body: JSON.stringify({ variables, features, queryId: cfg.queryIds[op] }),
          })
        : await fetch(
            base + '?variables=' + encodeURIComponent(JSON.stringify(variables)) +
              '&features=' + encodeURIComponent(JSON.stringify(features)),
            { headers },
          );
    } catch (e) { return { ok: false, status: 0, body: null }; }
    let body = null;
    try { body = await res.json(); } catch (e) {}
    return { ok: res.ok && !!body && !body.errors, status: res.status, body };
  }
  async function fragment(name, params) {
    const res = await fetch('/i/fakex/' + name + '?' + new URLSearchParams(params));
    if (!res.ok) throw new Error('fragment ' + name + ' ' + res.status);
    return res.json();
  }
  async function showError(target, retry) {
    const f = await fragment('error', {});
    const holder = document.createElement('div');
    holder.innerHTML = f.html;
    target.appendChild(holder);
    const button = holder.querySelector('button');
    if (button) button.addEventListener('click', () => { holder.remove(); retry(); });
  }
  function setHead(html) {
    const t = document.createElement('template');
    t.innerHTML = html;
    const title = t.content.querySelector('title');
    if (title) { document.title = title.textContent; title.remove(); }
    document.head.append(t.content);
  }
  const loading = column.innerHTML;
  // Markup with a button inside a button, as React builds X's UserCells through the DOM API; the
  // HTML parser behind innerHTML would close the outer one, so nested buttons are made by hand.
  function realize(html) {
    const t = document.createElement('template');
    t.innerHTML = html.replace(/<(\/?)button\b/g, '<$1fakex-button');
    for (const el of t.content.querySelectorAll('fakex-button')) {
      const b = document.createElement('button');
      for (const a of el.attributes) b.setAttribute(a.name, a.value);
      b.append(...el.childNodes);
      el.replaceWith(b);
    }
    return t.content;
  }

  async function profile() {
    column.innerHTML = loading;
    const r = await gql('UserByScreenName', { screen_name: cfg.handle, withSafetyModeUserFields: true });
    if (!r.ok) { column.replaceChildren(); return showError(column, profile); }
    const f = await fragment('profile', { handle: cfg.handle });
    setHead(f.head);
    column.replaceChildren(realize(f.column));
  }

  async function list() {
    column.innerHTML = loading;
    const r = await gql('UserByScreenName', { screen_name: cfg.handle, withSafetyModeUserFields: true });
    if (!r.ok) { column.replaceChildren(); return showError(column, list); }
    const f = await fragment('list', { handle: cfg.handle, list: cfg.list });
    setHead(f.head);
    column.innerHTML = f.header;
    const result = r.body && r.body.data && r.body.data.user && r.body.data.user.result;
    if (f.blocked || !result || result.__typename !== 'User') {
      column.insertAdjacentHTML('beforeend', f.blocked || '');
      return;
    }
    column.insertAdjacentHTML('beforeend', f.region);
    const region = column.querySelector('section[role="region"]');
    const container = region.querySelector('div[aria-label^="Timeline"] > div');
    const H = cfg.cellHeight, W = cfg.window;
    const rows = [], nodes = new Map(), seen = new Set();
    let cursor = null, busy = false, ended = false, failed = false;
    function render() {
      container.style.minHeight = rows.length * H + 'px';
      const offset = -container.getBoundingClientRect().top;
      const first = Math.max(0, Math.min(rows.length - W, Math.floor(offset / H) - Math.floor(W / 3)));
      const last = Math.min(rows.length, first + W);
      for (const [i, node] of nodes) if (i < first || i >= last) { node.remove(); nodes.delete(i); }
      for (let i = first; i < last; i++) {
        let node = nodes.get(i);
        if (!node) {
          node = document.createElement('div');
          node.setAttribute('data-testid', 'cellInnerDiv');
          node.setAttribute('style', 'transform: translateY(' + i * H + 'px); position: absolute; width: 100%');
          node.append(realize(rows[i]));
          nodes.set(i, node);
        }
        container.appendChild(node);
      }
    }
    function nearEnd() {
      return container.getBoundingClientRect().bottom - window.innerHeight < 1.5 * window.innerHeight;
    }
    async function more() {
      if (busy || ended || failed) return;
      busy = true;
      try {
        const variables = { userId: result.rest_id, count: 20, includePromotedContent: false };
        if (cursor) variables.cursor = cursor;
        const p = await gql(cfg.op, variables);
        if (!p.ok) { failed = true; await showError(region, () => { failed = false; more(); }); return; }
        const entries = [];
        (function visit(n) {
          if (Array.isArray(n)) return n.forEach(visit);
          if (!n || typeof n !== 'object') return;
          if (n.type === 'TimelineAddEntries' && Array.isArray(n.entries)) { entries.push(...n.entries); return; }
          Object.values(n).forEach(visit);
        })(p.body);
        let next = null, added = 0;
        const ids = [];
        for (const e of entries) {
          const c = (e && e.content) || {};
          if (c.cursorType === 'Bottom') { next = c.value; continue; }
          if (c.cursorType) continue;
          added++;
          const u = c.itemContent && c.itemContent.user_results && c.itemContent.user_results.result;
          if (String(e.entryId).startsWith('user-') && u && u.__typename === 'User' && !seen.has(u.rest_id)) {
            seen.add(u.rest_id);
            ids.push(u.rest_id);
          }
        }
        if (ids.length) rows.push(...(await fragment('cells', { ids: ids.join(',') })).cells);
        if (added === 0 || !next || next === cursor) ended = true;
        cursor = next;
        if (ended && rows.length === 0) { region.insertAdjacentHTML('afterend', f.empty); region.remove(); return; }
        render();
      } finally { busy = false; }
      if (nearEnd()) setTimeout(more, 0);
    }
    addEventListener('scroll', () => { render(); if (nearEnd()) more(); }, { passive: true });
    addEventListener('resize', () => { render(); if (nearEnd()) more(); });
    more();
  }

  if (cfg.page === 'profile') profile();
  else if (cfg.page === 'list') list();
  else column.replaceChildren();
})();
`;

// ---------------------------------------------------------------------------------------------
// Server

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const LIST_TITLES: Record<ListKind, [string, string]> = {
  following: ['People followed by', 'Following'],
  followers: ['People following', 'Followers'],
  verified_followers: ['Verified accounts following', 'Verified Followers'],
  followers_you_follow: ['People you know following', 'Followers you know'],
};
const TAB_ORDER: ListKind[] = ['verified_followers', 'followers_you_follow', 'followers', 'following'];
const COMPONENT: Record<ListKind, string> = {
  following: 'FollowingSgs',
  followers: 'FollowersSgs',
  verified_followers: 'BlueVerifiedFollowersSgs',
  followers_you_follow: 'FollowersYouKnowSgs',
};
const RESERVED = new Set([
  'home',
  'explore',
  'notifications',
  'messages',
  'settings',
  'search',
  'compose',
  'i',
  'login',
  'logout',
]);
const EARLIER_VISIT: FakeProfile = {
  handle: 'earlier_visit',
  id: '1300000000000000077',
  name: 'Earlier Visit',
  bio: 'a profile seen before in this session',
  followers: 4321,
  following: 123,
  posts: 99,
};
const CURSOR_BASE = 1_770_000_000_000_000_000n;
const cursorFor = (page: number) => `${CURSOR_BASE + BigInt(page)}|${1_900_000_000_000_000_001n + BigInt(page)}`;

interface TimelinePage {
  users: FakeProfile[];
  promo?: boolean;
  unavailable?: boolean;
  emptyResult?: boolean;
}

function emptyListState(kind: ListKind, p: FakeProfile, ownAccount: boolean): string {
  const h = p.handle;
  switch (kind) {
    case 'following':
      return emptyState(`@${h} isn\u2019t following anyone`, 'Once they follow accounts, they\u2019ll show up here.');
    case 'followers':
      return ownAccount
        ? emptyState('You don\u2019t have any followers yet', 'When someone follows you, you\u2019ll see them here.')
        : emptyState(
            'Looking for followers?',
            'When someone follows this account, they\u2019ll show up here. ' +
              'Posting and interacting with others helps boost followers.',
          );
    case 'verified_followers':
      return emptyState(
        `@${h} doesn\u2019t have any verified followers.`,
        'When someone verified follows this account, they\u2019ll show up here.',
      );
    case 'followers_you_follow':
      return emptyState(
        `@${h} doesn\u2019t have any followers you know yet`,
        'When someone you know follows them, they\u2019ll be listed here.',
      );
  }
}

const RETRY_BUTTON =
  '<button role="button" type="button"><div dir="ltr"><span><span>Retry</span></span></div></button>';
const ERROR_HTML: Record<RateLimitText, string> = {
  retry: `<div><div dir="ltr"><span>Something went wrong. Try reloading.</span></div>${RETRY_BUTTON}</div>`,
  'rate-limit': `<div><div dir="ltr"><span>Rate limit exceeded</span></div>${RETRY_BUTTON}</div>`,
};

export async function startFakeX(options: FakeXOptions): Promise<FakeX> {
  const byHandle = new Map<string, FakeProfile>();
  const byId = new Map<string, FakeProfile>();
  const putAccount = (p: FakeProfile) => {
    const old = byHandle.get(p.handle.toLowerCase());
    if (old) byId.delete(old.id);
    byHandle.set(p.handle.toLowerCase(), p);
    byId.set(p.id, p);
  };
  options.accounts.forEach(putAccount);
  const viewerHandle = options.viewer ?? 'fake_viewer';
  if (!byHandle.has(viewerHandle.toLowerCase()))
    putAccount({
      handle: viewerHandle,
      id: '1600000000000000001',
      name: 'Fake Viewer',
      followers: 31_337,
      following: 4_242,
      posts: 10,
    });
  const viewer = () => byHandle.get(viewerHandle.toLowerCase())!;

  // Follow lists, case-insensitive; unknown handles become stub accounts.
  let stubs = 0;
  const profileOf = (handle: string): FakeProfile => {
    const known = byHandle.get(handle.toLowerCase());
    if (known) return known;
    const stub: FakeProfile = {
      handle,
      id: String(1_800_000_000_000_000_000n + BigInt(++stubs)),
      name: handle,
      followers: 0,
      following: 0,
    };
    putAccount(stub);
    return stub;
  };
  const graphLists = new Map<string, readonly string[]>();
  const source = options.follows;
  if (source && typeof source !== 'function') {
    const add = (kind: ListKind, record: Record<string, readonly string[]> | undefined) => {
      for (const [handle, list] of Object.entries(record ?? {}))
        graphLists.set(`${kind}:${handle.toLowerCase()}`, list);
    };
    add('following', source.following);
    add('followers', source.followers);
    add('verified_followers', source.verifiedFollowers);
    add('followers_you_follow', source.followersYouKnow);
  }
  const listHandles = (kind: ListKind, handle: string): readonly string[] => {
    if (typeof source === 'function') return source(kind, handle) ?? [];
    const own = graphLists.get(`${kind}:${handle.toLowerCase()}`);
    if (own) return own;
    if (kind === 'verified_followers') return listHandles('followers', handle);
    if (kind === 'followers_you_follow') {
      const known = new Set(listHandles('following', viewerHandle).map((h) => h.toLowerCase()));
      return listHandles('followers', handle).filter((h) => known.has(h.toLowerCase()));
    }
    return [];
  };
  const follows = (a: string, b: string) =>
    listHandles('following', a).some((h) => h.toLowerCase() === b.toLowerCase()) ||
    listHandles('followers', b).some((h) => h.toLowerCase() === a.toLowerCase());

  // Modes.
  let era: Era = options.era ?? 'C';
  let slowMs = options.slow === true ? 1500 : typeof options.slow === 'number' ? options.slow : 0;
  let stale: boolean | FakeProfile = options.staleSchema ?? false;
  let limitAfter: number | null = options.rateLimitAfter ?? null;
  let usedSinceLimit = 0;
  let windowStart = Math.floor(Date.now() / 1000);
  let errorText: RateLimitText = options.rateLimitText ?? 'retry';
  let pageSize = options.pageSize ?? 20;
  let quirks: ListQuirks = options.quirks ?? {};
  let listMethod = options.listMethod ?? 'GET';
  let sessionValid = true;
  let lastProfile: FakeProfile | null = null;
  let operationNames = options.operationNames ?? {};
  let incompleteProfiles = 0;
  const cellWindow = options.window ?? 30;
  const cookieValues = { auth_token: 'fakex_auth_token_0123456789abcdef', ct0: 'fakexct0token' };

  const freshCounters = (): FakeXCounters => ({
    pages: 0,
    loginRedirects: 0,
    graphql: { UserByScreenName: 0, Following: 0, Followers: 0, BlueVerifiedFollowers: 0, FollowersYouKnow: 0 },
    graphqlTotal: 0,
    rateLimited: 0,
    unauthenticated: 0,
    fragments: 0,
  });
  let counters = freshCounters();
  const log: GraphqlRequestRecord[] = [];

  const closing = new AbortController();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || closing.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done);
    });

  const loggedIn = (req: IncomingMessage) => {
    if (!sessionValid) return false;
    const jar = new Map<string, string>();
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    return Boolean(jar.get('auth_token')) && Boolean(jar.get('ct0'));
  };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(res, status, 'application/json;charset=utf-8', JSON.stringify(body), headers);
  const sendHtml = (res: ServerResponse, status: number, html: string) =>
    send(res, status, 'text/html;charset=utf-8', html);

  const visibleTo = (owner: FakeProfile) =>
    owner.state !== 'protected' ||
    owner.handle.toLowerCase() === viewerHandle.toLowerCase() ||
    follows(viewerHandle, owner.handle);

  const timeline = (kind: ListKind, owner: FakeProfile): TimelinePage[] => {
    const users = visibleTo(owner)
      ? listHandles(kind, owner.handle)
          .map(profileOf)
          .filter((p) => p.state !== 'deleted' && p.state !== 'suspended')
      : [];
    const pages: TimelinePage[] = [];
    for (let i = 0; i < users.length; i += pageSize) pages.push({ users: users.slice(i, i + pageSize) });
    if (quirks.repeatUser)
      for (let i = pages.length - 1; i > 0; i--) pages[i]!.users.unshift(pages[i - 1]!.users.at(-1)!);
    if (pages[0])
      Object.assign(pages[0], {
        promo: quirks.promoEntry,
        unavailable: quirks.unavailable,
        emptyResult: quirks.emptyResult,
      });
    if (quirks.promoPage && pages.length > 0) pages.splice(1, 0, { users: [], promo: true });
    pages.push({ users: [] });
    return pages;
  };

  const rateHeaders = (limited: boolean): Record<string, string> => {
    const now = Math.floor(Date.now() / 1000);
    if (now >= windowStart + 900) windowStart = now;
    const limit = limitAfter ?? 500;
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(
        limited ? 0 : Math.max(0, limit - (limitAfter === null ? counters.graphqlTotal : usedSinceLimit)),
      ),
      'x-rate-limit-reset': String(limited ? now + 900 : windowStart + 900),
    };
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1_000_000) req.destroy(new Error('body too large'));
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const parseJson = (text: string | null | undefined): unknown => {
    if (text === null || text === undefined || text === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };

  async function graphql(req: IncomingMessage, res: ServerResponse, operation: GraphqlOperationName, url: URL) {
    const method = req.method ?? 'GET';
    let variables: unknown;
    if (method === 'POST') {
      const body = parseJson(await readBody(req)) as { variables?: unknown } | null | undefined;
      variables = typeof body?.variables === 'string' ? parseJson(body.variables) : body?.variables;
    } else variables = parseJson(url.searchParams.get('variables'));
    const record: GraphqlRequestRecord = {
      method,
      operation,
      variables: variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : null,
      status: 0,
    };
    log.push(record);
    counters.graphql[operation]++;
    counters.graphqlTotal++;
    const answer = (status: number, body: unknown, limited = false) => {
      record.status = status;
      sendJson(res, status, body, rateHeaders(limited));
    };
    await sleep(slowMs);
    if (!loggedIn(req)) {
      counters.unauthenticated++;
      return answer(401, NOT_AUTHENTICATED_BODY);
    }
    if (limitAfter !== null && ++usedSinceLimit > limitAfter) {
      counters.rateLimited++;
      return answer(429, RATE_LIMITED_BODY, true);
    }
    const vars = record.variables;
    if (!vars)
      return answer(400, { errors: [{ code: 214, message: 'BadRequest: variables are missing or not JSON' }] });
    if (operation === 'UserByScreenName') {
      const name = typeof vars.screen_name === 'string' ? vars.screen_name : '';
      const p = byHandle.get(name.toLowerCase());
      return answer(200, p ? userByScreenName(p, era) : { data: {} });
    }
    if (typeof vars.userId !== 'string')
      return answer(400, { errors: [{ code: 214, message: 'BadRequest: userId must be a string' }] });
    const owner = byId.get(vars.userId);
    if (!owner || owner.state === 'deleted' || owner.state === 'suspended') return answer(200, { data: { user: {} } });
    const kind = KIND_OF_OPERATION[operation];
    const pages = timeline(kind, owner);
    let index = 0;
    if (vars.cursor !== undefined && vars.cursor !== null) {
      const match = typeof vars.cursor === 'string' ? /^(\d+)\|\d+$/.exec(vars.cursor) : null;
      const n = match ? BigInt(match[1]!) - CURSOR_BASE : -1n;
      if (n < 0n || n > BigInt(pages.length - 1))
        return answer(400, { errors: [{ code: 214, message: 'BadRequest: cursor is invalid' }] });
      index = Number(n);
    }
    const page = pages[index]!;
    const last = index === pages.length - 1;
    const bottom = last
      ? (options.endCursor ?? 'repeat') === 'repeat'
        ? cursorFor(index)
        : null
      : cursorFor(index + 1);
    return answer(
      200,
      listPage(page.users, {
        era,
        component: COMPONENT[kind],
        bottom,
        promo: page.promo,
        unavailable: page.unavailable,
        emptyResult: page.emptyResult,
      }),
    );
  }

  const viewerNav = () => {
    const v = viewer();
    return sideNav({ handle: v.handle, followers: v.followers, following: v.following });
  };

  const shell = (config: Record<string, unknown>, loadingLabel: string) => {
    const pageConfig = JSON.stringify({
      ...config,
      queryIds: QUERY_IDS,
      operationNames,
      method: listMethod,
      window: cellWindow,
      cellHeight: CELL_HEIGHT,
    }).replace(/</g, '\\u003c');
    return [
      '<!DOCTYPE html><html dir="ltr" lang="en"><head><meta charset="utf-8"><title>X</title><style>',
      SHELL_CSS,
      '</style></head><body><div id="react-root"><div>',
      viewerNav(),
      '<main role="main"><div data-testid="primaryColumn">',
      `<div role="progressbar" aria-label="${escapeHtml(loadingLabel)}"></div></div>`,
      sidebar(),
      '</main></div></div>',
      `<script>window.__FAKEX__=${pageConfig};${CLIENT}</script></body></html>`,
    ].join('');
  };

  const profileFor = (handle: string): FakeProfile =>
    byHandle.get(handle.toLowerCase()) ?? {
      handle,
      id: '0',
      name: handle,
      followers: 0,
      following: 0,
      state: 'deleted',
    };

  const pageOptions = (p: FakeProfile): ProfilePageOptions => {
    const staleFrom =
      stale === false
        ? undefined
        : stale === true
          ? lastProfile && lastProfile.handle !== p.handle
            ? lastProfile
            : EARLIER_VISIT
          : stale;
    return { ...options.profilePage, staleSchemaFrom: staleFrom };
  };

  function fragment(res: ServerResponse, name: string, url: URL) {
    counters.fragments++;
    const q = url.searchParams;
    if (name === 'error') return sendJson(res, 200, { html: ERROR_HTML[errorText] });
    if (name === 'cells') {
      const v = viewerHandle;
      const cells = (q.get('ids') ?? '')
        .split(',')
        .map((id) => byId.get(id))
        .map((u) =>
          u
            ? userCellContent({
                handle: u.handle,
                id: u.id,
                name: u.name,
                bio: u.bio,
                followsYou: follows(u.handle, v),
                followed: follows(v, u.handle),
              })
            : '',
        );
      return sendJson(res, 200, { cells });
    }
    const p = profileFor(q.get('handle') ?? '');
    if (name === 'profile') {
      const opts = {
        ...pageOptions(p),
        ...(incompleteProfiles > 0 ? { withoutCounters: true, withoutSchema: true } : {}),
      };
      incompleteProfiles = Math.max(0, incompleteProfiles - 1);
      const body = { head: profileHead(p, opts), column: profileColumn(p, opts) };
      if (p.state !== 'deleted' && p.state !== 'suspended') lastProfile = p;
      return sendJson(res, 200, body);
    }
    if (name === 'list') {
      const kind = (LIST_KINDS as readonly string[]).includes(q.get('list') ?? '')
        ? (q.get('list') as ListKind)
        : 'followers';
      const [titlePrefix, label] = LIST_TITLES[kind];
      const blocked = p.state === 'deleted' || p.state === 'suspended' ? profileColumn(p) : null;
      const lock =
        p.state === 'protected' ? '<svg data-testid="icon-lock" aria-label="Protected account" role="img"></svg>' : '';
      const tabs = TAB_ORDER.map(
        (k) =>
          `<div role="presentation"><a href="/${p.handle}/${k}" role="tab" aria-selected="${k === kind}">` +
          `<span>${LIST_TITLES[k][1]}</span></a></div>`,
      ).join('');
      const header =
        '<div><button data-testid="app-bar-back" aria-label="Back"></button>' +
        `<h2 role="heading"><span>${escapeHtml(p.name)}</span>${lock}</h2>` +
        `<div dir="ltr"><span>@${p.handle}</span></div></div>` +
        (blocked ? '' : `<nav role="navigation">${tabs}</nav>`);
      const region =
        '<section role="region" aria-labelledby="accessible-list-1">' +
        `<h1 role="heading" id="accessible-list-1">${label}</h1>` +
        `<div aria-label="Timeline: ${label}"><div style="position: relative; min-height: 0px"></div></div></section>`;
      const empty = visibleTo(p)
        ? emptyListState(kind, p, p.handle.toLowerCase() === viewerHandle.toLowerCase())
        : emptyState(
            'These posts are protected',
            `Only approved followers can see @${p.handle}\u2019s posts. To request access, click Follow. `,
          );
      return sendJson(res, 200, {
        head: `<title>${blocked ? 'Profile' : `${titlePrefix} ${escapeHtml(p.name)} (@${p.handle})`} / X</title>`,
        header,
        blocked,
        region,
        empty,
      });
    }
    return sendJson(res, 404, { error: 'unknown fragment' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const gqlMatch = /^\/i\/api\/graphql\/[^/]+\/([A-Za-z0-9]+)$/.exec(path);
    if (gqlMatch) {
      const operation = (Object.entries(operationNames).find(([, alias]) => alias === gqlMatch[1])?.[0] ??
        gqlMatch[1]) as GraphqlOperationName;
      if (!(operation in QUERY_IDS))
        return sendJson(res, 404, { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] });
      if (req.method !== 'GET' && req.method !== 'POST')
        return send(res, 405, 'text/plain', 'method not allowed', { allow: 'GET, POST' });
      return graphql(req, res, operation, url);
    }
    if (path === '/i/flow/login' || path === '/login') return sendHtml(res, 200, LOGIN_PAGE);
    const fragmentMatch = /^\/i\/fakex\/([a-z]+)$/.exec(path);
    if (fragmentMatch)
      return loggedIn(req) ? fragment(res, fragmentMatch[1]!, url) : sendJson(res, 401, NOT_AUTHENTICATED_BODY);
    if (path === '/favicon.ico') return send(res, 404, 'text/plain', 'not found');
    const pageMatch =
      /^\/([A-Za-z0-9_]{1,15})(?:\/(following|followers|verified_followers|followers_you_follow))?\/?$/.exec(path);
    if (!pageMatch || req.method !== 'GET')
      return sendHtml(
        res,
        404,
        '<!DOCTYPE html><html><head><title>Page not found / X</title></head><body>' +
          emptyState('Hmm...this page doesn\u2019t exist. Try searching for something else.', '') +
          '</body></html>',
      );
    counters.pages++;
    if (!loggedIn(req)) {
      counters.loginRedirects++;
      res.writeHead(302, {
        location: `/i/flow/login?redirect_after_login=${encodeURIComponent(path + url.search)}`,
        'cache-control': 'no-store',
      });
      return res.end();
    }
    const [, name, list] = pageMatch as unknown as [string, string, ListKind | undefined];
    if (name.toLowerCase() === 'home') return sendHtml(res, 200, shell({ page: 'home' }, 'Loading timeline'));
    if (RESERVED.has(name.toLowerCase())) return sendHtml(res, 404, '<!DOCTYPE html><title>Page not found / X</title>');
    if (list)
      return sendHtml(
        res,
        200,
        shell({ page: 'list', handle: name, list, op: LIST_OPERATION[list] }, `Loading ${LIST_TITLES[list][1]}`),
      );
    return sendHtml(res, 200, shell({ page: 'profile', handle: name }, 'Loading'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ code: 131, message: `Dependency: Internal error (${String(error)})` }] });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    cookies: () => Object.entries(cookieValues).map(([name, value]) => ({ name, value, url })),
    get counters() {
      return structuredClone(counters);
    },
    get graphqlLog() {
      return log;
    },
    resetCounters() {
      counters = freshCounters();
      log.length = 0;
    },
    setEra: (value) => void (era = value),
    setSlow: (value) => void (slowMs = value === true ? 1500 : value === false ? 0 : value),
    setStaleSchema: (value) => void (stale = value),
    setRateLimitAfter(n) {
      limitAfter = n;
      usedSinceLimit = 0;
      windowStart = Math.floor(Date.now() / 1000);
    },
    setRateLimitText: (value) => void (errorText = value),
    setPageSize(n) {
      if (!Number.isInteger(n) || n < 1) throw new Error('pageSize must be a positive integer');
      pageSize = n;
    },
    setQuirks: (value) => void (quirks = value),
    setListMethod: (value) => void (listMethod = value),
    setSessionValid: (value) => void (sessionValid = value),
    putAccount,
    setOperationNames: (names) => void (operationNames = names),
    setIncompleteProfiles(n) {
      incompleteProfiles = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The fake's login cookies as a session file holds them (what `tpot cookies import` writes for x.com). */
export function sessionCookiesOf(fake: FakeX): SessionCookie[] {
  return fake.cookies().map((c) => ({
    name: c.name,
    value: c.value,
    domain: 'x.com',
    path: '/',
    expires: -1,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
  }));
}
