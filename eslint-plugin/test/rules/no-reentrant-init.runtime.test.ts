/**
 * The rule's claim checked against the runtime: each program here is linted with `no-reentrant-init` and then run
 * with the real `@lazy-init/runtime`. A report must mean the program fails the way the message says (a runtime cell
 * throws or rejects with `ReentrantInitError`, a hand-rolled accessor overflows the stack), and no report must mean it
 * runs to the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-reentrant-init.js';

const runtimeRoot = fileURLToPath(new URL('../../../runtime/', import.meta.url));
const runtimeEntry = path.join(runtimeRoot, 'dist/index.js');
let workDir: string;

beforeAll(async () => {
  if (!existsSync(runtimeEntry)) execFileSync('npx', ['tsc', '-b', runtimeRoot], { stdio: 'inherit' });
  workDir = mkdtempSync(path.join(tmpdir(), 'no-reentrant-init-'));
  // The programs run as in tests and development: with reentrancy detected across `await` on every Node version.
  const runtime = (await import(pathToFileURL(runtimeEntry).href)) as { enableAsyncReentrancyDetection(): void };
  runtime.enableAsyncReentrancyDetection();
}, 180_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

type Outcome = 'completes' | 'ReentrantInitError' | 'stack overflow';

const linter = new Linter({ configType: 'flat' });

function lint(code: string): Linter.LintMessage[] {
  return linter.verify(
    code,
    [
      {
        files: ['**/*.mjs'],
        plugins: { 'lazy-init': { rules: { 'no-reentrant-init': rule as never } } },
        languageOptions: { parser: tsParser as never },
        rules: { 'lazy-init/no-reentrant-init': 'error' },
      },
    ],
    path.join(process.cwd(), 'program.mjs'),
  );
}

let counter = 0;

/** Runs the program's exported `run()` against the built runtime and says how it ended. */
async function execute(code: string): Promise<Outcome> {
  const file = path.join(workDir, `program-${counter++}.mjs`);
  writeFileSync(file, code.replaceAll("'@lazy-init/runtime'", `'${pathToFileURL(runtimeEntry).href}'`));
  const program = (await import(pathToFileURL(file).href)) as { run: () => unknown };
  try {
    await program.run();
    return 'completes';
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) return 'stack overflow';
    if (error instanceof Error && error.name === 'ReentrantInitError') return 'ReentrantInitError';
    throw error;
  }
}

