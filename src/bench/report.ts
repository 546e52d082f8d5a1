/**
 * The import benchmark's report (docs/BENCHMARKS.md): one Markdown table of the measured figures against
 * the targets — ≥ 600 archives/min and ≥ 50 MB/s of archive JSON end to end for the
 * ~2 MB corpus, < 600 MB peak RSS for one 250 MB archive — and the machine it ran on.
 * MB are 10^6 bytes throughout.
 */
import { cpus, totalmem, type } from 'node:os';
import type { ScenarioResult } from './import-bench.js';

export interface Row {
  label: string;
  result: ScenarioResult;
  /** Which targets this scenario is held to. */
  targets: Target[];
}

export interface Target {
  name: string;
  met(figures: Figures): boolean;
}

export interface Figures {
  archivesPerMin: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  peakRssMb: number;
  totalMb: number;
}

const MB = 1e6;

export const TARGETS = {
  archivesPerMin: { name: '≥ 600 archives/min', met: (f: Figures) => f.archivesPerMin >= 600 },
  mbPerSecond: { name: '≥ 50 MB/s', met: (f: Figures) => f.mbPerSecond >= 50 },
  peakRss: { name: '< 600 MB RSS', met: (f: Figures) => f.peakRssMb < 600 },
} satisfies Record<string, Target>;

export function figures(result: ScenarioResult): Figures {
  return {
    archivesPerMin: (result.archives / result.seconds) * 60,
    mbPerSecond: result.bytes / MB / result.seconds,
    rowsPerSecond: result.rows / result.seconds,
    peakRssMb: (result.maxRssKb * 1024) / MB,
    totalMb: result.bytes / MB,
  };
}

export function markdownTable(rows: readonly Row[]): string {
  const header = [
    'scenario',
    'archives',
    'total MB',
    'seconds',
    'archives/min',
    'MB/s',
    'rows/s',
    'peak RSS MB',
    'target',
  ];
  const lines = [cells(header), cells(header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:')))];
  for (const row of rows) lines.push(cells(rowCells(row)));
  return lines.join('\n');
}

function rowCells({ label, result, targets }: Row): string[] {
  const f = figures(result);
  const verdicts = targets.map((target) => `${target.name} ${target.met(f) ? '✓' : '✗'}`).join(', ');
  return [
    label,
    String(result.archives),
    f.totalMb.toFixed(1),
    result.seconds.toFixed(2),
    f.archivesPerMin.toFixed(0),
    f.mbPerSecond.toFixed(1),
    Math.round(f.rowsPerSecond).toLocaleString('en-US'),
    f.peakRssMb.toFixed(0),
    verdicts,
  ];
}

function cells(values: readonly string[]): string {
  return `| ${values.join(' | ')} |`;
}

export function machineLine(date = new Date()): string {
  const cpu = cpus();
  const memoryGb = (totalmem() / 2 ** 30).toFixed(1);
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  const hardware = `${model}, ${cpu.length} cores, ${memoryGb} GiB RAM`;
  return `${hardware}, ${type()}, Node ${process.version}, ${date.toISOString()}`;
}
