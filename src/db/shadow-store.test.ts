/** The shadow store's rules (docs/DATA-MODEL.md, "Shadow graph") on a real SQLite file. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { openDatabase, type Db } from './database.js';
import { DELETED_BIO, ShadowStore, type SeedRun, type ShadowAccount } from './shadow-store.js';

const AT = '2026-11-01 10:00:00';
const seed: ShadowAccount = {
  accountId: '100',
  handle: 'seedling',
  displayName: 'Seed',
  followers: 3,
  following: 2,
  status: 'active',
};
const person = (n: number, extra: Partial<ShadowAccount> = {}): ShadowAccount => ({
  accountId: String(200 + n),
  handle: `person_${n}`,
  displayName: `Person ${n}`,
  ...extra,
});

function run(lists: SeedRun['lists'], extra: Partial<SeedRun> = {}): SeedRun {
  return { seed, lists, runAt: AT, durationSeconds: 12.5, channel: 'browser', ...extra };
}

describe('ShadowStore', () => {
  const dir = useTempDir();
  let db: Db;
  let store: ShadowStore;
  beforeEach(() => {
    db = openDatabase(join(dir.path, 'cache.db'));
    store = new ShadowStore(db);
  });
  afterEach(() => db.close());

  it('writes a seed: accounts, edges ("source follows target"), discoveries, its metrics row (coverage %)', () => {
    const result = store.writeSeedRun(
      run({
        following: { accounts: [person(1), person(2)], claimed: 2 },
        followers: { accounts: [person(2), person(3)], claimed: 4 },
        verified_followers: { accounts: [person(3)], claimed: 1 },
      }),
    );
    expect(result).toMatchObject({ seedId: '100', edgesUpserted: 4 });
    const edges = db
      .prepare('SELECT source_id, target_id, direction FROM shadow_edge ORDER BY source_id, target_id')
      .all();
    expect(edges).toEqual([
      { source_id: '100', target_id: '201', direction: 'outbound' },
      { source_id: '100', target_id: '202', direction: 'outbound' },
      { source_id: '202', target_id: '100', direction: 'inbound' },
      { source_id: '203', target_id: '100', direction: 'inbound' },
    ]);
    const metrics = db.prepare('SELECT * FROM scrape_run_metrics').get() as Record<string, unknown>;
    expect(metrics).toMatchObject({
      seed_account_id: '100',
      seed_username: 'seedling',
      following_captured: 2,
      followers_captured: 2,
      following_coverage: 100,
      followers_coverage: 50,
      skipped: 0,
      error_type: null,
    });
    // One discovery per account and seed: person 2 is in two lists.
    expect(db.prepare('SELECT COUNT(*) FROM shadow_discovery').pluck().get()).toBe(3);
    // Idempotent: the same run again adds no edge.
    expect(store.writeSeedRun(run({ following: { accounts: [person(1), person(2)], claimed: 2 } })).edgesUpserted).toBe(
      0,
    );
    expect(db.prepare('SELECT COUNT(*) FROM shadow_edge').pluck().get()).toBe(4);
  });

  it('never overwrites a known value with null', () => {
    store.writeSeedRun(
      run({ following: { accounts: [person(1, { bio: 'kept', location: 'Here', followers: 10 })], claimed: 1 } }),
    );
    store.writeSeedRun(run({ following: { accounts: [person(1, { bio: null, followers: 12 })], claimed: 1 } }));
    expect(
      db.prepare("SELECT bio, location, followers_count FROM shadow_account WHERE account_id = '201'").get(),
    ).toEqual({ bio: 'kept', location: 'Here', followers_count: 12 });
  });

  it('keys by numeric id; a handle-only account becomes shadow:<handle> and is merged when its id is learnt', () => {
    store.writeSeedRun(
      run({ following: { accounts: [{ accountId: null, handle: 'Mystery_X', bio: 'from the DOM' }], claimed: 1 } }),
    );
    expect(db.prepare('SELECT source_id, target_id FROM shadow_edge').all()).toEqual([
      { source_id: '100', target_id: 'shadow:mystery_x' },
    ]);
    store.writeSeedRun(
      run({ followers: { accounts: [{ accountId: '999', handle: 'mystery_x', followers: 7 }], claimed: 1 } }),
    );
    expect(db.prepare("SELECT COUNT(*) FROM shadow_account WHERE account_id LIKE 'shadow:%'").pluck().get()).toBe(0);
    expect(
      db.prepare("SELECT account_id, bio, followers_count FROM shadow_account WHERE account_id = '999'").get(),
    ).toEqual({ account_id: '999', bio: 'from the DOM', followers_count: 7 });
    expect(db.prepare('SELECT source_id, target_id FROM shadow_edge ORDER BY source_id').all()).toEqual([
      { source_id: '100', target_id: '999' },
      { source_id: '999', target_id: '100' },
    ]);
  });

  it('never duplicates an account that has an archive: its handle resolves to the archive id', () => {
    db.prepare("INSERT INTO archive_profiles (account_id, username, imported_at) VALUES ('555', 'ArchivedAnn', ?)").run(
      AT,
    );
    store.writeSeedRun(run({ following: { accounts: [{ accountId: null, handle: 'archivedann' }], claimed: 1 } }));
    expect(db.prepare('SELECT target_id FROM shadow_edge').pluck().all()).toEqual(['555']);
    const built = buildGraph(db, { includeShadow: true });
    expect(built.nodes.filter((n) => n.username?.toLowerCase() === 'archivedann')).toHaveLength(1);
  });

  it('marks deleted and suspended accounts the way the runbook looks for them', () => {
    store.writeSeedRun(
      run({
        following: {
          accounts: [
            person(1, { status: 'deleted', bio: 'old bio' }),
            person(2, { status: 'suspended' }),
            person(3, { status: 'protected', bio: 'private' }),
          ],
          claimed: 3,
        },
      }),
    );
    const rows = db
      .prepare('SELECT account_id, bio, account_status FROM shadow_account WHERE account_id != ? ORDER BY account_id')
      .all('100');
    expect(rows).toEqual([
      { account_id: '201', bio: DELETED_BIO, account_status: 'deleted' },
      { account_id: '202', bio: DELETED_BIO, account_status: 'suspended' },
      { account_id: '203', bio: 'private', account_status: 'protected' },
    ]);
  });

  it('writes a seed whole or not at all: a failure at its metrics row leaves none of its rows', () => {
    expect(() =>
      store.writeSeedRun(
        run(
          { following: { accounts: [person(1), person(2)], claimed: 2 } },
          { durationSeconds: null as unknown as number },
        ),
      ),
    ).toThrow(/NOT NULL/);
    for (const table of ['shadow_account', 'shadow_edge', 'shadow_discovery', 'scrape_run_metrics'])
      expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
  });

  it('records skipped and failed seeds in scrape_run_metrics', () => {
    store.writeSeedRun(run({}, { skipped: { reason: 'complete and fresh (coverage 98 %, 12 days old)' } }));
    store.writeSeedRun(
      run(
        { following: { accounts: [person(1)], claimed: 300 } },
        { error: { type: 'rate_limited', details: 'HTTP 429 on Following' } },
      ),
    );
    expect(
      db
        .prepare(
          'SELECT skipped, skip_reason, error_type, following_captured, following_coverage FROM scrape_run_metrics ' +
            'ORDER BY id',
        )
        .all(),
    ).toEqual([
      {
        skipped: 1,
        skip_reason: 'complete and fresh (coverage 98 %, 12 days old)',
        error_type: null,
        following_captured: 0,
        following_coverage: null,
      },
      { skipped: 0, skip_reason: null, error_type: 'rate_limited', following_captured: 1, following_coverage: 0.3 },
    ]);
  });
});
