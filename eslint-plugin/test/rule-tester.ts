/**
 * One RuleTester setup for every rule test: vitest's hooks, the TypeScript parser, and a helper that builds a
 * type-aware tester on the fixture project under `test/fixtures/`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export const fixtureProjectRoot = fileURLToPath(new URL('./fixtures/project', import.meta.url));

/** Rules without type information: TypeScript syntax, JSX allowed. */
export const createRuleTester = (): RuleTester =>
  new RuleTester({
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  });

/** Rules that need type information: files are resolved against the small fixture project. */
export const createTypedRuleTester = (): RuleTester =>
  new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts*'] },
        tsconfigRootDir: fixtureProjectRoot,
      },
    },
  });

export const fixtureFile = (name: string): string => path.join(fixtureProjectRoot, name);
