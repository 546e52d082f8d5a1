/**
 * The only SQL for curation (docs/DATA-MODEL.md, "Communities"): the named communities, their seed
 * accounts, notes and tags on accounts, the history of every change and the saved versions.
 *
 * - Every write runs in one transaction and adds a `curation_history` row whose detail holds the
 *   values before and after, so nothing is lost silently (a removed community's row and seeds are
 *   in its history row).
 * - Bad input is a usage error naming the offending value, thrown before anything changes; a write
 *   of many accounts (seeds, an import) is all or nothing.
 * - Restore and import first save the current state as a version (unless the newest version already
 *   holds it), so either can be undone with `restore`.
 */
import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { NotFoundError, UsageError } from '../errors.js';
import { nowUtc } from '../time.js';
import {
  COLOR_PATTERN,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  SHORT_NAME_PATTERN,
  TAG_PATTERN,
  VERSION_NAME_PATTERN,
} from '../communities/curation-limits.js';

export interface Community {
  id: number;
  short: string;
  name: string;
  /** `#rrggbb`, lower case. */
  color: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface CommunitySummary extends Community {
  seedCount: number;
}

export interface Seed {
  accountId: string;
  communityId: number;
  addedBy: string;
  addedAt: string;
  note: string | null;
}

export interface AccountNote {
  accountId: string;
  note: string;
  updatedAt: string;
}

export interface AccountTag {
  accountId: string;
  tag: string;
  addedAt: string;
}

/** The whole curation state: what a version stores (`curation_version.content`), each list in key order. */
export interface CurationState {
  communities: Community[];
  seeds: Seed[];
  notes: AccountNote[];
  tags: AccountTag[];
}

export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  communityId: number | null;
  accountId: string | null;
  /** The JSON detail, parsed: before/after values. */
  detail: unknown;
}

export interface VersionSummary {
  name: string;
  createdAt: string;
  actor: string;
  note: string | null;
  communityCount: number;
  seedCount: number;
  contentHash: string;
  /** Its content equals the current state (communities, seeds, notes and tags; timestamps aside). */
  current: boolean;
}

export interface CommunityRef {
  id: number;
  short: string;
}

export interface FieldChange {
  field: 'short' | 'name' | 'color' | 'description';
  before: string;
  after: string;
}

export interface CurationDiff {
  from: string;
  to: string;
  communities: {
    added: Community[];
    removed: Community[];
    changed: { id: number; short: string; changes: FieldChange[] }[];
  };
  seeds: {
    added: { accountId: string; community: CommunityRef }[];
    removed: { accountId: string; community: CommunityRef }[];
    moved: { accountId: string; from: CommunityRef; to: CommunityRef }[];
  };
}

/** Which version holds the state as it was before a restore or an import. */
export interface AutoSave {
  /** The version's name. */
  savedAs: string;
  /** False when the newest version already held the state, so nothing new was saved. */
  newlySaved: boolean;
}

export interface RestoreResult extends AutoSave {
  restored: string;
}

/** One community of an import, its seeds already resolved to account ids. */
export interface ImportEntry {
  short: string;
  name: string;
  color?: string;
  description?: string;
  seedIds: string[];
}

export interface ImportResult extends AutoSave {
  created: number;
  /** Communities in the file whose fields or seeds changed. */
  updated: number;
  seedsAdded: number;
  seedsRemoved: number;
  /** Seeds that moved from one listed community to another. */
  seedsMoved: number;
}

/**
 * Default colours, given in order to communities created without one: distinguishable on the
 * explorer's dark and light backgrounds (perceived brightness 0.25–0.85; the Tableau 10 palette and
 * six more).
 */
export const COMMUNITY_PALETTE: readonly string[] = Object.freeze([
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#17becf',
  '#bcbd22',
  '#9467bd',
  '#8cd17d',
  '#a0cbe8',
  '#d37295',
]);

const COMMUNITY_COLUMNS = `community_id AS id, short_name AS short, name, color, description,
  created_at AS createdAt, updated_at AS updatedAt`;
const SEED_COLUMNS =
  'account_id AS accountId, community_id AS communityId, added_by AS addedBy, added_at AS addedAt, note';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * sha256 of the communities and seeds in a canonical form: key order, timestamps and `added_by`
 * left out, so two states with the same communities and seeds hash alike however they came about.
 */
export function contentHash(state: Pick<CurationState, 'communities' | 'seeds'>): string {
  return sha256(JSON.stringify(canonicalCore(state)));
}

