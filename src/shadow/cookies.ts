/**
 * The user's X session (docs/OPERATIONS.md, "Shadow enrichment"): cookies kept as JSON in
 * Playwright's shape, in a file of mode 0600 that only its owner can read. `tpot cookies import`
 * converts what browser extensions export (Netscape `cookies.txt`, or a JSON array); cookie values
 * are never printed or logged — only names are.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, TpotError } from '../errors.js';

export const DEFAULT_COOKIE_FILE = 'secrets/x_cookies.json';

/** The session files in the default file's directory (`secrets/*.json`), sorted; the default first. */
export function sessionFilesNear(defaultFile: string): string[] {
  const dir = dirname(defaultFile);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
  return files.includes(defaultFile) ? [defaultFile, ...files.filter((f) => f !== defaultFile)] : files;
}

/** The two cookies X needs for a logged-in session (docs/FORMATS.md, "Login wall"). */
export const SESSION_COOKIES = ['auth_token', 'ct0'] as const;

export interface SessionCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Unix seconds; -1 for a session cookie. */
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}

export class CookieError extends TpotError {
  constructor(message: string) {
    super('input', message);
  }
}

/** X's cookies only, with twitter.com domains moved to x.com (twitter.com redirects there). */
function forX(cookie: SessionCookie): SessionCookie | null {
  const domain = cookie.domain.toLowerCase().replace(/(^|\.)twitter\.com$/, '$1x.com');
  return /(^|\.)x\.com$/.test(domain) ? { ...cookie, domain } : null;
}

function sameSite(value: unknown): SessionCookie['sameSite'] {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  return text === 'strict' ? 'Strict' : text === 'lax' ? 'Lax' : 'None';
}

/** Netscape `cookies.txt`: tab-separated domain, subdomains flag, path, secure, expiry, name, value. */
export function parseNetscape(text: string): SessionCookie[] {
  const cookies: SessionCookie[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const httpOnly = raw.startsWith('#HttpOnly_');
    const line = httpOnly ? raw.slice('#HttpOnly_'.length) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    if (fields.length < 7)
      throw new CookieError(`Not a Netscape cookies.txt line (7 tab-separated fields expected): "${fields[0]}…"`);
    const [domain, , path, secure, expiry, name, ...value] = fields;
    cookies.push({
      name: name!,
      value: value.join('\t'),
      domain: domain!,
      path: path || '/',
      expires: Number(expiry) || -1,
      httpOnly,
      secure: secure === 'TRUE',
      sameSite: 'None',
    });
  }
  return cookies;
}

/** A JSON array of cookies, as Playwright, Cookie-Editor or EditThisCookie write them. */
export function parseJsonCookies(text: string): SessionCookie[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CookieError(`Not JSON: ${errorMessage(error)}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { cookies?: unknown })?.cookies;
  if (!Array.isArray(list)) throw new CookieError('Expected a JSON array of cookies (or {"cookies": [...]}).');
  return list.map((c: Record<string, unknown>, i) => {
    if (typeof c?.name !== 'string' || typeof c.value !== 'string' || typeof c.domain !== 'string')
      throw new CookieError(`Cookie ${i + 1} has no name, value or domain.`);
    const expires = Number(c.expires ?? c.expirationDate ?? -1);
    return {
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: typeof c.path === 'string' ? c.path : '/',
      expires: Number.isFinite(expires) ? Math.floor(expires) : -1,
      httpOnly: Boolean(c.httpOnly),
      secure: c.secure !== false,
      sameSite: sameSite(c.sameSite),
    };
  });
}

export function parseCookieExport(text: string): SessionCookie[] {
  return text.trimStart().startsWith('[') || text.trimStart().startsWith('{')
    ? parseJsonCookies(text)
    : parseNetscape(text);
}

/** X's cookies of an export, checked for a session; an error names what is missing, never a value. */
export function sessionFrom(cookies: readonly SessionCookie[], now = Date.now()): SessionCookie[] {
  const x = cookies.map(forX).filter((c): c is SessionCookie => c !== null);
  const missing = SESSION_COOKIES.filter((name) => !x.some((c) => c.name === name));
  if (missing.length > 0)
    throw new CookieError(
      `No ${missing.join(' or ')} cookie for x.com: log in to x.com in the browser first, ` +
        'then export again (or run `npx tpot cookies setup`).',
    );
  const expired = SESSION_COOKIES.filter((name) =>
    x.some((c) => c.name === name && c.expires > 0 && c.expires * 1000 < now),
  );
  if (expired.length > 0)
    throw new CookieError(`The ${expired.join(' and ')} cookie has expired: log in again and export new cookies.`);
  return x;
}

/** Writes cookies where only the owner can read them (0600), through a temporary file. */
export function writeCookieFile(path: string, cookies: readonly SessionCookie[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(cookies, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the umask cannot widen it, but an existing file kept its mode
  renameSync(temporary, path);
}

/** Reads a cookie file, refusing one that others can read. */
export function readCookieFile(path: string): SessionCookie[] {
  if (!existsSync(path))
    throw new CookieError(
      `No cookie file at ${path}: create one with \`npx tpot cookies setup --output ${path}\` ` +
        `or \`npx tpot cookies import EXPORT --output ${path}\`.`,
    );
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new CookieError(
      `${path} can be read by other users (mode ${mode.toString(8)}): ` +
        `run \`chmod 600 ${path}\`; it holds your X session.`,
    );
  return sessionFrom(parseJsonCookies(readFileSync(path, 'utf8')));
}

/** Names only, for logs and messages. */
export function describeCookies(cookies: readonly SessionCookie[]): string {
  return `${cookies.length} cookies (${[...new Set(cookies.map((c) => c.name))].sort().join(', ')})`;
}
