import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SUPABASE_URL, resolveConfig } from './config.js';
import { tempDir } from './testing/fixtures.js';

describe('resolveConfig', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('uses the documented defaults when nothing is set', () => {
    const config = resolveConfig({}, {}, dir.path);
    expect(config).toMatchObject({
      dataDir: join(dir.path, 'data'),
      dbPath: join(dir.path, 'data', 'cache.db'),
      supabaseUrl: DEFAULT_SUPABASE_URL,
      supabaseKey: null,
      cacheMaxAgeDays: 7,
      archiveSource: `${DEFAULT_SUPABASE_URL}/storage/v1/object/public/archives/{username}/archive.json`,
      xBaseUrl: 'https://x.com',
      logDir: join(dir.path, 'logs'),
      port: 5001,
      host: '127.0.0.1',
      apiToken: null,
      httpTimeoutMs: 30_000,
    });
  });

  it('takes flags over the environment, the environment over .env, and .env over defaults', () => {
    writeFileSync(
      join(dir.path, '.env'),
      'TPOT_DATA_DIR=from-dotenv\nPORT=6000\nSUPABASE_KEY=\nTPOT_LOG_DIR=dotenv-logs\n',
    );
    const env = { PORT: '7000', TPOT_LOG_DIR: '' };
    const config = resolveConfig({ logDir: 'flag-logs' }, env, dir.path);
    expect(config.dataDir).toBe(join(dir.path, 'from-dotenv'));
    expect(config.dbPath).toBe(join(dir.path, 'from-dotenv', 'cache.db'));
    expect(config.port).toBe(7000);
    expect(config.logDir).toBe(join(dir.path, 'flag-logs'));
    expect(config.supabaseKey).toBeNull(); // empty counts as unset
  });

  it('builds the default archive source from SUPABASE_URL', () => {
    const config = resolveConfig({}, { SUPABASE_URL: 'http://127.0.0.1:9999/' }, dir.path);
    expect(config.archiveSource).toBe(
      'http://127.0.0.1:9999/storage/v1/object/public/archives/{username}/archive.json',
    );
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 1 to 65535/],
    [{ CACHE_MAX_AGE_DAYS: '-1' }, /CACHE_MAX_AGE_DAYS must be a number/],
    [{ TPOT_HTTP_TIMEOUT_MS: '1.5' }, /TPOT_HTTP_TIMEOUT_MS/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => resolveConfig({}, env, dir.path)).toThrow(ConfigError);
    expect(() => resolveConfig({}, env, dir.path)).toThrow(message);
  });
});
