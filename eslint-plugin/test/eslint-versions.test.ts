/**
 * The built plugin, as users install it, in ESLint 10 (`eslint`) and ESLint 9 (`eslint9`): both load it through a flat
 * config, both report the same problems, and no rule crashes on any kind of file the plugin claims to support.
 */
import * as path from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { ESLint as ESLint10 } from 'eslint';
import { ESLint as ESLint9 } from 'eslint9';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LazyInitPlugin } from '../src/index.js';
import { loadBuiltPlugin } from './built-plugin.js';
import { fixtureFile, fixtureProjectRoot } from './rule-tester.js';

let plugin: LazyInitPlugin;

beforeAll(async () => {
  plugin = await loadBuiltPlugin();
}, 180_000);

type Engine = typeof ESLint10 | typeof ESLint9;
const engines: [string, Engine][] = [
  ['ESLint 10', ESLint10],
  ['ESLint 9', ESLint9],
];

interface Report {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
  fatal: boolean;
}

interface LintOptions {
  /** A plugin config, or `untyped-rules` to turn on every rule that needs no type information. */
  config: 'recommended' | 'recommended-type-checked' | 'strict' | 'untyped-rules';
  /** Parse with typescript-eslint's parser (default) or ESLint's own (`espree`, JavaScript only). */
  parser?: 'typescript-eslint' | 'espree';
  typed?: boolean;
  sourceType?: 'module' | 'commonjs';
}

async function lint(Engine: Engine, code: string, filePath: string, options: LintOptions): Promise<Report[]> {
  const ruleConfig =
    options.config === 'untyped-rules'
      ? {
          plugins: { [plugin.meta.namespace]: plugin },
          rules: Object.fromEntries(
            Object.entries(plugin.rules)
              .filter(([, rule]) => !rule.meta.docs.requiresTypeChecking)
              .map(([id]) => [`${plugin.meta.namespace}/${id}`, 'error']),
          ),
        }
      : plugin.configs[options.config];
  const eslint = new Engine({
    cwd: fixtureProjectRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
        languageOptions: {
          ...(options.parser === 'espree' ? {} : { parser: tsParser }),
          sourceType: options.sourceType ?? 'module',
          parserOptions: {
            ecmaFeatures: { jsx: /\.[jt]sx$/.test(filePath) },
            ...(options.typed ? { projectService: true, tsconfigRootDir: fixtureProjectRoot } : {}),
          },
        },
      },
      ruleConfig,
    ] as never,
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map(({ ruleId, line, column, message, fatal }) => ({
    ruleId,
    line,
    column,
    message,
    fatal: fatal === true,
  }));
}

/** Real shapes of lazy initialization, each with at least one problem the recommended rules report. */
const snippets: Record<string, string> = {
  'module accessor': `import { connect } from './db.js';
let db;
export function getDb() {
  if (!db) db = connect();
  return db;
}`,
  'async race': `let client: { query(sql: string): Promise<unknown> } | undefined;
export async function getClient() {
  if (!client) {
    client = await createClient();
  }
  return client;
}
declare function createClient(): Promise<{ query(sql: string): Promise<unknown> }>;`,
  'cached rejection': `const cache = new Map<string, Promise<string>>();
let manifest: Promise<string> | undefined;
export function loadManifest() {
  manifest ??= fetch('/manifest.json').then((response) => response.text());
  return manifest;
}`,
  'falsy guard': `let count: number | undefined;
export function getCount() {
  if (!count) count = computeCount();
  return count;
}
function computeCount(): number { return 0; }`,
  'reentrant cells': `import { LazyCell } from '@lazy-init/runtime';
export const a = new LazyCell(() => b.value + 1);
export const b = new LazyCell(() => a.value + 1);`,
  'memo getter and singleton': `export class Registry {
  static #instance: Registry | undefined;
  #entries: Map<string, number> | undefined;
  static getInstance() {
    if (!Registry.#instance) Registry.#instance = new Registry();
    return Registry.#instance;
  }
  get entries() {
    return (this.#entries ??= new Map());
  }
}`,
};