function canonicalCore(state: Pick<CurationState, 'communities' | 'seeds'>): unknown {
  return {
    communities: [...state.communities].sort(byId).map((c) => [c.id, c.short, c.name, c.color, c.description]),
    seeds: [...state.seeds]
      .sort((a, b) => byText(a.accountId, b.accountId))
      .map((s) => [s.accountId, s.communityId, s.note]),
  };
}

/** Equality of two states as a version compares them: everything but timestamps and actors. */
function stateKey(state: CurationState): string {
  return sha256(
    JSON.stringify({
      core: canonicalCore(state),
      notes: [...state.notes].sort((a, b) => byText(a.accountId, b.accountId)).map((n) => [n.accountId, n.note]),
      tags: [...state.tags]
        .map((t) => `${t.accountId}\u0000${t.tag}`)
        .sort(byText)
        .map((key) => key.split('\u0000')),
    }),
  );
}

/** `2026-12-07 08:02:35` → `20261207T080235`, for version names that sort by time. */
function versionStamp(utc: string): string {
  return utc.replace(/[-:]/g, '').replace(' ', 'T');
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** Whole-string checks of user input; each throws a usage error naming the value. */
export function checkShortName(raw: string): string {
  const short = raw.trim();
  if (!SHORT_NAME_PATTERN.test(short))
    throw new UsageError(
      `Invalid short name ${quote(raw)}: a short name is a letter then up to 31 letters, digits, '_' or '-'.`,
    );
  return short;
}

export function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > MAX_NAME_LENGTH)
    throw new UsageError(`Invalid community name ${quote(raw)}: a name is 1–${MAX_NAME_LENGTH} characters.`);
  return name;
}

export function checkColor(raw: string): string {
  const color = raw.trim().toLowerCase();
  if (!COLOR_PATTERN.test(color))
    throw new UsageError(`Invalid colour ${quote(raw)}: a colour is #rrggbb, six hex digits (e.g. #4e79a7).`);
  return color;
}

export function checkDescription(raw: string): string {
  const text = raw.trim();
  if (text.length > MAX_DESCRIPTION_LENGTH)
    throw new UsageError(
      `Description too long (${text.length} characters): a description is at most ${MAX_DESCRIPTION_LENGTH}.`,
    );
  return text;
}

export function checkTag(raw: string): string {
  const tag = raw.trim().toLowerCase();
  if (!TAG_PATTERN.test(tag))
    throw new UsageError(
      `Invalid tag ${quote(raw)}: a tag is a letter or digit then up to 31 letters, digits, '_' or '-'.`,
    );
  return tag;
}

export function checkVersionName(raw: string): string {
  const name = raw.trim();
  if (!VERSION_NAME_PATTERN.test(name))
    throw new UsageError(
      `Invalid version name ${quote(raw)}: a version name is a letter or digit then up to 63 letters, digits, ` +
        "'.', '_' or '-'.",
    );
  return name;
}

function checkAccountIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of ids) {
    const id = raw.trim();
    if (id === '' || /\s/.test(id)) throw new UsageError(`Invalid account id ${quote(raw)}.`);
    if (!seen.has(id)) out.push(id);
    seen.add(id);
  }
  if (out.length === 0) throw new UsageError('No accounts given.');
  return out;
}

function checkAccountId(raw: string): string {
  return checkAccountIds([raw])[0]!;
}

export class CommunityStore {
  constructor(
    private readonly db: Db,
    private readonly actor = 'cli',
  ) {}

  // ---- communities -------------------------------------------------------------------------

  /** Every community with its seed count, by name. */
  list(): CommunitySummary[] {
    return this.db
      .prepare(
        `SELECT ${COMMUNITY_COLUMNS},
           (SELECT COUNT(*) FROM community_seed s WHERE s.community_id = c.community_id) AS seedCount
         FROM community c ORDER BY name COLLATE NOCASE, community_id`,
      )
      .all() as CommunitySummary[];
  }

  /** A community by short name, name (both case-insensitive) or `#<id>`. */
  get(ref: string): Community {
    const found = this.find(ref);
    if (found) return found;
    const shorts = this.db.prepare('SELECT short_name FROM community ORDER BY short_name').pluck().all() as string[];
    throw new NotFoundError(
      `Unknown community ${quote(ref)}. ` +
        (shorts.length ? `Known communities: ${shorts.join(', ')}.` : 'There are no communities yet.'),
      { hint: shorts.length ? undefined : 'Add one with `tpot communities add`.' },
    );
  }

