import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-falsy-lazy-guard.js';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { fixtureProjectRoot } from '../rule-tester.js';

// The fixture project's `tsconfig.json` includes the tester's default `file.ts`, so the project service finds it.
const ruleTester = new RuleTester({
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixtureProjectRoot } },
});

ruleTester.run('no-falsy-lazy-guard', rule, {
  valid: [
    // An object can never be falsy.
    `declare function createDb(): { query(sql: string): void };
let db: ReturnType<typeof createDb> | undefined;
export function getDb() { if (!db) db = createDb(); return db; }`,
    // \`??=\` treats only nullish values as empty.
    `declare function count(): number;
let total: number | undefined;
export function getTotal() { return (total ??= count()); }`,
    // A nullish-only result re-runs under every guard; that is not a falsy-guard problem.
    `declare function find(): { id: string } | undefined;
let found: { id: string } | undefined;
export function getFound() { if (!found) found = find(); return found; }`,
    // A cached promise is always truthy.
    `declare function load(): Promise<number>;
let loading: Promise<number> | undefined;
export function get() { return (loading ||= load()); }`,
    // \`any\` says nothing about falsiness.
    `declare function loose(): any;
let value: any;
export function get() { if (!value) value = loose(); return value; }`,
    // Slot kinds can be narrowed.
    {
      code: `declare function count(): number;
let total: number | undefined;
export function getTotal() { if (!total) total = count(); return total; }`,
      options: [{ slotKinds: ['instance'] }],
    },
  ],
  invalid: [
    {
      code: `declare function count(): number;
let total: number | undefined;
export function getTotal(): number {
  if (!total) total = count();
  return total;
}
`,
      errors: [
        {
          messageId: 'falsyLazyGuard',
          data: { slot: 'total', type: 'number' },
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 31,
          suggestions: [
            {
              messageId: 'suggestNullish',
              data: { slot: 'total' },
              output: `declare function count(): number;
let total: number | undefined;
export function getTotal(): number {
  if (total === undefined) total = count();
  return total;
}
`,
            },
          ],
        },
      ],
    },
    {
      // \`||=\` on an instance slot whose initializer returns a string.
      code: `declare function readBanner(): string;
export class Page {
  private banner?: string;
  get header(): string {
    return (this.banner ||= readBanner());
  }
}
`,
      errors: [
        {
          messageId: 'falsyLazyGuard',
          data: { slot: 'this.banner', type: 'string' },
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 41,
          suggestions: [
            {
              messageId: 'suggestNullish',
              output: `declare function readBanner(): string;
export class Page {
  private banner?: string;
  get header(): string {
    return (this.banner ??= readBanner());
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      // \`x || (x = ...)\` with an awaited boolean.
      code: `declare function probe(): Promise<boolean>;
let supported: boolean | undefined;
export async function isSupported(): Promise<boolean> {
  return supported || (supported = await probe());
}
`,
      errors: [
        {
          messageId: 'falsyLazyGuard',
          data: { slot: 'supported', type: 'boolean' },
          line: 4,
          column: 10,
          endLine: 4,
          endColumn: 50,
          suggestions: [
            {
              messageId: 'suggestNullish',
              output: `declare function probe(): Promise<boolean>;
let supported: boolean | undefined;
export async function isSupported(): Promise<boolean> {
  return supported ?? (supported = await probe());
}
`,
            },
          ],
        },
      ],
    },
    {
      // An early return on a truthy test: reported, with no mechanical suggestion.
      code: `declare function measure(): 0 | 1 | 2;
let level: 0 | 1 | 2 | undefined;
export function getLevel() {
  if (level) return level;
  level = measure();
  return level;
}
`,
      errors: [{ messageId: 'falsyLazyGuard', data: { slot: 'level', type: '0 | 1 | 2' }, line: 4, column: 3, endLine: 4, endColumn: 27, suggestions: [] }],
    },
  ],
});

describe('no-falsy-lazy-guard without type information', () => {
  it('fails with the standard typescript-eslint error instead of guessing', () => {
    const linter = new Linter({ configType: 'flat' });
    const run = () =>
      linter.verify(
        'let x: number | undefined; export const f = () => (x ||= 1 + 1);',
        [
          {
            files: ['**/*.ts'],
            plugins: { 'lazy-init': { rules: { 'no-falsy-lazy-guard': rule as never } } },
            languageOptions: { parser: tsParser as never },
            rules: { 'lazy-init/no-falsy-lazy-guard': 'error' },
          },
        ],
        'file.ts',
      );
    expect(run).toThrow(/parserOptions|type information|typed linting/i);
  });
});
