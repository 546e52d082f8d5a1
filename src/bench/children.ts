/**
 * Child processes of the benchmarks (docs/BENCHMARKS.md): the archive server and the importer each
 * run in their own process, so the importer's peak RSS and event loop are its own. Every child
 * is tracked here and killed at the end of the run, whether it succeeded or not; children also
 * exit by themselves when their IPC channel to this process closes.
 */
import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();

  /** Forks `build/bench/<script>` (a sibling of this module, compiled by tsconfig.bench.json) with an IPC channel. */
  fork(script: string, execArgv: string[] = []): ChildProcess {
    const modulePath = fileURLToPath(new URL(script, import.meta.url));
    const child = fork(modulePath, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** Starts any program (the API benchmark's `tpot serve`); without IPC, so it ends by SIGTERM from `killAll`. */
  spawn(command: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, options);
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** SIGTERM to every child still running, SIGKILL to any still there a second later. */
  async killAll(): Promise<void> {
    await Promise.all([...this.running].map(kill));
  }
}

/** SIGTERM, then SIGKILL if the child is still there a second later. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

/** The child's next IPC message; rejects if the child exits before sending one. */
export function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      child.off('message', onMessage);
      reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before reporting`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Used by a child: runs `onEnd` when the parent goes away, so no child outlives a benchmark. */
export function exitWithParent(onEnd: () => Promise<void> | void): void {
  const end = async () => {
    await onEnd();
    process.exit(0);
  };
  process.once('disconnect', () => void end());
  process.once('SIGTERM', () => void end());
}
