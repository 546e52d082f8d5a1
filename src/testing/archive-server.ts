/**
 * A local HTTP archive server for tests and benchmarks: serves archives at
 * `/<username>/archive.json` on 127.0.0.1 with the faults a real blob store or mirror shows —
 * 404/400/500 answers, 429 with Retry-After, slow and stalled bodies, truncated downloads.
 * Bounded by construction: it only answers requests, each fault ends by itself or when closed.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; times?: number }
  /** 429 with `Retry-After: seconds`, `times` times, then the archive. */
  | { kind: 'rate-limit'; retryAfterSeconds: number; times: number }
  /** The body in `chunks` pieces with `gapMs` between them (each gap shorter than the timeout). */
  | { kind: 'slow'; chunks: number; gapMs: number }
  /** Headers and the first bytes, then silence until the client gives up. */
  | { kind: 'stall'; times?: number }
  /** Content-Length says the whole archive, the connection drops after `fraction` of it. */
  | { kind: 'truncate'; fraction: number; times?: number }
  /** No Content-Length (chunked): a cleanly ended body that stops after `fraction` of the JSON. */
  | { kind: 'cut-json'; fraction: number };

export interface ArchiveServerOptions {
  /** username (lower-case) → archive body or a path to stream it from. */
  archives: Map<string, Buffer | string>;
  faults?: Map<string, Fault>;
  /** Last-Modified for every archive (default 2025-01-02 03:04:05 UTC). */
  lastModified?: Date;
}

export interface ArchiveServer {
  url: string;
  /** URL template for `--source`. */
  template: string;
  /** Requests per username, in arrival order. */
  requests: string[];
  requestCount(username: string): number;
  close(): Promise<void>;
}

const PATH = /^\/([^/]+)\/archive\.json$/;

export async function startArchiveServer(options: ArchiveServerOptions): Promise<ArchiveServer> {
  const requests: string[] = [];
  const lastModified = (options.lastModified ?? new Date(Date.UTC(2025, 0, 2, 3, 4, 5))).toUTCString();
  const attempts = new Map<string, number>();
  const stalled = new Set<ServerResponse>();

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const match = PATH.exec(req.url ?? '');
    if (!match) return send(res, 404, '{"statusCode":"404","error":"not_found"}');
    const username = decodeURIComponent(match[1]!);
    requests.push(username);
    const attempt = (attempts.get(username) ?? 0) + 1;
    attempts.set(username, attempt);
    const archive = options.archives.get(username);
    const fault = options.faults?.get(username);
    const active = fault && ('times' in fault && fault.times !== undefined ? attempt <= fault.times : true);
    if (fault && active) {
      switch (fault.kind) {
        case 'status':
          return send(
            res,
            fault.status,
            JSON.stringify({ statusCode: String(fault.status), error: 'fault', message: 'injected' }),
          );
        case 'rate-limit':
          res.setHeader('retry-after', String(fault.retryAfterSeconds));
          return send(res, 429, '{"error":"rate limited"}');
        default:
          break;
      }
    }
    if (archive === undefined) {
      // Supabase Storage answers a missing object with 400 and a 404 inside the body
      // (docs/FORMATS.md, "Where archives come from").
      return send(res, 400, '{"statusCode":"404","error":"not_found","message":"Object not found"}');
    }
    const body = typeof archive === 'string' ? null : archive;
    const size = body ? body.length : statSync(archive).size;
    res.setHeader('last-modified', lastModified);
    res.setHeader('etag', `"${username}-${size}"`);
    res.setHeader('content-type', 'text/plain;charset=UTF-8');
    if (fault && active) {
      const whole = body ?? Buffer.alloc(0);
      switch (fault.kind) {
        case 'slow':
          return void dripBody(res, whole, fault.chunks, fault.gapMs);
        case 'stall':
          res.writeHead(200, { 'content-length': String(whole.length) });
          res.write(whole.subarray(0, Math.min(64, whole.length)));
          stalled.add(res);
          return;
        case 'truncate':
          res.writeHead(200, { 'content-length': String(whole.length) });
          res.write(whole.subarray(0, Math.floor(whole.length * fault.fraction)), () => res.socket?.destroy());
          return;
        case 'cut-json':
          res.writeHead(200);
          res.end(whole.subarray(0, Math.floor(whole.length * fault.fraction)));
          return;
        default:
          break;
      }
    }
    res.writeHead(200, { 'content-length': String(size) });
    if (body) res.end(body);
    else createReadStream(archive as string, { highWaterMark: 1 << 20 }).pipe(res);
  };

  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    template: `${url}/{username}/archive.json`,
    requests,
    requestCount: (username) => requests.filter((name) => name === username).length,
    close: async () => {
      for (const res of stalled) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function dripBody(res: ServerResponse, body: Buffer, chunks: number, gapMs: number): void {
  res.writeHead(200, { 'content-length': String(body.length) });
  const size = Math.ceil(body.length / chunks);
  let offset = 0;
  const next = () => {
    if (res.destroyed) return;
    const piece = body.subarray(offset, offset + size);
    offset += piece.length;
    if (offset >= body.length) return void res.end(piece);
    res.write(piece);
    setTimeout(next, gapMs).unref();
  };
  next();
}
