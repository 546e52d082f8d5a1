/**
 * The demo community written and imported the way a user's archives are: through the real
 * importer from a directory source. What `tpot demo --load` and `tpot start` on an empty cache run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveImporter, type ImportSummary } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import type { Config } from '../config.js';
import { CommunityStore } from '../db/community-store.js';
import { openDatabase } from '../db/database.js';
import { formatSummary, summariseDatabase, topArchiveAccounts } from '../db/summary.js';
import type { Logger } from '../log.js';
import { importCurationFile } from '../communities/curation.js';
import { serialiseCurationFile } from '../communities/curation-file.js';
import { runPropagation } from '../communities/run.js';
import { demoCuration, DEMO_COMMUNITIES_FILE } from './curation.js';
import { writeDemoCommunity, type DemoManifest } from './generator.js';
import { DEFAULT_DEMO_ACCOUNTS, type DemoOptions } from './options.js';

/** Writes the community to `outDir` and logs what was written. */
export async function writeDemo(outDir: string, options: DemoOptions, log: Logger): Promise<DemoManifest> {
  const started = Date.now();
  const manifest = await writeDemoCommunity(outDir, options);
  writeFileSync(join(outDir, DEMO_COMMUNITIES_FILE), serialiseCurationFile(demoCuration(manifest)));
  const mb = (manifest.bytes / 1e6).toFixed(1);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(
    `Wrote ${manifest.accounts.length} demo archives (${manifest.communities} communities, ` +
      `${manifest.population} accounts in the network, ${mb} MB) to ${outDir} in ${seconds} s`,
  );
  return manifest;
}

/**
 * Imports a written demo community into the configured cache; then its named communities and their seeds, and
 * propagates them, so the map is named from the start.
 */
export async function loadDemo(config: Config, outDir: string, log: Logger): Promise<ImportSummary> {
  const db = openDatabase(config.dbPath);
  try {
    const importer = new ArchiveImporter({ db, source: new DirectoryArchiveSource(outDir), logger: log });
    const summary = await importer.importAll();
    const curation = join(outDir, DEMO_COMMUNITIES_FILE);
    // Only into an empty curation: a curator's own names and seeds are never overwritten by the demo's.
    if (existsSync(curation) && new CommunityStore(db).list().length === 0) {
      const imported = importCurationFile(db, curation, 'demo');
      const run = await runPropagation(db);
      log.info(
        `Named ${imported.created + imported.updated} demo communities and propagated their seeds ` +
          `(run ${run.runId}, ${(run.durationMs / 1000).toFixed(1)} s).`,
      );
    }
    log.info(formatSummary(summariseDatabase(db), topArchiveAccounts(db), config.dbPath));
    return summary;
  } finally {
    db.close();
  }
}

/** The default demo community into `<data dir>/demo-archives`, then into the cache. */
export async function writeAndLoadDemo(config: Config, log: Logger): Promise<ImportSummary> {
  const outDir = join(config.dataDir, 'demo-archives');
  await writeDemo(outDir, { accounts: DEFAULT_DEMO_ACCOUNTS }, log);
  return loadDemo(config, outDir, log);
}
