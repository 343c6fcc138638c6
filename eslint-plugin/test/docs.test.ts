/**
 * Every rule document's examples run through its rule: each code block under `### ❌ Incorrect` must be reported at
 * least once, each under `### ✅ Correct` never. Type-aware rules get type information from the fixture project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { fixtureFile, fixtureProjectRoot } from './rule-tester.js';

const docsDir = fileURLToPath(new URL('../docs/rules/', import.meta.url));

export type Expectation = 'incorrect' | 'correct';

export interface DocExample {
  readonly expectation: Expectation;
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence in the document, for failure messages. */
  readonly line: number;
}

const HEADINGS: Readonly<Record<string, Expectation>> = {
  '### ❌ Incorrect': 'incorrect',
  '### ✅ Correct': 'correct',
};
const CODE_LANGS = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'jsx', 'mjs', 'cjs']);

/** The code blocks of a Markdown document that sit under one of the two example headings. */
export function extractExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  const lines = markdown.split(/\r?\n/);
  let section: Expectation | undefined;
  let fence: { lang: string; line: number; body: string[]; marker: string } | undefined;
  lines.forEach((line, index) => {
    if (fence) {
      if (line.trimEnd() === fence.marker) {
        if (section && CODE_LANGS.has(fence.lang)) {
          examples.push({ expectation: section, lang: fence.lang, code: fence.body.join('\n'), line: fence.line });
        }
        fence = undefined;
      } else {
        fence.body.push(line);
      }
      return;
    }
    const opening = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (opening) {
      fence = { marker: opening[1]!, lang: opening[2]!.toLowerCase(), line: index + 1, body: [] };
      return;
    }
    if (/^#{1,6}\s/.test(line)) section = HEADINGS[line.trim()];
  });
  return examples;
}

const extensionOf = (lang: string): string =>
  ({ typescript: 'ts', javascript: 'js' } as Record<string, string>)[lang] ?? lang;

const linter = new Linter({ configType: 'flat' });

/** Lints one example with only `ruleId` on, with type information when the rule needs it. */
export function lintExample(ruleId: keyof typeof plugin.rules, example: DocExample): Linter.LintMessage[] {
  const typed = plugin.rules[ruleId].meta.docs.requiresTypeChecking;
  const extension = extensionOf(example.lang);
  // Type-aware linting reads the file's project from disk: the fixture project holds a `file.ts` and a `file.tsx`.
  const filename = typed
    ? fixtureFile(extension === 'tsx' ? 'file.tsx' : 'file.ts')
    : path.join(fixtureProjectRoot, `example.${extension}`);
  const config: Linter.Config[] = [
    {
      files: ['**/*.{ts,tsx,js,jsx,mjs,cjs}'],
      plugins: { [plugin.meta.namespace]: plugin as never },
      languageOptions: {
        parser: tsParser as never,
        sourceType: extension === 'cjs' ? 'commonjs' : 'module',
        parserOptions: {
          ecmaFeatures: { jsx: extension === 'tsx' || extension === 'jsx' },
          ...(typed ? { projectService: true, tsconfigRootDir: fixtureProjectRoot } : {}),
        },
      },
      rules: { [`${plugin.meta.namespace}/${ruleId}`]: 'error' },
    },
  ];
  return linter.verify(example.code, config, filename);
}

const docFiles = readdirSync(docsDir).filter((file) => file.endsWith('.md'));

describe('extractExamples', () => {
  it('takes the fenced code blocks under the two example headings only', () => {
    const markdown = [
      '# rule',
      '```ts',
      'outside();',
      '```',
      '### ❌ Incorrect',
      '```ts',
      'bad();',
      '```',
      'Some prose.',
      '```json',
      '{}',
      '```',
      '### ✅ Correct',
      '````tsx',
      'good(<a />);',
      '```',
      'still();',
      '````',
      '## Options',
      '```js',
      'options();',
      '```',
    ].join('\n');
    expect(extractExamples(markdown)).toEqual([
      { expectation: 'incorrect', lang: 'ts', code: 'bad();', line: 6 },
      { expectation: 'correct', lang: 'tsx', code: 'good(<a />);\n```\nstill();', line: 14 },
    ]);
  });
});

describe('rule documentation examples', () => {
  it('documents every rule', () => {
    expect(docFiles.map((file) => file.replace(/\.md$/, '')).sort()).toEqual(Object.keys(plugin.rules).sort());
  });

  for (const file of docFiles) {
    const ruleId = file.replace(/\.md$/, '') as keyof typeof plugin.rules;
    const examples = extractExamples(readFileSync(path.join(docsDir, file), 'utf8'));

    describe(ruleId, () => {
      it('has at least one incorrect and one correct example', () => {
        expect(examples.some((example) => example.expectation === 'incorrect')).toBe(true);
        expect(examples.some((example) => example.expectation === 'correct')).toBe(true);
      });

      for (const example of examples) {
        it(`${example.expectation} example at line ${example.line}`, () => {
          const messages = lintExample(ruleId, example);
          // Parse errors and "no matching configuration" come without a rule id.
          expect(messages.filter((message) => message.ruleId === null), 'the example parses and is linted').toEqual([]);
          const reports = messages.filter((message) => message.ruleId === `${plugin.meta.namespace}/${ruleId}`);
          if (example.expectation === 'incorrect') expect(reports.length).toBeGreaterThan(0);
          else expect(reports.map((report) => report.message)).toEqual([]);
        });
      }
    });
  }
});
