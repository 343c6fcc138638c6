import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, git, markerEngine, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);

const site = 'let value = lazy();\n';

async function scannedPaths(cwd: string, paths?: string[], extra: Partial<Parameters<Api['runCodemod']>[0]> = {}): Promise<string[]> {
  const report = await api.runCodemod({
    cwd,
    dryRun: true,
    typeAware: false,
    cpus: 1,
    engine: { module: markerEngine },
    ...(paths ? { paths } : {}),
    ...extra,
  });
  return report.files.map((file) => file.path);
}

describe('walking', () => {
  it('reads every JavaScript and TypeScript extension and nothing else', async () => {
    const cwd = tempDir();
    const names = ['a.ts', 'b.tsx', 'c.mts', 'd.cts', 'e.js', 'f.jsx', 'g.mjs', 'h.cjs'];
    writeTree(cwd, Object.fromEntries([...names, 'i.json', 'j.md', 'k.vue', 'l.ts.orig'].map((name) => [name, site])));
    expect(await scannedPaths(cwd)).toEqual(names);
  });

  it('skips node_modules, tool caches and declaration files, but no folder for being called build, dist, out or lib', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      'src/keep.ts': site,
      'node_modules/pkg/index.js': site,
      'src/node_modules/pkg/index.js': site,
      'dist/index.js': site,
      'build/index.js': site,
      'out/index.js': site,
      'lib/index.js': site,
      'coverage/lcov-report/prettify.js': site,
      '.next/server/page.js': site,
      'src/types.d.ts': site,
      'src/types.d.mts': site,
      'src/styles.d.css.ts': site,
      '.storybook/main.ts': site,
    });
    expect(await scannedPaths(cwd)).toEqual(['.storybook/main.ts', 'build/index.js', 'dist/index.js', 'lib/index.js', 'out/index.js', 'src/keep.ts']);
  });

  it.each([true, false])('skips the outDir of a tsconfig.json, whatever its name (git work tree: %s)', async (inGit) => {
    const cwd = tempDir();
    writeTree(cwd, {
      'tsconfig.json': '{\n  // output\n  "compilerOptions": { "outDir": "./build", },\n}\n',
      'src/index.ts': site,
      'build/index.js': site,
      'packages/a/tsconfig.build.json': '{ "compilerOptions": { "outDir": "out", "declarationDir": "types" } }',
      'packages/a/src/a.ts': site,
      'packages/a/out/a.js': site,
      'packages/a/types/a.js': site,
      'packages/a/dist/a.ts': site,
    });
    if (inGit) {
      git(cwd, 'init', '-q');
      git(cwd, 'add', '.');
    }
    expect(await scannedPaths(cwd)).toEqual(['packages/a/dist/a.ts', 'packages/a/src/a.ts', 'src/index.ts']);
  });

  it('in a git work tree, walks what git tracks or would track: tracked folders named build or lib too', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      '.gitignore': 'generated/\n*.local.ts\n',
      'build/tool.ts': site,
      'lib/util.ts': site,
      'dist/entry.ts': site,
      'src/untracked.ts': site,
      'src/mine.local.ts': site,
      'generated/g.ts': site,
      'node_modules/pkg/index.js': site,
      'src/types.d.ts': site,
    });
    git(cwd, 'init', '-q');
    git(cwd, 'add', 'build', 'lib', 'dist', '.gitignore', 'src/types.d.ts');
    git(cwd, 'add', '-f', 'node_modules/pkg/index.js');
    git(cwd, 'commit', '-qm', 'init');
    expect(await scannedPaths(cwd)).toEqual(['build/tool.ts', 'dist/entry.ts', 'lib/util.ts', 'src/untracked.ts']);
    expect(await scannedPaths(cwd, ['src'])).toEqual(['src/untracked.ts']);
  });

  it('honours the root .gitignore and nested ones, with negations', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/.gitignore': 'local-*.ts\n!local-keep.ts\n',
      'src/deep/.gitignore': '/only-here.ts\n',
      'generated/a.ts': site,
      'src/a.gen.ts': site,
      'src/local-secret.ts': site,
      'src/local-keep.ts': site,
      'src/deep/only-here.ts': site,
      'src/deep/nested/only-here.ts': site,
      'src/main.ts': site,
    });
    expect(await scannedPaths(cwd)).toEqual(['src/deep/nested/only-here.ts', 'src/local-keep.ts', 'src/main.ts']);
  });

  it('honours the .gitignore of a parent directory up to the repository root', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, '.git'));
    writeTree(cwd, { '.gitignore': 'ignored.ts\n', 'pkg/ignored.ts': site, 'pkg/kept.ts': site });
    expect(await scannedPaths(cwd, ['pkg'])).toEqual(['pkg/kept.ts']);
  });

  it('takes explicit files as given, even when ignored, and reports unsupported ones as skipped', async () => {
    const cwd = tempDir();
    writeTree(cwd, { '.gitignore': 'ignored.ts\n', 'ignored.ts': site, 'notes.md': site, 'types.d.ts': site, 'other.ts': site });
    const report = await api.runCodemod({
      cwd,
      paths: ['ignored.ts', 'notes.md', 'types.d.ts'],
      dryRun: true,
      typeAware: false,
      engine: { module: markerEngine },
    });
    expect(report.files.map((f) => [f.path, f.status, f.reason])).toEqual([
      ['ignored.ts', 'rewritten', undefined],
      ['notes.md', 'skipped', 'unsupported-extension'],
      ['types.d.ts', 'skipped', 'declaration-file'],
    ]);
  });

  it('walks a directory given explicitly even when its name is usually skipped', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'build/tool.ts': site, 'build/node_modules/x.js': site });
    expect(await scannedPaths(cwd, ['build'])).toEqual(['build/tool.ts']);
  });

  it('terminates on symbolic link cycles and does not follow linked directories', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'src/a.ts': site, 'other/b.ts': site });
    symlinkSync('..', path.join(cwd, 'src', 'parent'));
    symlinkSync('.', path.join(cwd, 'src', 'self'));
    symlinkSync(path.join(cwd, 'other'), path.join(cwd, 'src', 'linked-other'));
    symlinkSync('loop-b', path.join(cwd, 'src', 'loop-a'));
    symlinkSync('loop-a', path.join(cwd, 'src', 'loop-b'));
    expect(await scannedPaths(cwd, ['src'])).toEqual(['src/a.ts']);
    expect(await scannedPaths(cwd)).toEqual(['other/b.ts', 'src/a.ts']);
  });

  it('applies --include and --exclude globs relative to the working directory, base-name globs anywhere', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      'src/a.ts': site,
      'src/a.test.ts': site,
      'src/legacy/b.ts': site,
      'lib/c.js': site,
    });
    const result = await runWithMarkerEngine(
      ['--dry-run', '--json', '--include', 'src/**', '--exclude', '*.test.ts', '--exclude', 'src/legacy/**'],
      cwd,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string }> };
    expect(report.files.map((f) => f.path)).toEqual(['src/a.ts']);
  });

  it('deduplicates files reached through several paths', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'src/a.ts': site });
    expect(await scannedPaths(cwd, ['src', '.', 'src/a.ts'])).toEqual(['src/a.ts']);
  });
});
