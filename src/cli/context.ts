/**
 * What every command needs: the resolved config, a logger, and the database. The logger and the
 * database are loaded when a command asks for them, so `tpot --help` loads neither (the CLI's
 * start-up budget: docs/ARCHITECTURE.md, "The command line").
 */
import type { Command } from 'commander';
import { resolveConfig, type Config, type ConfigOverrides } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger, LoggerOptions } from '../log.js';

export interface GlobalFlags {
  dataDir?: string;
  db?: string;
  logDir?: string;
}

export function configFrom(command: Command, overrides: ConfigOverrides = {}): Config {
  const flags = command.optsWithGlobals<GlobalFlags>();
  return resolveConfig({ dataDir: flags.dataDir, dbPath: flags.db, logDir: flags.logDir, ...overrides });
}

export async function loggerFor(
  config: Config,
  name: string,
  consoleMode: LoggerOptions['console'] = 'lines',
  extra: Pick<LoggerOptions, 'level' | 'consoleLevel'> = {},
): Promise<Logger> {
  const { createLogger } = await import('../log.js');
  return createLogger({ logDir: config.logDir, name, console: consoleMode, ...extra });
}

/** The cache opened read-only for a report, waiting at most a few seconds for another process's lock. */
export async function openForReport(config: Config): Promise<Db> {
  const [{ openDatabase }, { MAINTENANCE_BUSY_MS }] = await Promise.all([
    import('../db/database.js'),
    import('../ops/db-tools.js'),
  ]);
  return openDatabase(config.dbPath, { readonly: true, busyTimeoutMs: MAINTENANCE_BUSY_MS });
}

/** The cache opened read-only for a report, or null when there is none yet. */
export async function openForReportIfPresent(config: Config): Promise<Db | null> {
  const { DatabaseMissingError } = await import('../db/database.js');
  try {
    return await openForReport(config);
  } catch (error) {
    if (error instanceof DatabaseMissingError) return null;
    throw error;
  }
}

/** Runs a report over the cache opened read-only, and closes it. */
export async function withReportDb<T>(config: Config, report: (db: Db) => T | Promise<T>): Promise<T> {
  const db = await openForReport(config);
  try {
    return await report(db);
  } finally {
    db.close();
  }
}
