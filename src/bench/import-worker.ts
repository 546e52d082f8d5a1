/**
 * Child-process entry for the import benchmark (docs/BENCHMARKS.md): the importer alone, so that its peak
 * RSS (`process.resourceUsage().maxRSS`) is the importer's and no one else's. It opens a fresh
 * database, imports every archive of the job over HTTP with the real ArchiveImporter and
 * HttpArchiveSource, and reports the wall time of importAll() only, with the rows written.
 *
 * Protocol: receives an ImportJob, answers an ImportOutcome, then exits.
 */
import { ArchiveImporter, type ImportSummary } from '../archive/importer.js';
import { HttpArchiveSource } from '../archive/sources/http-source.js';
import { openDatabase } from '../db/database.js';
import { exitWithParent } from './children.js';

export interface ImportJob {
  dbPath: string;
  template: string;
  spoolDir: string;
  concurrency: number;
  usernames: string[];
  /** The importer's `interactions` option. */
  interactions: boolean;
}

export interface ImportOutcome {
  imported: number;
  failed: number;
  notFound: number;
  /** The failures' messages, `username: reason`. */
  errors: string[];
  bytes: number;
  /** Rows written: stored followers + following + likes + tweets, summed over the archives. */
  rows: number;
  /** Wall time of importAll(). */
  seconds: number;
  /** Peak resident set size of this process, in KiB. */
  maxRssKb: number;
}

process.once('message', (job: ImportJob) => {
  void runJob(job).then((outcome) => process.send?.(outcome, () => process.exit(0)));
});
exitWithParent(() => undefined);

async function runJob(job: ImportJob): Promise<ImportOutcome> {
  const db = openDatabase(job.dbPath);
  const source = new HttpArchiveSource({
    template: job.template,
    spoolDir: job.spoolDir,
    timeoutMs: 30_000,
    retryBaseMs: 1000,
  });
  const importer = new ArchiveImporter({ db, source, concurrency: job.concurrency, interactions: job.interactions });
  const started = process.hrtime.bigint();
  const summary = await importer.importAll({ usernames: job.usernames });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return { ...tally(summary), seconds, maxRssKb: process.resourceUsage().maxRSS };
}

function tally(summary: ImportSummary): Omit<ImportOutcome, 'seconds' | 'maxRssKb'> {
  let rows = 0;
  for (const { stored } of summary.results) {
    if (stored) rows += stored.followers + stored.following + stored.likes + stored.tweetsStored;
  }
  const errors = summary.results
    .filter((result) => result.status === 'failed')
    .map((result) => `${result.username}: ${result.error}`);
  return {
    imported: summary.imported,
    failed: summary.failed,
    notFound: summary.notFound,
    errors,
    bytes: summary.bytes,
    rows,
  };
}
