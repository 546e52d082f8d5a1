/**
 * Archives in a local directory: `<dir>/<username>/archive.json` or `<dir>/<username>.json`
 * (CA's own worker reads this layout from DEV_ARCHIVE_PATH). Names are matched
 * case-insensitively; the file's mtime stands in for Last-Modified.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toSqliteUtc } from '../../time.js';
import { isValidUsername } from '../../usernames.js';
import type { ArchiveSource, FetchedArchive, NotFound } from './source.js';

export class DirectoryArchiveSource implements ArchiveSource {
  readonly description: string;
  private index: Map<string, string> | null = null;

  constructor(private readonly dir: string) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`Archive directory not found: ${dir}`);
    this.description = `directory ${dir}`;
  }

  /** lower-case username → archive file, built once from the directory listing. */
  private files(): Map<string, string> {
    if (this.index) return this.index;
    const index = new Map<string, string>();
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      if (entry.isDirectory() && isValidUsername(entry.name)) {
        const file = join(this.dir, entry.name, 'archive.json');
        if (existsSync(file)) index.set(entry.name.toLowerCase(), file);
      } else if (entry.isFile() && entry.name.endsWith('.json')) {
        const name = entry.name.slice(0, -'.json'.length);
        if (isValidUsername(name) && !index.has(name.toLowerCase()))
          index.set(name.toLowerCase(), join(this.dir, entry.name));
      }
    }
    this.index = index;
    return index;
  }

  locate(username: string): string {
    return this.files().get(username) ?? join(this.dir, username, 'archive.json');
  }

  async listUsernames(): Promise<string[]> {
    return [...this.files().keys()].sort();
  }

  async fetch(username: string): Promise<FetchedArchive | NotFound> {
    const path = this.files().get(username);
    if (!path) return { notFound: true, location: this.locate(username), reason: 'no such file' };
    return {
      username,
      location: path,
      path,
      lastModified: toSqliteUtc(statSync(path).mtime),
      etag: null,
      release: async () => undefined,
    };
  }
}
