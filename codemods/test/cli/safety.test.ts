import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, git, markerEngine, runNode, runWithMarkerEngine, runCliAsNobody, runCliWithEngine, tempDir, writeTree } from './helpers.js';

type Api = typeof import('../../dist/index.js');
let api: Api;

beforeAll(async () => {
  ensureBuilt();
  api = await import('../../dist/index.js');
}, BUILD_TIMEOUT);

const before = 'let value = lazy();\nexport const other = 1;\n';
const after = 'const value = new OnceCell();\nexport const other = 1;\n';

interface JsonReport {
  files: Array<{ path: string; status: string; reason?: string; message?: string; diff?: string }>;
  errors: Array<{ file: string; reason: string; message: string }>;
  summary: Record<string, unknown>;
}

function read(cwd: string, file: string): string {
  return readFileSync(path.join(cwd, file), 'utf8');
}

describe('files that cannot be processed', () => {
  it('skips binary and huge files with a reason, and leaves them alone', async () => {
    const cwd = tempDir();
    const binary = Buffer.from('let value = lazy();\n\0\x01\x02', 'latin1');
    writeTree(cwd, { 'binary.js': binary, 'huge.js': before + '//' + 'x'.repeat(4096) + '\n', 'ok.ts': before });
    const report = await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine }, maxFileBytes: 4096 });
    expect(report.files.map((f) => [f.path, f.status, f.reason])).toEqual([
      ['binary.js', 'skipped', 'binary'],
      ['huge.js', 'skipped', 'too-large'],
      ['ok.ts', 'rewritten', undefined],
    ]);
    expect(report.summary.filesSkippedByReason).toEqual({ binary: 1, 'too-large': 1 });
    expect(readFileSync(path.join(cwd, 'binary.js')).equals(binary)).toBe(true);
    expect(read(cwd, 'huge.js').startsWith(before)).toBe(true);
  });

  it('skips files larger than 2 MiB by default', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'bundle.js': before + ' '.repeat(2 * 1024 * 1024) });
    const report = await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } });
    expect(report.files.map((f) => f.reason)).toEqual(['too-large']);
  });

  it('skips files that are not valid UTF-8 rather than corrupting them', async () => {
    const cwd = tempDir();
    const latin1 = Buffer.from('let value = lazy();\n// caf\xe9\n', 'latin1');
    writeTree(cwd, { 'legacy.js': latin1 });
    const report = await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } });
    expect(report.files.map((f) => [f.status, f.reason])).toEqual([['skipped', 'not-utf8']]);
    expect(readFileSync(path.join(cwd, 'legacy.js')).equals(latin1)).toBe(true);
  });

  it('reports an unreadable file, carries on with the others, and exits 1', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'ok.ts': before });
    // A cycle of links named explicitly: it exists, but every attempt to open it fails with ELOOP, whoever runs.
    symlinkSync('loop-b.ts', path.join(cwd, 'loop-a.ts'));
    symlinkSync('loop-a.ts', path.join(cwd, 'loop-b.ts'));
    const result = await runWithMarkerEngine(['--json', '--no-type-aware', 'loop-a.ts', 'ok.ts'], cwd);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.errors).toEqual([{ file: 'loop-a.ts', reason: 'read-error', message: expect.stringMatching(/ELOOP/) }]);
    expect(read(cwd, 'ok.ts')).toBe(after);
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe given as a file instead of waiting for a writer', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'ok.ts': before });
    execFileSync('mkfifo', [path.join(cwd, 'pipe.ts')]);
    const result = await runWithMarkerEngine(['--json', '--no-type-aware', 'pipe.ts', 'ok.ts'], cwd);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.errors).toEqual([{ file: 'pipe.ts', reason: 'read-error', message: expect.stringMatching(/not a regular file/) }]);
    expect(read(cwd, 'ok.ts')).toBe(after);
  });

  it('reports a file it has no permission to read, exit 1', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'secret.ts': before, 'ok.ts': before });
    chmodSync(path.join(cwd, 'secret.ts'), 0o000);
    // Root reads through any mode, so as root the command line runs as `nobody`, who can use the directory but not
    // the file. The run is a dry run, so `nobody` needs no write permission.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(cwd, 0o755);
      chmodSync(path.join(cwd, 'ok.ts'), 0o644);
    }
    const runner = asRoot ? runCliAsNobody : runCliWithEngine;
    const result = await runNode(runner, [markerEngine, '--json', '--dry-run', '--no-type-aware', '--cpus', '1'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.errors).toEqual([{ file: 'secret.ts', reason: 'read-error', message: expect.stringMatching(/EACCES/) }]);
    expect(report.files.find((f) => f.path === 'ok.ts')?.status).toBe('rewritten');
  });

  it('reports a file that does not parse and leaves it untouched', async () => {
    const cwd = tempDir();
    const broken = 'let value = lazy();\n@@parse-error\n';
    writeTree(cwd, { 'broken.ts': broken, 'ok.ts': before });
    const result = await runWithMarkerEngine(['--no-type-aware'], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Failed files\n {2}broken\.ts {2}parse-error {2}Unexpected token\. \(1:1\)/);
    expect(read(cwd, 'broken.ts')).toBe(broken);
    expect(read(cwd, 'ok.ts')).toBe(after);
  });

  it('reports an engine that throws as a crash for that file alone', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'crash.ts': 'let value = lazy();\n// @@throw\n', 'ok.ts': before });
    for (const cpus of [1, 2]) {
      writeTree(cwd, { 'ok.ts': before });
      const report = await api.runCodemod({ cwd, cpus, typeAware: false, engine: { module: markerEngine } });
      expect(report.errors).toEqual([
        { file: 'crash.ts', reason: 'engine-crash', message: expect.stringContaining('asked to throw') },
      ]);
      expect(read(cwd, 'ok.ts')).toBe(after);
    }
  });

  it('does not hand files without any assignment to the engine', async () => {
    const cwd = tempDir();
    // Would crash the engine if it were given to it.
    writeTree(cwd, { 'types.ts': 'export interface A { b: string } // @@throw\nexport interface C extends A {}\n' });
    writeTree(cwd, { 'barrel.ts': "export * from './a.js'; // @@throw x == y !== z >= w <= v => u\n" });
    const report = await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } });
    expect(report.files.map((f) => [f.path, f.status])).toEqual([
      ['barrel.ts', 'unchanged'],
      ['types.ts', 'unchanged'],
    ]);
    expect(api.mayHoldLazySite('x ??= y')).toBe(true);
    expect(api.mayHoldLazySite('x ||= y')).toBe(true);
    expect(api.mayHoldLazySite('x||(x=y)')).toBe(true);
    expect(api.mayHoldLazySite('=x')).toBe(true);
    expect(api.mayHoldLazySite('a === b && c !== d || e => f <= g >= h == i')).toBe(false);
  });
});

