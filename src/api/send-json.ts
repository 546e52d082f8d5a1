/**
 * Sending the large JSON bodies (graph data, metrics): compressed once per encoding and kept with
 * the cached body, so a cache hit sends bytes that are already compressed. Compression runs on
 * libuv's thread pool (async zlib), not on the event loop. Small responses go through
 * @fastify/compress instead.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Encoding = 'br' | 'gzip';

const compressors: Record<Encoding, (text: string) => Promise<Buffer>> = {
  // Quality 5: most of brotli's gain at a fraction of the cost of its default 11.
  br: (text) => promisify(brotliCompress)(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) } }),
  gzip: (text) => promisify(gzip)(text, { level: 6 }),
};

export interface CachedBody {
  json: string;
  /** For the cache's memory bound. */
  approxBytes: number;
  encoded: Map<Encoding, Promise<Buffer>>;
}

export function cachedBody(json: string): CachedBody {
  return { json, approxBytes: json.length, encoded: new Map() };
}

/** The first of `preferred` that the request's Accept-Encoding allows (q > 0), or null. */
export function negotiate(acceptEncoding: string | undefined, preferred: readonly Encoding[]): Encoding | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!, q ? Number(q.slice(2)) || 0 : 1);
  }
  return preferred.find((encoding) => (accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0) ?? null;
}

export async function sendJsonBody(request: FastifyRequest, reply: FastifyReply, body: CachedBody, preferred: readonly Encoding[]): Promise<FastifyReply> {
  reply.header('Vary', 'Accept-Encoding').type('application/json; charset=utf-8');
  const encoding = negotiate(request.headers['accept-encoding'], preferred);
  if (!encoding) return reply.send(body.json);
  let bytes = body.encoded.get(encoding);
  if (!bytes) {
    bytes = compressors[encoding](body.json);
    body.encoded.set(encoding, bytes);
    bytes.then((buffer) => (body.approxBytes += buffer.length), () => body.encoded.delete(encoding));
  }
  return reply.header('Content-Encoding', encoding).send(await bytes);
}
