/**
 * Yes/no questions on the console (`tpot enrich`'s first-seed preview and --require-confirmation).
 * One reader for the whole run, so answers piped in ahead (`printf 'y\nn\n' | tpot enrich …`) are
 * taken in order. An empty answer, the end of the input, or no answer within the timeout is the
 * question's default, and the console says which was taken.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface YesNo {
  /** What an empty answer, the end of the input or the timeout means. */
  defaultAnswer: boolean;
  timeoutMs?: number;
}

/** No answer in time: a value no typed line can equal (a user may well type "timeout"). */
const TIMED_OUT = Symbol('timed out');

export class Prompter {
  private readonly reader: Interface;
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;
  /** Piped answers are echoed, so a transcript reads like a session at the keyboard. */
  private readonly echo: boolean;

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    this.echo = !(input as { isTTY?: boolean }).isTTY;
    this.reader = createInterface({ input, terminal: false });
    this.reader.on('line', (line) => {
      if (this.waiting) this.take(line);
      else this.lines.push(line);
    });
    this.reader.on('close', () => {
      this.ended = true;
      this.take(null);
    });
  }

  private take(line: string | null): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(line);
  }

  private nextLine(timeoutMs: number | undefined): Promise<string | null | typeof TIMED_OUT> {
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined
          ? null
          : setTimeout(() => {
              this.waiting = null;
              resolve(TIMED_OUT);
            }, timeoutMs);
      this.waiting = (line) => {
        if (timer) clearTimeout(timer);
        resolve(line);
      };
    });
  }

  async yesNo(question: string, options: YesNo): Promise<boolean> {
    const hint = options.defaultAnswer ? '[Y/n]' : '[y/N]';
    const fallback = options.defaultAnswer ? 'yes' : 'no';
    for (let asked = 0; asked < 3; asked++) {
      this.output.write(`${question} ${hint} `);
      const line = await this.nextLine(options.timeoutMs);
      if (line === TIMED_OUT) {
        this.output.write(`\n(no answer in ${Math.round(options.timeoutMs! / 1000)} s: ${fallback})\n`);
        return options.defaultAnswer;
      }
      if (line === null) {
        this.output.write(`\n(no more input: ${fallback})\n`);
        return options.defaultAnswer;
      }
      const answer = line.trim().toLowerCase();
      if (this.echo) this.output.write(`${answer}\n`);
      if (answer === '') return options.defaultAnswer;
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
      this.output.write('Please answer y or n.\n');
    }
    return options.defaultAnswer;
  }

  /** A numbered choice; an empty answer or the end of the input takes the first. */
  async choose(question: string, choices: readonly string[]): Promise<string> {
    this.output.write(`${question}\n${choices.map((c, i) => `  ${i + 1}) ${c}`).join('\n')}\n`);
    for (let asked = 0; asked < 3; asked++) {
      this.output.write(`Number [1]: `);
      const line = await this.nextLine(undefined);
      if (line === null || line === TIMED_OUT || line.trim() === '') return choices[0]!;
      if (this.echo) this.output.write(`${line.trim()}\n`);
      const n = Number(line.trim());
      if (Number.isInteger(n) && n >= 1 && n <= choices.length) return choices[n - 1]!;
      this.output.write(`Please answer a number from 1 to ${choices.length}.\n`);
    }
    return choices[0]!;
  }

  close(): void {
    this.reader.close();
  }
}