describe('writing', () => {
  it('does not overwrite a file that changed on disk during the run', async () => {
    const cwd = tempDir();
    const touched = 'let value = lazy();\n// @@touch\n';
    writeTree(cwd, { 'touched.ts': touched, 'ok.ts': before });
    const report = await api.runCodemod({ cwd, cpus: 1, typeAware: false, engine: { module: markerEngine } });
    expect(report.errors).toEqual([
      { file: 'touched.ts', reason: 'changed-on-disk', message: expect.stringContaining('changed on disk') },
    ]);
    // The editor's save survives; the codemod's rewrite is not applied over it.
    expect(read(cwd, 'touched.ts')).toBe(`${touched}\n// saved by an editor\n`);
    expect(read(cwd, 'ok.ts')).toBe(after);
    // Its sites are kept on the file but not counted as rewritten.
    expect(report.files.find((f) => f.path === 'touched.ts')?.sites).toHaveLength(1);
    expect(report.summary.sitesRewritten).toBe(1);
  });

  it('writes the engine output byte for byte: BOM, CRLF and non-ASCII text survive', async () => {
    const cwd = tempDir();
    const source = '\uFEFF// żółw — 🐢\r\nlet value = lazy();\r\nexport const other = 1;\r\n';
    writeTree(cwd, { 'bom.ts': source });
    const report = await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } });
    expect(report.summary.filesRewritten).toBe(1);
    const expected = '\uFEFF// żółw — 🐢\r\nconst value = new OnceCell();\r\nexport const other = 1;\r\n';
    expect(readFileSync(path.join(cwd, 'bom.ts')).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('keeps the file mode and leaves no temporary files behind', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'script.mjs': `#!/usr/bin/env node\n${before}` });
    chmodSync(path.join(cwd, 'script.mjs'), 0o751);
    await api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } });
    expect(read(cwd, 'script.mjs')).toBe(`#!/usr/bin/env node\n${after}`);
    expect(statSync(path.join(cwd, 'script.mjs')).mode & 0o777).toBe(0o751);
    expect(readdirSync(cwd)).toEqual(['script.mjs']);
  });

  it('writes through a symbolic link named explicitly, keeping the link', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'real/target.ts': before });
    symlinkSync('real/target.ts', path.join(cwd, 'link.ts'));
    await api.runCodemod({ cwd, paths: ['link.ts'], typeAware: false, engine: { module: markerEngine } });
    expect(read(cwd, 'real/target.ts')).toBe(after);
    expect(statSync(path.join(cwd, 'link.ts')).isFile()).toBe(true);
    expect(readdirSync(cwd).sort()).toEqual(['link.ts', 'real']);
  });

  it('--dry-run writes nothing and prints a unified diff that applies to the old text', async () => {
    const cwd = tempDir();
    const source = '// header\nlet value = lazy();\nexport const other = 1;\n';
    writeTree(cwd, { 'src/a.ts': source });
    const result = await runWithMarkerEngine(['--dry-run', '--no-type-aware'], cwd);
    expect(result.code).toBe(0);
    expect(read(cwd, 'src/a.ts')).toBe(source);
    expect(result.stdout).toContain('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n // header\n-let value = lazy();\n+const value = new OnceCell();\n');
    const diff = result.stdout.slice(0, result.stdout.indexOf('\nSites'));
    expect(applyPatch(source, diff)).toBe('// header\nconst value = new OnceCell();\nexport const other = 1;\n');
    expect(result.stdout).toContain('Summary (dry run: nothing was written)');
  });
});

