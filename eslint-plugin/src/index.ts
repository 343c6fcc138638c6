import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules/index.js';

const require = createRequire(import.meta.url);
const { name, version } = require('../package.json') as { name: string; version: string };

const namespace = 'lazy-init';

type RuleLevels = Record<`${typeof namespace}/${keyof typeof rules}`, TSESLint.Linter.RuleLevel>;

const ruleLevels = (filter: (docs: { recommended: boolean; requiresTypeChecking: boolean }) => boolean): Partial<RuleLevels> =>
  Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => filter(rule.meta.docs))
      .map(([id]) => [`${namespace}/${id}`, 'error' as const]),
  );

const plugin = {
  meta: { name, version, namespace },
  rules,
  configs: {} as Record<'recommended' | 'recommended-type-checked' | 'strict', TSESLint.FlatConfig.Config>,
};

Object.assign(plugin.configs, {
  /** Rules that need no type information and report only real lazy-initialization bugs or hand-rolled sites. */
  recommended: {
    name: `${namespace}/recommended`,
    plugins: { [namespace]: plugin },
    rules: ruleLevels((docs) => docs.recommended && !docs.requiresTypeChecking),
  },
  /** `recommended` plus the rules that need type information (`parserOptions.projectService`). */
  'recommended-type-checked': {
    name: `${namespace}/recommended-type-checked`,
    plugins: { [namespace]: plugin },
    rules: ruleLevels((docs) => docs.recommended),
  },
  /** Every rule, type-aware ones included. */
  strict: {
    name: `${namespace}/strict`,
    plugins: { [namespace]: plugin },
    rules: ruleLevels(() => true),
  },
});

export default plugin;
export { rules };
