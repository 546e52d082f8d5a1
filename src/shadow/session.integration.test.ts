/** The browser session against the fake X: logged in with cookies, a login wall without them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsEnabled } from '../testing/browser.js';
import { fakeSeed, startFakeX, sessionCookiesOf, type FakeX } from '../testing/fake-x/server.js';
import type { SessionCookie } from './cookies.js';
import { checkSession, LoginRequiredError, openSession } from './session.js';
import { errorMessage } from '../errors.js';

describe.runIf(browserTestsEnabled())('the X session', () => {
  let fake: FakeX;
  beforeAll(async () => {
    fake = await startFakeX({ ...fakeSeed({ center: 'center_acct', followers: 3, following: 2 }), viewer: 'bob' });
  });
  afterAll(() => fake?.close());

  const cookies = (): SessionCookie[] => sessionCookiesOf(fake);

  it('passes the check with the session cookies, and stops at a login wall without them', async () => {
    const good = await openSession({ baseUrl: fake.url, cookies: cookies(), chromeBinary: null, headless: true });
    try {
      await expect(checkSession(good, fake.url, 'secrets/x.json')).resolves.toBeUndefined();
      fake.setSessionValid(false); // the session expired on X's side
      await expect(checkSession(good, fake.url, 'secrets/x.json')).rejects.toThrow(LoginRequiredError);
      fake.setSessionValid(true);
    } finally {
      await good.close();
    }
    const none = await openSession({ baseUrl: fake.url, cookies: [], chromeBinary: null, headless: true });
    try {
      const error = await checkSession(none, fake.url, 'secrets/x.json').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoginRequiredError);
      expect((error as LoginRequiredError).errorType).toBe('login_required');
      expect(errorMessage(error)).toContain('npx tpot cookies setup --output secrets/x.json');
    } finally {
      await none.close();
    }
  });
});
