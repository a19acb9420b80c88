import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'store/**'],
    testTimeout: 60_000,
    globalSetup: ['test/global-teardown.ts'],
    // Two cores: simulated runs are CPU-bound, so more workers only contend.
    maxWorkers: 2,
  },
})
