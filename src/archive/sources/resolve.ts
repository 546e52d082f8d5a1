/**
 * `--source` / TPOT_ARCHIVE_SOURCE to an ArchiveSource: a value with `{username}` is a
 * URL template, a `.zip` file is an export, a directory is a directory of archives.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config.js';
import { DirectoryArchiveSource } from './directory-source.js';
import { HttpArchiveSource } from './http-source.js';
import type { ArchiveSource } from './source.js';
import { ZipArchiveSource } from './zip-source.js';
import { TpotError } from '../../errors.js';

export class SourceError extends TpotError {
  constructor(message: string) {
    super('usage', message);
  }
}

export function resolveArchiveSource(spec: string, config: Config, cwd = process.cwd()): ArchiveSource {
  if (spec.includes('{username}')) {
    let url: URL;
    try {
      url = new URL(spec.replaceAll('{username}', 'x'));
    } catch {
      throw new SourceError(`Archive source ${JSON.stringify(spec)} has {username} but is not a valid URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SourceError(`Archive source URL must be http or https, got ${url.protocol}`);
    }
    const key = config.supabaseKey;
    return new HttpArchiveSource({
      template: spec,
      spoolDir: join(config.dataDir, 'tmp'),
      timeoutMs: config.httpTimeoutMs,
      retryBaseMs: config.httpRetryBaseMs,
      ...(key
        ? {
            authHeaders: { apikey: key, authorization: `Bearer ${key}` },
            authOrigin: new URL(config.supabaseUrl).origin,
          }
        : {}),
    });
  }
  const path = resolve(cwd, spec);
  if (!existsSync(path)) {
    throw new SourceError(
      `Archive source not found: ${path}. ` +
        'Give a directory of <username>/archive.json files, an export .zip, or a URL template with {username}.',
    );
  }
  return statSync(path).isDirectory() ? new DirectoryArchiveSource(path) : new ZipArchiveSource(path);
}
