/**
 * `tpot verify setup` (docs/OPERATIONS.md, "Health checks"): is this installation ready? The
 * database opens and is migrated; the REST API answers with the key (skipped, and said so, without
 * one); accounts are there; the synced tables are fresh; a few sample accounts. Each check is a
 * line the user can act on.
 */
import { statSync } from 'node:fs';
import type { Config } from '../config.js';
import { openDatabase, schemaVersion, type Db } from '../db/database.js';
import { SCHEMA_VERSION } from '../db/migrations.js';
import { PostgrestClient } from './postgrest-client.js';
import { DEFAULT_SYNC_TABLES } from './tables.js';
import type { Check } from '../checks.js';

export async function verifySetup(config: Config): Promise<Check[]> {
  const checks: Check[] = [];
  let db: Db | null = null;
  try {
    db = openDatabase(config.dbPath, { readonly: true });
    const version = schemaVersion(db);
    const mb = (statSync(config.dbPath).size / 1e6).toFixed(1);
    checks.push(
      version === SCHEMA_VERSION
        ? { name: 'Database', ok: true, detail: `${config.dbPath} opens, schema v${version}, ${mb} MB` }
        : {
            name: 'Database',
            ok: false,
            detail: `${config.dbPath} is at schema v${version}, this tpot needs v${SCHEMA_VERSION}: run \`npx tpot start\` to migrate it`,
          },
    );
  } catch (error) {
    checks.push({ name: 'Database', ok: false, detail: `${(error as Error).message}` });
  }
  checks.push(await checkRest(config));
  if (db) {
    checks.push(checkAccounts(db), checkFreshness(db, config), checkSamples(db));
    db.close();
  }
  return checks;
}

async function checkRest(config: Config): Promise<Check> {
  if (!config.supabaseKey) {
    return {
      name: 'REST API',
      ok: null,
      detail: 'skipped: SUPABASE_KEY is not set (only tpot sync needs it; importing archives does not)',
    };
  }
  const client = new PostgrestClient({
    baseUrl: config.supabaseUrl,
    apiKey: config.supabaseKey,
    timeoutMs: Math.min(config.httpTimeoutMs, 15_000),
    retryBaseMs: config.httpRetryBaseMs,
    retries: 1,
  });
  try {
    const page = await client.page({
      table: 'profile',
      select: ['account_id'],
      key: 'account_id',
      after: null,
      limit: 1,
      count: true,
    });
    const total = page.total === null ? '' : ` (${page.total} profiles)`;
    return { name: 'REST API', ok: true, detail: `${client.restUrl} answered with the key${total}` };
  } catch (error) {
    return { name: 'REST API', ok: false, detail: `${client.restUrl}: ${(error as Error).message}` };
  } finally {
    await client.close();
  }
}

function count(db: Db, sql: string): number {
  return db.prepare(sql).pluck().get() as number;
}

function checkAccounts(db: Db): Check {
  const accounts = count(db, 'SELECT COUNT(*) FROM account');
  const profiles = count(db, 'SELECT COUNT(*) FROM profile');
  const archives = count(db, 'SELECT COUNT(*) FROM archive_profiles');
  const detail = `${accounts} accounts and ${profiles} profiles from the REST API, ${archives} imported archives`;
  return accounts + archives > 0
    ? { name: 'Accounts', ok: true, detail }
    : { name: 'Accounts', ok: false, detail: `${detail}: run tpot sync, tpot import, or npm start for the demo` };
}

function checkFreshness(db: Db, config: Config): Check {
  const rows = db
    .prepare(
      `SELECT table_name AS name, fetched_at AS fetchedAt, status,
              CASE WHEN fetched_at >= datetime('now', ?) THEN 1 ELSE 0 END AS fresh
       FROM cache_metadata`,
    )
    .all(`-${config.cacheMaxAgeDays} days`) as {
    name: string;
    fetchedAt: string | null;
    status: string;
    fresh: number;
  }[];
  const byName = new Map(rows.map((row) => [row.name, row]));
  const states = DEFAULT_SYNC_TABLES.map((name) => {
    const row = byName.get(name);
    if (!row?.fetchedAt) return { name, state: row?.status === 'syncing' ? 'UNFINISHED' : 'NEVER SYNCED', good: false };
    if (row.status === 'syncing') return { name, state: `UNFINISHED (last complete ${row.fetchedAt})`, good: false };
    return { name, state: row.fresh ? `FRESH (${row.fetchedAt})` : `STALE (${row.fetchedAt})`, good: row.fresh === 1 };
  });
  const detail = states.map((s) => `${s.name} ${s.state}`).join('; ');
  if (rows.length === 0 && !config.supabaseKey)
    return { name: 'Cache freshness', ok: null, detail: 'skipped: nothing synced and no SUPABASE_KEY' };
  return states.every((s) => s.good)
    ? { name: 'Cache freshness', ok: true, detail }
    : { name: 'Cache freshness', ok: false, detail: `${detail} — run tpot sync` };
}

function checkSamples(db: Db): Check {
  const samples = db
    .prepare(
      `SELECT username, account_id AS accountId FROM account WHERE username IS NOT NULL
       UNION SELECT username, account_id FROM archive_profiles WHERE username IS NOT NULL
       ORDER BY username LIMIT 5`,
    )
    .all() as { username: string; accountId: string }[];
  return samples.length > 0
    ? { name: 'Sample accounts', ok: true, detail: samples.map((s) => `@${s.username} (${s.accountId})`).join(', ') }
    : { name: 'Sample accounts', ok: false, detail: 'none' };
}
