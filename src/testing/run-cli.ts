/** Runs the built `tpot` binary in a child process, as a user would, and captures what it says. */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI } from './fixtures.js';

const exec = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `env` replaces the environment entirely (plus PATH), so the caller's variables never leak in.
 * `input` is written to the process's stdin, which is then closed (otherwise it stays open, empty).
 */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<CliRun> {
  const running = exec(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  if (options.input !== undefined) running.child.stdin?.end(options.input);
  try {
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as CliRun;
    return { code, stdout, stderr };
  }
}

export interface CliServer {
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `tpot <args>` (serve or start, with `--port 0`) and resolves with its URL once it prints
 * that it is listening; rejects if it exits first or takes longer than `timeoutMs`.
 */
export function startCliServer(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliServer> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `tpot ${args.join(' ')} did not start listening within ${options.timeoutMs ?? 60_000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({
          url,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tpot ${args.join(' ')} exited with ${code} before listening:\n${output}`));
    });
  });
}
