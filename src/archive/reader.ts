/**
 * Reads one archive file — a Community Archive archive.json or a Twitter/X export `.zip` — section
 * by section and hands typed records to a sink, in one streaming pass (docs/FORMATS.md, "Archives").
 * The file kind is recognised by its first bytes, whatever its name or Content-Type.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import yauzl from 'yauzl';
import { JsonSectionScanner, ArchiveFormatError, type SectionEvent } from './json-sections.js';
import {
  canonicalSection,
  parseItem,
  toAccount,
  toEdgeAccountId,
  toLike,
  toNoteTweet,
  toProfile,
  toTweet,
  toUploadOptions,
  type AccountRecord,
  type ArchiveSection,
  type LikeRecord,
  type NoteTweetRecord,
  type ProfileRecord,
  type TweetRecord,
  type UploadOptions,
} from './records.js';
import { errorMessage } from '../errors.js';

export interface ArchiveSink {
  uploadOptions(options: UploadOptions): void;
  account(record: AccountRecord): void;
  profile(record: ProfileRecord): void;
  /** Tweets from `tweets` and `community-tweet` alike. */
  tweet(record: TweetRecord): void;
  like(record: LikeRecord): void;
  follower(accountId: string): void;
  following(accountId: string): void;
  noteTweet(record: NoteTweetRecord): void;
}

export interface ReadStats {
  kind: 'json' | 'zip';
  bytes: number;
  /** Null when the read was asked not to hash. */
  sha256: string | null;
  sections: ArchiveSection[];
}

const READ_CHUNK = 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export interface ReadOptions {
  /** Only these sections: items of others are skipped without being decoded or parsed. */
  wanted?: ReadonlySet<ArchiveSection>;
  /** Compute the file's SHA-256 (default true); one part of an archive read in two parts skips it. */
  hash?: boolean;
}

/**
 * Reads an archive file into `sink`. The parser pool reads a large archive in two parts at once,
 * each with its own `wanted` sections (src/archive/stage-archive.ts).
 */
export async function readArchiveFile(path: string, sink: ArchiveSink, options: ReadOptions = {}): Promise<ReadStats> {
  return (await isZipFile(path)) ? readExportZip(path, sink, options) : readArchiveJson(path, sink, options);
}

async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ZIP_MAGIC);
  } finally {
    await handle.close();
  }
}

/** Routes scanner events to the sink, converting each item with its section's normaliser. */
class SectionDispatcher {
  readonly sections = new Set<ArchiveSection>();

  constructor(
    private readonly sink: ArchiveSink,
    private readonly wanted?: ReadonlySet<ArchiveSection>,
  ) {}

  handle = (event: SectionEvent): void => {
    const section = canonicalSection(event.section);
    if (section === null) return; // sections this tool does not read (e.g. future additions)
    this.sections.add(section);
    if (this.wanted && !this.wanted.has(section)) return;
    if (event.kind === 'value') {
      const value = parseItem(event.text, `section '${event.section}'`, event.longIntegers);
      if (section === 'upload-options') this.sink.uploadOptions(toUploadOptions(value));
      else if ((section === 'account' || section === 'profile') && typeof value === 'object' && value !== null)
        this.item(section, value, `${event.section}`);
      else
        throw new ArchiveFormatError(
          `section '${event.section}' must be an array, found ${value === null ? 'null' : typeof value}`,
        );
      return;
    }
    const where = `${event.section}[${event.index}]`;
    if (section === 'upload-options')
      throw new ArchiveFormatError(`section 'upload-options' must be an object, found an array`);
    this.item(section, parseItem(event.text, where, event.longIntegers), where);
  };

