import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ensureBuilt, runCli, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

// Hand-rolled lazy initialization the packaged engine rewrites: a module slot behind an accessor, and a promise cache.
const sources = {
  'src/db.ts': [
    'class Db {',
    '  query(): number {',
    '    return 1;',
    '  }',
    '}',
    '',
    'let db: Db | undefined;',
    '',
    'export function getDb(): Db {',
    '  if (db === undefined) db = new Db();',
    '  return db;',
    '}',
    '',
  ].join('\n'),
  'src/config.ts': [
    'let cache: Promise<string> | undefined;',
    '',
    'export function loadConfig(): Promise<string> {',
    "  cache ??= fetch('https://example.com/config').then((response) => response.text());",
    '  return cache;',
    '}',
    '',
  ].join('\n'),
  'src/plain.js': 'const x = 1;\nmodule.exports = { x };\n',
};

interface JsonReport {
  files: Array<{ path: string; status: string; diff?: string }>;
  sites: Array<{ file: string; outcome: string }>;
  summary: { filesRewritten: number; sitesRewritten: number; sitesFound: number; filesFailed: number };
}

describe('the command line with the packaged engine', () => {
  it('writes what its dry run showed, and a second run changes nothing', { timeout: 120_000 }, async () => {
    const cwd = tempDir();
    writeTree(cwd, sources);

    const dry = await runCli(['--dry-run', '--json', '--no-type-aware'], cwd);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as JsonReport;
    expect(preview.summary.sitesRewritten).toBeGreaterThan(0);
    for (const [file, text] of Object.entries(sources)) expect(readFileSync(path.join(cwd, file), 'utf8')).toBe(text);

    const real = await runCli(['--no-type-aware'], cwd);
    expect(real.code).toBe(0);
    for (const file of preview.files) {
      const before = sources[file.path as keyof typeof sources];
      const after = readFileSync(path.join(cwd, file.path), 'utf8');
      if (file.status === 'rewritten') {
        expect(after).toContain('@lazy-init/runtime');
        expect(applyPatch(before, file.diff!)).toBe(after);
      } else {
        expect(after).toBe(before);
      }
    }
    for (const site of preview.sites.filter((s) => s.outcome === 'rewritten')) {
      expect(real.stdout).toMatch(new RegExp(`${site.file.replace('.', '\\.')}:\\d+:\\d+ {2}rewritten`));
    }

    const again = await runCli(['--json', '--no-type-aware'], cwd);
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as JsonReport;
    expect(second.summary.filesRewritten).toBe(0);
  });

  // Each thread builds its own TypeScript program, which takes a while on a busy machine.
  it('reports the same with worker threads as in process, type-aware included', { timeout: 240_000 }, async () => {
    const cwd = tempDir();
    writeTree(cwd, { ...sources, 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022' } }) });
    const one = await runCli(['--dry-run', '--json', '--cpus', '1'], cwd);
    const two = await runCli(['--dry-run', '--json', '--cpus', '2'], cwd);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const report = JSON.parse(one.stdout) as JsonReport & { summary: { typeAware: boolean } };
    expect(report.summary.typeAware).toBe(true);
    expect(report.summary.sitesFound).toBeGreaterThan(0);
    expect(two.stdout).toBe(one.stdout);
  });
});
