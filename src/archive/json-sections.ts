/**
 * A streaming scanner for archive JSON (docs/FORMATS.md, "Archives"; huge files: "Where archives come from").
 *
 * archive.json is one object whose values are arrays of small items; an X export's `.js` file is
 * one array behind a `window.YTD.<name>.partN = ` prefix. Archives reach hundreds of MB, beyond
 * what `JSON.parse` of one string can hold, so this scanner walks the bytes once, checks the
 * top-level structure itself, and hands out each array item (and each non-array top-level value)
 * as its own small JSON text. The caller parses those with `JSON.parse`, so memory stays bounded by
 * the largest single item.
 *
 * Working on bytes is safe for UTF-8: every structural character (`" \ { } [ ] , :`) is ASCII, and
 * ASCII bytes never occur inside a multi-byte sequence.
 */
import { TpotError } from '../errors.js';

export class ArchiveFormatError extends TpotError {
  constructor(message: string) {
    super('input', message);
  }
}

export type SectionEvent =
  /** One element of a top-level array section. */
  | { kind: 'item'; section: string; index: number; text: string; longIntegers: boolean }
  /** A top-level value that is not an array (e.g. `upload-options`). */
  | { kind: 'value'; section: string; text: string; longIntegers: boolean };

/**
 * Integer literals with this many digits or more may not survive a JS number (2^53 has 16
 * digits). The scanner flags values that contain one outside a string, so only those need the
 * slower id-preserving parse (records.ts `parseItem`).
 */
export const LONG_INTEGER_DIGITS = 16;

