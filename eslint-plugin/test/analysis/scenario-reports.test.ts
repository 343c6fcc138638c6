/**
 * Every scenario input linted by ESLint with every rule that needs no type information: the reports must be exactly
 * the scenario's `reports` (rule and line), and no rule may crash or fail to parse the input.
 */
import * as path from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { loadScenarios } from './scenarios.js';

const namespace = plugin.meta.namespace;
const untypedRules = Object.entries(plugin.rules)
  .filter(([, rule]) => !rule.meta.docs.requiresTypeChecking)
  .map(([id]) => id);

const linter = new Linter({ configType: 'flat' });

describe('fixtures/scenarios: rule reports', () => {
  for (const scenario of loadScenarios()) {
    it(`${scenario.name}`, () => {
      const extension = path.extname(scenario.inputPath);
      const messages = linter.verify(
        scenario.input,
        [
          {
            files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
            plugins: { [namespace]: plugin as never },
            languageOptions: {
              parser: tsParser as never,
              sourceType: extension === '.cjs' ? 'commonjs' : 'module',
              parserOptions: { ecmaFeatures: { jsx: extension === '.tsx' || extension === '.jsx' } },
            },
            rules: Object.fromEntries(untypedRules.map((id) => [`${namespace}/${id}`, 'error'])),
          },
        ],
        scenario.inputPath,
      );
      expect(messages.filter((message) => message.fatal || !message.ruleId)).toEqual([]);
      const actual = messages
        .map((message) => ({ rule: message.ruleId!.slice(namespace.length + 1), line: message.line }))
        .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
      const expected = [...scenario.reports].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
      expect(actual).toEqual(expected);
    });
  }
});
