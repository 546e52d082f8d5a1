/** `tpot cache invalidate` (docs/API.md, "Caches"): asks the running server to drop its caches. */
import { Command, Option } from 'commander';
import { GRAPH_CACHE_PREFIXES, type GraphCachePrefix } from '../../api/cache-prefixes.js';
import { configFrom } from '../context.js';

interface InvalidateFlags {
  prefix?: GraphCachePrefix;
  url?: string;
}

export function cacheCommand(): Command {
  const cache = new Command('cache').addHelpText('after', '\nExample:\n  $ tpot cache invalidate');
  cache.addCommand(
    new Command('invalidate')
      .description('Ask the running server (tpot serve) to drop its graph and metrics caches.')
      .addOption(new Option('--prefix <kind>', 'only this kind of entry').choices(GRAPH_CACHE_PREFIXES))
      .option('--url <url>', 'the server (default http://HOST:PORT from the environment, http://127.0.0.1:5001)')
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  $ tpot cache invalidate\n' +
          '  $ tpot cache invalidate --prefix graph_data\n' +
          '  $ tpot cache invalidate --url http://127.0.0.1:8080',
      )
      .action(async (flags: InvalidateFlags, command: Command) => {
        const config = configFrom(command);
        const { invalidateServerCaches, serverUrl } = await import('../../api/server-client.js');
        const base = flags.url ?? serverUrl(config);
        const answer = await invalidateServerCaches(base, { token: config.apiToken, prefix: flags.prefix });
        process.stdout.write(
          `Invalidated ${answer.invalidated} graph cache entries (${answer.prefix}) and ` +
            `${answer.metrics_responses_cleared} metrics responses at ${base.replace(/\/+$/, '')}.\n`,
        );
      }),
  );
  return cache;
}
