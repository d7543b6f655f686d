import { defineConfig } from 'vitest/config';

/**
 * The heaviest media tests (a hub with its recorder process, ffmpeg points, Chromium) run alone after the rest:
 * beside another heavy file on 2 cores their test sources starve and the pictures they check go dark.
 */
const ALONE = ['test/recorder/recording.test.ts', 'test/e2e/live-output.test.ts', 'test/bench-recording.test.ts'];

export default defineConfig({
  test: {
    // Real workers, real sockets, real ffmpeg: slower than unit tests, never mocked.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Marks the run in the environment and fails it if a process the tests started outlives it.
    globalSetup: ['test/global-teardown.ts'],
    // CI also keeps a JSON report, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ALONE, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
