/** The flags `tpot serve` and `tpot start` share: where the server listens. */
import { InvalidArgumentError, type Command } from 'commander';

export interface ServeFlags {
  host?: string;
  port?: number;
}

function port(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65_535)
    throw new InvalidArgumentError('--port must be a whole number from 0 to 65535 (0: any free port).');
  return number;
}

export function addServeOptions(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on (HOST, default 127.0.0.1; anything else needs TPOT_API_TOKEN)')
    .option('--port <n>', 'port (PORT, default 5001; 0 picks a free one)', port);
}
