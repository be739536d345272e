import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // integration suites start real processes on loopback ports; keep the 2-core machine calm
    maxWorkers: 2,
  },
});
