import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, markerEngine, runCliWithEngine, runNode, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);

/** A project with every kind of outcome: rewritten, skipped sites, unchanged, skipped and failed files. */
function project(): string {
  const cwd = tempDir();
  const files: Record<string, string> = {
    'src/cache.ts': "export const x = 1;\nlet pending = lazy('promise');\n",
    'src/live.ts': "let shared = lazy('skip');\nlet local = lazy();\n",
    'src/plain.ts': 'export const unrelated = 1;\n',
    'src/broken.ts': '@@parse-error = 1\n',
    'src/data.js': 'let value = lazy();\0',
  };
  for (let i = 0; i < 30; i++) files[`src/many/file-${String(i).padStart(2, '0')}.ts`] = `let slot${i} = lazy();\n`;
  writeTree(cwd, files);
  return cwd;
}

interface JsonReport {
  files: Array<{ path: string; status: string; reason?: string; sites: unknown[] }>;
  sites: Array<{ file: string; line: number; column: number; slot: string; transform: string; outcome: string; reason?: string; message: string }>;
  errors: Array<{ file: string; reason: string; message: string }>;
  summary: Record<string, unknown>;
}

describe('report', () => {
  it('--json prints one JSON object with files, sites, errors and summary, and nothing else', async () => {
    const cwd = project();
    const result = await runWithMarkerEngine(['--json', '--no-type-aware', '--cpus', '1'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(Object.keys(report)).toEqual(['files', 'sites', 'errors', 'manifests', 'summary']);
    expect(report.files).toHaveLength(35);
    expect(report.files.slice(0, 2).map((f) => [f.path, f.status, f.reason])).toEqual([
      ['src/broken.ts', 'failed', 'parse-error'],
      ['src/cache.ts', 'rewritten', undefined],
    ]);
    expect(report.sites.filter((s) => !s.file.startsWith('src/many/'))).toEqual([
      {
        file: 'src/cache.ts',
        line: 2,
        column: 1,
        slot: 'pending',
        transform: 'promise-cache',
        outcome: 'rewritten',
        message: 'Rejections are no longer cached: the next call retries.',
      },
      {
        file: 'src/live.ts',
        line: 1,
        column: 1,
        slot: 'shared',
        transform: 'module-lazy-slot',
        outcome: 'skipped',
        reason: 'exported-live-binding',
        message: '`shared` is exported as a live binding, so other modules could see the change.',
      },
      { file: 'src/live.ts', line: 2, column: 1, slot: 'local', transform: 'module-lazy-slot', outcome: 'rewritten', message: '' },
    ]);
    expect(report.errors).toEqual([{ file: 'src/broken.ts', reason: 'parse-error', message: 'Unexpected token. (1:1)' }]);
    expect(report.summary).toEqual({
      filesFound: 35,
      filesScanned: 35,
      filesRewritten: 32,
      filesUnchanged: 1,
      filesSkipped: 1,
      filesFailed: 1,
      filesSkippedByReason: { binary: 1 },
      filesFailedByReason: { 'parse-error': 1 },
      sitesFound: 33,
      sitesRewritten: 32,
      sitesSkipped: 1,
      sitesSkippedByReason: { 'exported-live-binding': 1 },
      sitesByTransform: { 'module-lazy-slot': 32, 'promise-cache': 1 },
      dryRun: false,
      typeAware: false,
      interrupted: false,
      stoppedAtReview: false,
      manifestsChanged: 0,
      installNeeded: false,
    });
  });

  it('prints every site as file:line:column with its message, failed and skipped files, and the summary', async () => {
    const cwd = project();
    const result = await runWithMarkerEngine(['--no-type-aware', '--cpus', '1'], cwd);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain(
      '  src/cache.ts:2:1  rewritten  promise-cache  `pending`\n      Rejections are no longer cached: the next call retries.\n',
    );
    expect(out).toContain('  src/live.ts:1:1  skipped (exported-live-binding)  module-lazy-slot  `shared`\n');
    expect(out).toContain('  src/many/file-29.ts:1:1  rewritten  module-lazy-slot  `slot29`\n');
    expect(out).toContain('Failed files\n  src/broken.ts  parse-error  Unexpected token. (1:1)\n');
    expect(out).toContain('Skipped files\n  src/data.js  binary  ');
    expect(out).toContain(
      'Summary\n  Files: 35 scanned, 32 rewritten, 1 unchanged, 1 skipped (binary 1), 1 failed (parse-error 1)\n' +
        '  Sites: 33 found, 32 rewritten, 1 skipped (exported-live-binding 1)\n',
    );
    // No colour and no progress bar when the output is not a terminal.
    expect(out).not.toMatch(/\u001b\[/);
    expect(result.stderr).toBe('');
  });

  it('colours the report when FORCE_COLOR asks for it, and never the JSON', async () => {
    const cwd = project();
    const coloured = await runWithMarkerEngine(['--no-type-aware', '--cpus', '1'], cwd, { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(/\u001b\[\d+m/);
    const json = await runWithMarkerEngine(['--json', '--no-type-aware', '--cpus', '1'], project(), { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(json.stdout).not.toMatch(/\u001b\[/);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('ends quietly with its own exit code when the reader closes the pipe early', async () => {
    const cwd = project();
    // A report far larger than a pipe's buffer, so that writes are still pending when the pipe closes.
    writeTree(cwd, { 'src/big.ts': Array.from({ length: 3000 }, (_, i) => `let big${i} = lazy();\n`).join('') });
    const result = await runNode(runCliWithEngine, [markerEngine, '--json', '--dry-run', '--no-type-aware', '--cpus', '1'], {
      cwd,
      onSpawn(child) {
        child.stdout!.once('data', () => child.stdout!.destroy());
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  it('gives the same report and the same files with --cpus 2 as with --cpus 1', async () => {
    const one = project();
    const two = project();
    const [a, b] = await Promise.all([
      runWithMarkerEngine(['--json', '--no-type-aware', '--cpus', '1'], one),
      runWithMarkerEngine(['--json', '--no-type-aware', '--cpus', '2'], two),
    ]);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(b.stdout).toBe(a.stdout);
    const report = JSON.parse(a.stdout) as JsonReport;
    for (const file of report.files) {
      expect(readFileSync(path.join(two, file.path), 'utf8')).toBe(readFileSync(path.join(one, file.path), 'utf8'));
    }
  });

  it('gives the same dry-run output with worker threads as in process', async () => {
    const cwd = project();
    const [a, b] = await Promise.all([
      runWithMarkerEngine(['--dry-run', '--no-type-aware', '--cpus', '1'], cwd),
      runWithMarkerEngine(['--dry-run', '--no-type-aware', '--cpus', '3'], cwd),
    ]);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toContain('+++ b/src/many/file-00.ts');
  });
});

describe('engine options', () => {
  async function echoedOptions(cwd: string, args: string[], file = 'src/echo.ts'): Promise<unknown> {
    const result = await runWithMarkerEngine(['--json', '--dry-run', ...args, file], cwd);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    return JSON.parse(report.sites.find((s) => s.reason === 'echo')!.message);
  }

  it('passes defaults, --transform and --preserve-failure-caching to the engine', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'src/echo.ts': 'x = 1; // @@echo-options\n' });
    expect(await echoedOptions(cwd, [])).toEqual({ typeAware: false, preserveFailureCaching: false });
    expect(
      await echoedOptions(cwd, ['--transform', 'promise-cache,instance-memo', '--transform', 'promise-cache', '--preserve-failure-caching']),
    ).toEqual({ typeAware: false, preserveFailureCaching: true, transforms: ['promise-cache', 'instance-memo'] });
  });

  it('turns type-aware mode on when a tsconfig.json is found at or above the first path, unless --no-type-aware', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'tsconfig.json': '{}\n', 'src/echo.ts': 'x = 1; // @@echo-options\n' });
    const tsconfigPath = path.join(cwd, 'tsconfig.json');
    expect(await echoedOptions(cwd, [])).toEqual({ typeAware: true, tsconfigPath, preserveFailureCaching: false });
    expect(await echoedOptions(cwd, ['--type-aware'])).toEqual({ typeAware: true, tsconfigPath, preserveFailureCaching: false });
    expect(await echoedOptions(cwd, ['--no-type-aware'])).toEqual({ typeAware: false, preserveFailureCaching: false });
    // The nearest tsconfig.json wins.
    writeFileSync(path.join(cwd, 'src', 'tsconfig.json'), '{}\n');
    expect(await echoedOptions(cwd, [])).toMatchObject({ tsconfigPath: path.join(cwd, 'src', 'tsconfig.json') });
  });

  it('rejects bad programmatic options with TypeError', async () => {
    const cwd = tempDir();
    await expect(api.runCodemod({ cwd, cpus: 0 })).rejects.toThrow(TypeError);
    await expect(api.runCodemod({ cwd, transforms: ['nope' as never] })).rejects.toThrow(/Unknown transform `nope`/);
    await expect(api.runCodemod({ cwd, paths: [''] })).rejects.toThrow(TypeError);
    await expect(api.runCodemod({ cwd, paths: ['missing'] })).rejects.toMatchObject({ name: 'PathNotFoundError', path: 'missing' });
  });

  it('runs an engine given as a function in process', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let a = 1;\n' });
    const seen: string[] = [];
    const report = await api.runCodemod({
      cwd,
      cpus: 4,
      typeAware: false,
      engine: {
        create: () => ({
          transform: (filePath, source) => {
            seen.push(filePath);
            return { status: 'ok', output: source.replace('let', 'const'), sites: [] };
          },
        }),
      },
    });
    expect(seen).toEqual([path.join(cwd, 'a.ts')]);
    expect(report.summary.filesRewritten).toBe(1);
    expect(readFileSync(path.join(cwd, 'a.ts'), 'utf8')).toBe('const a = 1;\n');
  });

  it('says clearly when the engine cannot be loaded, exit 2', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'a.ts': 'let a = 1;\n' });
    await expect(
      api.runCodemod({ cwd, typeAware: false, engine: { module: new URL('./does-not-exist.mjs', import.meta.url).href } }),
    ).rejects.toMatchObject({ name: 'EngineLoadError' });
  });
});
