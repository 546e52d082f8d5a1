/**
 * Configuration, resolved once: command-line flags, then environment variables (a `.env`
 * file in the working directory is read but never overrides the real environment), then defaults.
 * Every command receives the one resulting `Config` object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from './errors.js';

export const DEFAULT_SUPABASE_URL = 'https://fabxmporizzqflnftavs.supabase.co';

export interface Config {
  dataDir: string;
  dbPath: string;
  supabaseUrl: string;
  supabaseKey: string | null;
  cacheMaxAgeDays: number;
  /** URL template with `{username}`, a directory, or a `.zip` export (docs/FORMATS.md, "Where archives come from"). */
  archiveSource: string;
  xBaseUrl: string;
  chromeBinary: string | null;
  logDir: string;
  port: number;
  host: string;
  apiToken: string | null;
  /** HTTP inactivity timeout (30 s). */
  httpTimeoutMs: number;
  /** First HTTP retry delay; later ones double. */
  httpRetryBaseMs: number;
}

/** Flags a command may pass; `undefined` means "not given". */
export type ConfigOverrides = { [K in keyof Config]?: Config[K] | undefined };

/** A bad value in the environment or `.env`. */
export class ConfigError extends UsageError {}

/** The configuration files, relative to the working directory (docs/DATA-MODEL.md, "Configuration files"). */
export const CONFIG_FILES = Object.freeze({
  /** Seed lists and the explorer's saved settings; the server writes it. */
  graphSettings: 'config/graph_settings.json',
  /** Preset seed lists, hand-written or shipped; never written. */
  seedPresets: 'config/seed_presets.json',
  /** When the enricher skips or refreshes a seed's lists. */
  enrichmentPolicy: 'config/enrichment_policy.json',
});

/** Reads `.env` from `cwd` into a plain object (empty when the file is absent). */
export function readDotEnv(cwd: string): Record<string, string> {
  const path = resolve(cwd, '.env');
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

export function resolveConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const fileEnv = readDotEnv(cwd);
  // Empty strings count as unset, as in the original.
  const get = (name: string): string | undefined => {
    const value = env[name] ?? fileEnv[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const pick = <K extends keyof Config>(
    key: K,
    fromEnv: () => Config[K] | undefined,
    fallback: () => Config[K],
  ): Config[K] => overrides[key] ?? fromEnv() ?? fallback();

  const dataDir = resolve(
    cwd,
    pick(
      'dataDir',
      () => get('TPOT_DATA_DIR'),
      () => 'data',
    ),
  );
  const supabaseUrl = pick(
    'supabaseUrl',
    () => get('SUPABASE_URL'),
    () => DEFAULT_SUPABASE_URL,
  ).replace(/\/+$/, '');
  return {
    dataDir,
    dbPath: resolve(
      cwd,
      pick(
        'dbPath',
        () => get('CACHE_DB_PATH'),
        () => resolve(dataDir, 'cache.db'),
      ),
    ),
    supabaseUrl,
    supabaseKey: pick(
      'supabaseKey',
      () => get('SUPABASE_KEY'),
      () => null,
    ),
    cacheMaxAgeDays: pick(
      'cacheMaxAgeDays',
      () => numberVar(get, 'CACHE_MAX_AGE_DAYS', 0),
      () => 7,
    ),
    archiveSource: pick(
      'archiveSource',
      () => get('TPOT_ARCHIVE_SOURCE'),
      () => `${supabaseUrl}/storage/v1/object/public/archives/{username}/archive.json`,
    ),
    xBaseUrl: pick(
      'xBaseUrl',
      () => get('TPOT_X_BASE_URL'),
      () => 'https://x.com',
    ).replace(/\/+$/, ''),
    chromeBinary: pick(
      'chromeBinary',
      () => get('TPOT_CHROME_BINARY'),
      () => null,
    ),
    logDir: resolve(
      cwd,
      pick(
        'logDir',
        () => get('TPOT_LOG_DIR'),
        () => 'logs',
      ),
    ),
    port: pick(
      'port',
      () => integerVar(get, 'PORT', 1, 65_535),
      () => 5001,
    ),
    host: pick(
      'host',
      () => get('HOST'),
      () => '127.0.0.1',
    ),
    apiToken: pick(
      'apiToken',
      () => get('TPOT_API_TOKEN'),
      () => null,
    ),
    httpTimeoutMs: pick(
      'httpTimeoutMs',
      () => integerVar(get, 'TPOT_HTTP_TIMEOUT_MS', 1, 3_600_000),
      () => 30_000,
    ),
    httpRetryBaseMs: pick(
      'httpRetryBaseMs',
      () => integerVar(get, 'TPOT_HTTP_RETRY_BASE_MS', 0, 600_000),
      () => 1_000,
    ),
  };
}

function numberVar(get: (name: string) => string | undefined, name: string, min: number): number | undefined {
  const raw = get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new ConfigError(`${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function integerVar(
  get: (name: string) => string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
