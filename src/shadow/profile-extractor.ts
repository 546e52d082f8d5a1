/**
 * Reading one profile from a page's HTML (docs/FORMATS.md, "Pages"): a pure
 * function, used on the live page by the enricher and on saved pages by
 * `tpot verify profile-counters`.
 *
 * - The JSON-LD profile schema is taken only when it describes the page's own handle: a saved
 *   page can hold a stale one from a profile visited before in the same session.
 * - Counters come from the JSON-LD (exact) or, failing that, from the counter links inside the
 *   primary column whose path starts with the page's handle — never from the signed-in viewer's
 *   own links elsewhere on the page.
 * - Deleted, suspended and protected accounts are told by their empty-state texts and the lock
 *   icon, with X's U+2019 apostrophes normalised.
 */
import { parse, type HTMLElement } from 'node-html-parser';
import { isValidUsername } from '../usernames.js';
import { parseCount, type ParsedCount } from './counts.js';

export type AccountState = 'active' | 'deleted' | 'suspended' | 'protected';

export interface Counter extends ParsedCount {
  source: 'json-ld' | 'dom';
}

export interface ExtractedProfile {
  handle: string | null;
  accountId: string | null;
  displayName: string | null;
  bio: string | null;
  location: string | null;
  /** The expanded website (JSON-LD), else the displayed one. */
  website: string | null;
  /** Account creation, ISO, from the JSON-LD. */
  createdAt: string | null;
  avatarUrl: string | null;
  followers: Counter | null;
  following: Counter | null;
  posts: Counter | null;
  state: AccountState;
  /** Whether a JSON-LD block of another profile was present and ignored. */
  staleSchemaIgnored: boolean;
}

const apostrophes = (text: string) => text.replace(/[\u2018\u2019]/g, "'");

interface ProfileSchema {
  dateCreated?: string;
  mainEntity?: {
    additionalName?: string;
    name?: string;
    identifier?: string;
    description?: string;
    url?: string;
    homeLocation?: { name?: string };
    image?: { contentUrl?: string };
    interactionStatistic?: { name?: string; userInteractionCount?: number }[];
  };
  relatedLink?: string[];
}

function schemas(root: HTMLElement): ProfileSchema[] {
  const out: ProfileSchema[] = [];
  for (const script of root.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const parsed = JSON.parse(script.text) as ProfileSchema;
      if (parsed?.mainEntity) out.push(parsed);
    } catch {
      // Not ours, or broken: other sources remain.
    }
  }
  return out;
}

function schemaHandle(schema: ProfileSchema): string | null {
  const entity = schema.mainEntity ?? {};
  return entity.additionalName ?? entity.url?.split('/').pop() ?? null;
}

/** The page's own handle: given, else from the title "(@handle)", else the UserName block's "@handle". */
function pageHandle(root: HTMLElement, given: string | undefined): string | null {
  if (given) return given.replace(/^@/, '');
  const title = /\(@([A-Za-z0-9_]{1,15})\)/.exec(root.querySelector('title')?.text ?? '')?.[1];
  if (title) return title;
  const column = root.querySelector('[data-testid="primaryColumn"]');
  const at = column
    ?.querySelectorAll('[data-testid="UserName"] span')
    .map((span) => span.text.trim())
    .find((text) => /^@[A-Za-z0-9_]{1,15}$/.test(text));
  return at ? at.slice(1) : null;
}

/** Text with emoji images as their alt text (innerText would drop them). */
function textWithEmoji(element: HTMLElement | null | undefined): string | null {
  if (!element) return null;
  const clone = parse(element.toString());
  for (const image of clone.querySelectorAll('img[alt]')) image.replaceWith(image.getAttribute('alt') ?? '');
  const text = clone.text.replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

function domCounter(column: HTMLElement | null, handle: string, paths: string[]): Counter | null {
  if (!column) return null;
  for (const anchor of column.querySelectorAll('a[href]')) {
    const href = (anchor.getAttribute('href') ?? '').toLowerCase();
    if (!paths.some((path) => href === `/${handle.toLowerCase()}/${path}`)) continue;
    const parsed = parseCount(
      anchor
        .querySelectorAll('span')
        .map((span) => span.text.trim())
        .find((text) => parseCount(text) !== null) ?? anchor.text,
    );
    if (parsed) return { ...parsed, source: 'dom' };
  }
  return null;
}

function stateOf(root: HTMLElement, column: HTMLElement | null): AccountState {
  const header = apostrophes(root.querySelector('[data-testid="empty_state_header_text"]')?.text ?? '');
  if (/This account doesn't exist/i.test(header)) return 'deleted';
  if (/Account suspended/i.test(header)) return 'suspended';
  if (
    /These posts are protected/i.test(header) ||
    column?.querySelector('[data-testid="UserName"] svg[data-testid="icon-lock"]')
  )
    return 'protected';
  return 'active';
}

export function extractProfile(html: string, options: { handle?: string } = {}): ExtractedProfile {
  const root = parse(html);
  const column = root.querySelector('[data-testid="primaryColumn"]');
  const handle = pageHandle(root, options.handle);
  const all = schemas(root);
  const own = handle ? all.find((s) => schemaHandle(s)?.toLowerCase() === handle.toLowerCase()) : undefined;
  const entity = own?.mainEntity;
  const statistic = (name: string): Counter | null => {
    const value = entity?.interactionStatistic?.find((s) => s.name === name)?.userInteractionCount;
    return typeof value === 'number' ? { value, exact: true, source: 'json-ld' } : null;
  };
  const userName = column?.querySelector('[data-testid="UserName"]');
  const followButton = column
    ?.querySelectorAll('[data-testid]')
    .map((e) => e.getAttribute('data-testid') ?? '')
    .find((id) => /^\d+-(un)?follow$/.test(id));
  const avatar = handle ? column?.querySelector(`[data-testid="UserAvatar-Container-${handle}"] img`) : null;
  return {
    handle: handle && isValidUsername(handle) ? handle : null,
    accountId: entity?.identifier ?? followButton?.split('-')[0] ?? null,
    displayName: entity?.name ?? textWithEmoji(userName?.querySelector('div[dir="ltr"] span')),
    bio: entity?.description || textWithEmoji(column?.querySelector('[data-testid="UserDescription"]')),
    location: entity?.homeLocation?.name || textWithEmoji(column?.querySelector('[data-testid="UserLocation"]')),
    website: own?.relatedLink?.[1] ?? textWithEmoji(column?.querySelector('[data-testid="UserUrl"]')),
    createdAt: own?.dateCreated ?? null,
    avatarUrl: entity?.image?.contentUrl ?? avatar?.getAttribute('src') ?? null,
    followers:
      statistic('Follows') ?? (handle ? domCounter(column, handle, ['verified_followers', 'followers']) : null),
    following: statistic('Friends') ?? (handle ? domCounter(column, handle, ['following']) : null),
    posts: statistic('Tweets'),
    state: stateOf(root, column),
    staleSchemaIgnored: all.some((s) => s !== own),
  };
}
