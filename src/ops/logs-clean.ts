/**
 * `tpot logs clean` (docs/OPERATIONS.md, "Maintenance"): removes, from the log directory, the HTML
 * snapshots the enricher saves of incomplete profiles and the rotated logs, once older than N days.
 * The live `*.log` files and anything else in the directory are left alone.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROTATED_LOG } from '../log.js';

const SNAPSHOT_PAGE = /^snapshot_.+\.html$/;

export interface CleanReport {
  removed: { file: string; bytes: number; ageDays: number }[];
  kept: number;
  bytes: number;
}

export function cleanLogs(
  logDir: string,
  options: { olderThanDays: number; dryRun?: boolean; now?: number },
): CleanReport {
  const now = options.now ?? Date.now();
  const report: CleanReport = { removed: [], kept: 0, bytes: 0 };
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch {
    return report; // no log directory yet: nothing to clean
  }
  for (const name of names.sort()) {
    if (!SNAPSHOT_PAGE.test(name) && !ROTATED_LOG.test(name)) continue;
    const path = join(logDir, name);
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    const ageDays = (now - stat.mtimeMs) / 86_400_000;
    if (ageDays < options.olderThanDays) {
      report.kept++;
      continue;
    }
    if (!options.dryRun) rmSync(path);
    report.removed.push({ file: name, bytes: stat.size, ageDays: Math.floor(ageDays) });
    report.bytes += stat.size;
  }
  return report;
}