const programs: Record<string, string> = {
  'two cells that read each other': `import { LazyCell } from '@lazy-init/runtime';
const a = new LazyCell(() => b.value + 1);
const b = new LazyCell(() => a.value + 1);
export const run = () => a.value;`,
  'an accessor whose initializer calls it back': `import { OnceCell } from '@lazy-init/runtime';
const config = new OnceCell();
export function getConfig() { return config.getOrInit(() => loadDefaults()); }
const loadDefaults = () => ({ ...getConfig(), retries: 3 });
export const run = () => getConfig();`,
  'getters and methods of one instance': `import { OnceCell } from '@lazy-init/runtime';
class Settings {
  #cell = new OnceCell();
  get all() { return this.#cell.getOrInit(() => this.compute()); }
  compute() { return { theme: this.theme }; }
  get theme() { return this.all.theme ?? 'dark'; }
}
export const run = () => new Settings().all;`,
  'an inherited method reading the subclass getter': `import { OnceCell } from '@lazy-init/runtime';
class Base { load() { return this.all.length; } }
class Repo extends Base {
  #rows = new OnceCell();
  get all() { return this.#rows.getOrInit(() => [this.load()]); }
}
export const run = () => new Repo().all;`,
  'locks waiting on each other through a continuation': `import { LazyLock } from '@lazy-init/runtime';
const db = new LazyLock(async () => Promise.resolve(1).then(() => migrations.force()));
const migrations = new LazyLock(() => db.force().then((value) => value + 1));
export const run = () => db.force();`,
  'a lock that waits on itself after an await': `import { LazyLock } from '@lazy-init/runtime';
const lock = new LazyLock(async () => { await new Promise((resolve) => setTimeout(resolve, 1)); return lock.force(); });
export const run = () => lock.force();`,
  'a hand-rolled accessor': `let settings;
export function getSettings() {
  if (settings === undefined) settings = readSettings();
  return settings;
}
function readSettings() { return { theme: getSettings().theme ?? 'dark' }; }
export const run = () => getSettings();`,
  'a hand-rolled memo getter': `class Theme {
  #palette;
  get palette() { return this.#palette ??= this.build(); }
  build() { return { accent: this.palette.base ?? 'blue', base: 'white' }; }
}
export const run = () => new Theme().palette;`,
  'a hand-rolled singleton whose constructor asks for the instance': `class Service {
  static #instance;
  static getInstance() {
    if (!Service.#instance) Service.#instance = new Service();
    return Service.#instance;
  }
  constructor() { this.peer = Service.getInstance(); }
}
export const run = () => Service.getInstance();`,
  'a hand-rolled object-literal getter in a factory': `function createApi(config) {
  return {
    _client: undefined,
    get client() { return (this._client ??= { session: this.settings.session }); },
    get settings() { return { ...config, session: this.client.session }; },
  };
}
export const run = () => createApi({}).client;`,
  'cells read in one direction': `import { LazyCell } from '@lazy-init/runtime';
const base = new LazyCell(() => 21);
const answer = new LazyCell(() => base.value * 2);
export const run = () => answer.value;`,
  'a callback that runs later': `import { LazyCell } from '@lazy-init/runtime';
const a = new LazyCell(() => { setTimeout(() => a.value, 0); return 1; });
export const run = async () => { a.value; await new Promise((resolve) => setTimeout(resolve, 5)); };`,
  'a function stored for later': `import { LazyCell } from '@lazy-init/runtime';
const handlers = new LazyCell(() => ({ onReady: () => handlers.value }));
export const run = () => handlers.value.onReady();`,
  'a sync cell whose continuation reads it': `import { LazyCell } from '@lazy-init/runtime';
const data = new LazyCell(() => Promise.resolve(1).then(() => (data.value ? 2 : 0)));
export const run = () => data.value;`,
  'each node its own cell': `import { OnceCell } from '@lazy-init/runtime';
class TreeNode {
  children = [];
  #size = new OnceCell();
  size() { return this.#size.getOrInit(() => this.children.reduce((sum, child) => sum + child.size(), 1)); }
}
export const run = () => { const root = new TreeNode(); root.children.push(new TreeNode(), new TreeNode()); return root.size(); };`,
  'a hand-rolled accessor with a deferred callback': `let client;
export function getClient() {
  if (client === undefined) client = { onReconnect: () => getClient() };
  return client;
}
export const run = () => getClient().onReconnect();`,
};

describe('no-reentrant-init agrees with the runtime', () => {
  for (const [name, code] of Object.entries(programs)) {
    it(name, async () => {
      const messages = lint(code);
      expect(messages.filter((message) => message.ruleId === null)).toEqual([]);
      const outcome = await execute(code);
      const expectedMessageIds: Record<Outcome, string[]> = {
        completes: [],
        ReentrantInitError: ['reentrantCell', 'reentrantLock'],
        'stack overflow': ['reentrantAccessor', 'reentrantAsyncAccessor'],
      };
      if (outcome === 'completes') {
        expect(messages).toEqual([]);
      } else {
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(expectedMessageIds[outcome]).toContain(message.messageId);
      }
    });
  }

  it('has programs for every outcome', async () => {
    const outcomes = new Set<Outcome>();
    for (const code of Object.values(programs)) outcomes.add(await execute(code));
    expect([...outcomes].sort()).toEqual(['ReentrantInitError', 'completes', 'stack overflow']);
  });
});
