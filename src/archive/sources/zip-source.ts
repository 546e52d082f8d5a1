/**
 * The user's own Twitter/X data export, a `.zip` (docs/FORMATS.md, "The X data export"). One zip holds one
 * account; its username is read from `data/account.js`.
 */
import { statSync } from 'node:fs';
import { toSqliteUtc } from '../../time.js';
import { readExportZip, type ArchiveSink } from '../reader.js';
import { normaliseUsername } from '../../usernames.js';
import type { ArchiveSource, FetchedArchive, NotFound } from './source.js';

export class ZipArchiveSource implements ArchiveSource {
  readonly description: string;
  private username: Promise<string> | null = null;

  constructor(private readonly path: string) {
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new Error(`Export zip not found: ${path}`);
    this.description = `export zip ${path}`;
  }

  locate(): string {
    return this.path;
  }

  /** The export's own username, read once from data/account.js. */
  private owner(): Promise<string> {
    this.username ??= readOwner(this.path);
    return this.username;
  }

  async listUsernames(): Promise<string[]> {
    return [await this.owner()];
  }

  async fetch(username: string): Promise<FetchedArchive | NotFound> {
    const owner = await this.owner();
    if (owner !== username) return { notFound: true, location: this.path, reason: `the export belongs to '${owner}'` };
    return {
      username,
      location: this.path,
      path: this.path,
      lastModified: toSqliteUtc(statSync(this.path).mtime),
      etag: null,
      release: async () => undefined,
    };
  }
}

async function readOwner(path: string): Promise<string> {
  let username: string | null = null;
  const ignore = () => undefined;
  const sink: ArchiveSink = {
    account: (record) => {
      username ??= record.username;
    },
    uploadOptions: ignore,
    profile: ignore,
    tweet: ignore,
    like: ignore,
    follower: ignore,
    following: ignore,
    noteTweet: ignore,
  };
  await readExportZip(path, sink, { wanted: new Set(['account']), hash: false });
  if (!username) throw new Error(`The export ${path} has no data/account.js with a username`);
  return normaliseUsername(username);
}
