import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['src/testing/vitest-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start child processes and local servers; two workers fit the 2-core machine.
    maxWorkers: 2,
  },
});
