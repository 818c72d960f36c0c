import { defineConfig } from 'vitest/config';

// Two tiers by file name (STYLE.md §10): `*.test.ts` are pure and fast; `*.integration.test.ts`
// talk to real PostgreSQL, PGlite, real processes and real CLIs. e2e lives in e2e/ (Playwright).
const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/**'];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,packages,scripts}/**/*.test.{ts,tsx}'],
          exclude: [...exclude, '**/*.integration.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup: ['scripts/build-for-tests.ts'],
          include: ['{apps,packages,scripts}/**/*.integration.test.{ts,tsx}'],
          exclude,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
