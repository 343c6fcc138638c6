import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { rules, type RuleId } from './rules/index.js';
import type { LazyInitRuleDocs } from './utils/create-rule.js';

// The manifest sits outside `rootDir`, so it is read at run time rather than imported.
const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** The prefix of every rule id in a config: `lazy-init/no-reentrant-init`. */
export const namespace = 'lazy-init';

export type ConfigName = 'recommended' | 'recommended-type-checked' | 'strict';

/** A flat config object, accepted by `defineConfig` from `eslint/config` and by `tseslint.config`. */
export interface LazyInitConfig extends TSESLint.FlatConfig.Config {
  name: `${typeof namespace}/${ConfigName}`;
  plugins: Record<typeof namespace, TSESLint.FlatConfig.Plugin>;
  rules: Partial<Record<`${typeof namespace}/${RuleId}`, TSESLint.FlatConfig.RuleLevel>>;
}

export interface LazyInitPlugin extends TSESLint.FlatConfig.Plugin {
  meta: { name: string; version: string; namespace: typeof namespace };
  rules: typeof rules;
  configs: Record<ConfigName, LazyInitConfig>;
}

/** Which rules each config turns on, decided by the flags in each rule's `meta.docs`. */
const configMembership: Record<ConfigName, (docs: LazyInitRuleDocs) => boolean> = {
  /** Rules that need no type information. */
  recommended: (docs) => docs.recommended && !docs.requiresTypeChecking,
  /** `recommended` plus the recommended rules that need type information (`parserOptions.projectService`). */
  'recommended-type-checked': (docs) => docs.recommended,
  /** Every rule, type-aware ones included. */
  strict: () => true,
};

const ruleLevels = (member: (docs: LazyInitRuleDocs) => boolean): LazyInitConfig['rules'] =>
  Object.fromEntries(
    (Object.keys(rules) as RuleId[])
      .filter((id) => {
        const { docs } = rules[id].meta;
        return docs !== undefined && member(docs);
      })
      .map((id) => [`${namespace}/${id}`, 'error' as const]),
  );

const plugin: LazyInitPlugin = {
  meta: { name, version, namespace },
  rules,
  // Filled below: each config refers back to the plugin object itself.
  configs: {} as Record<ConfigName, LazyInitConfig>,
};

for (const config of Object.keys(configMembership) as ConfigName[]) {
  plugin.configs[config] = {
    name: `${namespace}/${config}`,
    plugins: { [namespace]: plugin },
    rules: ruleLevels(configMembership[config]),
  };
}

export default plugin;
export { rules };
export type { RuleId };
