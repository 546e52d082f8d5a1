/**
 * Two tiers (docs/ARCHITECTURE.md, "Testing approach"). `unit`: in-process tests of one module or a few
 * (real SQLite, real loopback HTTP) that need no build. `integration` (`*.integration.test.ts`):
 * tests that run the built `tpot` in a child process, Chromium, or worker threads loaded from
 * dist/ — its global setup builds dist/ and web/dist first. `npm test` runs both.
 */
import { defineConfig } from 'vitest/config';

const INTEGRATION = '**/*.integration.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start child processes and local servers; two workers fit the 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'], exclude: [INTEGRATION] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [`src/${INTEGRATION}`, `web/test/${INTEGRATION}`],
          globalSetup: ['src/testing/vitest-global-setup.ts'],
          // A poll waits for a browser or a child process, which on a loaded 2-core machine can take
          // several seconds (a graph reloaded and drawn after a filter change); vitest's default is 1 s.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
