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
import { rowCounts, sampleAccounts } from '../db/summary.js';
import { SyncStore } from '../db/sync-store.js';
import { errorMessage } from '../errors.js';
import { toSqliteUtc } from '../time.js';
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
            detail:
              `${config.dbPath} is at schema v${version}, this tpot needs v${SCHEMA_VERSION}: ` +
              'run `npx tpot start` to migrate it',
          },
    );
  } catch (error) {
    checks.push({ name: 'Database', ok: false, detail: errorMessage(error) });
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
      key: ['account_id'],
      after: null,
      limit: 1,
      count: true,
    });
    const total = page.total === null ? '' : ` (${page.total} profiles)`;
    return { name: 'REST API', ok: true, detail: `${client.restUrl} answered with the key${total}` };
  } catch (error) {
    return { name: 'REST API', ok: false, detail: `${client.restUrl}: ${errorMessage(error)}` };
  } finally {
    await client.close();
  }
}

function checkAccounts(db: Db): Check {
  const {
    account: accounts,
    profile: profiles,
    archive_profiles: archives,
  } = rowCounts(db, ['account', 'profile', 'archive_profiles']);
  const detail = `${accounts} accounts and ${profiles} profiles from the REST API, ${archives} imported archives`;
  return accounts + archives > 0
    ? { name: 'Accounts', ok: true, detail }
    : { name: 'Accounts', ok: false, detail: `${detail}: run tpot sync, tpot import, or npm start for the demo` };
}

function checkFreshness(db: Db, config: Config): Check {
  const rows = new SyncStore(db).states();
  // Fresh: fetched at or after this moment (UTC text compares in time order).
  const cutoff = toSqliteUtc(new Date(Date.now() - config.cacheMaxAgeDays * 86_400_000));
  const byName = new Map(rows.map((row) => [row.table, row]));
  const states = DEFAULT_SYNC_TABLES.map((name) => {
    const row = byName.get(name);
    if (!row?.fetchedAt) return { name, state: row?.status === 'syncing' ? 'UNFINISHED' : 'NEVER SYNCED', good: false };
    if (row.status === 'syncing') return { name, state: `UNFINISHED (last complete ${row.fetchedAt})`, good: false };
    const fresh = row.fetchedAt >= cutoff;
    return { name, state: fresh ? `FRESH (${row.fetchedAt})` : `STALE (${row.fetchedAt})`, good: fresh };
  });
  const detail = states.map((s) => `${s.name} ${s.state}`).join('; ');
  if (rows.length === 0 && !config.supabaseKey)
    return { name: 'Cache freshness', ok: null, detail: 'skipped: nothing synced and no SUPABASE_KEY' };
  return states.every((s) => s.good)
    ? { name: 'Cache freshness', ok: true, detail }
    : { name: 'Cache freshness', ok: false, detail: `${detail} — run tpot sync` };
}

function checkSamples(db: Db): Check {
  const samples = sampleAccounts(db, 5);
  return samples.length > 0
    ? { name: 'Sample accounts', ok: true, detail: samples.map((s) => `@${s.username} (${s.accountId})`).join(', ') }
    : { name: 'Sample accounts', ok: false, detail: 'none' };
}
