/**
 * Sending the large JSON bodies (graph data, metrics) fast.
 *
 * A body is a list of pieces: text written for this request, or pieces prepared once per graph
 * version (the seed-independent metric maps) and kept already deflated. gzip is assembled from
 * deflate streams: each piece is compressed on its own, ending in a sync flush, so the pieces
 * concatenate into one valid deflate stream (RFC 1951 §3.2.3: only the last block is final), and
 * the gzip trailer's CRC-32 runs over the pieces in order (RFC 1952). So a request compresses only
 * its own text, in parallel on libuv's thread pool — never the whole body on the event loop.
 * Compressed bytes are kept with the cached body, so a cache hit sends ready bytes. brotli, which
 * cannot be assembled this way, is used only for clients that do not take gzip.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, crc32, deflateRaw } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Encoding = 'gzip' | 'br';

const deflateRawAsync = promisify(deflateRaw);
const brotliAsync = promisify(brotliCompress);

/** A piece compressed ahead of time. */
export interface PreparedPiece {
  raw: Buffer;
  deflated: Buffer;
}

export type BodyPiece = string | PreparedPiece;

/** Text is compressed in slices of about this many characters, so slices run in parallel. */
const SLICE_CHARS = 1 << 20;

async function deflatePiece(raw: Buffer, level: number): Promise<Buffer> {
  return deflateRawAsync(raw, { level, finishFlush: constants.Z_SYNC_FLUSH });
}

/** Compresses `text` now (in parallel slices), to be spliced into gzip bodies later. */
export async function preparePiece(text: string, level = 6): Promise<PreparedPiece> {
  const raws = slices(text).map((slice) => Buffer.from(slice));
  const deflated = await Promise.all(raws.map((raw) => deflatePiece(raw, level)));
  return { raw: Buffer.concat(raws), deflated: Buffer.concat(deflated) };
}

/** Slices of at most ~SLICE_CHARS, never splitting a surrogate pair. */
function slices(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + SLICE_CHARS);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block with fixed Huffman codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** One gzip member from pieces, each compressed separately (and in parallel) at `level`. */
export async function gzipPieces(pieces: readonly BodyPiece[], level: number): Promise<Buffer> {
  const parts: (Buffer | PreparedPiece)[] = pieces.flatMap((piece): (Buffer | PreparedPiece)[] =>
    typeof piece === 'string' ? slices(piece).map((text) => Buffer.from(text)) : [piece],
  );
  const deflated = await Promise.all(
    parts.map((part) => (Buffer.isBuffer(part) ? deflatePiece(part, level) : Promise.resolve(part.deflated))),
  );
  let crc = 0;
  let size = 0;
  for (const part of parts) {
    const raw = Buffer.isBuffer(part) ? part : part.raw;
    crc = crc32(raw, crc);
    size += raw.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, ...deflated, FINAL_BLOCK, trailer]);
}

export interface CachedBodyOptions {
  /** zlib level for text pieces (1 for per-request bodies, higher for bodies built once). */
  gzipLevel: number;
  brotliQuality: number;
}

/** A response body kept in a cache, with its encodings made on first use. */
export class CachedBody {
  private identityBytes: Buffer | null = null;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();
  approxBytes: number;

  constructor(
    private readonly pieces: readonly BodyPiece[],
    private readonly options: CachedBodyOptions = { gzipLevel: 1, brotliQuality: 1 },
  ) {
    this.approxBytes = pieces.reduce(
      (sum, piece) => sum + (typeof piece === 'string' ? piece.length : piece.raw.length),
      0,
    );
  }

  identity(): Buffer {
    this.identityBytes ??= Buffer.concat(
      this.pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece.raw)),
    );
    return this.identityBytes;
  }

  encode(encoding: Encoding): Promise<Buffer> {
    let bytes = this.encoded.get(encoding);
    if (!bytes) {
      bytes =
        encoding === 'gzip'
          ? gzipPieces(this.pieces, this.options.gzipLevel)
          : brotliAsync(this.identity(), { params: { [constants.BROTLI_PARAM_QUALITY]: this.options.brotliQuality } });
      this.encoded.set(encoding, bytes);
      bytes.then(
        (buffer) => (this.approxBytes += buffer.length),
        () => this.encoded.delete(encoding),
      );
    }
    return bytes;
  }
}

/** The first of gzip, br that the request's Accept-Encoding allows (q > 0), or null. */
export function negotiate(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!, q ? Number(q.slice(2)) || 0 : 1);
  }
  return (['gzip', 'br'] as const).find((encoding) => (accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0) ?? null;
}

export async function sendBody(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CachedBody,
  type = 'application/json; charset=utf-8',
): Promise<FastifyReply> {
  reply.header('Vary', 'Accept-Encoding').type(type);
  const encoding = negotiate(request.headers['accept-encoding']);
  if (!encoding) return reply.send(body.identity());
  return reply.header('Content-Encoding', encoding).send(await body.encode(encoding));
}
