import { createRequire } from 'node:module';
import { rules, type RuleId } from './rules/index.js';
import type { LazyInitRuleDocs } from './utils/create-rule.js';

// The manifest sits outside `rootDir`, so it is read at run time rather than imported.
const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** The prefix of every rule id in a config: `lazy-init/no-reentrant-init`. */
export const namespace = 'lazy-init';

export type ConfigName = 'recommended' | 'recommended-type-checked' | 'strict';

/**
 * The plugin as a config's `plugins` entry sees it. Deliberately narrow: the plugin object satisfies both ESLint's
 * `Plugin` type and typescript-eslint's, and a narrow type stays assignable to either without tying users to one
 * version of their declarations.
 */
export interface LazyInitPluginReference {
  meta: { name: string; version: string; namespace: typeof namespace };
}

/**
 * A flat config object. Only the fields it sets, with plain types, so that `defineConfig` from `eslint/config`,
 * `tseslint.config` and a plain array all accept it, spread (`{ files, ...config }`) or not.
 */
export interface LazyInitConfig {
  name: `${typeof namespace}/${ConfigName}`;
  plugins: { [namespace]: LazyInitPluginReference };
  rules: Partial<Record<`${typeof namespace}/${RuleId}`, LazyInitRuleEntry>>;
}

/** A rule's level, or its level and options, as flat configs spell it. */
export type LazyInitRuleEntry = 'error' | 'warn' | ['error' | 'warn', ...unknown[]];

/**
 * A rule as the plugin object exposes it: what configs, docs tooling and tests read, and a `create` whose context
 * type is left open, so that ESLint's `Plugin` type (whose rule context differs from typescript-eslint's) accepts it.
 * The `rules` named export keeps each rule's full type.
 */
export interface LazyInitRule {
  meta: {
    type: 'problem' | 'suggestion' | 'layout';
    docs: { description: string; url: string } & LazyInitRuleDocs;
    messages: Record<string, string>;
    schema: readonly object[];
    fixable?: 'code' | 'whitespace';
    hasSuggestions?: boolean;
  };
  defaultOptions: readonly unknown[];
  create(context: unknown): LazyInitRuleListener;
}

/** Listener functions take ESLint's nodes; `any` is the parameter type both ESLint's and typescript-eslint's plugin types accept. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LazyInitRuleListener = Record<string, ((...args: any[]) => void) | undefined>;

export interface LazyInitPlugin extends LazyInitPluginReference {
  rules: Record<RuleId, LazyInitRule>;
  configs: Record<ConfigName, LazyInitConfig>;
}

/** Which rules each config turns on, decided by the flags in each rule's `meta.docs`. */
const configMembership: Record<ConfigName, (docs: LazyInitRuleDocs) => boolean> = {
  /** Rules that need no type information. */
  recommended: (docs) => docs.recommended && !docs.requiresTypeChecking,
  /** `recommended` plus the recommended rules that need type information (`parserOptions.projectService`). */
  'recommended-type-checked': (docs) => docs.recommended,
  /** Every rule, type-aware ones included, with the stricter options of `strictOptions`. */
  strict: () => true,
};

/**
 * Where `strict` is stricter than `recommended-type-checked` beyond holding every rule: the options that find more at
 * some cost. `no-reentrant-init` follows call chains twice as deep as its default before it stops looking for a cycle.
 */
export const STRICT_MAX_DEPTH = 10;
const strictOptions: Partial<Record<RuleId, unknown[]>> = {
  'no-reentrant-init': [{ maxDepth: STRICT_MAX_DEPTH }],
};

const ruleLevels = (
  member: (docs: LazyInitRuleDocs) => boolean,
  options: Partial<Record<RuleId, unknown[]>> = {},
): LazyInitConfig['rules'] =>
  Object.fromEntries(
    (Object.keys(rules) as RuleId[])
      .filter((id) => {
        const { docs } = rules[id].meta;
        return docs !== undefined && member(docs);
      })
      .map((id): [string, LazyInitRuleEntry] => {
        const ruleOptions = options[id];
        return [`${namespace}/${id}`, ruleOptions ? ['error', ...ruleOptions] : 'error'];
      }),
  );

const plugin: LazyInitPlugin = {
  meta: { name, version, namespace },
  rules: rules as unknown as Record<RuleId, LazyInitRule>,
  // Filled below: each config refers back to the plugin object itself.
  configs: {} as Record<ConfigName, LazyInitConfig>,
};

for (const config of Object.keys(configMembership) as ConfigName[]) {
  plugin.configs[config] = {
    name: `${namespace}/${config}`,
    plugins: { [namespace]: plugin },
    rules: ruleLevels(configMembership[config], config === 'strict' ? strictOptions : {}),
  };
}

export default plugin;
export { rules };
export type { RuleId };
