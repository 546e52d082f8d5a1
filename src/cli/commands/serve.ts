/** `tpot serve` (docs/API.md): the JSON API and the explorer on 127.0.0.1:5001 until Ctrl-C. */
import { Command } from 'commander';
import { configFrom, loggerFor } from '../context.js';
import { addServeOptions, type ServeFlags } from '../serve-options.js';

export function serveCommand(): Command {
  return addServeOptions(new Command('serve'))
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
      const { serveUntilStopped } = await import('../../api/serve.js');
      await serveUntilStopped(config, await loggerFor(config, 'serve'));
    });
}
