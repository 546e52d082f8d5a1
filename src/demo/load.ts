/**
 * The demo community written and imported the way a user's archives are: through the real
 * importer from a directory source. What `tpot demo --load` and `tpot start` on an empty cache run.
 */
import { join } from 'node:path';
import { ArchiveImporter, type ImportSummary } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { formatSummary, summariseDatabase, topArchiveAccounts } from '../db/summary.js';
import type { Logger } from '../log.js';
import { writeDemoCommunity, type DemoManifest } from './generator.js';
import { DEFAULT_DEMO_ACCOUNTS, type DemoOptions } from './options.js';

/** Writes the community to `outDir` and logs what was written. */
export async function writeDemo(outDir: string, options: DemoOptions, log: Logger): Promise<DemoManifest> {
  const started = Date.now();
  const manifest = await writeDemoCommunity(outDir, options);
  const mb = (manifest.bytes / 1e6).toFixed(1);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(
    `Wrote ${manifest.accounts.length} demo archives (${manifest.communities} communities, ` +
      `${manifest.population} accounts in the network, ${mb} MB) to ${outDir} in ${seconds} s`,
  );
  return manifest;
}

/** Imports a written demo community into the configured cache. */
export async function loadDemo(config: Config, outDir: string, log: Logger): Promise<ImportSummary> {
  const db = openDatabase(config.dbPath);
  try {
    const importer = new ArchiveImporter({ db, source: new DirectoryArchiveSource(outDir), logger: log });
    const summary = await importer.importAll();
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
