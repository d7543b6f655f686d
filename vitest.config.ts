import { defineConfig } from 'vitest/config';

/**
 * The media tests that judge pictures and timing of live ffmpeg processes (the recorder end to end, its mixer,
 * relay and outputs, the live output, the ffmpeg test source, the soak's smoke run) run one at a time after the
 * rest: beside another heavy file on 2 cores their real-time sources starve and what they check goes dark.
 */
const ALONE = [
  'test/recorder/recording.test.ts',
  'test/recorder/mixer.test.ts',
  'test/recorder/relay.test.ts',
  'test/recorder/outputs.test.ts',
  'test/e2e/live-output.test.ts',
  'test/media/ffmpeg-source.test.ts',
  'test/bench-recording.test.ts',
];

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
