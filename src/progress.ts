/**
 * A one-line progress bar for terminals (archives done/total, MB/s, ETA). It draws
 * only when the stream is a TTY; otherwise every call is a no-op and the log lines stand alone.
 */
export interface ProgressState {
  done: number;
  total: number;
  bytes: number;
}

export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private last: ProgressState | null = null;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(state: ProgressState, force = false): void {
    if (!this.enabled) return;
    this.last = state;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r${renderProgress(this.label, state, (now - this.started) / 1000)}\x1b[K`);
  }

  /** Draws the final state (redraws are throttled, so the last one may not be on screen) and ends the line. */
  finish(): void {
    if (this.last) this.update(this.last, true);
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
    this.last = null;
  }
}

/** Pure rendering, so it can be tested without a terminal. */
export function renderProgress(label: string, state: ProgressState, elapsedSeconds: number, width = 24): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const mbps = elapsedSeconds > 0 ? state.bytes / 1e6 / elapsedSeconds : 0;
  const remaining = state.done > 0 ? (elapsedSeconds / state.done) * (state.total - state.done) : NaN;
  return `${label} ${bar} ${state.done}/${state.total} · ${mbps.toFixed(1)} MB/s · ETA ${formatDuration(remaining)}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