export interface ScannerOptions {
  /**
   * 'object': an archive.json document `{ "section": [items…], … }`.
   * 'array': a single array, e.g. an export `.js` file or a one-section `.json` file; its items
   * are reported under `section`.
   */
  mode: 'object' | 'array';
  section?: string;
  /** Skip everything before the first `[` (the `window.YTD.x.part0 = ` wrapper), as CA does. */
  skipToFirstBracket?: boolean;
  /** A single item larger than this fails the archive (default 256 MB). */
  maxValueBytes?: number;
  /** Sections whose values are checked for structure but not decoded or reported. */
  skip?: (section: string) => boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SEMICOLON = 0x3b;

const enum State {
  Start,
  SkipPrefix,
  KeyOrObjectEnd,
  Key,
  KeyString,
  Colon,
  SectionValue,
  FirstItemOrArrayEnd,
  Item,
  AfterItem,
  AfterSectionValue,
  Done,
}

/** What the value being captured will become once complete. */
const enum Target {
  Key,
  Item,
  Value,
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function describe(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16)}`;
}

export class JsonSectionScanner {
  private state: State;
  private offset = 0; // bytes consumed before the current chunk
  private section = '';
  private key = '';
  private itemIndex = 0;
  private sawFirstByte = false;

  // Capture of the value in progress.
  private capturing = false;
  private target: Target = Target.Item;
  private parts: Buffer[] = [];
  private captured = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private digits = 0; // length of the current run of digits outside strings
  private longIntegers = false;

  private readonly maxValueBytes: number;

  constructor(
    private readonly options: ScannerOptions,
    private readonly onEvent: (event: SectionEvent) => void,
  ) {
    this.state = options.skipToFirstBracket ? State.SkipPrefix : State.Start;
    this.maxValueBytes = options.maxValueBytes ?? 256 * 1024 * 1024;
    if (options.mode === 'array') this.section = options.section ?? '';
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (!this.sawFirstByte && chunk.length > 0) {
      this.sawFirstByte = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3; // UTF-8 BOM
    }
    const length = chunk.length;
    while (i < length) {
      if (this.capturing) {
        i = this.continueCapture(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (isWhitespace(byte) && this.state !== State.SkipPrefix) {
        i++;
        continue;
      }
      i = this.step(chunk, i, byte);
    }
    this.offset += length;
  }

  /** Call after the last chunk: throws when the document stopped before its end (truncation). */
  end(): void {
    if (this.state === State.Done && !this.capturing) return;
    const where = this.section ? ` inside section '${this.section}'` : '';
    throw new ArchiveFormatError(
      `Archive JSON ends early at byte ${this.offset}${where}: the download is truncated or the file is incomplete.`,
    );
  }

  private fail(message: string, chunkOffset: number): never {
    throw new ArchiveFormatError(`Malformed archive JSON at byte ${this.offset + chunkOffset}: ${message}`);
  }

  /** Handles one significant byte outside a captured value; returns the next index. */
  private step(chunk: Buffer, i: number, byte: number): number {
    switch (this.state) {
      case State.SkipPrefix:
        if (byte === OPEN_BRACKET) {
          this.state = State.FirstItemOrArrayEnd;
        }
        return i + 1;
      case State.Start:
        if (this.options.mode === 'object') {
          if (byte !== OPEN_BRACE) this.fail(`expected '{' to open the archive, found ${describe(byte)}`, i);
          this.state = State.KeyOrObjectEnd;
        } else {
          if (byte !== OPEN_BRACKET) this.fail(`expected '[' to open the section array, found ${describe(byte)}`, i);
          this.state = State.FirstItemOrArrayEnd;
        }
        return i + 1;
      case State.KeyOrObjectEnd:
        if (byte === CLOSE_BRACE) {
          this.state = State.Done;
          return i + 1;
        }
        return this.beginKey(chunk, i, byte);
      case State.Key:
        return this.beginKey(chunk, i, byte);
      case State.Colon:
        if (byte !== COLON) this.fail(`expected ':' after "${this.key}", found ${describe(byte)}`, i);
        this.state = State.SectionValue;
        return i + 1;
      case State.SectionValue:
        this.section = this.key;
        if (byte === OPEN_BRACKET) {
          this.itemIndex = 0;
          this.state = State.FirstItemOrArrayEnd;
          return i + 1;
        }
        this.state = State.AfterSectionValue;
        return this.beginCapture(chunk, i, Target.Value);
      case State.FirstItemOrArrayEnd:
        if (byte === CLOSE_BRACKET) return this.endArray(i);
        this.state = State.AfterItem;
        return this.beginCapture(chunk, i, Target.Item);
      case State.Item:
        if (byte === CLOSE_BRACKET) this.fail(`trailing ',' before ']' in section '${this.section}'`, i);
        this.state = State.AfterItem;
        return this.beginCapture(chunk, i, Target.Item);
      case State.AfterItem:
        if (byte === COMMA) {
          this.state = State.Item;
          return i + 1;
        }
        if (byte === CLOSE_BRACKET) return this.endArray(i);
        return this.fail(
          `expected ',' or ']' after item ${this.itemIndex - 1} of section '${this.section}', found ${describe(byte)}`,
          i,
        );
      case State.AfterSectionValue:
        if (byte === COMMA) {
          this.state = State.Key;
          return i + 1;
        }
        if (byte === CLOSE_BRACE) {
          this.state = State.Done;
          return i + 1;
        }
        return this.fail(`expected ',' or '}' after section '${this.section}', found ${describe(byte)}`, i);
      case State.Done:
        // An export file may end with ';' after the array.
        if (byte === SEMICOLON && this.options.skipToFirstBracket) return i + 1;
        return this.fail(`unexpected ${describe(byte)} after the end of the document`, i);
      case State.KeyString:
        return this.fail('internal: key capture lost', i);
    }
  }

  private beginKey(chunk: Buffer, i: number, byte: number): number {
    if (byte !== QUOTE) this.fail(`expected a section name in quotes, found ${describe(byte)}`, i);
    this.state = State.KeyString;
    return this.beginCapture(chunk, i, Target.Key);
  }

  private endArray(i: number): number {
    this.state = this.options.mode === 'object' ? State.AfterSectionValue : State.Done;
    return i + 1;
  }

  private beginCapture(chunk: Buffer, i: number, target: Target): number {
    const byte = chunk[i]!;
    this.capturing = true;
    this.target = target;
    this.parts = [];
    this.captured = 0;
    this.depth = 0;
    this.escaped = false;
    this.inString = false;
    this.scalar = false;
    this.digits = 0;
    this.longIntegers = false;
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      this.depth = 1;
    } else if (byte === QUOTE) {
      this.inString = true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === COMMA || byte === COLON) {
      this.fail(`expected a value, found ${describe(byte)}`, i);
    } else {
      this.scalar = true;
      return this.continueCapture(chunk, i);
    }
    return this.continueCapture(chunk, i + 1, i);
  }

  /** Scans the captured value forward; returns the index after it, or chunk.length. */
  private continueCapture(chunk: Buffer, from: number, start = from): number {
    const length = chunk.length;
    let i = from;
    if (this.scalar) {
      while (i < length) {
        const byte = chunk[i]!;
        if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || isWhitespace(byte)) {
          if (i - start + this.captured >= LONG_INTEGER_DIGITS) this.longIntegers = true;
          return this.completeCapture(chunk, start, i, i);
        }
        i++;
      }
      return this.keepPartial(chunk, start);
    }
    let depth = this.depth;
    let digits = this.digits;
    while (i < length) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        if (this.inString) break; // the string goes on in the next chunk
        if (depth === 0) return this.completeCapture(chunk, start, i, i);
        continue;
      }
      const byte = chunk[i]!;
      if (byte >= 0x30 && byte <= 0x39) {
        if (++digits >= LONG_INTEGER_DIGITS) this.longIntegers = true;
      } else {
        digits = 0;
        if (byte === QUOTE) {
          this.inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          depth++;
        } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) return this.completeCapture(chunk, start, i + 1, i + 1);
        }
      }
      i++;
    }
    this.depth = depth;
    this.digits = digits;
    return this.keepPartial(chunk, start);
  }

  /**
   * Inside a string: jumps to the closing quote with indexOf instead of visiting every byte (most
   * of an archive's bytes are tweet text). A quote preceded by an odd run of backslashes is
   * escaped; `escaped` carries a dangling backslash across chunk boundaries.
   */
  private skipString(chunk: Buffer, from: number): number {
    const length = chunk.length;
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    while (i < length) {
      const quote = chunk.indexOf(QUOTE, i);
      const end = quote === -1 ? length : quote;
      let backslashes = 0;
      for (let k = end - 1; k >= i && chunk[k] === BACKSLASH; k--) backslashes++;
      if (quote === -1) {
        this.escaped = backslashes % 2 === 1;
        return length;
      }
      if (backslashes % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      i = quote + 1;
    }
    return i;
  }

  private keepPartial(chunk: Buffer, start: number): number {
    // Copy: the stream may reuse the chunk's memory after this call returns.
    const slice = Buffer.from(chunk.subarray(start));
    this.captured += slice.length;
    if (this.captured > this.maxValueBytes) {
      this.fail(`one item of section '${this.section}' is larger than ${this.maxValueBytes} bytes`, start);
    }
    this.parts.push(slice);
    return chunk.length;
  }

  private completeCapture(chunk: Buffer, start: number, end: number, next: number): number {
    if (this.target !== Target.Key && this.options.skip?.(this.section)) {
      this.parts = [];
      this.capturing = false;
      if (this.target === Target.Item) this.itemIndex++;
      return next;
    }
    let text: string;
    if (this.parts.length === 0) {
      text = chunk.toString('utf8', start, end);
    } else {
      this.parts.push(chunk.subarray(start, end));
      text = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
    }
    this.capturing = false;
    switch (this.target) {
      case Target.Key:
        try {
          this.key = JSON.parse(text) as string;
        } catch {
          this.fail(`section name ${text.slice(0, 40)} is not a valid JSON string`, start);
        }
        this.state = State.Colon;
        break;
      case Target.Item:
        this.onEvent({
          kind: 'item',
          section: this.section,
          index: this.itemIndex++,
          text,
          longIntegers: this.longIntegers,
        });
        break;
      case Target.Value:
        this.onEvent({ kind: 'value', section: this.section, text, longIntegers: this.longIntegers });
        break;
    }
    return next;
  }
}
