/**
 * Asking a running server (`tpot serve`) to drop its caches, over HTTP: what `tpot cache
 * invalidate` does. Failures say whether the server is down, refused the token, or answered
 * something else.
 */
import { request } from 'undici';
import type { Config } from '../config.js';
import { errorMessage, TpotError } from '../errors.js';
import type { GraphCachePrefix } from './cache-prefixes.js';

export interface InvalidateAnswer {
  invalidated: number;
  prefix: string;
  metrics_responses_cleared: number;
}

/** The server's address from HOST and PORT; a wildcard address is reached on loopback. */
export function serverUrl(config: Pick<Config, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export async function invalidateServerCaches(
  base: string,
  options: { token: string | null; prefix?: GraphCachePrefix | undefined },
): Promise<InvalidateAnswer> {
  const url = base.replace(/\/+$/, '');
  let response;
  try {
    response = await request(`${url}/api/cache/invalidate`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(options.prefix ? { prefix: options.prefix } : {}),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch (error) {
    throw new TpotError('network', `The API server is not available at ${url} (${errorMessage(error)}).`, {
      hint: 'Start it with `npm start` or `npx tpot serve`.',
      cause: error,
    });
  }
  const text = await response.body.text();
  if (response.statusCode === 401)
    throw new TpotError('network', `The server at ${url} refused the request.`, {
      hint: 'Set TPOT_API_TOKEN to its token.',
    });
  if (response.statusCode !== 200)
    throw new TpotError('network', `The server at ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as InvalidateAnswer;
}
