/**
 * Tweet text with its entities: a builder that records hashtag, mention and URL `indices` in code
 * points of the unescaped text while `full_text` stays HTML-escaped
 * (docs/FORMATS.md, "Archives"), plus the shapes shared by the content
 * builders (`Identity`, `Json`).
 */
import type { Rng } from '../rng.js';
import { ALNUM, ENTITY_SNIPPETS, HASHTAGS, TEMPLATES, UNICODE_SNIPPETS, fill } from './names.js';

// Content shape.
const ENTITY_RATE = 0.15;
const UNICODE_RATE = 0.12;

const ENTITY_RE = /&(?:amp|lt|gt);/g;

/** Length in code points, the unit of Twitter's `indices`. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** Code points of the unescaped text: `indices` count `&amp;` as one character. */
const visibleLength = (s: string): number => codePointLength(s.includes('&') ? s.replace(ENTITY_RE, '&') : s);
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const tcoUrl = (rng: Rng): string => `https://t.co/${randomCode(rng, 10)}`;

export function randomCode(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(rng.next() * ALNUM.length)];
  return s;
}

export interface Identity {
  id: string;
  username: string;
  name: string;
}

/** A JSON object as written to archive.json; keys keep their insertion order. */
export type Json = Record<string, unknown>;

interface UrlEntity {
  url: string;
  expanded_url: string;
  display_url: string;
  indices: [number, number];
}

/** Builds a tweet text while recording entity positions in code points of the unescaped text. */
export class TextBuilder {
  private readonly parts: string[] = [];
  pos = 0;
  hasEntity = false;
  readonly hashtags: Array<{ text: string; indices: [number, number] }> = [];
  readonly mentions: Array<{ who: Identity; indices: [number, number] }> = [];
  readonly urls: UrlEntity[] = [];

  add(s: string): this {
    this.parts.push(s);
    this.pos += visibleLength(s);
    return this;
  }

  entitySnippet(s: string): this {
    this.hasEntity = true;
    return this.add(s);
  }

  /** Whether the text mentions this account already. */
  names(who: Identity): boolean {
    return this.mentions.some((m) => m.who.id === who.id);
  }

  mention(who: Identity): this {
    const start = this.pos;
    this.add(`@${who.username}`);
    this.mentions.push({ who, indices: [start, this.pos] });
    return this;
  }

  hashtag(tag: string): this {
    const start = this.pos;
    this.add(`#${tag}`);
    this.hashtags.push({ text: tag, indices: [start, this.pos] });
    return this;
  }

  /** Appends a t.co link standing for `expanded`; returns the short URL. */
  url(rng: Rng, expanded: string): string {
    const url = tcoUrl(rng);
    const start = this.pos;
    this.add(url);
    const bare = expanded.replace(/^https?:\/\//, '');
    this.urls.push({
      url,
      expanded_url: expanded,
      display_url: bare.length > 26 ? `${bare.slice(0, 26)}…` : bare,
      indices: [start, this.pos],
    });
    return url;
  }

  toString(): string {
    return this.parts.join('');
  }
}

interface BodyStyle {
  entities: boolean;
  unicode: boolean;
  hashtags: boolean;
  mention?: (rng: Rng) => Identity;
  /** Accounts the text tags (circle.ts), after the random one: "cc @a @b". */
  tags?: readonly Identity[];
}

/** One or two sentences with occasional hashtag, mentions, Unicode snippet or HTML entity. */
export function writeBody(rng: Rng, tb: TextBuilder, style: BodyStyle, templates: readonly string[] = TEMPLATES): void {
  tb.add(fill(rng.pick(templates), rng));
  if (rng.chance(0.35)) tb.add(`. ${fill(rng.pick(TEMPLATES), rng)}`);
  if (style.entities && rng.chance(ENTITY_RATE)) tb.add(' ').entitySnippet(fill(rng.pick(ENTITY_SNIPPETS), rng));
  if (style.unicode && rng.chance(UNICODE_RATE)) tb.add(` ${rng.pick(UNICODE_SNIPPETS)}`);
  const cc = [...(style.mention && rng.chance(0.08) ? [style.mention(rng)] : []), ...(style.tags ?? [])];
  cc.filter((who, k) => !tb.names(who) && cc.findIndex((w) => w.id === who.id) === k).forEach((who, k) =>
    tb.add(k === 0 ? ' cc ' : ' ').mention(who),
  );
  if (style.hashtags && rng.chance(0.1)) tb.add(' ').hashtag(rng.pick(HASHTAGS));
}
