import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real workers, real sockets, real ffmpeg: slower than unit tests, never mocked.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Marks the run in the environment and fails it if a process the tests started outlives it.
    globalSetup: ['test/global-teardown.ts'],
    // CI also keeps a JSON report, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
