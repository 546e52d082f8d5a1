/**
 * X's profile page as a browser holds it once rendered (docs/FORMATS.md, "Pages"), from a profile
 * description: the markup saved pages carry and the fake X will draw. With the traps the reference
 * lists: a stale JSON-LD block from a profile seen before, the signed-in viewer's own counter links
 * in the side navigation, "Who to follow" cells inside the posts region and in the sidebar.
 */

export interface FakeProfile {
  handle: string;
  id: string;
  name: string;
  bio?: string;
  location?: string;
  website?: { shown: string; expanded: string };
  createdAt?: string;
  followers: number;
  following: number;
  posts?: number;
  state?: 'active' | 'deleted' | 'suspended' | 'protected';
}

export interface ProfilePageOptions {
  /** Keep a JSON-LD block of a profile visited earlier, before the page's own. */
  staleSchemaFrom?: FakeProfile;
  /** Leave the page's own JSON-LD out (older saved pages, extensions). */
  withoutSchema?: boolean;
  /** Leave the counter links out (a browser extension hid them in the reference's saved page). */
  withoutCounters?: boolean;
  /** The followers link as before October 2025 (`/<h>/followers`). */
  oldFollowersHref?: boolean;
  /** The signed-in account, whose own links sit in the side navigation. */
  viewer?: { handle: string; followers: number; following: number };
}

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** X's counter text: exact with commas below 10,000, else one decimal at most, rounded down. */
export function formatCount(n: number): string {
  if (n < 10_000) return n.toLocaleString('en-US');
  const [scale, suffix] = n >= 1e9 ? [1e9, 'B'] : n >= 1e6 ? [1e6, 'M'] : [1e3, 'K'];
  const value = Math.floor((n / scale) * 10) / 10;
  return `${value.toFixed(1).replace(/\.0$/, '')}${suffix}`;
}

export function profileSchema(p: FakeProfile): string {
  const schema = {
    '@context': 'http://schema.org',
    '@type': 'ProfilePage',
    dateCreated: p.createdAt ?? '2011-03-14T09:26:53.000Z',
    mainEntity: {
      '@type': 'Person',
      additionalName: p.handle,
      description: p.bio ?? '',
      homeLocation: { '@type': 'Place', name: p.location ?? '' },
      identifier: p.id,
      image: { '@type': 'ImageObject', contentUrl: `https://pbs.twimg.com/profile_images/${p.id}/a_400x400.jpg` },
      interactionStatistic: [
        {
          '@type': 'InteractionCounter',
          interactionType: 'https://schema.org/FollowAction',
          name: 'Follows',
          userInteractionCount: p.followers,
        },
        {
          '@type': 'InteractionCounter',
          interactionType: 'https://schema.org/SubscribeAction',
          name: 'Friends',
          userInteractionCount: p.following,
        },
        {
          '@type': 'InteractionCounter',
          interactionType: 'https://schema.org/WriteAction',
          name: 'Tweets',
          userInteractionCount: p.posts ?? 0,
        },
      ],
      name: p.name,
      url: `https://x.com/${p.handle}`,
    },
    contentRating: '',
    relatedLink: p.website ? ['https://t.co/AbCdEf1234', p.website.expanded] : [],
  };
  const attributes = 'type="application/ld+json" data-rh="true" data-testid="UserProfileSchema-test"';
  return `<script ${attributes}>${JSON.stringify(schema)}</script>`;
}

function counter(href: string, count: number, label: string): string {
  return `<a href="${href}" role="link"><span><span>${formatCount(count)}</span></span> <span>${label}</span></a>`;
}

/** What a UserCell shows of an account (docs/FORMATS.md, "Pages"). */
export interface CellUser {
  handle: string;
  id: string;
  name: string;
  /** The bio line: a `div[dir=auto]` without testid. */
  bio?: string;
  /** "Follows you" beside the handle (list pages). */
  followsYou?: boolean;
  /** The viewer follows them: `<id>-unfollow`, "Following". */
  followed?: boolean;
}

/** The inside of one UserCell row, without its `cellInnerDiv` wrapper (the fake X positions it). */
export function userCellContent(u: CellUser): string {
  const button = u.followed
    ? `<button data-testid="${u.id}-unfollow" aria-label="Following @${u.handle}"><span>Following</span></button>`
    : `<button data-testid="${u.id}-follow" aria-label="Follow @${u.handle}"><span>Follow</span></button>`;
  const indicator = u.followsYou ? `<div data-testid="userFollowIndicator"><span>Follows you</span></div>` : '';
  const photo = `https://pbs.twimg.com/profile_images/${u.id}/b_x96.jpg`;
  const avatar = `<a href="/${u.handle}" aria-hidden="true" tabindex="-1"><img src="${photo}" alt=""></a>`;
  const bio = u.bio === undefined || u.bio === '' ? '' : `<div dir="auto"><span>${escape(u.bio)}</span></div>`;
  return `<div><div><button data-testid="UserCell" role="button" type="button">
<div data-testid="UserAvatar-Container-${u.handle}">${avatar}</div>
<a href="/${u.handle}" role="link"><div><div dir="ltr"><span><span>${escape(u.name)}</span></span></div></div></a>
<a href="/${u.handle}" role="link" tabindex="-1"><div dir="ltr"><span>@${u.handle}</span></div></a>${indicator}
<div style="min-width: 0px">${button}</div>
${bio}</button></div></div>`;
}

export function cellInnerDiv(content: string, translateY = 0): string {
  const style = `transform: translateY(${translateY}px); position: absolute; width: 100%`;
  return `<div data-testid="cellInnerDiv" style="${style}">${content}</div>`;
}