describe.each(['recommended', 'recommended-type-checked', 'strict'] as const)('the %s config', (config) => {
  const typed = config !== 'recommended';
  const reportsByEngine = new Map<string, Report[][]>();

  it.each(engines)('loads into %s and lints every snippet', async (name, Engine) => {
    const all: Report[][] = [];
    for (const code of Object.values(snippets)) {
      const reports = await lint(Engine, code, typed ? fixtureFile('file.ts') : path.join(fixtureProjectRoot, 'snippet.ts'), {
        config,
        typed,
      });
      expect(reports.filter((report) => report.fatal)).toEqual([]);
      all.push(reports);
    }
    reportsByEngine.set(name, all);
    const ruleIds = new Set(all.flat().map((report) => report.ruleId));
    expect(ruleIds).toContain('lazy-init/no-reentrant-init');
    expect(ruleIds).toContain('lazy-init/prefer-lazy-primitive');
    for (const id of ruleIds) expect(Object.keys(plugin.configs[config].rules)).toContain(id);
  });

  it('gives the same reports in ESLint 9 and ESLint 10', () => {
    const [ten, nine] = engines.map(([name]) => reportsByEngine.get(name));
    expect(ten).toBeDefined();
    expect(ten!.flat().length).toBeGreaterThan(0);
    expect(nine).toEqual(ten);
  });
});

/** Each sample holds a reentrant hand-rolled accessor, so every file kind must yield that report. */
const samples: { file: string; code: string; parsers: LintOptions['parser'][]; sourceType?: 'commonjs' }[] = [
  {
    file: 'sample.js',
    parsers: ['espree', 'typescript-eslint'],
    code: `let theme;
export function getTheme() {
  if (!theme) theme = { accent: getTheme().accent || 'blue' };
  return theme;
}
export class Store {
  get state() { return this._state || (this._state = this.load()); }
  load() { return {}; }
}`,
  },
  {
    file: 'sample.mjs',
    parsers: ['espree', 'typescript-eslint'],
    code: `import { LazyLock } from '@lazy-init/runtime';
const config = await import('./config.mjs');
export const db = new LazyLock(async () => (await db.force()).withConfig(config));
let ready = false;
export async function init() { if (!ready) { ready = true; await db.force(); } }`,
  },
  {
    file: 'sample.cjs',
    parsers: ['espree', 'typescript-eslint'],
    sourceType: 'commonjs',
    code: `'use strict';
const { OnceCell } = require('@lazy-init/runtime');
const registry = new OnceCell();
function getRegistry() {
  return registry.getOrInit(() => ({ parent: getRegistry() }));
}
let instance;
module.exports = function singleton() {
  if (instance === undefined) instance = { created: Date.now() };
  return instance;
};
module.exports.getRegistry = getRegistry;`,
  },
  {
    file: 'sample.tsx',
    parsers: ['typescript-eslint'],
    code: `import { useRef } from 'react';
let icons: Record<string, JSX.Element> | undefined;
export function getIcons(): Record<string, JSX.Element> {
  if (icons === undefined) icons = { star: <svg>{Object.keys(getIcons()).length}</svg> };
  return icons;
}
export function Player(props: { src: string }) {
  const audio = useRef<HTMLAudioElement | null>(null);
  if (audio.current === null) audio.current = new Audio(props.src);
  return <button onClick={() => audio.current?.play()}>{props.src}</button>;
}`,
  },
  {
    file: 'sample.ts',
    parsers: ['typescript-eslint'],
    code: `declare function logged(target: unknown, context: ClassMethodDecoratorContext): void;
export abstract class Repository<T> {
  private cache?: Map<string, T>;
  protected abstract fetchAll(): Map<string, T>;
  @logged
  all(): Map<string, T> {
    this.cache ??= this.fetchAll();
    return this.cache;
  }
  get size(): number { return this.all().size; }
}
export class Users extends Repository<string> {
  protected fetchAll() { return new Map([['count', String(this.size)]]); }
}
let schema: { version: number } | undefined;
export function getSchema() {
  if (!schema) schema = { version: getSchema().version + 1 };
  return schema;
}`,
  },
];

describe('every rule on every file kind, without type information', () => {
  for (const sample of samples) {
    for (const parser of sample.parsers) {
      it.each(engines)(`${sample.file} with ${parser} in %s`, async (_name, Engine) => {
        const reports = await lint(Engine, sample.code, path.join(fixtureProjectRoot, sample.file), {
          config: 'untyped-rules',
          parser,
          ...(sample.sourceType ? { sourceType: sample.sourceType } : {}),
        });
        expect(reports.filter((report) => report.fatal || report.ruleId === null)).toEqual([]);
        expect(reports.map((report) => report.ruleId)).toContain('lazy-init/no-reentrant-init');
      });
    }
  }
});
