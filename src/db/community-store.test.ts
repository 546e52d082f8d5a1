/** The curation store's rules (docs/DATA-MODEL.md, "Communities") on a real SQLite file. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/vitest-helpers.js';
import { openDatabase, schemaVersion, type Db } from './database.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { COMMUNITY_PALETTE, CommunityStore } from './community-store.js';
import { TpotError } from '../errors.js';

describe('CommunityStore', () => {
  const dir = useTempDir();
  let db: Db;
  let store: CommunityStore;
  beforeEach(() => {
    db = openDatabase(join(dir.path, 'cache.db'));
    store = new CommunityStore(db, 'tester');
  });
  afterEach(() => db.close());

  /** The call fails with a usage error matching `message`, and the store is unchanged. */
  function rejects(call: () => unknown, message: RegExp): void {
    const before = store.currentState();
    const historyBefore = store.history({ limit: 1000 }).length;
    let thrown: unknown = null;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TpotError);
    expect((thrown as TpotError).kind).toBe('usage');
    expect((thrown as TpotError).message).toMatch(message);
    expect(store.currentState()).toEqual(before);
    expect(store.history({ limit: 1000 })).toHaveLength(historyBefore);
  }

  function sample() {
    const tpot = store.add({ short: 'tpot', name: 'This Part of Twitter', description: 'the core' });
    const rat = store.add({ short: 'Rat', name: 'Rationalists', color: '#AABBCC' });
    store.addSeeds('tpot', ['1', '2']);
    store.addSeeds('rat', ['3']);
    return { tpot, rat };
  }

  it('adds communities with palette colours, lists them by name with seed counts, finds them by any ref', () => {
    const { tpot, rat } = sample();
    expect(tpot.color).toBe(COMMUNITY_PALETTE[0]);
    expect(rat.color).toBe('#aabbcc');
    expect(store.add({ short: 'x', name: 'X' }).color).toBe(COMMUNITY_PALETTE[1]);
    expect(store.list().map((c) => [c.short, c.seedCount])).toEqual([
      ['Rat', 1],
      ['tpot', 2],
      ['x', 0],
    ]);
    expect(store.get('RAT').id).toBe(rat.id);
    expect(store.get('this part of twitter').id).toBe(tpot.id);
    expect(store.get(`#${rat.id}`).short).toBe('Rat');
    rejects(() => store.get('nope'), /Unknown community "nope".*Rat, tpot, x/);
  });

  it('the palette: 16 distinct colours, perceived brightness 0.25–0.85', () => {
    expect(new Set(COMMUNITY_PALETTE).size).toBe(16);
    for (const c of COMMUNITY_PALETTE) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
      const brightness = (0.299 * r! + 0.587 * g! + 0.114 * b!) / 255;
      expect(brightness, c).toBeGreaterThanOrEqual(0.25);
      expect(brightness, c).toBeLessThanOrEqual(0.85);
    }
  });

  it('rejects bad input naming it, changing nothing', () => {
    sample();
    rejects(() => store.add({ short: '1bad', name: 'Bad' }), /short name "1bad"/);
    rejects(() => store.add({ short: 'ok', name: '  ' }), /community name " {2}"/);
    rejects(() => store.add({ short: 'ok', name: 'x'.repeat(81) }), /1–80 characters/);
    rejects(() => store.add({ short: 'ok', name: 'Ok', color: 'red' }), /colour "red"/);
    rejects(() => store.add({ short: 'TPOT', name: 'Other' }), /short name "TPOT" is taken/);
    rejects(
      () => store.add({ short: 'ok', name: 'rationalists' }),
      /name "rationalists" is taken by the community Rat/,
    );
    rejects(() => store.rename('tpot', { short: 'rat' }), /short name "rat" is taken/);
    rejects(() => store.rename('tpot', {}), /new name/);
    rejects(() => store.recolor('tpot', '#12345'), /colour "#12345"/);
    rejects(() => store.describe('tpot', 'x'.repeat(2001)), /2001 characters/);
    rejects(() => store.remove('ghost'), /Unknown community "ghost"/);
    rejects(() => store.addSeeds('tpot', ['9', '3']), /Account 3 is already a seed of Rat.*tpot/);
    rejects(() => store.addSeeds('tpot', ['9', 'a b']), /account id "a b"/);
    rejects(() => store.removeSeeds('tpot', ['1', '3']), /Account 3 is not a seed of tpot \(it seeds Rat\)/);
    rejects(() => store.removeSeeds('tpot', ['77']), /Account 77 is not a seed of tpot/);
    rejects(() => store.addTags('1', ['ok', 'Not ok']), /tag "Not ok"/);
    rejects(() => store.removeTags('1', ['absent']), /no tag "absent"/);
    rejects(() => store.setNote('1', 'x'.repeat(2001)), /2001 characters/);
    rejects(() => store.saveVersion('-bad'), /version name "-bad"/);
    store.saveVersion('v1');
    rejects(() => store.saveVersion('v1'), /"v1" already exists/);
    rejects(() => store.restore('v9'), /Unknown version "v9".*v1/);
    rejects(() => store.diff('v9'), /Unknown version "v9"/);
  });

  it('seeds: skips seeds already there, reports the seed of an account, removes', () => {
    const { tpot } = sample();
    expect(store.addSeeds('tpot', ['2', '4', '4'], { note: 'met' })).toMatchObject({ added: ['4'], skipped: ['2'] });
    expect(store.seedOf('4')).toMatchObject({ seed: { communityId: tpot.id, addedBy: 'tester', note: 'met' } });
    expect(store.seedOf('99')).toBeNull();
    expect(store.removeSeeds('tpot', ['1']).removed.map((s) => s.accountId)).toEqual(['1']);
    expect(store.seeds('tpot').map((s) => s.accountId)).toEqual(['2', '4']);
    expect(store.seeds().map((s) => s.accountId)).toEqual(['2', '4', '3']);
  });

  it('writes a history row for every write; a removed community keeps its seeds in its row', () => {
    const { tpot } = sample();
    store.rename('tpot', { name: 'TPOT proper' });
    store.recolor('tpot', '#112233');
    store.describe('tpot', 'new');
    store.setNote('1', 'hello');
    store.setNote('1', null);
    store.addTags('1', ['Poster', 'ai']);
    store.removeTags('1', ['poster']);
    expect(store.tags('1')).toEqual(['ai']);
    store.remove('tpot');
    const history = store.history({ limit: 100 });
    expect(history.map((h) => h.action).reverse()).toEqual([
      'community.add',
      'community.add',
      'seed.add',
      'seed.add',
      'seed.add',
      'community.rename',
      'community.recolor',
      'community.describe',
      'note.set',
      'note.set',
      'tag.add',
      'tag.remove',
      'community.remove',
    ]);
    expect(history.every((h) => h.actor === 'tester')).toBe(true);
    expect(history[0]!.detail).toMatchObject({
      before: { community: { id: tpot.id, name: 'TPOT proper' }, seeds: [{ accountId: '1' }, { accountId: '2' }] },
    });
    expect(store.history({ limit: 10, accountId: '1' }).map((h) => h.action)).toEqual([
      'tag.remove',
      'tag.add',
      'note.set',
      'note.set',
      'seed.add',
    ]);
    // AUTOINCREMENT: a removed community's id is never given again.
    expect(store.add({ short: 'new', name: 'New' }).id).toBeGreaterThan(2);
  });

  it('versions: save, list, diff, restore with an automatic save, community ids kept', () => {
    const { tpot, rat } = sample();
    store.setNote('1', 'n');
    store.addTags('1', ['t']);
    expect(store.saveVersion('v1', 'first').current).toBe(true);
    store.rename('tpot', { name: 'Renamed' });
    store.removeSeeds('rat', ['3']);
    store.addSeeds('tpot', ['3']);
    store.removeSeeds('tpot', ['1']);
    const eco = store.add({ short: 'eco', name: 'Economists' });
    store.addSeeds('eco', ['5']);
    store.setNote('1', null);

    const [v1] = store.listVersions();
    expect(v1).toMatchObject({ name: 'v1', note: 'first', communityCount: 2, seedCount: 3, current: false });
    expect(v1!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const diff = store.diff('v1');
    expect(diff.communities.added.map((c) => c.short)).toEqual(['eco']);
    expect(diff.communities.changed).toEqual([
      { id: tpot.id, short: 'tpot', changes: [{ field: 'name', before: 'This Part of Twitter', after: 'Renamed' }] },
    ]);
    expect(diff.seeds.added).toEqual([{ accountId: '5', community: { id: eco.id, short: 'eco' } }]);
    expect(diff.seeds.removed).toEqual([{ accountId: '1', community: { id: tpot.id, short: 'tpot' } }]);
    expect(diff.seeds.moved).toEqual([
      { accountId: '3', from: { id: rat.id, short: 'Rat' }, to: { id: tpot.id, short: 'tpot' } },
    ]);

    const after = store.currentState();
    const restored = store.restore('v1');
    expect(restored).toMatchObject({ restored: 'v1', newlySaved: true });
    expect(restored.savedAs).toMatch(/^auto-before-restore-\d{8}T\d{6}$/);
    const state = store.currentState();
    expect(state.communities.map((c) => [c.id, c.name])).toEqual([
      [tpot.id, 'This Part of Twitter'],
      [rat.id, 'Rationalists'],
    ]);
    expect(state.seeds.map((s) => [s.accountId, s.communityId])).toEqual([
      ['1', tpot.id],
      ['2', tpot.id],
      ['3', rat.id],
    ]);
    expect(state.notes.map((n) => n.note)).toEqual(['n']);
    expect(store.listVersions().map((v) => [v.name, v.current])).toEqual([
      ['v1', true],
      [restored.savedAs, false],
    ]);
    // The automatic save holds the state before the restore: restoring it brings that back.
    const back = store.restore(restored.savedAs);
    expect(store.currentState()).toEqual(after);
    // The state before (v1's) was not the newest version's, so it was saved again.
    expect(back).toMatchObject({ restored: restored.savedAs, newlySaved: true });
    expect(back.savedAs).not.toBe(restored.savedAs);
    // Restoring again right away: the newest version already holds the current state.
    store.saveVersion('v2');
    expect(store.restore('v2')).toMatchObject({ savedAs: 'v2', newlySaved: false });
    // Ids were kept, so a new community still gets a fresh one.
    expect(store.add({ short: 'later', name: 'Later' }).id).toBe(eco.id + 1);
    expect(store.history({ limit: 1 })[0]!.action).toBe('community.add');
    expect(store.history({ limit: 100 }).filter((h) => h.action === 'version.restore')).toHaveLength(3);
  });

  it('imports: creates and updates by short name, sets seeds exactly, leaves other communities alone', () => {
    const { tpot, rat } = sample();
    store.add({ short: 'other', name: 'Other' });
    store.addSeeds('other', ['8']);
    const result = store.replaceFromFile(
      [
        { short: 'TPOT', name: 'Rationalists', seedIds: ['2', '3', '4'] },
        { short: 'rat', name: 'This Part of Twitter', color: '#000000', seedIds: [] },
        { short: 'eco', name: 'Economists', description: 'econ', seedIds: ['5'] },
      ],
      { actor: 'importer' },
    );
    expect(result).toMatchObject({ created: 1, updated: 2, seedsAdded: 2, seedsRemoved: 1, seedsMoved: 1 });
    expect(result.savedAs).toMatch(/^auto-before-import-/);
    expect(store.get('#' + tpot.id)).toMatchObject({ short: 'TPOT', name: 'Rationalists' });
    expect(store.get('#' + rat.id)).toMatchObject({ name: 'This Part of Twitter', color: '#000000' });
    expect(store.seeds('tpot').map((s) => s.accountId)).toEqual(['2', '3', '4']);
    expect(store.seeds('rat')).toEqual([]);
    expect(store.seeds('other').map((s) => s.accountId)).toEqual(['8']);
    expect(store.history({ limit: 1 })[0]).toMatchObject({ action: 'import', actor: 'importer' });

    rejects(
      () =>
        store.replaceFromFile([
          { short: 'a', name: 'A', seedIds: ['1'] },
          { short: 'b', name: 'B', seedIds: ['1'] },
        ]),
      /Account 1 is listed as a seed of both a and b/,
    );
    rejects(() => store.replaceFromFile([{ short: 'a', name: 'A', seedIds: ['8'] }]), /Account 8 .* seed of other/);
    rejects(
      () =>
        store.replaceFromFile([
          { short: 'a', name: 'A', seedIds: [] },
          { short: 'A', name: 'B', seedIds: [] },
        ]),
      /short name "A" appears twice/,
    );
    rejects(() => store.replaceFromFile([{ short: 'a', name: 'other', seedIds: [] }]), /name "other" is taken/);
    rejects(() => store.replaceFromFile([{ short: 'a', name: 'A', color: 'blue', seedIds: [] }]), /colour "blue"/);
  });
});

describe('migration 2', () => {
  const dir = useTempDir();

  it('upgrades a version-1 database, keeping its rows', () => {
    const path = join(dir.path, 'old.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!.sql);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO account (account_id, username) VALUES ('1680757426889342977', 'x')").run();
    old.close();
    const db = openDatabase(path);
    try {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
      expect(db.prepare('SELECT account_id FROM account').pluck().get()).toBe('1680757426889342977');
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      expect(tables).toEqual(
        expect.arrayContaining([
          'community',
          'community_seed',
          'account_note',
          'account_tag',
          'curation_history',
          'curation_version',
          'propagation_run',
          'account_membership',
        ]),
      );
      const store = new CommunityStore(db);
      store.add({ short: 'a', name: 'A' });
      expect(store.list()).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