  private item(section: ArchiveSection, value: unknown, where: string): void {
    switch (section) {
      case 'account':
        this.sink.account(toAccount(value, where));
        break;
      case 'profile':
        this.sink.profile(toProfile(value, where));
        break;
      case 'tweets':
      case 'community-tweet':
        this.sink.tweet(toTweet(value, where));
        break;
      case 'like':
        this.sink.like(toLike(value, where));
        break;
      case 'follower':
        this.sink.follower(toEdgeAccountId(value, 'follower', where));
        break;
      case 'following':
        this.sink.following(toEdgeAccountId(value, 'following', where));
        break;
      case 'note-tweet': {
        const note = toNoteTweet(value, where);
        if (note) this.sink.noteTweet(note);
        break;
      }
      case 'upload-options':
        break;
    }
  }
}

/** archive.json: one object of sections, read in 1 MB chunks. */
export async function readArchiveJson(
  path: string,
  sink: ArchiveSink,
  { wanted, hash: hashing = true }: ReadOptions = {},
): Promise<ReadStats> {
  const dispatcher = new SectionDispatcher(sink, wanted);
  const skip = wanted
    ? (name: string) => {
        const section = canonicalSection(name);
        return section === null || !wanted.has(section);
      }
    : undefined;
  const scanner = new JsonSectionScanner({ mode: 'object', ...(skip ? { skip } : {}) }, dispatcher.handle);
  const hash = hashing ? createHash('sha256') : null;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
    const buffer = chunk as Buffer;
    hash?.update(buffer);
    bytes += buffer.length;
    scanner.push(buffer);
  }
  scanner.end();
  return { kind: 'json', bytes, sha256: hash?.digest('hex') ?? null, sections: [...dispatcher.sections] };
}

// data/<name>.js and data/<name>-partN.js (docs/FORMATS.md, "The X data export"); `tweet.js` is the pre-2022 name.
const EXPORT_ENTRY =
  /(?:^|\/)data\/(account|profile|tweets?|like|follower|following|note-tweet|community-tweet)(?:-part\d+)?\.js$/;

/** The section an export zip entry holds, or null when the entry is not read (media, DMs, macOS junk). */
export function exportEntrySection(fileName: string): string | null {
  if (fileName.includes('__MACOSX/') || /(?:^|\/)\._/.test(fileName)) return null;
  const match = EXPORT_ENTRY.exec(fileName);
  return match ? match[1]! : null;
}

/** A Twitter/X export zip: each `data/*.js` entry is one section behind a `window.YTD…` prefix. */
export async function readExportZip(
  path: string,
  sink: ArchiveSink,
  { wanted, hash: hashing = true }: ReadOptions = {},
): Promise<ReadStats> {
  const dispatcher = new SectionDispatcher(sink, wanted);
  const zip = await openZip(path);
  try {
    for await (const entry of zipEntries(zip)) {
      const section = exportEntrySection(entry.fileName);
      const canonical = section === null ? null : canonicalSection(section);
      if (section === null || canonical === null || (wanted && !wanted.has(canonical))) continue;
      const scanner = new JsonSectionScanner({ mode: 'array', section, skipToFirstBracket: true }, dispatcher.handle);
      for await (const chunk of await openZipEntry(zip, entry)) scanner.push(chunk as Buffer);
      try {
        scanner.end();
      } catch (error) {
        throw new ArchiveFormatError(`${entry.fileName}: ${errorMessage(error)}`);
      }
    }
  } finally {
    zip.close();
  }
  const bytes = statSync(path).size;
  return { kind: 'zip', bytes, sha256: hashing ? await sha256File(path) : null, sections: [...dispatcher.sections] };
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip)
        reject(new ArchiveFormatError(`Not a readable zip file: ${error?.message ?? 'unknown error'}`));
      else resolve(zip);
    });
  });
}

async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => {
        cleanup();
        resolve(e);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new ArchiveFormatError(`Damaged zip file: ${error.message}`));
      };
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (entry === null) return;
    yield entry;
  }
}

function openZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream)
        reject(
          new ArchiveFormatError(`Cannot read ${entry.fileName} in the zip: ${error?.message ?? 'unknown error'}`),
        );
      else resolve(stream);
    });
  });
}
