/**
 * Reads one archive file into a scratch staging file (src/db/archive-stage.ts) and reports what
 * it holds: the pure-CPU half of an import, run in a worker thread by the parser pool so that
 * parsing one archive overlaps the download and the commit of others.
 */
import { ArchiveStage, type StageCounts } from '../db/archive-stage.js';
import { readArchiveFile, type ArchiveSink, type ReadStats } from './reader.js';
import type { AccountRecord, ProfileRecord, UploadOptions } from './records.js';

export interface StageJob {
  archivePath: string;
  stageFile: string;
  /** Keep every tweet instead of the 20 most liked and the 10 most recent. */
  allTweets: boolean;
}

export interface StagedArchive {
  stageFile: string;
  account: AccountRecord;
  profile: ProfileRecord | null;
  uploadOptions: UploadOptions | null;
  counts: StageCounts;
  stats: ReadStats;
}

export async function stageArchive(job: StageJob): Promise<StagedArchive> {
  const stage = new ArchiveStage(job.stageFile, { allTweets: job.allTweets });
  const collector = new ArchiveCollector(stage);
  try {
    const stats = await readArchiveFile(job.archivePath, collector);
    if (!collector.accountRecord) throw new Error("the archive has no 'account' section with an accountId");
    const counts = stage.complete();
    return { stageFile: job.stageFile, account: collector.accountRecord, profile: collector.profileRecord, uploadOptions: collector.options, counts, stats };
  } catch (error) {
    stage.discard();
    throw error;
  }
}

/** The sink for one archive: rows go to the stage; the account, profile and options are kept. */
class ArchiveCollector implements ArchiveSink {
  accountRecord: AccountRecord | null = null;
  profileRecord: ProfileRecord | null = null;
  options: UploadOptions | null = null;

  constructor(private readonly stage: ArchiveStage) {}

  uploadOptions(options: UploadOptions): void {
    this.options = options;
  }
  account(record: AccountRecord): void {
    this.accountRecord ??= record; // account[0], as every reader of the format does
  }
  profile(record: ProfileRecord): void {
    this.profileRecord ??= record;
  }
  // upload-options comes first in web uploads, so keepPrivate is known before tweets and likes.
  tweet: ArchiveSink['tweet'] = (record) => {
    if (!this.options?.keepPrivate) this.stage.tweet(record);
  };
  like: ArchiveSink['like'] = (record) => {
    if (!this.options?.keepPrivate) this.stage.like(record);
  };
  follower: ArchiveSink['follower'] = (id) => this.stage.follower(id);
  following: ArchiveSink['following'] = (id) => this.stage.following(id);
  noteTweet: ArchiveSink['noteTweet'] = (record) => {
    if (!this.options?.keepPrivate) this.stage.noteTweet(record);
  };
}
