/** The propagation run store (docs/DATA-MODEL.md, "Communities") on a real SQLite file. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/vitest-helpers.js';
import { openDatabase, type Db } from './database.js';
import {
  bandCounts,
  communityMembers,
  latestRun,
  listRuns,
  membershipOf,
  readMemberships,
  saveRun,
  type AccountMembership,
  type RunRecord,
} from './membership-store.js';

const run = (startedAt: string): RunRecord => ({
  startedAt,
  engine: 'harmonic',
  parameters: { absorption: 1 },
  seedHash: 'abc',
  versionName: null,
  durationMs: 12.5,
  converged: true,
  iterations: 40,
  residual: 1e-7,
  nodeCount: 3,
  seedCount: 1,
  bootstrapSamples: 0,
  communities: [
    { id: 1, short: 'a', name: 'A', color: '#4e79a7' },
    { id: 2, short: 'b', name: 'B', color: '#f28e2b' },
  ],
  summary: { exemplar: 1 },
});

const rows: AccountMembership[] = [
  {
    accountId: '10',
    topCommunityId: 1,
    confidence: 0.9,
    noneWeight: 0.1,
    uncertainty: null,
    band: 'exemplar',
    seedDegree: 0,
    weights: { '1': 0.9, '2': 0.001 },
  },
  {
    accountId: '11',
    topCommunityId: 1,
    confidence: 0.5,
    noneWeight: 0.1,
    uncertainty: 0.05,
    band: 'bridge',
    seedDegree: 1,
    weights: { '1': 0.5, '2': 0.4 },
  },
  {
    accountId: '12',
    topCommunityId: null,
    confidence: 0,
    noneWeight: 1,
    uncertainty: null,
    band: 'unclassified',
    seedDegree: 0,
    weights: {},
  },
];

describe('membership store', () => {
  const dir = useTempDir();
  let db: Db;
  beforeEach(() => {
    db = openDatabase(join(dir.path, 'cache.db'));
  });
  afterEach(() => db.close());

  it('saves a run and reads it back: sparse weights, members by weight, band counts, columns', () => {
    const id = saveRun(db, run('2026-12-01 10:00:00'), rows);
    expect(latestRun(db)).toMatchObject({
      runId: id,
      converged: true,
      parameters: { absorption: 1 },
      hasMemberships: true,
    });
    expect(membershipOf(db, id, '10')).toEqual({ ...rows[0], weights: { '1': 0.9 } });
    expect(membershipOf(db, id, '99')).toBeNull();
    expect(communityMembers(db, id, 1, { limit: 10 }).map((m) => m.accountId)).toEqual(['10', '11']);
    expect(communityMembers(db, id, 1, { limit: 10, band: 'bridge' }).map((m) => m.accountId)).toEqual(['11']);
    expect(communityMembers(db, id, 1, { limit: 1, offset: 1 }).map((m) => m.accountId)).toEqual(['11']);
    expect(bandCounts(db, id)).toEqual([
      { communityId: null, band: 'unclassified', count: 1 },
      { communityId: 1, band: 'bridge', count: 1 },
      { communityId: 1, band: 'exemplar', count: 1 },
    ]);
    const columns = readMemberships(db, id);
    expect(columns.accountIds).toEqual(['10', '11', '12']);
    expect([...columns.confidence]).toEqual([0.9, 0.5, 0]);
    expect(columns.uncertainty).toEqual([null, 0.05, null]);
    expect(columns.bands).toEqual(['exemplar', 'bridge', 'unclassified']);
    expect(columns.weights[1]).toEqual({ '1': 0.5, '2': 0.4 });
  });

  it('keeps the memberships of the 3 newest runs and every run row', () => {
    const ids = [1, 2, 3, 4].map((n) => saveRun(db, run(`2026-12-0${n} 10:00:00`), rows));
    expect(listRuns(db, 10).map((r) => [r.runId, r.hasMemberships])).toEqual([
      [ids[3], true],
      [ids[2], true],
      [ids[1], true],
      [ids[0], false],
    ]);
    expect(readMemberships(db, ids[0]!).accountIds).toEqual([]);
  });
});
