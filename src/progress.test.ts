import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, renderProgress } from './progress.js';

describe('progress', () => {
  it('renders archives done/total, MB/s and ETA', () => {
    expect(renderProgress('import', { done: 10, total: 40, bytes: 50e6 }, 5, 8)).toBe(
      'import ██░░░░░░ 10/40 · 10.0 MB/s · ETA 15s',
    );
    expect(renderProgress('import', { done: 0, total: 3, bytes: 0 }, 0, 4)).toBe('import ░░░░ 0/3 · 0.0 MB/s · ETA --');
  });

  it('formats durations', () => {
    expect([formatDuration(9.4), formatDuration(125), formatDuration(7260), formatDuration(NaN)]).toEqual([
      '9s',
      '2m05s',
      '2h01m',
      '--',
    ]);
  });

  it('draws nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar('import', stream);
    bar.update({ done: 1, total: 2, bytes: 0 }, true);
    bar.finish();
    expect(bar.enabled).toBe(false);
    expect(written).toEqual([]);
  });

  it('redraws one line on a terminal and ends it', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar('import', stream);
    bar.update({ done: 1, total: 2, bytes: 0 }, true);
    bar.update({ done: 2, total: 2, bytes: 0 }); // within 100 ms: throttled
    expect(written).toHaveLength(1);
    bar.finish();
    expect(written[0]).toMatch(/^\rimport .* 1\/2 /);
    expect(written.at(-2)).toMatch(/ 2\/2 /);
    expect(written.at(-1)).toBe('\n');
  });
});
