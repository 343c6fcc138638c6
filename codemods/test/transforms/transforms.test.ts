/**
 * The jscodeshift modules, built, run by jscodeshift itself: `applyTransform` from its test utilities over every
 * scenario whose rewrite belongs to a single transform, and its runner (`Runner.run`) over a directory.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../engine/helpers.js';

const require = createRequire(import.meta.url);
const { applyTransform } = require('jscodeshift/dist/testUtils.js') as {
  applyTransform: (module: unknown, options: object, input: { path: string; source: string }) => string;
};
const { run } = require('jscodeshift/src/Runner.js') as {
  run: (transformFile: string, paths: string[], options: object) => Promise<{ ok: number; error: number; nochange: number; skip: number }>;
};

const SLUGS = ['module-lazy-slot', 'static-singleton', 'instance-memo', 'promise-cache', 'async-init-race'] as const;
const built = (slug: string): string => path.join(repoRoot, 'codemods/dist/transforms', `${slug}.js`);
const load = async (slug: string) => (await import(pathToFileURL(built(slug)).href)) as { default: unknown; parser: unknown };

const scenariosDir = path.join(repoRoot, 'fixtures/scenarios');

interface Expectation {
  readonly options?: object;
  readonly sites: readonly { transform: string; outcome: string }[];
}

const singleTransformScenarios = readdirSync(scenariosDir).flatMap((name) => {
  const dir = path.join(scenariosDir, name);
  const codemod = path.join(dir, 'codemod.json');
  const output = existsSync(dir) ? readdirSync(dir).find((file) => file.startsWith('output.')) : undefined;
  const input = existsSync(dir) ? readdirSync(dir).find((file) => file.startsWith('input.')) : undefined;
  if (!existsSync(codemod) || output === undefined || input === undefined) return [];
  const expectation = JSON.parse(readFileSync(codemod, 'utf8')) as Expectation;
  if (expectation.options !== undefined) return [];
  const transforms = new Set(expectation.sites.filter((site) => site.outcome === 'rewritten').map((site) => site.transform));
  return transforms.size === 1 ? [{ name, dir, input, output, slug: [...transforms][0]! }] : [];
});

describe('jscodeshift modules', () => {
  it('are built for every transform, with the tsx parser', async () => {
    for (const slug of SLUGS) {
      const module = await load(slug);
      expect(typeof module.default).toBe('function');
      expect(module.parser).toBe('tsx');
    }
  });

  it('cover the scenarios', () => {
    expect(singleTransformScenarios.length).toBeGreaterThan(10);
    expect(new Set(singleTransformScenarios.map((scenario) => scenario.slug))).toEqual(new Set(SLUGS));
  });

  for (const scenario of singleTransformScenarios) {
    it(`${scenario.slug} rewrites ${scenario.name} as the engine does, and the others leave it alone`, async () => {
      const file = { path: path.join(scenario.dir, scenario.input), source: readFileSync(path.join(scenario.dir, scenario.input), 'utf8') };
      const expected = readFileSync(path.join(scenario.dir, scenario.output), 'utf8');
      expect(applyTransform(await load(scenario.slug), {}, file)).toBe(expected.trim());
      for (const other of SLUGS.filter((slug) => slug !== scenario.slug)) {
        expect(applyTransform(await load(other), {}, file)).toBe('');
      }
    });
  }

  it('takes the engine options as runner options: type-aware with a tsconfig, failure caching', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-jscodeshift-options-'));
    try {
      const file = path.join(dir, 'a.ts');
      const source = [
        'class Conn { constructor(readonly url: string) {} }',
        'let conn;',
        'export function getConn(url: string) {',
        '  conn ??= new Conn(url);',
        '  return conn;',
        '}',
        'let config: Promise<string> | undefined;',
        "export const loadConfig = (): Promise<string> => (config ??= Promise.resolve('x'));",
        '',
      ].join('\n');
      writeFileSync(file, source);
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, types: [] }, files: ['a.ts'] }));
      const memo = await load('module-lazy-slot');
      expect(applyTransform(memo, {}, { path: file, source })).toBe('');
      expect(applyTransform(memo, { typeAware: true, tsconfig: path.join(dir, 'tsconfig.json') }, { path: file, source })).toContain(
        'const conn = new OnceCell<Conn>();',
      );
      const cache = await load('promise-cache');
      expect(applyTransform(cache, { 'preserve-failure-caching': true }, { path: file, source })).toContain(
        "const config = new OnceLock<string>({ failure: 'cache' });",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws for a file that does not parse, so that the runner counts an error', async () => {
    const module = (await load('module-lazy-slot')).default as (file: object, api: object, options: object) => unknown;
    expect(() => module({ path: 'broken.ts', source: 'let = ;' }, {}, {})).toThrow(/does not parse/);
  });

  it('reports skipped sites through the api', async () => {
    const module = (await load('module-lazy-slot')).default as (file: object, api: object, options: object) => unknown;
    const messages: string[] = [];
    const output = module(
      { path: 'a.ts', source: 'export let db: Db | undefined;\nexport const getDb = (): Db => (db ??= new Db());\n' },
      { report: (message: string) => messages.push(message) },
      {},
    );
    expect(output).toBeUndefined();
    expect(messages).toEqual([expect.stringMatching(/^a\.ts:2:\d+ Left `db` as it is: it is exported/)]);
  });
});

describe('jscodeshift runner', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-jscodeshift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a transform module over a directory and writes the files it changed', async () => {
    cpSync(path.join(scenariosDir, 'static-singleton/input.ts'), path.join(dir, 'settings.ts'));
    cpSync(path.join(scenariosDir, 'module-let-getter/input.ts'), path.join(dir, 'db.ts'));
    writeFileSync(path.join(dir, 'broken.ts'), 'export const = ;\n');
    const result = await run(built('static-singleton'), [dir], {
      babel: false,
      extensions: 'ts',
      parser: 'tsx',
      silent: true,
      runInBand: true,
    });
    expect(result).toMatchObject({ ok: 1, error: 1 });
    expect(readFileSync(path.join(dir, 'settings.ts'), 'utf8')).toBe(readFileSync(path.join(scenariosDir, 'static-singleton/output.ts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'db.ts'), 'utf8')).toBe(readFileSync(path.join(scenariosDir, 'module-let-getter/input.ts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'broken.ts'), 'utf8')).toBe('export const = ;\n');
  });

  it('runs the command the README documents, exactly as written', () => {
    const readme = readFileSync(path.join(repoRoot, 'codemods/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## With jscodeshift'));
    const command = /```sh\n(npx jscodeshift [^\n]+)\n```/.exec(section)?.[1];
    expect(command).toBeDefined();
    const args = command!.replace('<slug>', 'static-singleton').split(' ').slice(2);
    // A project with the package installed where the command expects it.
    const project = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-jscodeshift-readme-'));
    try {
      mkdirSync(path.join(project, 'node_modules/@lazy-init'), { recursive: true });
      symlinkSync(path.join(repoRoot, 'codemods'), path.join(project, 'node_modules/@lazy-init/codemod'));
      mkdirSync(path.join(project, 'src'));
      cpSync(path.join(scenariosDir, 'static-singleton/input.ts'), path.join(project, 'src/settings.ts'));
      const bin = path.join(path.dirname(require.resolve('jscodeshift/package.json')), 'bin/jscodeshift.js');
      // Colour codes (jscodeshift colours its summary under CI) would hide the counts from the patterns below.
      const out = execFileSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(
        /\u001b\[[0-9;]*m/g,
        '',
      );
      expect(out).toMatch(/\b1 ok\b/);
      expect(out).toMatch(/\b0 errors\b/);
      expect(readFileSync(path.join(project, 'src/settings.ts'), 'utf8')).toBe(readFileSync(path.join(scenariosDir, 'static-singleton/output.ts'), 'utf8'));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
