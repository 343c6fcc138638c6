/**
 * End to end: the demo project (`fixtures/demo-project`) copied to a temporary directory, rewritten by the built
 * command line, then type-checked, built and tested with its own tests, and linted with the plugin's `recommended`
 * config: only the sites the codemod reports as skipped are left for the rules to report.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const demo = path.join(root, 'fixtures/demo-project');
const cli = path.join(root, 'codemods/dist/cli.js');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

interface ReportedSite {
  readonly file: string;
  readonly line: number;
  readonly slot: string;
  readonly transform: string;
  readonly outcome: 'rewritten' | 'skipped';
  readonly reason?: string;
}

interface CodemodReport {
  readonly sites: readonly ReportedSite[];
  readonly summary: { readonly sitesRewritten: number; readonly sitesSkipped: number; readonly filesFailed: number; readonly typeAware: boolean };
}

const node = (args: readonly string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 240_000 });

const succeeded = (result: SpawnSyncReturns<string>): string => {
  if (result.status !== 0) throw new Error(`exit ${String(result.status)}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

/** How many pools three concurrent first callers open, from the compiled demo. */
const probeRace = (dir: string): { opened: number; distinct: number } => {
  const probe = path.join(dir, 'race-probe.mjs');
  writeFileSync(
    probe,
    [
      "const pool = await import('./dist/src/pool.js');",
      'const pools = await Promise.all([pool.getPool(), pool.getPool(), pool.getPool()]);',
      'console.log(JSON.stringify({ opened: pool.poolsOpened, distinct: new Set(pools.map((p) => p.id)).size }));',
    ].join('\n'),
  );
  return JSON.parse(succeeded(node([probe], dir))) as { opened: number; distinct: number };
};

const lint = async (dir: string): Promise<{ file: string; line: number; ruleId: string }[]> => {
  const plugin = (await import('@lazy-init/eslint-plugin')).default;
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return results.flatMap((result) =>
    result.messages.map((message) => ({
      file: path.relative(dir, result.filePath).replace(/\\/g, '/'),
      line: message.line,
      ruleId: message.ruleId ?? `fatal: ${message.message}`,
    })),
  );
};

