/**
 * A data directory for API tests: the demo community imported through the real importer, a few
 * shadow accounts and edges (so shadow flags and search order have something to show), optionally
 * the demo's named communities with a stored propagation run (as `tpot demo` leaves them), and a
 * snapshot written by the real refresh; plus a real server on 127.0.0.1 over it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { apiContext, startServer, type RunningServer } from '../api/serve.js';
import { resolveConfig, type ConfigOverrides } from '../config.js';
import { openDatabase } from '../db/database.js';
import { importCurationFile } from '../communities/curation.js';
import { serialiseCurationFile } from '../communities/curation-file.js';
import { runPropagation } from '../communities/run.js';
import { demoCuration, DEMO_COMMUNITIES_FILE } from '../demo/curation.js';
import { writeDemoCommunity, type DemoManifest } from '../demo/generator.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { silentLogger } from '../log.js';

export interface ApiFixture {
  /** Working directory of the server: `config/` lives here. */
  root: string;
  dataDir: string;
  dbPath: string;
  demo: DemoManifest;
  /** The shadow accounts added: handles and ids. */
  shadow: { id: string; username: string }[];
}

export const SHADOW_ACCOUNTS = [
  { id: '1900000000000000001', username: 'shadowfox' },
  { id: '1900000000000000002', username: 'shadowmoth' },
];

export interface ApiFixtureOptions {
  /** The demo's named communities and seeds, propagated (one stored run), before the snapshot is written. */
  named?: boolean;
}

export async function createApiFixture(
  root: string,
  accounts = 30,
  options: ApiFixtureOptions = {},
): Promise<ApiFixture> {
  const dataDir = join(root, 'data');
  const dbPath = join(dataDir, 'cache.db');
  mkdirSync(join(root, 'config'), { recursive: true });
  const demo = await writeDemoCommunity(join(dataDir, 'demo-archives'), { accounts });
  const db = openDatabase(dbPath);
  try {
    await new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(dataDir, 'demo-archives')) }).importAll();
    const now = '2026-01-01 00:00:00';
    const [first, second] = [demo.accounts[0]!, demo.accounts[1]!];
    const account = db.prepare(
      `INSERT INTO shadow_account (account_id, username, display_name, bio, followers_count, following_count,
         source_channel, fetched_at, account_status)
       VALUES (?, ?, ?, ?, ?, ?, 'browser', ?, 'active')`,
    );
    const edge = db.prepare(
      `INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at)
       VALUES (?, ?, 'outbound', 'browser', ?)`,
    );
    for (const s of SHADOW_ACCOUNTS) account.run(s.id, s.username, `Shadow ${s.username}`, 'read from X', 12, 34, now);
    edge.run(SHADOW_ACCOUNTS[0]!.id, first.accountId, now);
    edge.run(first.accountId, SHADOW_ACCOUNTS[0]!.id, now);
    edge.run(SHADOW_ACCOUNTS[1]!.id, second.accountId, now);
    if (options.named) {
      const file = join(dataDir, DEMO_COMMUNITIES_FILE);
      writeFileSync(file, serialiseCurationFile(demoCuration(demo)));
      importCurationFile(db, file, 'demo');
      await runPropagation(db);
    }
    refreshSnapshot(db, dataDir, { ...GRAPH_DEFAULTS, seeds: [], layoutIterations: 20 });
  } finally {
    db.close();
  }
  return { root, dataDir, dbPath, demo, shadow: SHADOW_ACCOUNTS };
}

/** A server over the fixture; `withoutExplorer` serves it as an install whose web/dist is not built. */
export async function startFixtureServer(
  fixture: Pick<ApiFixture, 'root' | 'dataDir'>,
  overrides: ConfigOverrides = {},
  options: { withoutExplorer?: boolean } = {},
): Promise<RunningServer> {
  const config = resolveConfig(
    { dataDir: fixture.dataDir, logDir: join(fixture.root, 'logs'), host: '127.0.0.1', port: 0, ...overrides },
    {},
    fixture.root,
  );
  const log = silentLogger();
  const context = apiContext(config, log, {
    settingsPath: join(fixture.root, 'config', 'graph_settings.json'),
    presetsPath: join(fixture.root, 'config', 'seed_presets.json'),
  });
  if (options.withoutExplorer) context.webRoot = null;
  return startServer(config, log, context);
}
