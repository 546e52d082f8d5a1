/**
 * `tpot cookies setup|import` (docs/OPERATIONS.md, "Shadow enrichment"): a session file (0600) from a browser window
 * you log in
 * with, or from a browser extension's cookie export. Values are never printed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import {
  CookieError,
  DEFAULT_COOKIE_FILE,
  describeCookies,
  parseCookieExport,
  sessionFrom,
  writeCookieFile,
  type SessionCookie,
} from '../../shadow/cookies.js';
import { errorMessage, TpotError, UsageError } from '../../errors.js';
import { configFrom } from '../context.js';

/** Resolves on Enter (or when standard input ends). */
function enterPressed(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    const done = () => {
      lines.close();
      resolve();
    };
    lines.once('line', done);
    lines.once('close', done);
  });
}

export function cookiesCommand(): Command {
  const cookies = new Command('cookies').addHelpText(
    'after',
    '\nExample:\n  $ tpot cookies import ~/Downloads/cookies.txt',
  );
  cookies
    .command('import')
    .description(
      "Convert a browser extension's cookie export (Netscape cookies.txt or JSON) into the session file. " +
        'Values are never printed.',
    )
    .argument('<file>', 'the exported cookies')
    .option('--output <file>', 'where to keep the session', DEFAULT_COOKIE_FILE)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tpot cookies import ~/Downloads/cookies.txt\n' +
        '  $ tpot cookies import x.com.cookies.json --output secrets/second_account.json',
    )
    .action((file: string, flags: { output: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}.`);
      }
      try {
        const session = sessionFrom(parseCookieExport(text));
        writeCookieFile(resolve(flags.output), session);
        process.stdout.write(`Saved ${describeCookies(session)} to ${flags.output} (mode 0600).\n`);
      } catch (error) {
        if (error instanceof CookieError) throw new TpotError('input', `${file}: ${error.message}`);
        throw error;
      }
    });
  cookies
    .command('setup')
    .description("Open a browser window at X's login page; log in, press Enter here, and the session is saved (0600).")
    .option('--output <file>', 'where to keep the session', DEFAULT_COOKIE_FILE)
    .option('--headless', 'no window (only useful for testing the command)')
    .addHelpText('after', '\nExample:\n  $ tpot cookies setup --output secrets/x_cookies.json')
    .action(async (flags: { output: string; headless?: boolean }, command: Command) => {
      const config = configFrom(command);
      if (!flags.headless && !process.env.DISPLAY) {
        throw new UsageError(
          'tpot cookies setup opens a browser window, and there is no display here (DISPLAY is not set).',
          { hint: "Run it on a desktop, or export your browser's cookies and use `tpot cookies import FILE`." },
        );
      }
      const { openSession } = await import('../../shadow/session.js');
      const session = await openSession({
        baseUrl: config.xBaseUrl,
        cookies: [],
        chromeBinary: config.chromeBinary,
        headless: flags.headless ?? false,
      });
      try {
        const page = await session.context.newPage();
        await page.goto(`${config.xBaseUrl}/i/flow/login`);
        process.stdout.write('Log in to X in the browser window, then press Enter here.\n');
        await enterPressed();
        const captured: SessionCookie[] = (await session.context.cookies()).map((c) => ({
          name: c.name,
          value: c.value,
          domain: c.domain,
          path: c.path,
          expires: c.expires,
          httpOnly: c.httpOnly,
          secure: c.secure,
          sameSite: c.sameSite,
        }));
        let kept: SessionCookie[];
        try {
          kept = sessionFrom(captured);
        } catch (error) {
          if (error instanceof CookieError) throw new TpotError('input', `Nothing saved: ${error.message}`);
          throw error;
        }
        writeCookieFile(resolve(flags.output), kept);
        process.stdout.write(`Saved ${describeCookies(kept)} to ${flags.output} (mode 0600).\n`);
      } finally {
        await session.close();
      }
    });
  return cookies;
}
