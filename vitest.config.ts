import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real workers, real sockets, real ffmpeg: slower than unit tests, never mocked.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
