/** Console questions: answers in order, defaults on Enter, end of input and timeout. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Prompter } from './prompt.js';

function fakeConsole(input: string | null) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let shown = '';
  stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  if (input !== null) stdin.end(input);
  return { prompter: new Prompter(stdin, stdout), stdin, shown: () => shown };
}

describe('Prompter', () => {
  it('takes piped answers in order, Enter as the default, and asks again on nonsense', async () => {
    const { prompter, shown } = fakeConsole('y\n\nmaybe\nno\nN\n');
    expect(await prompter.yesNo('First?', { defaultAnswer: false })).toBe(true);
    expect(await prompter.yesNo('Second?', { defaultAnswer: false })).toBe(false);
    expect(await prompter.yesNo('Third?', { defaultAnswer: true })).toBe(false);
    expect(await prompter.yesNo('Fourth?', { defaultAnswer: true })).toBe(false);
    expect(shown()).toContain('Third? [Y/n] maybe\nPlease answer y or n.\nThird? [Y/n] no\n');
    prompter.close();
  });

  it('takes the default at the end of the input or after the timeout, and says so', async () => {
    const ended = fakeConsole('');
    expect(await ended.prompter.yesNo('Proceed?', { defaultAnswer: true })).toBe(true);
    expect(ended.shown()).toContain('(no more input: yes)');
    ended.prompter.close();

    const silent = fakeConsole(null);
    expect(await silent.prompter.yesNo('Proceed?', { defaultAnswer: true, timeoutMs: 50 })).toBe(true);
    expect(silent.shown()).toContain('(no answer in 0 s: yes)');
    // An answer typed after the timeout goes to the next question.
    silent.stdin.write('n\n');
    expect(await silent.prompter.yesNo('Again?', { defaultAnswer: true, timeoutMs: 5_000 })).toBe(false);
    silent.prompter.close();

    // A typed "timeout" is an answer like any other, not the timeout.
    const typed = fakeConsole('timeout\nn\n');
    expect(await typed.prompter.yesNo('Proceed?', { defaultAnswer: true, timeoutMs: 5_000 })).toBe(false);
    expect(typed.shown()).toContain('Please answer y or n.');
    typed.prompter.close();
  });

  it('chooses by number, the first on Enter', async () => {
    const { prompter, shown } = fakeConsole('2\n\n');
    expect(await prompter.choose('Which session?', ['a.json', 'b.json'])).toBe('b.json');
    expect(await prompter.choose('Which session?', ['a.json', 'b.json'])).toBe('a.json');
    expect(shown()).toContain('  1) a.json\n  2) b.json\n');
    prompter.close();
  });
});
