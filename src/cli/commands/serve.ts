/** `tpot serve` (SPEC §7): the JSON API and the explorer on 127.0.0.1:5001 until Ctrl-C. */
import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config.js';
import { startServer, UnsafeBindError } from '../../api/serve.js';
import type { Logger } from '../../log.js';
import { configFrom, loggerFor } from '../context.js';
import { CliError, EXIT } from '../options.js';

function port(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65_535)
    throw new InvalidArgumentError('--port must be a whole number from 0 to 65535 (0: any free port).');
  return number;
}

export interface ServeFlags {
  host?: string;
  port?: number;
}

export function addServeOptions(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on (HOST, default 127.0.0.1; anything else needs TPOT_API_TOKEN)')
    .option('--port <n>', 'port (PORT, default 5001; 0 picks a free one)', port);
}

/** Listens until SIGINT/SIGTERM; resolves once the server has closed. */
export async function serveUntilStopped(config: Config, log: Logger): Promise<void> {
  let server;
  try {
    server = await startServer(config, log);
  } catch (error) {
    if (error instanceof UnsafeBindError) throw new CliError(error.message, EXIT.usage);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(
        `Port ${config.port} on ${config.host} is already in use: is tpot serve already running? Stop it, or pick another port with --port or PORT.`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new CliError(`Cannot listen on ${config.host}: no such address on this machine.`, EXIT.usage);
    throw error;
  }
  // Handlers first: whoever reads the "listening" line may send a signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: stopping the server.`);
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  log.info(`API and explorer listening on ${server.url} (database ${config.dbPath}). Stop with Ctrl-C.`);
  if (config.apiToken) log.info('Write endpoints require the bearer token (TPOT_API_TOKEN).');
  await stopped;
}

export function serveCommand(): Command {
  return addServeOptions(new Command('serve'))
    .description('Serve the JSON API and the explorer (default http://127.0.0.1:5001).')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot serve                               # http://127.0.0.1:5001
  $ tpot serve --port 8080
  $ TPOT_API_TOKEN=… tpot serve --host 0.0.0.0  # shared deployment: write endpoints need the token

Check it:  curl http://127.0.0.1:5001/health`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const config = configFrom(command, { host: flags.host, port: flags.port });
      await serveUntilStopped(config, loggerFor(config, 'serve'));
    });
}