function userCell(handle: string, id: string, name: string): string {
  return cellInnerDiv(userCellContent({ handle, id, name, bio: 'recommended account' }));
}

export function emptyState(header: string, body: string): string {
  return (
    '<div data-testid="emptyState">' +
    `<div data-testid="empty_state_header_text"><span>${header}</span></div>` +
    `<div data-testid="empty_state_body_text"><span>${body}</span></div>` +
    '</div>'
  );
}

const EMPTY_STATES: Record<string, [string, string]> = {
  deleted: ['This account doesn\u2019t exist', 'Try searching for another.'],
  suspended: ['Account suspended', 'X suspends accounts which violate the X Rules'],
};

/** `<head>` content: the title and the JSON-LD blocks (a stale one first, as in S1). */
export function profileHead(p: FakeProfile, options: ProfilePageOptions = {}): string {
  const state = p.state ?? 'active';
  return [
    `<title>${escape(p.name)} (@${p.handle}) / X</title>`,
    options.staleSchemaFrom ? profileSchema(options.staleSchemaFrom) : '',
    options.withoutSchema || state === 'deleted' || state === 'suspended' ? '' : profileSchema(p),
  ].join('\n');
}

/** The left navigation of every logged-in page: the account switcher, the viewer's own links. */
export function sideNav(viewer?: ProfilePageOptions['viewer']): string {
  return `<header role="banner"><nav><a href="/home" data-testid="AppTabBar_Home_Link">Home</a>${
    viewer
      ? `<a href="/${viewer.handle}" data-testid="AppTabBar_Profile_Link">Profile</a>` +
        counter(`/${viewer.handle}/following`, viewer.following, 'Following') +
        counter(`/${viewer.handle}/verified_followers`, viewer.followers, 'Followers')
      : ''
  }<button data-testid="SideNav_AccountSwitcher_Button">${viewer ? `@${viewer.handle}` : ''}</button></nav></header>`;
}

/** The profile's part of `div[data-testid=primaryColumn]`, by account state. */
export function profileColumn(p: FakeProfile, options: ProfilePageOptions = {}): string {
  const state = p.state ?? 'active';
  if (state === 'deleted' || state === 'suspended') {
    const [header, body] = EMPTY_STATES[state]!;
    return emptyState(header, body);
  }
  const followersHref = `/${p.handle}/${options.oldFollowersHref ? 'followers' : 'verified_followers'}`;
  const lock =
    state === 'protected' ? '<svg data-testid="icon-lock" aria-label="Protected account" role="img"></svg>' : '';
  const photo = `https://pbs.twimg.com/profile_images/${p.id}/a_400x400.jpg`;
  const location = p.location
    ? '<span data-testid="UserLocation" role="presentation">' +
      `<svg></svg><span><span>${escape(p.location)}</span></span></span>`
    : '';
  const website = p.website
    ? '<a data-testid="UserUrl" href="https://t.co/AbCdEf1234" target="_blank" rel="noopener noreferrer nofollow">' +
      `<svg></svg><span>${escape(p.website.shown)}</span></a>`
    : '';
  const posts = `${escape(p.name)}\u2019s posts`;
  return [
    `<div data-testid="UserAvatar-Container-${p.handle}">` +
      `<a href="/${p.handle}/photo"><img src="${photo}" alt="Opens profile photo"></a></div>`,
    `<div data-testid="placementTracking"><button data-testid="${p.id}-follow"><span>Follow</span></button></div>`,
    `<div data-testid="UserName"><div><div dir="ltr"><span><span>${escape(p.name)}</span></span></div>${lock}</div>` +
      `<div><div tabindex="-1"><div dir="ltr"><span>@${p.handle}</span></div></div></div></div>`,
    p.bio ? `<div data-testid="UserDescription" dir="auto"><span>${escape(p.bio)}</span></div>` : '',
    `<div data-testid="UserProfileHeader_Items">${location}${website}` +
      '<span data-testid="UserJoinDate"><svg></svg><span>Joined March 2011</span></span></div>',
    options.withoutCounters
      ? ''
      : `<div>${counter(`/${p.handle}/following`, p.following, 'Following')}` +
        `${counter(followersHref, p.followers, 'Followers')}</div>`,
    state === 'protected'
      ? emptyState(
          'These posts are protected',
          `Only approved followers can see @${p.handle}\u2019s posts. To request access, click Follow. `,
        )
      : `<section role="region" aria-labelledby="accessible-list-1"><h1 role="heading">${posts}</h1>` +
        `<div aria-label="Timeline: ${posts}">` +
        '<div data-testid="cellInnerDiv"><h2 role="heading">Who to follow</h2></div>' +
        userCell('recommended_one', '1900000000000000911', 'Recommended One') +
        userCell('recommended_two', '1900000000000000912', 'Recommended Two') +
        '</div></section>',
  ].join('\n');
}

/** The right sidebar: "Who to follow" cells and a counter link that belong to someone else. */
export function sidebar(): string {
  return (
    '<aside aria-label="Who to follow">' +
    userCell('sidebar_pick', '1900000000000000913', 'Sidebar Pick') +
    counter('/sidebar_pick/following', 5, 'Following') +
    '</aside>'
  );
}

export function renderProfilePage(p: FakeProfile, options: ProfilePageOptions = {}): string {
  return (
    `<!DOCTYPE html><html dir="ltr" lang="en"><head><meta charset="utf-8">${profileHead(p, options)}</head>` +
    `<body><div id="react-root"><div>${sideNav(options.viewer)}<main role="main">` +
    `<div data-testid="primaryColumn">${profileColumn(p, options)}</div>${sidebar()}</main></div></div></body></html>`
  );
}
