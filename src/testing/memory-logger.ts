/** A real pino logger whose lines are kept in memory, so tests can assert the exact log lines. */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export function memoryLogger(): { logger: Logger; messages: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), messages: () => [...lines] };
}
