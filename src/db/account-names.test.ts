/** Account names and refs (db/account-names.ts) over a small database filled by hand. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/vitest-helpers.js';
import { AccountNames, resolveAccounts } from './account-names.js';
import { openDatabase, type Db } from './database.js';

describe('resolveAccounts', () => {
  const dir = useTempDir();
  let db: Db;
  beforeEach(() => {
    db = openDatabase(join(dir.path, 'cache.db'));
    db.exec(`
      INSERT INTO archive_profiles (account_id, username, imported_at) VALUES ('1', 'Alice', '2026-01-01 00:00:00');
      INSERT INTO account (account_id, username) VALUES ('2', 'alice'), ('3', 'bob');
      INSERT INTO shadow_account (account_id, username, source_channel, fetched_at)
        VALUES ('4', 'carol', 'browser', '2026-01-01 00:00:00');
      INSERT INTO mentioned_users (user_id, screen_name) VALUES ('5', 'dave'), ('6', 'BOB');
      INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at)
        VALUES ('4', '1680757426889342977', 'outbound', 'browser', '2026-01-01 00:00:00');
      INSERT INTO following (account_id, following_account_id) VALUES ('3', '77');
    `);
  });
  afterEach(() => db.close());

  it('resolves handles by the best-ranked source, ids known to any account or follow table', () => {
    const result = resolveAccounts(db, [
      '@ALICE',
      'bob',
      ' carol ',
      'dave',
      '1680757426889342977',
      '77',
      '2',
      '999',
      'nobody',
      'bad/handle',
      '@',
      'bob',
    ]);
    expect(result.found).toEqual([
      { ref: '@ALICE', accountId: '1', username: 'Alice' },
      { ref: 'bob', accountId: '3', username: 'bob' },
      { ref: ' carol ', accountId: '4', username: 'carol' },
      { ref: 'dave', accountId: '5', username: 'dave' },
      { ref: '1680757426889342977', accountId: '1680757426889342977', username: null },
      { ref: '77', accountId: '77', username: null },
      { ref: '2', accountId: '2', username: 'alice' },
    ]);
    expect(result.unknown).toEqual(['999', 'nobody']);
    expect(result.invalid).toEqual(['bad/handle', '@']);
  });

  it('agrees with the forward lookup', () => {
    const names = new AccountNames(db).lookup(['1', '3', '5']);
    const back = resolveAccounts(
      db,
      [...names.values()].map((n) => n.username),
    );
    expect(back.found.map((f) => f.accountId)).toEqual(['1', '3', '5']);
  });
});
