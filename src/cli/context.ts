/** What every command needs: the resolved config, a logger, and the database, opened once. */
import type { Command } from 'commander';
import { resolveConfig, type Config, type ConfigOverrides } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { createLogger, type Logger, type LoggerOptions } from '../log.js';
import { MAINTENANCE_BUSY_MS } from '../ops/db-tools.js';

export interface GlobalFlags {
  dataDir?: string;
  db?: string;
  logDir?: string;
}

export function configFrom(command: Command, overrides: ConfigOverrides = {}): Config {
  const flags = command.optsWithGlobals<GlobalFlags>();
  return resolveConfig({ dataDir: flags.dataDir, dbPath: flags.db, logDir: flags.logDir, ...overrides });
}

export function loggerFor(
  config: Config,
  name: string,
  consoleMode: LoggerOptions['console'] = 'lines',
  extra: Pick<LoggerOptions, 'level' | 'consoleLevel'> = {},
): Logger {
  return createLogger({ logDir: config.logDir, name, console: consoleMode, ...extra });
}

/** The cache opened read-only for a report, waiting at most a few seconds for another process's lock. */
export function openForReport(config: Config): Db {
  return openDatabase(config.dbPath, { readonly: true, busyTimeoutMs: MAINTENANCE_BUSY_MS });
}
