import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration suites start real processes on loopback ports; keep the 2-core machine calm
    maxWorkers: 2,
    // In CI a test that fails is run once more before the run fails: the integration suites time
    // real processes on 2 shared cores, and three clean-clone runs in a row each failed on a
    // different timing flake. A failure that repeats still fails the run, every retry is listed
    // in the output, and the leftover check after the tests still sees what any attempt left.
    retry: process.env.CI ? 1 : 0,
  },
});
