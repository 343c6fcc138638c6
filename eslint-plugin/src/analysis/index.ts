/**
 * `@lazy-init/eslint-plugin/analysis`: the lazy-site analysis shared by the rules and the codemod.
 */
export type * from './types.js';
