/**
 * The browser the enricher reads X with (docs/OPERATIONS.md, "Shadow enrichment"): Debian's
 * Chromium through playwright-core (`TPOT_CHROME_BINARY`, headless or visible), the user's cookies
 * loaded into its context, and the session checked before any work — a login wall stops the run
 * with the command to capture new cookies (docs/FORMATS.md, "Pages", "Login wall").
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, requireChromium } from '../browser.js';
import { TpotError } from '../errors.js';
import type { SessionCookie } from './cookies.js';

export { BrowserMissingError } from '../browser.js';

/** X shows its login wall: the session is missing or expired (exit 1). */
export class LoginRequiredError extends TpotError {
  readonly errorType = 'login_required';
  constructor(cookieFile: string) {
    super(
      'session',
      `X asks to log in: the session in ${cookieFile} is missing or expired. ` +
        `Capture a new one with \`npx tpot cookies setup --output ${cookieFile}\` ` +
        `(or export your browser's cookies and run \`npx tpot cookies import FILE --output ${cookieFile}\`).`,
    );
  }
}

export interface XSession {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Cookies for x.com are set on the site the enricher reads (the fake X in tests). */
function cookiesFor(baseUrl: string, cookies: readonly SessionCookie[]) {
  const url = new URL(baseUrl);
  const real = /(^|\.)x\.com$/.test(url.hostname);
  return cookies.map((c) => ({
    name: c.name,
    value: c.value,
    path: c.path,
    expires: c.expires,
    httpOnly: c.httpOnly,
    secure: real ? c.secure : false,
    sameSite: real ? c.sameSite : ('Lax' as const),
    domain: real ? c.domain : url.hostname,
  }));
}

export async function openSession(options: {
  baseUrl: string;
  cookies: readonly SessionCookie[];
  /** The Chromium to drive (TPOT_CHROME_BINARY, --chrome-binary); null: Debian's. */
  chromeBinary: string | null;
  headless: boolean;
}): Promise<XSession> {
  const browser = await chromium.launch({
    executablePath: requireChromium(options.chromeBinary),
    args: CHROMIUM_ARGS,
    headless: options.headless,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addCookies(cookiesFor(options.baseUrl, options.cookies));
  return {
    browser,
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** Whether a page is X's logged-out shell or login flow. */
export async function isLoginWall(page: Page): Promise<boolean> {
  if (new URL(page.url()).pathname.startsWith('/i/flow/login')) return true;
  const loggedIn = await page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').count();
  const loginButton = await page.locator('[data-testid="loginButton"], a[href="/login"]').count();
  return loggedIn === 0 && loginButton > 0;
}

/** Opens the home page and throws LoginRequiredError on a login wall, before any seed is read. */
export async function checkSession(session: XSession, baseUrl: string, cookieFile: string): Promise<void> {
  const page = await session.context.newPage();
  try {
    await page.goto(`${baseUrl}/home`, { waitUntil: 'domcontentloaded' });
    await page
      .waitForSelector(
        '[data-testid="SideNav_AccountSwitcher_Button"], [data-testid="loginButton"], a[href="/login"]',
        { timeout: 30_000 },
      )
      .catch(() => undefined);
    if (await isLoginWall(page)) throw new LoginRequiredError(cookieFile);
  } finally {
    await page.close();
  }
}