describe('codemod end to end on the demo project', () => {
  let dir: string;
  let report: CodemodReport;
  let reportWithoutTypes: CodemodReport;
  let raceBefore: { opened: number; distinct: number };
  let lintBefore: Awaited<ReturnType<typeof lint>>;

  beforeAll(async () => {
    // The command line, the runtime the demo imports and the plugin ESLint loads are all used built.
    succeeded(node([tsc, '-b', 'runtime', 'eslint-plugin', 'codemods'], root));
    dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-init-e2e-'));
    cpSync(demo, dir, { recursive: true, filter: (source) => !/[\\/](dist|node_modules)$/.test(source) });
    mkdirSync(path.join(dir, 'node_modules/@lazy-init'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/@types'), { recursive: true });
    symlinkSync(path.join(root, 'runtime'), path.join(dir, 'node_modules/@lazy-init/runtime'), 'dir');
    symlinkSync(path.join(root, 'node_modules/@types/node'), path.join(dir, 'node_modules/@types/node'), 'dir');

    // The demo as written: it builds, and three concurrent first callers open three pools.
    succeeded(node([tsc, '-p', '.'], dir));
    raceBefore = probeRace(dir);
    lintBefore = await lint(dir);
    rmSync(path.join(dir, 'dist'), { recursive: true, force: true });

    reportWithoutTypes = JSON.parse(succeeded(node([cli, '.', '--dry-run', '--no-type-aware', '--json'], dir))) as CodemodReport;
    report = JSON.parse(succeeded(node([cli, '.', '--allow-dirty', '--json'], dir))) as CodemodReport;
  }, 600_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('rewrites every safe site, type-aware, and skips the two that would change behaviour', () => {
    expect(report.summary.typeAware).toBe(true);
    expect(report.summary.filesFailed).toBe(0);
    const outcomes = Object.fromEntries(report.sites.map((site) => [`${site.file}:${site.slot}`, site.reason ?? `${site.outcome} by ${site.transform}`]));
    expect(outcomes).toEqual({
      'src/config.ts:config': 'rewritten by module-lazy-slot',
      'src/formatter.ts:format': 'rewritten by module-lazy-slot',
      'src/registry.ts:Registry.instance': 'rewritten by static-singleton',
      'src/document.ts:this._index': 'rewritten by instance-memo',
      'src/manifest.ts:manifest': 'rewritten by promise-cache',
      'src/pool.ts:pool': 'rewritten by async-init-race',
      'src/counter.ts:start': 'falsy-initializer',
      'src/session.ts:token': 'exported-live-binding',
    });
  });

  it('decides the same sites without type information, conservatively', () => {
    expect(reportWithoutTypes.summary.typeAware).toBe(false);
    const outcome = (site: ReportedSite) => `${site.file}:${site.slot} ${site.reason ?? site.outcome}`;
    expect(reportWithoutTypes.sites.map(outcome)).toEqual(report.sites.map(outcome));
  });

  it('leaves code that type-checks', () => {
    succeeded(node([tsc, '--noEmit', '-p', '.'], dir));
  });

  it('keeps the demo\'s own tests passing', () => {
    succeeded(node([tsc, '-p', '.'], dir));
    // Named one by one: Node 20 reads a directory argument of `--test` as a folder to search, Node 22 and later as a
    // file path or glob, and explicit files mean the same on every version; Node 23 and later default to the spec
    // reporter, so TAP is asked for.
    const tests = readdirSync(path.join(dir, 'dist/test'))
      .filter((file) => file.endsWith('.test.js'))
      .map((file) => path.join('dist/test', file));
    expect(tests.length).toBeGreaterThan(0);
    const output = succeeded(node(['--test', '--test-reporter=tap', ...tests], dir));
    expect(output).toMatch(/# fail 0/);
    expect(output).toMatch(/# pass [1-9]/);
  });

  it('fixes the race: concurrent first callers now share one pool', () => {
    expect(raceBefore).toEqual({ opened: 3, distinct: 3 });
    expect(probeRace(dir)).toEqual({ opened: 1, distinct: 1 });
  });

  it('leaves ESLint nothing to report but the sites the codemod skipped', async () => {
    const skipped = report.sites.filter((site) => site.outcome === 'skipped').map((site) => `${site.file}:${site.line}`);
    const rewritten = report.sites.filter((site) => site.outcome === 'rewritten').map((site) => `${site.file}:${site.line}`);
    // Before, the rules reported every site, rewritten ones included.
    const before = new Set(lintBefore.map((message) => `${message.file}:${message.line}`));
    for (const site of [...skipped, ...rewritten]) expect(before).toContain(site);
    const after = await lint(dir);
    expect(after.every((message) => message.ruleId.startsWith('lazy-init/'))).toBe(true);
    expect(new Set(after.map((message) => `${message.file}:${message.line}`))).toEqual(new Set(skipped));
  });

  it('changes nothing when run a second time', () => {
    const files = ['src/config.ts', 'src/pool.ts', 'src/registry.ts'].map((file) => readFileSync(path.join(dir, file), 'utf8'));
    const second = JSON.parse(succeeded(node([cli, '.', '--allow-dirty', '--json'], dir))) as CodemodReport;
    expect(second.summary.sitesRewritten).toBe(0);
    expect(second.sites.map((site) => site.reason)).toEqual(report.sites.filter((site) => site.outcome === 'skipped').map((site) => site.reason));
    expect(['src/config.ts', 'src/pool.ts', 'src/registry.ts'].map((file) => readFileSync(path.join(dir, file), 'utf8'))).toEqual(files);
  });
});
