import tseslint from 'typescript-eslint';
// The repository lints itself with its own plugin, as built by `npm run build` (which `npm test` runs first).
import lazyInit from './eslint-plugin/dist/index.js';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'fixtures/**', '**/test/fixtures/**', 'coverage/**', '.bench-tmp/**', '.bench-corpus/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ...lazyInit.configs.recommended,
  },
  {
    // The runtime implements the primitives, so it cannot be built on them.
    files: ['runtime/src/**'],
    rules: { 'lazy-init/prefer-lazy-primitive': 'off' },
  },
  {
    // The benchmarks time hand-rolled lazy initialization against the runtime: the hand-rolled baselines are the point.
    files: ['bench/**'],
    rules: { 'lazy-init/prefer-lazy-primitive': 'off', 'lazy-init/no-cached-rejection': 'off' },
  },
  {
    // The tour shows what `ReentrantInitError` looks like by building cycles on purpose.
    files: ['runtime/examples/**'],
    rules: { 'lazy-init/no-reentrant-init': 'off' },
  },
);
