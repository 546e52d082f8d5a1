/**
 * The only SQL for propagation runs (docs/DATA-MODEL.md, "Communities"): a run's record and the
 * membership of every account in it. Run rows are kept forever (they say what was computed, with
 * which parameters and seeds); memberships only for the newest KEPT_RUNS runs, since each run holds a
 * row per account of the graph.
 */
import type { Db } from './database.js';
import { BulkInsert } from './bulk-insert.js';
import type { Band } from '../communities/types.js';

/** Runs whose membership rows are kept; older runs keep only their run row. */
export const KEPT_RUNS = 3;
/** Smaller community weights are not stored: the row is sparse. */
export const MIN_STORED_WEIGHT = 0.005;

export interface RunCommunity {
  id: number;
  short: string;
  name: string;
  color: string;
}

export interface RunRecord {
  startedAt: string;
  engine: string;
  parameters: unknown;
  seedHash: string;
  versionName: string | null;
  durationMs: number;
  converged: boolean;
  iterations: number;
  residual: number;
  nodeCount: number;
  seedCount: number;
  bootstrapSamples: number;
  /** In column order. */
  communities: RunCommunity[];
  summary: unknown;
}

export interface StoredRun extends RunRecord {
  runId: number;
  /** Whether its membership rows are still stored. */
  hasMemberships: boolean;
}

export interface AccountMembership {
  accountId: string;
  topCommunityId: number | null;
  confidence: number;
  noneWeight: number;
  uncertainty: number | null;
  band: Band;
  seedDegree: number;
  /** Community id → weight; weights below MIN_STORED_WEIGHT are dropped on save. */
  weights: Record<string, number>;
}

/** All of a run's memberships as columns (index i is one account), for the snapshot and a warm start. */
export interface MembershipColumns {
  accountIds: string[];
  topCommunityIds: (number | null)[];
  confidence: Float64Array;
  noneWeight: Float64Array;
  uncertainty: (number | null)[];
  bands: Band[];
  seedDegree: Int32Array;
  weights: Record<string, number>[];
}

const RUN_COLUMNS = `run_id, started_at, engine, parameters, seed_hash, version_name, duration_ms, converged,
  iterations,
  residual, node_count, seed_count, bootstrap_samples, communities, summary,
  EXISTS (SELECT 1 FROM account_membership m WHERE m.run_id = r.run_id) AS has_memberships`;

interface RunRow {
  run_id: number;
  started_at: string;
  engine: string;
  parameters: string;
  seed_hash: string;
  version_name: string | null;
  duration_ms: number;
  converged: number;
  iterations: number;
  residual: number;
  node_count: number;
  seed_count: number;
  bootstrap_samples: number;
  communities: string;
  summary: string | null;
  has_memberships: number;
}

function toRun(row: RunRow): StoredRun {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    engine: row.engine,
    parameters: JSON.parse(row.parameters) as unknown,
    seedHash: row.seed_hash,
    versionName: row.version_name,
    durationMs: row.duration_ms,
    converged: row.converged === 1,
    iterations: row.iterations,
    residual: row.residual,
    nodeCount: row.node_count,
    seedCount: row.seed_count,
    bootstrapSamples: row.bootstrap_samples,
    communities: JSON.parse(row.communities) as RunCommunity[],
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
    hasMemberships: row.has_memberships === 1,
  };
}

const MEMBERSHIP_COLUMNS = `account_id AS accountId, top_community_id AS topCommunityId, confidence,
  none_weight AS noneWeight, uncertainty, band, seed_degree AS seedDegree, weights`;

type MembershipRow = Omit<AccountMembership, 'weights'> & { weights: string };

const toMembership = (row: MembershipRow): AccountMembership => ({
  ...row,
  weights: JSON.parse(row.weights) as Record<string, number>,
});

function sparseWeights(weights: Record<string, number>): string {
  const kept: Record<string, number> = {};
  for (const [id, weight] of Object.entries(weights)) if (weight >= MIN_STORED_WEIGHT) kept[id] = weight;
  return JSON.stringify(kept);
}

