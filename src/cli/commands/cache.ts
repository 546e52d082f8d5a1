/** `tpot cache invalidate` (SPEC §8): asks the running server to drop its caches. */
import { Command } from 'commander';
import { request } from 'undici';
import { CACHE_PREFIXES } from '../../api/routes/cache.js';
import { configFrom } from '../context.js';
import { CliError, EXIT } from '../options.js';

interface InvalidateFlags {
  prefix?: string;
  url?: string;
}

export function cacheCommand(): Command {
  const cache = new Command('cache')
    .description("The running server's caches.")
    .addHelpText('after', '\nExample:\n  $ tpot cache invalidate');
  cache.addCommand(
    new Command('invalidate')
      .description('Ask the running server (tpot serve) to drop its graph and metrics caches.')
      .option('--prefix <kind>', `only this kind of entry: ${CACHE_PREFIXES.join(', ')}`)
      .option('--url <url>', 'the server (default http://HOST:PORT from the environment, http://127.0.0.1:5001)')
      .addHelpText(
        'after',
        '\nExamples:\n  $ tpot cache invalidate\n  $ tpot cache invalidate --prefix graph_data\n  $ tpot cache invalidate --url http://127.0.0.1:8080',
      )
      .action(async (flags: InvalidateFlags, command: Command) => {
        const config = configFrom(command);
        if (flags.prefix !== undefined && !(CACHE_PREFIXES as readonly string[]).includes(flags.prefix)) {
          throw new CliError(`--prefix must be one of ${CACHE_PREFIXES.join(', ')}.`, EXIT.usage);
        }
        const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
        const base = (flags.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(
          /\/+$/,
          '',
        );
        let response;
        try {
          response = await request(`${base}/api/cache/invalidate`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(config.apiToken ? { authorization: `Bearer ${config.apiToken}` } : {}),
            },
            body: JSON.stringify(flags.prefix ? { prefix: flags.prefix } : {}),
            headersTimeout: 10_000,
            bodyTimeout: 10_000,
          });
        } catch (error) {
          throw new CliError(
            `The API server is not available at ${base} (${(error as Error).message}). Start it with \`npm start\` or \`npx tpot serve\`.`,
          );
        }
        const text = await response.body.text();
        if (response.statusCode === 401)
          throw new CliError(`The server at ${base} refused the request: set TPOT_API_TOKEN to its token.`);
        if (response.statusCode !== 200)
          throw new CliError(`The server at ${base} answered ${response.statusCode}: ${text.slice(0, 300)}`);
        const answer = JSON.parse(text) as { invalidated: number; prefix: string; metrics_responses_cleared: number };
        process.stdout.write(
          `Invalidated ${answer.invalidated} graph cache entries (${answer.prefix}) and ${answer.metrics_responses_cleared} metrics responses at ${base}.\n`,
        );
      }),
  );
  return cache;
}
