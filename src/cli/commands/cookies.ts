/** `tpot cookies import` (SPEC §11): a browser extension's cookie export → the session file (0600). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { CookieError, DEFAULT_COOKIE_FILE, describeCookies, parseCookieExport, sessionFrom, writeCookieFile } from '../../shadow/cookies.js';
import { CliError, EXIT } from '../options.js';

export function cookiesCommand(): Command {
  const cookies = new Command('cookies').description('Your X session for tpot enrich: cookies kept in a file only you can read (0600).').addHelpText('after', '\nExample:\n  $ tpot cookies import ~/Downloads/cookies.txt');
  cookies
    .command('import')
    .description("Convert a browser extension's cookie export (Netscape cookies.txt or JSON) into the session file. Values are never printed.")
    .argument('<file>', 'the exported cookies')
    .option('--output <file>', 'where to keep the session', DEFAULT_COOKIE_FILE)
    .addHelpText('after', `\nExamples:\n  $ tpot cookies import ~/Downloads/cookies.txt\n  $ tpot cookies import x.com.cookies.json --output secrets/second_account.json`)
    .action((file: string, flags: { output: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, EXIT.usage);
      }
      try {
        const session = sessionFrom(parseCookieExport(text));
        writeCookieFile(resolve(flags.output), session);
        process.stdout.write(`Saved ${describeCookies(session)} to ${flags.output} (mode 0600).\n`);
      } catch (error) {
        if (error instanceof CookieError) throw new CliError(`${file}: ${error.message}`);
        throw error;
      }
    });
  return cookies;
}
