/** `tpot logs clean` and log rotation: old snapshots and rotated logs go; live logs and newer files stay. */
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateLog } from '../log.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import { cleanLogs } from './logs-clean.js';

describe('logs clean', () => {
  const dir = useTempDir();
  const file = (name: string, ageDays: number, bytes = 100) => {
    const path = join(dir.path, name);
    writeFileSync(path, 'x'.repeat(bytes));
    const when = new Date(Date.now() - ageDays * 86_400_000);
    utimesSync(path, when, when);
  };

  it('removes snapshot pages and rotated logs older than N days, and only those', () => {
    file('snapshot_alice_INCOMPLETE_DATA_1_20260101T000000.html', 40, 5000);
    file('snapshot_bob_INCOMPLETE_DATA_2_20261120T000000.html', 3);
    file('enrichment.log.2', 45, 2000);
    file('enrichment.log.1', 5);
    file('enrichment.log', 90); // the live log stays whatever its age
    file('notes.txt', 400);
    const dry = cleanLogs(dir.path, { olderThanDays: 30, dryRun: true });
    expect(dry.removed.map((f) => f.file)).toEqual([
      'enrichment.log.2',
      'snapshot_alice_INCOMPLETE_DATA_1_20260101T000000.html',
    ]);
    expect(readdirSync(dir.path)).toHaveLength(6);
    const report = cleanLogs(dir.path, { olderThanDays: 30 });
    expect(report).toMatchObject({ kept: 2, bytes: 7000 });
    expect(readdirSync(dir.path).sort()).toEqual([
      'enrichment.log',
      'enrichment.log.1',
      'notes.txt',
      'snapshot_bob_INCOMPLETE_DATA_2_20261120T000000.html',
    ]);
    expect(cleanLogs(join(dir.path, 'none'), { olderThanDays: 30 })).toEqual({ removed: [], kept: 0, bytes: 0 });
  });

  it('rotates a large log when a command starts: log → log.1 → log.2, at most five kept', () => {
    const log = join(dir.path, 'import.log');
    for (let run = 1; run <= 7; run++) {
      writeFileSync(log, `run ${run}\n`.padEnd(200, '.'));
      expect(rotateLog(log, 100, 5)).toBe(true);
    }
    expect(existsSync(log)).toBe(false);
    expect(readdirSync(dir.path).sort()).toEqual([
      'import.log.1',
      'import.log.2',
      'import.log.3',
      'import.log.4',
      'import.log.5',
    ]);
    expect(
      [readFileSync(`${log}.1`, 'utf8'), readFileSync(`${log}.5`, 'utf8')].map((text) => text.split('\n')[0]),
    ).toEqual(['run 7', 'run 3']);
    writeFileSync(log, 'small');
    expect(rotateLog(log, 100, 5)).toBe(false);
  });
});