/** Saves a run and its memberships in one transaction, then drops the memberships of older runs; returns its id. */
export function saveRun(db: Db, run: RunRecord, rows: Iterable<AccountMembership>): number {
  return db
    .transaction(() => {
      const runId = Number(
        db
          .prepare(
            `INSERT INTO propagation_run (started_at, engine, parameters, seed_hash, version_name, duration_ms,
               converged, iterations, residual, node_count, seed_count, bootstrap_samples, communities, summary)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            run.startedAt,
            run.engine,
            JSON.stringify(run.parameters),
            run.seedHash,
            run.versionName,
            run.durationMs,
            run.converged ? 1 : 0,
            run.iterations,
            run.residual,
            run.nodeCount,
            run.seedCount,
            run.bootstrapSamples,
            JSON.stringify(run.communities),
            run.summary === null || run.summary === undefined ? null : JSON.stringify(run.summary),
          ).lastInsertRowid,
      );
      const insert = new BulkInsert(
        db,
        `INSERT INTO account_membership (run_id, account_id, top_community_id, confidence, none_weight, uncertainty,
           band, seed_degree, weights)`,
        9,
      );
      // Flushed in chunks so a large run never holds every value in one array.
      const CHUNK = 250 * 40;
      let values: unknown[] = [];
      for (const m of rows) {
        values.push(
          runId,
          m.accountId,
          m.topCommunityId,
          m.confidence,
          m.noneWeight,
          m.uncertainty,
          m.band,
          m.seedDegree,
          sparseWeights(m.weights),
        );
        if (values.length >= CHUNK * 9) {
          insert.run(values);
          values = [];
        }
      }
      insert.run(values);
      db.prepare(
        `DELETE FROM account_membership WHERE run_id IN
           (SELECT run_id FROM propagation_run ORDER BY run_id DESC LIMIT -1 OFFSET ?)`,
      ).run(KEPT_RUNS);
      return runId;
    })
    .immediate();
}

export function latestRun(db: Db): StoredRun | null {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM propagation_run r ORDER BY run_id DESC LIMIT 1`).get() as
    RunRow | undefined;
  return row ? toRun(row) : null;
}

/** The newest runs first. */
export function listRuns(db: Db, limit: number): StoredRun[] {
  return (
    db
      .prepare(`SELECT ${RUN_COLUMNS} FROM propagation_run r ORDER BY run_id DESC LIMIT ?`)
      .all(Math.max(0, Math.floor(limit))) as RunRow[]
  ).map(toRun);
}

export function getRun(db: Db, runId: number): StoredRun | null {
  const row = db.prepare(`SELECT ${RUN_COLUMNS} FROM propagation_run r WHERE run_id = ?`).get(runId) as
    RunRow | undefined;
  return row ? toRun(row) : null;
}

export function membershipOf(db: Db, runId: number, accountId: string): AccountMembership | null {
  const row = db
    .prepare(`SELECT ${MEMBERSHIP_COLUMNS} FROM account_membership WHERE run_id = ? AND account_id = ?`)
    .get(runId, accountId) as MembershipRow | undefined;
  return row ? toMembership(row) : null;
}

/**
 * A community's members: the accounts whose top community it is, by their weight in it (the
 * confidence), highest first — read straight off the (run_id, top_community_id, confidence DESC)
 * index. Accounts with a smaller share of it whose top is elsewhere are not listed: they are members
 * of their top community (a bridge's second community is in its weights).
 */
export function communityMembers(
  db: Db,
  runId: number,
  communityId: number,
  options: { band?: Band; limit: number; offset?: number },
): AccountMembership[] {
  const rows = db
    .prepare(
      `SELECT ${MEMBERSHIP_COLUMNS} FROM account_membership
       WHERE run_id = @runId AND top_community_id = @communityId AND (@band IS NULL OR band = @band)
       ORDER BY confidence DESC, account_id LIMIT @limit OFFSET @offset`,
    )
    .all({
      runId,
      communityId,
      band: options.band ?? null,
      limit: Math.max(0, Math.floor(options.limit)),
      offset: Math.max(0, Math.floor(options.offset ?? 0)),
    }) as MembershipRow[];
  return rows.map(toMembership);
}

/** A run's membership row with its weight in one community. */
export interface CandidateMembership extends AccountMembership {
  /** The account's weight in the community asked about. */
  weight: number;
}

/**
 * The accounts closest to joining a community: those whose top community is another one (or none), by their
 * weight in this one, highest first. The weights are JSON, so this reads every row of the run that has some
 * weight in the community — milliseconds per 10,000 rows. (The id is cast in the JSON path: a JS number is bound
 * as a REAL, which would print as "3.0".)
 */
export function communityCandidates(db: Db, runId: number, communityId: number, limit: number): CandidateMembership[] {
  const rows = db
    .prepare(
      `SELECT ${MEMBERSHIP_COLUMNS}, weight FROM (
         SELECT *, json_extract(weights, '$."' || CAST(@communityId AS INTEGER) || '"') AS weight
         FROM account_membership
         WHERE run_id = @runId AND (top_community_id IS NULL OR top_community_id <> @communityId))
       WHERE weight > 0 ORDER BY weight DESC, account_id LIMIT @limit`,
    )
    .all({ runId, communityId, limit: Math.max(0, Math.floor(limit)) }) as (MembershipRow & { weight: number })[];
  return rows.map((row) => ({ ...toMembership(row), weight: row.weight }));
}

/** Accounts per top community (null: none) and band. */
export function bandCounts(db: Db, runId: number): { communityId: number | null; band: Band; count: number }[] {
  return db
    .prepare(
      `SELECT top_community_id AS communityId, band, COUNT(*) AS count FROM account_membership
       WHERE run_id = ? GROUP BY top_community_id, band ORDER BY top_community_id, band`,
    )
    .all(runId) as { communityId: number | null; band: Band; count: number }[];
}

/** Every membership of a run as columns, in account id order. */
export function readMemberships(db: Db, runId: number): MembershipColumns {
  const count = db.prepare('SELECT COUNT(*) FROM account_membership WHERE run_id = ?').pluck().get(runId) as number;
  const out: MembershipColumns = {
    accountIds: new Array<string>(count),
    topCommunityIds: new Array<number | null>(count),
    confidence: new Float64Array(count),
    noneWeight: new Float64Array(count),
    uncertainty: new Array<number | null>(count),
    bands: new Array<Band>(count),
    seedDegree: new Int32Array(count),
    weights: new Array<Record<string, number>>(count),
  };
  const statement = db
    .prepare(
      `SELECT account_id, top_community_id, confidence, none_weight, uncertainty, band, seed_degree, weights
       FROM account_membership WHERE run_id = ? ORDER BY account_id`,
    )
    .raw();
  let i = 0;
  for (const row of statement.iterate(runId) as Iterable<
    [string, number | null, number, number, number | null, Band, number, string]
  >) {
    if (i >= count) break;
    out.accountIds[i] = row[0];
    out.topCommunityIds[i] = row[1];
    out.confidence[i] = row[2];
    out.noneWeight[i] = row[3];
    out.uncertainty[i] = row[4];
    out.bands[i] = row[5];
    out.seedDegree[i] = row[6];
    out.weights[i] = JSON.parse(row[7]) as Record<string, number>;
    i++;
  }
  return out;
}