describe('git safety', () => {
  function repo(): string {
    const cwd = tempDir();
    git(cwd, 'init', '-q');
    writeTree(cwd, { 'clean.ts': before, 'dirty.ts': before, 'staged.ts': before });
    git(cwd, 'add', '.');
    git(cwd, 'commit', '-q', '-m', 'initial');
    writeFileSync(path.join(cwd, 'dirty.ts'), `${before}// edited\n`);
    writeFileSync(path.join(cwd, 'staged.ts'), `${before}// staged\n`);
    git(cwd, 'add', 'staged.ts');
    writeTree(cwd, { 'untracked.ts': before });
    return cwd;
  }

  it('refuses to write over uncommitted changes, naming the files, exit 2, nothing written', async () => {
    const cwd = repo();
    const result = await runWithMarkerEngine(['--no-type-aware'], cwd);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Refusing to rewrite files with uncommitted changes (3)');
    expect(result.stderr).toMatch(/ {2}dirty\.ts\n {2}staged\.ts\n {2}untracked\.ts\n/);
    expect(result.stderr).toContain('--allow-dirty');
    expect(read(cwd, 'clean.ts')).toBe(before);
    expect(read(cwd, 'untracked.ts')).toBe(before);
  });

  it('only looks at the target files: a clean target in a dirty tree is rewritten', async () => {
    const cwd = repo();
    const result = await runWithMarkerEngine(['--no-type-aware', 'clean.ts'], cwd);
    expect(result.code).toBe(0);
    expect(read(cwd, 'clean.ts')).toBe(after);
  });

  it('writes with --allow-dirty, and never refuses a --dry-run', async () => {
    const cwd = repo();
    const dry = await runWithMarkerEngine(['--no-type-aware', '--dry-run'], cwd);
    expect(dry.code).toBe(0);
    expect(read(cwd, 'dirty.ts')).toBe(`${before}// edited\n`);
    const result = await runWithMarkerEngine(['--no-type-aware', '--allow-dirty'], cwd);
    expect(result.code).toBe(0);
    expect(read(cwd, 'dirty.ts')).toBe(`${after}// edited\n`);
    expect(read(cwd, 'untracked.ts')).toBe(after);
  });

  it('asks nested repositories separately and counts renamed files as dirty', async () => {
    const cwd = repo();
    git(cwd, 'stash', '-q', '--include-untracked');
    const inner = path.join(cwd, 'vendor', 'inner');
    mkdirSync(inner, { recursive: true });
    git(inner, 'init', '-q');
    writeTree(inner, { 'inner-clean.ts': before, 'inner-dirty.ts': before });
    git(inner, 'add', '.');
    git(inner, 'commit', '-q', '-m', 'inner');
    writeFileSync(path.join(inner, 'inner-dirty.ts'), `${before}// edited\n`);
    writeTree(cwd, { '.gitignore': 'vendor/\n' });
    git(cwd, 'add', '.gitignore');
    git(cwd, 'commit', '-q', '-m', 'ignore vendor');
    git(cwd, 'mv', 'clean.ts', 'renamed.ts');
    await expect(
      api.runCodemod({ cwd, paths: ['.', 'vendor/inner/inner-clean.ts', 'vendor/inner/inner-dirty.ts'], typeAware: false, engine: { module: markerEngine } }),
    ).rejects.toMatchObject({ files: ['renamed.ts', 'vendor/inner/inner-dirty.ts'] });
    const report = await api.runCodemod({
      cwd,
      paths: ['dirty.ts', 'vendor/inner/inner-clean.ts'],
      typeAware: false,
      engine: { module: markerEngine },
    });
    expect(report.summary.filesRewritten).toBe(2);
  });

  it('throws DirtyWorkTreeError from the programmatic API', async () => {
    const cwd = repo();
    await expect(api.runCodemod({ cwd, typeAware: false, engine: { module: markerEngine } })).rejects.toMatchObject({
      name: 'DirtyWorkTreeError',
      files: ['dirty.ts', 'staged.ts', 'untracked.ts'],
    });
  });

  it('runs where git is not installed, since there is then no work tree to protect', async () => {
    const cwd = repo();
    const result = await runWithMarkerEngine(['--no-type-aware'], cwd, { PATH: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(read(cwd, 'dirty.ts')).toBe(`${after}// edited\n`);
  });

  it('runs outside any git work tree', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'src'));
    writeTree(cwd, { 'src/a.ts': before });
    const result = await runWithMarkerEngine(['--no-type-aware', 'src'], cwd, { GIT_CEILING_DIRECTORIES: path.dirname(cwd) });
    expect(result.code).toBe(0);
    expect(read(cwd, 'src/a.ts')).toBe(after);
  });
});
