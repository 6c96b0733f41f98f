import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      // `// @vitest-environment happy-dom-terminal`: happy-dom with Node transforms, for component
      // tests that open a real terminal in the same process (tests/support/happy-dom-terminal.ts).
      'vitest-environment-happy-dom-terminal': resolve(
        import.meta.dirname,
        'tests/support/happy-dom-terminal.ts',
      ),
    },
  },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: one on our 2-core machines, where most
    // files wait on child processes, sockets and Chromium. Two keep both cores busy.
    maxWorkers: 2,
    globalSetup: ['tests/support/renderer-cache.ts'],
  },
});
