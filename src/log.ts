/**
 * Logging: every line goes to `logs/<name>.log` (pino JSON lines, so `grep "Import complete"`
 * works; rotated when a command starts and finds it over 10 MB, five kept) and to the console as
 * plain text. On a terminal with a progress bar the console shows
 * warnings and errors only; the log file always has everything.
 *
 * A line logged with `{ progress: true }` is a command's one-line-per-step progress: it reaches a
 * 'progress' console (`tpot enrich --quiet`) along with the warnings.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  logDir: string;
  /** File name without extension: `import` → `logs/import.log`. */
  name: string;
  /** The lowest level written anywhere (default info; the file takes everything from it). */
  level?: pino.Level;
  /**
   * 'lines': `consoleLevel` and above on the console; 'warnings': warn and above; 'progress':
   * warnings plus the lines marked `progress`; 'silent': nothing.
   */
  console?: 'lines' | 'warnings' | 'progress' | 'silent';
  /** The console's threshold in 'lines' mode (default info). */
  consoleLevel?: pino.Level;
}

const LEVEL_WARN = 40;

/** A log file is rotated when a command starts and finds it this large: `x.log` → `x.log.1` → … */
export const ROTATE_AT_BYTES = 10 * 1024 * 1024;
export const ROTATED_KEPT = 5;
/** `enrichment.log.3`: what `tpot logs clean` removes once old. */
export const ROTATED_LOG = /\.log\.\d+$/;

/** Shifts `path.1…` up by one (dropping the last) and moves `path` to `path.1`, when it is large. */
export function rotateLog(path: string, maxBytes = ROTATE_AT_BYTES, kept = ROTATED_KEPT): boolean {
  if (!existsSync(path) || statSync(path).size < maxBytes) return false;
  rmSync(`${path}.${kept}`, { force: true });
  for (let n = kept - 1; n >= 1; n--) if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
  renameSync(path, `${path}.1`);
  return true;
}

export function createLogger(options: LoggerOptions): Logger {
  mkdirSync(options.logDir, { recursive: true });
  const path = join(options.logDir, `${options.name}.log`);
  rotateLog(path);
  const file = pino.destination({ dest: path, sync: true, mkdir: true });
  const streams: pino.StreamEntry[] = [{ level: 'debug', stream: file }];
  const consoleMode = options.console ?? 'lines';
  if (consoleMode === 'lines')
    streams.push({ level: options.consoleLevel ?? 'info', stream: consoleStream(() => true) });
  if (consoleMode === 'warnings') streams.push({ level: 'warn', stream: consoleStream(() => true) });
  if (consoleMode === 'progress')
    streams.push({
      level: 'info',
      stream: consoleStream((entry) => entry.level >= LEVEL_WARN || entry.progress === true),
    });
  return pino(
    { level: options.level ?? 'info', base: { cmd: options.name }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
}

/** A logger that writes nowhere (library use and tests that do not care). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

interface Entry {
  level: number;
  msg?: string;
  progress?: boolean;
}

/** Renders pino's JSON line as its plain message: warnings and errors to stderr, the rest to stdout. */
function consoleStream(shown: (entry: Entry) => boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as Entry;
          if (!shown(entry)) continue;
          const text = `${entry.msg ?? ''}\n`;
          if (entry.level >= LEVEL_WARN) process.stderr.write(text);
          else process.stdout.write(text);
        } catch {
          process.stdout.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
