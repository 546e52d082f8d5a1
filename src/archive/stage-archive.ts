/**
 * Reads one archive file into a scratch staging file (src/db/archive-stage.ts) and reports what
 * it holds: the pure-CPU half of an import, run in a worker thread by the parser pool so that
 * parsing one archive overlaps the download and the commit of others.
 *
 * A large archive is read in two parts at once, by two threads: its tweets (most of its bytes)
 * and everything else. Each part skips parsing the other's sections and stages into its own
 * file; `mergeParts` puts the two reports together and the commit attaches both files.
 */
import { ArchiveStage, type StageCounts } from '../db/archive-stage.js';
import { readArchiveFile, type ArchiveSink, type ReadStats } from './reader.js';
import type { AccountRecord, ArchiveSection, ProfileRecord, UploadOptions } from './records.js';

export type StagePart = 'whole' | 'tweets' | 'others';

/**
 * The sections each part reads; upload-options in both, since keepPrivate decides about tweets
 * and likes. Tweets are most of an archive's bytes, likes and follows most of its rows (moving the
 * follow lists to the tweets part measured the same on the 250 MB benchmark archive).
 */
const PART_SECTIONS: Record<Exclude<StagePart, 'whole'>, readonly ArchiveSection[]> = {
  tweets: ['upload-options', 'tweets', 'community-tweet', 'note-tweet'],
  others: ['upload-options', 'account', 'profile', 'like', 'follower', 'following'],
};

export interface StageJob {
  archivePath: string;
  stageFile: string;
  /** Keep every tweet instead of the 20 most liked and the 10 most recent. */
  allTweets: boolean;
  /** Count interactions and keep the names mentions carry. */
  interactions: boolean;
  part: StagePart;
}

export interface StagedArchive {
  stageFiles: string[];
  /** Null only from a part that does not read the account section. */
  account: AccountRecord | null;
  profile: ProfileRecord | null;
  uploadOptions: UploadOptions | null;
  counts: StageCounts;
  stats: ReadStats;
}

/** A staged archive ready for commit: its account and its hash are known. */
export type CompleteStage = StagedArchive & { account: AccountRecord; stats: ReadStats & { sha256: string } };

export async function stageArchive(job: StageJob): Promise<StagedArchive> {
  const stage = new ArchiveStage(job.stageFile, { allTweets: job.allTweets, interactions: job.interactions });
  const collector = new ArchiveCollector(stage);
  try {
    const wanted = job.part === 'whole' ? undefined : new Set(PART_SECTIONS[job.part]);
    // The file is hashed once: by the part that reads the account.
    const stats = await readArchiveFile(job.archivePath, collector, {
      ...(wanted ? { wanted } : {}),
      hash: job.part !== 'tweets',
    });
    const counts = stage.complete();
    return {
      stageFiles: [job.stageFile],
      account: collector.accountRecord,
      profile: collector.profileRecord,
      uploadOptions: collector.options,
      counts,
      stats,
    };
  } catch (error) {
    stage.discard();
    throw error;
  }
}

/** One report for the parts of an archive; every staged table is filled by exactly one part, so counts add up. */
export function mergeParts(parts: readonly StagedArchive[]): CompleteStage {
  const account = parts.find((part) => part.account)?.account ?? null;
  if (!account) throw new Error("the archive has no 'account' section with an accountId");
  const sha256 = parts.find((part) => part.stats.sha256)?.stats.sha256;
  if (!sha256) throw new Error('internal error: no part of the archive computed its hash');
  const sum = (field: keyof StageCounts) => parts.reduce((total, part) => total + part.counts[field], 0);
  return {
    stageFiles: parts.flatMap((part) => part.stageFiles),
    account,
    profile: parts.find((part) => part.profile)?.profile ?? null,
    uploadOptions: parts.find((part) => part.uploadOptions)?.uploadOptions ?? null,
    counts: {
      tweets: sum('tweets'),
      likes: sum('likes'),
      followers: sum('followers'),
      following: sum('following'),
      duplicates: sum('duplicates'),
      noteTweetsJoined: sum('noteTweetsJoined'),
      interactions: sum('interactions'),
      interactionsSkipped: sum('interactionsSkipped'),
    },
    stats: {
      ...parts[0]!.stats,
      sha256,
      sections: [...new Set(parts.flatMap((part) => part.stats.sections))],
    },
  };
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
