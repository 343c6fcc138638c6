import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{runtime,eslint-plugin,codemods}/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'fixtures/**'],
    typecheck: {
      enabled: true,
      include: ['runtime/test/**/*.test-d.ts'],
      tsconfig: 'runtime/test/tsconfig.json',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