  private find(ref: string): Community | null {
    const text = ref.trim();
    const id = /^#(\d{1,15})$/.exec(text);
    if (id) return this.byId(Number(id[1]));
    const row =
      this.db.prepare(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE short_name = ?`).get(text) ??
      this.db.prepare(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE name = ?`).get(text);
    return (row as Community | undefined) ?? null;
  }

  private byId(id: number): Community | null {
    return (
      (this.db.prepare(`SELECT ${COMMUNITY_COLUMNS} FROM community WHERE community_id = ?`).get(id) as
        Community | undefined) ?? null
    );
  }

  private checkUnique(short: string | null, name: string | null, exceptId: number | null): void {
    if (short !== null) {
      const other = this.db
        .prepare('SELECT community_id, name FROM community WHERE short_name = ? AND community_id IS NOT ?')
        .get(short, exceptId) as { community_id: number; name: string } | undefined;
      if (other) throw new UsageError(`The short name ${quote(short)} is taken by the community ${quote(other.name)}.`);
    }
    if (name !== null) {
      const other = this.db
        .prepare('SELECT short_name FROM community WHERE name = ? AND community_id IS NOT ?')
        .pluck()
        .get(name, exceptId) as string | undefined;
      if (other) throw new UsageError(`The name ${quote(name)} is taken by the community ${other}.`);
    }
  }

  /** The first palette colour no community uses (the palette wraps round when all are taken). */
  private nextColor(taken: Iterable<string> = []): string {
    const used = new Set(this.db.prepare('SELECT color FROM community').pluck().all() as string[]);
    for (const color of taken) used.add(color);
    return COMMUNITY_PALETTE.find((c) => !used.has(c)) ?? COMMUNITY_PALETTE[used.size % COMMUNITY_PALETTE.length]!;
  }

  add(input: { short: string; name: string; color?: string; description?: string }): Community {
    const short = checkShortName(input.short);
    const name = checkName(input.name);
    const color = input.color === undefined ? null : checkColor(input.color);
    const description = input.description === undefined ? '' : checkDescription(input.description);
    return this.write(() => {
      this.checkUnique(short, name, null);
      const community = this.insertCommunity({ short, name, color: color ?? this.nextColor(), description });
      this.record('community.add', community.id, null, { after: community });
      return community;
    });
  }

