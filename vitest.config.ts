import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end files each start their own servers on ephemeral ports, so files may run in parallel.
    pool: 'forks',
    restoreMocks: true,
  },
});