  private insertCommunity(c: { id?: number; short: string; name: string; color: string; description: string }) {
    const at = nowUtc();
    const id = this.db
      .prepare(
        `INSERT INTO community (community_id, short_name, name, color, description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id ?? null, c.short, c.name, c.color, c.description, at, at).lastInsertRowid;
    return this.byId(Number(id))!;
  }

  rename(ref: string, to: { name?: string; short?: string }): Community {
    const name = to.name === undefined ? null : checkName(to.name);
    const short = to.short === undefined ? null : checkShortName(to.short);
    if (name === null && short === null) throw new UsageError('Rename needs a new name or a new short name.');
    return this.write(() => {
      const before = this.get(ref);
      this.checkUnique(short, name, before.id);
      return this.update(before, 'community.rename', { short: short ?? before.short, name: name ?? before.name });
    });
  }

  recolor(ref: string, color: string): Community {
    const checked = checkColor(color);
    return this.write(() => this.update(this.get(ref), 'community.recolor', { color: checked }));
  }

  describe(ref: string, text: string): Community {
    const description = checkDescription(text);
    return this.write(() => this.update(this.get(ref), 'community.describe', { description }));
  }

  /** Writes changed fields and their history row; unchanged values write nothing. */
  private update(
    before: Community,
    action: string,
    fields: Partial<Pick<Community, 'short' | 'name' | 'color' | 'description'>>,
  ): Community {
    const after = { ...before, ...fields };
    if (
      after.short === before.short &&
      after.name === before.name &&
      after.color === before.color &&
      after.description === before.description
    )
      return before;
    this.db
      .prepare(
        `UPDATE community SET short_name = ?, name = ?, color = ?, description = ?, updated_at = ?
         WHERE community_id = ?`,
      )
      .run(after.short, after.name, after.color, after.description, nowUtc(), before.id);
    const stored = this.byId(before.id)!;
    this.record(action, before.id, null, { before, after: stored });
    return stored;
  }

  /** Removes a community and its seeds; its history row keeps both. */
  remove(ref: string): { community: Community; seeds: Seed[] } {
    return this.write(() => {
      const community = this.get(ref);
      const seeds = this.seeds(`#${community.id}`);
      this.db.prepare('DELETE FROM community WHERE community_id = ?').run(community.id);
      this.record('community.remove', community.id, null, { before: { community, seeds } });
      return { community, seeds };
    });
  }

  // ---- seeds -------------------------------------------------------------------------------

  /** The seeds of one community, or of all, by community id then account id. */
  seeds(ref?: string): Seed[] {
    if (ref === undefined)
      return this.db
        .prepare(`SELECT ${SEED_COLUMNS} FROM community_seed ORDER BY community_id, account_id`)
        .all() as Seed[];
    const community = this.get(ref);
    return this.db
      .prepare(`SELECT ${SEED_COLUMNS} FROM community_seed WHERE community_id = ? ORDER BY account_id`)
      .all(community.id) as Seed[];
  }

  /** The seed row of an account and its community, or null when it seeds none. */
  seedOf(accountId: string): { seed: Seed; community: Community } | null {
    const seed = this.db
      .prepare(`SELECT ${SEED_COLUMNS} FROM community_seed WHERE account_id = ?`)
      .get(accountId.trim()) as Seed | undefined;
    return seed ? { seed, community: this.byId(seed.communityId)! } : null;
  }

  /**
   * Makes the accounts seeds of a community, all or none: an account that seeds another community is
   * an error naming both; one that already seeds this one is skipped.
   */
  addSeeds(ref: string, accountIds: readonly string[], options: { note?: string } = {}) {
    const ids = checkAccountIds(accountIds);
    const note = options.note === undefined ? null : this.checkNote(options.note);
    return this.write(() => {
      const community = this.get(ref);
      const added: string[] = [];
      const skipped: string[] = [];
      const current = this.seedMap(ids);
      for (const id of ids) {
        const seed = current.get(id);
        if (!seed) added.push(id);
        else if (seed.communityId === community.id) skipped.push(id);
        else
          throw new UsageError(
            `Account ${id} is already a seed of ${this.byId(seed.communityId)!.short}; ` +
              `remove it there before adding it to ${community.short}.`,
          );
      }
      const insert = this.db.prepare(
        'INSERT INTO community_seed (account_id, community_id, added_by, added_at, note) VALUES (?, ?, ?, ?, ?)',
      );
      const at = nowUtc();
      for (const id of added) {
        insert.run(id, community.id, this.actor, at, note);
        this.record('seed.add', community.id, id, { after: { community: community.short, note } });
      }
      return { community, added, skipped };
    });
  }

  /** Removes seeds of a community, all or none: an account that is not its seed is an error naming it. */
  removeSeeds(ref: string, accountIds: readonly string[]): { community: Community; removed: Seed[] } {
    const ids = checkAccountIds(accountIds);
    return this.write(() => {
      const community = this.get(ref);
      const current = this.seedMap(ids);
      const removed: Seed[] = [];
      for (const id of ids) {
        const seed = current.get(id);
        if (!seed || seed.communityId !== community.id)
          throw new UsageError(
            `Account ${id} is not a seed of ${community.short}` +
              (seed ? ` (it seeds ${this.byId(seed.communityId)!.short}).` : '.'),
          );
        removed.push(seed);
      }
      const remove = this.db.prepare('DELETE FROM community_seed WHERE account_id = ?');
      for (const seed of removed) {
        remove.run(seed.accountId);
        this.record('seed.remove', community.id, seed.accountId, { before: { community: community.short, ...seed } });
      }
      return { community, removed };
    });
  }

  private seedMap(ids: readonly string[]): Map<string, Seed> {
    const rows = this.db
      .prepare(`SELECT ${SEED_COLUMNS} FROM community_seed WHERE account_id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as Seed[];
    return new Map(rows.map((s) => [s.accountId, s]));
  }

  // ---- notes and tags ----------------------------------------------------------------------

  private checkNote(raw: string): string {
    const note = raw.trim();
    if (note.length > MAX_NOTE_LENGTH)
      throw new UsageError(`Note too long (${note.length} characters): a note is at most ${MAX_NOTE_LENGTH}.`);
    return note;
  }

  /** Sets an account's note; null or an empty note removes it. */
  setNote(accountId: string, note: string | null): AccountNote | null {
    const id = checkAccountId(accountId);
    const text = note === null ? '' : this.checkNote(note);
    return this.write(() => {
      const before = this.note(id);
      if ((before?.note ?? '') === text) return before;
      if (text === '') this.db.prepare('DELETE FROM account_note WHERE account_id = ?').run(id);
      else
        this.db
          .prepare(
            `INSERT INTO account_note (account_id, note, updated_at) VALUES (?, ?, ?)
             ON CONFLICT(account_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`,
          )
          .run(id, text, nowUtc());
      const after = this.note(id);
      this.record('note.set', null, id, { before: before?.note ?? null, after: after?.note ?? null });
      return after;
    });
  }

  note(accountId: string): AccountNote | null {
    return (
      (this.db
        .prepare('SELECT account_id AS accountId, note, updated_at AS updatedAt FROM account_note WHERE account_id = ?')
        .get(accountId.trim()) as AccountNote | undefined) ?? null
    );
  }

  tags(accountId: string): string[] {
    return this.db
      .prepare('SELECT tag FROM account_tag WHERE account_id = ? ORDER BY tag')
      .pluck()
      .all(accountId.trim()) as string[];
  }

  /** Adds tags (lower-cased); tags the account already has are skipped. */
  addTags(accountId: string, tags: readonly string[]): { added: string[]; skipped: string[] } {
    const id = checkAccountId(accountId);
    const wanted = [...new Set(tags.map(checkTag))];
    if (wanted.length === 0) throw new UsageError('No tags given.');
    return this.write(() => {
      const have = new Set(this.tags(id));
      const added = wanted.filter((t) => !have.has(t));
      const insert = this.db.prepare('INSERT INTO account_tag (account_id, tag, added_at) VALUES (?, ?, ?)');
      const at = nowUtc();
      for (const tag of added) insert.run(id, tag, at);
      if (added.length) this.record('tag.add', null, id, { before: [...have], after: this.tags(id) });
      return { added, skipped: wanted.filter((t) => have.has(t)) };
    });
  }

  /** Removes tags, all or none: a tag the account does not have is an error naming it. */
  removeTags(accountId: string, tags: readonly string[]): { removed: string[] } {
    const id = checkAccountId(accountId);
    const unwanted = [...new Set(tags.map(checkTag))];
    if (unwanted.length === 0) throw new UsageError('No tags given.');
    return this.write(() => {
      const have = this.tags(id);
      const missing = unwanted.find((t) => !have.includes(t));
      if (missing !== undefined) throw new UsageError(`Account ${id} has no tag ${quote(missing)}.`);
      const remove = this.db.prepare('DELETE FROM account_tag WHERE account_id = ? AND tag = ?');
      for (const tag of unwanted) remove.run(id, tag);
      this.record('tag.remove', null, id, { before: have, after: this.tags(id) });
      return { removed: unwanted };
    });
  }

  // ---- history -----------------------------------------------------------------------------

  /** The newest history rows first; optionally of one community or one account. */
  history(options: { limit: number; communityId?: number; accountId?: string }): HistoryEntry[] {
    const rows = this.db
      .prepare(
        `SELECT history_id AS id, at, actor, action, community_id AS communityId, account_id AS accountId, detail
         FROM curation_history
         WHERE (@communityId IS NULL OR community_id = @communityId) AND (@accountId IS NULL OR account_id = @accountId)
         ORDER BY history_id DESC LIMIT @limit`,
      )
      .all({
        limit: Math.max(0, Math.floor(options.limit)),
        communityId: options.communityId ?? null,
        accountId: options.accountId ?? null,
      }) as (Omit<HistoryEntry, 'detail'> & { detail: string | null })[];
    return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
  }

  private record(action: string, communityId: number | null, accountId: string | null, detail: unknown): void {
    this.db
      .prepare(
        `INSERT INTO curation_history (at, actor, action, community_id, account_id, detail)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(nowUtc(), this.actor, action, communityId, accountId, detail === undefined ? null : JSON.stringify(detail));
  }

  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- versions ----------------------------------------------------------------------------

  /** The whole curation state, each list in key order. */
  currentState(): CurationState {
    return {
      communities: this.db
        .prepare(`SELECT ${COMMUNITY_COLUMNS} FROM community ORDER BY community_id`)
        .all() as Community[],
      seeds: this.db.prepare(`SELECT ${SEED_COLUMNS} FROM community_seed ORDER BY account_id`).all() as Seed[],
      notes: this.db
        .prepare('SELECT account_id AS accountId, note, updated_at AS updatedAt FROM account_note ORDER BY account_id')
        .all() as AccountNote[],
      tags: this.db
        .prepare('SELECT account_id AS accountId, tag, added_at AS addedAt FROM account_tag ORDER BY account_id, tag')
        .all() as AccountTag[],
    };
  }

  saveVersion(name: string, note?: string): VersionSummary {
    const checked = checkVersionName(name);
    const text = note === undefined ? null : this.checkNote(note) || null;
    return this.write(() => {
      if (this.db.prepare('SELECT 1 FROM curation_version WHERE name = ?').get(checked))
        throw new UsageError(`A version named ${quote(checked)} already exists; choose another name.`);
      this.insertVersion(checked, text, this.currentState());
      return this.listVersions().find((v) => v.name === checked)!;
    });
  }

  private insertVersion(name: string, note: string | null, state: CurationState): void {
    const hash = contentHash(state);
    this.db
      .prepare(
        `INSERT INTO curation_version (name, created_at, actor, note, content, content_hash) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(name, nowUtc(), this.actor, note, JSON.stringify(state), hash);
    this.record('version.save', null, null, {
      name,
      note,
      contentHash: hash,
      communities: state.communities.length,
      seeds: state.seeds.length,
    });
  }

  /** Every saved version, oldest first. */
  listVersions(): VersionSummary[] {
    const rows = this.db
      .prepare(
        `SELECT name, created_at AS createdAt, actor, note, content, content_hash AS contentHash
         FROM curation_version ORDER BY version_id`,
      )
      .all() as (Omit<VersionSummary, 'communityCount' | 'seedCount' | 'current'> & { content: string })[];
    const now = stateKey(this.currentState());
    return rows.map(({ content, ...row }) => {
      const state = JSON.parse(content) as CurationState;
      return {
        ...row,
        communityCount: state.communities.length,
        seedCount: state.seeds.length,
        current: stateKey(state) === now,
      };
    });
  }

  private version(name: string): CurationState {
    const content = this.db.prepare('SELECT content FROM curation_version WHERE name = ?').pluck().get(name.trim()) as
      string | undefined;
    if (content === undefined) {
      const names = this.db
        .prepare('SELECT name FROM curation_version ORDER BY version_id DESC LIMIT 10')
        .pluck()
        .all() as string[];
      throw new NotFoundError(
        `Unknown version ${quote(name)}. ` +
          (names.length ? `Newest versions: ${names.join(', ')}.` : 'No version has been saved yet.'),
      );
    }
    return JSON.parse(content) as CurationState;
  }

  /** What changed from one version to another, or to the current state when `to` is not given. */
  diff(from: string, to?: string): CurationDiff {
    return diffStates(this.version(from), to === undefined ? this.currentState() : this.version(to), {
      from: from.trim(),
      to: to?.trim() ?? 'current',
    });
  }

  /**
   * Saves the current state as `auto-before-<what>-<stamp>` unless the newest version already holds
   * it (then names that one). Runs inside the caller's transaction.
   */
  private autoSave(what: string): AutoSave {
    const latest = this.db
      .prepare('SELECT name, content FROM curation_version ORDER BY version_id DESC LIMIT 1')
      .get() as { name: string; content: string } | undefined;
    const state = this.currentState();
    if (latest && stateKey(JSON.parse(latest.content) as CurationState) === stateKey(state))
      return { savedAs: latest.name, newlySaved: false };
    const base = `auto-before-${what}-${versionStamp(nowUtc())}`;
    let name = base;
    for (let n = 2; this.db.prepare('SELECT 1 FROM curation_version WHERE name = ?').get(name); n++)
      name = `${base}-${n}`;
    this.insertVersion(name, `saved automatically before ${what}`, state);
    return { savedAs: name, newlySaved: true };
  }

  /**
   * Replaces communities, seeds, notes and tags with a saved version's, keeping its community ids;
   * the current state is saved first (see autoSave).
   */
  restore(name: string): RestoreResult {
    return this.write(() => {
      const target = this.version(name);
      const checked = name.trim();
      const saved = this.autoSave('restore');
      const before = this.currentState();
      this.db.prepare('DELETE FROM community_seed').run();
      this.db.prepare('DELETE FROM community').run();
      this.db.prepare('DELETE FROM account_note').run();
      this.db.prepare('DELETE FROM account_tag').run();
      const community = this.db.prepare(
        `INSERT INTO community (community_id, short_name, name, color, description, created_at, updated_at)
         VALUES (@id, @short, @name, @color, @description, @createdAt, @updatedAt)`,
      );
      for (const c of target.communities) community.run(c);
      const seed = this.db.prepare(
        `INSERT INTO community_seed (account_id, community_id, added_by, added_at, note)
         VALUES (@accountId, @communityId, @addedBy, @addedAt, @note)`,
      );
      for (const s of target.seeds) seed.run(s);
      const note = this.db.prepare(
        'INSERT INTO account_note (account_id, note, updated_at) VALUES (@accountId, @note, @updatedAt)',
      );
      for (const n of target.notes) note.run(n);
      const tag = this.db.prepare(
        'INSERT INTO account_tag (account_id, tag, added_at) VALUES (@accountId, @tag, @addedAt)',
      );
      for (const t of target.tags) tag.run(t);
      const changes = diffStates(before, target, { from: saved.savedAs, to: checked });
      this.record('version.restore', null, null, { version: checked, savedAs: saved.savedAs, changes });
      return { restored: checked, ...saved };
    });
  }

  /**
   * An import (`tpot communities import`): creates or updates the listed communities (matched by
   * short name) and sets each one's seeds to exactly its list; communities not listed stay as they
   * are. All or nothing, after an automatic version of the state before.
   */
  replaceFromFile(entries: readonly ImportEntry[], options: { actor?: string } = {}): ImportResult {
    const actor = options.actor ?? this.actor;
    const store = actor === this.actor ? this : new CommunityStore(this.db, actor);
    return store.importEntries(entries);
  }

  private importEntries(entries: readonly ImportEntry[]): ImportResult {
    const checked = entries.map((e) => ({
      short: checkShortName(e.short),
      name: checkName(e.name),
      color: e.color === undefined ? null : checkColor(e.color),
      description: e.description === undefined ? null : checkDescription(e.description),
      seedIds: e.seedIds.length ? checkAccountIds(e.seedIds) : [],
    }));
    const shorts = new Map<string, string>();
    const names = new Map<string, string>();
    const seedOwner = new Map<string, string>();
    for (const e of checked) {
      const s = e.short.toLowerCase();
      const n = e.name.toLowerCase();
      if (shorts.has(s)) throw new UsageError(`The short name ${quote(e.short)} appears twice in the import.`);
      if (names.has(n)) throw new UsageError(`The name ${quote(e.name)} appears twice in the import.`);
      shorts.set(s, e.short);
      names.set(n, e.short);
      for (const id of e.seedIds) {
        const other = seedOwner.get(id);
        if (other !== undefined)
          throw new UsageError(`Account ${id} is listed as a seed of both ${other} and ${e.short} in the import.`);
        seedOwner.set(id, e.short);
      }
    }
    return this.write(() => {
      const existing = new Map(this.currentState().communities.map((c) => [c.short.toLowerCase(), c]));
      const listedIds = new Set<number>();
      for (const e of checked) {
        const match = existing.get(e.short.toLowerCase());
        if (match) listedIds.add(match.id);
      }
      // A name may only collide with a community that the import renames away from it.
      for (const e of checked) {
        const own = existing.get(e.short.toLowerCase());
        for (const other of existing.values()) {
          if (other === own || other.name.toLowerCase() !== e.name.toLowerCase()) continue;
          if (!listedIds.has(other.id))
            throw new UsageError(
              `The name ${quote(e.name)} is taken by the community ${other.short}, not in the import.`,
            );
        }
      }
      const seeds = this.seedMap([...seedOwner.keys()]);
      for (const [id, short] of seedOwner) {
        const seed = seeds.get(id);
        if (seed && !listedIds.has(seed.communityId))
          throw new UsageError(
            `Account ${id} is listed under ${short} but is a seed of ${this.byId(seed.communityId)!.short}, ` +
              'which is not in the import; remove it there first or list that community too.',
          );
      }

      const saved = this.autoSave('import');
      const before = this.currentState();
      // Renames first go through a placeholder name (a tab first: stored names are trimmed), so two
      // communities can swap names.
      for (const e of checked) {
        const match = existing.get(e.short.toLowerCase());
        if (match && match.name !== e.name)
          this.db
            .prepare('UPDATE community SET name = ? WHERE community_id = ?')
            .run(`\trenaming ${match.id}`, match.id);
      }
      let created = 0;
      const ids = new Map<string, number>();
      const colors: string[] = [];
      for (const e of checked) {
        const match = existing.get(e.short.toLowerCase());
        if (match) {
          const fields = {
            short: e.short,
            name: e.name,
            color: e.color ?? match.color,
            description: e.description ?? match.description,
          };
          const changed = (['short', 'name', 'color', 'description'] as const).some((f) => fields[f] !== match[f]);
          this.db
            .prepare(
              `UPDATE community SET short_name = ?, name = ?, color = ?, description = ?,
                 updated_at = CASE WHEN ? THEN ? ELSE updated_at END
               WHERE community_id = ?`,
            )
            .run(fields.short, fields.name, fields.color, fields.description, changed ? 1 : 0, nowUtc(), match.id);
          ids.set(e.short, match.id);
        } else {
          const color = e.color ?? this.nextColor(colors);
          colors.push(color);
          ids.set(e.short, this.insertCommunity({ ...e, color, description: e.description ?? '' }).id);
          created++;
        }
      }
      const at = nowUtc();
      const insert = this.db.prepare(
        `INSERT INTO community_seed (account_id, community_id, added_by, added_at, note) VALUES (?, ?, ?, ?, NULL)
         ON CONFLICT(account_id) DO UPDATE SET community_id = excluded.community_id,
           added_by = excluded.added_by, added_at = excluded.added_at`,
      );
      for (const e of checked) {
        const id = ids.get(e.short)!;
        this.db
          .prepare(
            `DELETE FROM community_seed WHERE community_id = ? AND account_id NOT IN (SELECT value FROM json_each(?))`,
          )
          .run(id, JSON.stringify(e.seedIds));
        for (const account of e.seedIds) {
          const seed = seeds.get(account);
          if (seed?.communityId !== id) insert.run(account, id, this.actor, at);
        }
      }
      const after = this.currentState();
      const changes = diffStates(before, after, { from: saved.savedAs, to: 'import' });
      const touched = new Set([
        ...changes.communities.changed.map((c) => c.id),
        ...changes.seeds.added.map((s) => s.community.id),
        ...changes.seeds.removed.map((s) => s.community.id),
        ...changes.seeds.moved.flatMap((s) => [s.from.id, s.to.id]),
      ]);
      const createdIds = new Set(changes.communities.added.map((c) => c.id));
      const result: ImportResult = {
        ...saved,
        created,
        updated: [...touched].filter((id) => !createdIds.has(id)).length,
        seedsAdded: changes.seeds.added.length,
        seedsRemoved: changes.seeds.removed.length,
        seedsMoved: changes.seeds.moved.length,
      };
      this.record('import', null, null, { ...result, changes });
      return result;
    });
  }
}

/** Communities matched by id; seeds by account. */
export function diffStates(
  before: CurationState,
  after: CurationState,
  names: { from: string; to: string },
): CurationDiff {
  const beforeById = new Map(before.communities.map((c) => [c.id, c]));
  const afterById = new Map(after.communities.map((c) => [c.id, c]));
  const ref = (id: number): CommunityRef => ({
    id,
    short: afterById.get(id)?.short ?? beforeById.get(id)?.short ?? `#${id}`,
  });
  const changed: CurationDiff['communities']['changed'] = [];
  for (const a of after.communities) {
    const b = beforeById.get(a.id);
    if (!b) continue;
    const changes: FieldChange[] = [];
    for (const field of ['short', 'name', 'color', 'description'] as const)
      if (a[field] !== b[field]) changes.push({ field, before: b[field], after: a[field] });
    if (changes.length) changed.push({ id: a.id, short: a.short, changes });
  }
  const seedsBefore = new Map(before.seeds.map((s) => [s.accountId, s.communityId]));
  const seedsAfter = new Map(after.seeds.map((s) => [s.accountId, s.communityId]));
  const seeds: CurationDiff['seeds'] = { added: [], removed: [], moved: [] };
  for (const [accountId, to] of seedsAfter) {
    const from = seedsBefore.get(accountId);
    if (from === undefined) seeds.added.push({ accountId, community: ref(to) });
    else if (from !== to) seeds.moved.push({ accountId, from: ref(from), to: ref(to) });
  }
  for (const [accountId, from] of seedsBefore)
    if (!seedsAfter.has(accountId)) seeds.removed.push({ accountId, community: ref(from) });
  const order = (a: { accountId: string }, b: { accountId: string }) => byText(a.accountId, b.accountId);
  seeds.added.sort(order);
  seeds.removed.sort(order);
  seeds.moved.sort(order);
  return {
    ...names,
    communities: {
      added: after.communities.filter((c) => !beforeById.has(c.id)).sort(byId),
      removed: before.communities.filter((c) => !afterById.has(c.id)).sort(byId),
      changed: changed.sort(byId),
    },
    seeds,
  };
}
